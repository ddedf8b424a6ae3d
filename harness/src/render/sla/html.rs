//! The monthly SLA report as one self-contained HTML page: tables, and two charts drawn in
//! inline SVG (daily availability against 98 %, latency distribution against the 1 s line),
//! so that it renders without network access.

use std::fmt::Write as _;
use std::io::Write;

use super::markdown::{
    coverage, coverage_rule, gathered, minutes, ms, pct, percentile_note, verdict,
};
use crate::render::check::junit::escape;
use crate::sla::month::Figures;
use crate::sla::report::MonthReport;

fn daily_chart(f: &Figures) -> String {
    let (w, h, pad, bottom) = (640.0, 180.0, 34.0, 40.0);
    let n = f.daily.len().max(1) as f64;
    let bar = (w - 2.0 * pad) / n;
    // The axis runs from 0 % to 100 %: a bad day shows as plainly as it was.
    let y = |a: f64| pad + (h - pad - bottom) * (1.0 - a.clamp(0.0, 1.0));
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" aria-label="daily availability of {}">"#,
        escape(&f.api)
    );
    // Grid: 0 %, 50 %, 100 %.
    for (a, label) in [(0.0, "0 %"), (0.5, "50 %"), (1.0, "100 %")] {
        let _ = write!(
            s,
            r##"<line x1="{pad}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#dddddd"/><text x="2" y="{:.1}" font-size="10">{label}</text>"##,
            w - pad,
            y(a) + 3.0,
            y = y(a)
        );
    }
    for (i, d) in f.daily.iter().enumerate() {
        let x = pad + bar * i as f64;
        let width = (bar - 2.0).max(1.0);
        match d.availability {
            Some(a) => {
                let color = if a >= 0.98 { "#2e7d32" } else { "#c62828" };
                let _ = write!(
                    s,
                    r##"<rect x="{x:.1}" y="{:.1}" width="{width:.1}" height="{:.1}" fill="{color}"><title>{} {:.3} %</title></rect>"##,
                    y(a),
                    (y(0.0) - y(a)).max(0.5),
                    d.date,
                    a * 100.0
                );
            }
            None => {
                // Not observed: a pale full-height box, never a bar that could read as 0 %.
                let _ = write!(
                    s,
                    r##"<rect x="{x:.1}" y="{:.1}" width="{width:.1}" height="{:.1}" fill="#f2f2f2" stroke="#cccccc" stroke-dasharray="2 2"><title>{} not observed</title></rect>"##,
                    y(1.0),
                    y(0.0) - y(1.0),
                    d.date
                );
            }
        }
        // The day of the month under its bar: the 1st, every 5th, and the last.
        let day = d.date.rsplit('-').next().unwrap_or_default();
        let number: u32 = day.parse().unwrap_or(0);
        if number == 1 || number.is_multiple_of(5) || i + 1 == f.daily.len() {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" font-size="9" text-anchor="middle">{}</text>"#,
                x + width / 2.0,
                y(0.0) + 12.0,
                escape(day)
            );
        }
    }
    let t = y(0.98);
    let _ = write!(
        s,
        r##"<line x1="{pad}" x2="{}" y1="{t:.1}" y2="{t:.1}" stroke="#000" stroke-dasharray="4 3"/><text x="{}" y="{:.1}" font-size="10">98 %</text>"##,
        w - pad,
        w - pad + 2.0,
        t + 3.0
    );
    let first = f.daily.first().map(|d| d.date.as_str()).unwrap_or_default();
    let _ = write!(
        s,
        r#"<text x="{pad}" y="{:.1}" font-size="10">day of {} (Europe/Paris); pale dashed boxes: not observed</text></svg>"#,
        h - 6.0,
        escape(first.get(..7).unwrap_or(first))
    );
    s
}

fn latency_chart(r: &MonthReport, f: &Figures) -> String {
    let (w, h, pad) = (620.0, 160.0, 30.0);
    let max = f.histogram.iter().copied().max().unwrap_or(0).max(1) as f64;
    let n = f.histogram.len().max(1) as f64;
    let bar = (w - 2.0 * pad) / n;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" aria-label="latency distribution of {}">"#,
        escape(&f.api)
    );
    for (i, count) in f.histogram.iter().enumerate() {
        let x = pad + bar * i as f64;
        let bh = (h - 2.0 * pad) * (*count as f64 / max);
        let label = match r.histogram_le_ms.get(i).copied().flatten() {
            Some(le) => format!("≤ {le:.0} ms"),
            None => "> 6 s".into(),
        };
        let slow = r
            .histogram_le_ms
            .get(i)
            .copied()
            .flatten()
            .is_none_or(|le| le > 1000.0);
        let color = if slow { "#ef6c00" } else { "#1565c0" };
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}" fill="{color}"><title>{label}: {count} call(s)</title></rect><text x="{:.1}" y="{:.1}" font-size="9">{}</text><text x="{:.1}" y="{:.1}" font-size="9" text-anchor="middle">{count}</text>"#,
            h - pad - bh,
            bar - 4.0,
            x,
            h - pad + 12.0,
            escape(&label),
            x + (bar - 4.0) / 2.0,
            h - pad - bh - 3.0
        );
    }
    // The 1 s line: after the "≤ 1000 ms" bucket.
    let one_s = r
        .histogram_le_ms
        .iter()
        .position(|le| *le == Some(1000.0))
        .unwrap_or(4) as f64
        + 1.0;
    let x = pad + bar * one_s - 2.0;
    let _ = write!(
        s,
        r##"<line x1="{x:.1}" x2="{x:.1}" y1="{pad}" y2="{}" stroke="#000" stroke-dasharray="4 3"/><text x="{:.1}" y="{}" font-size="10">1 s</text></svg>"##,
        h - pad,
        x + 2.0,
        pad - 4.0
    );
    s
}

pub fn write(r: &MonthReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut h = String::new();
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Service levels {}</title><style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}}th:first-child,td:first-child{{text-align:left}}.missed{{color:#c62828;font-weight:bold}}.met{{color:#2e7d32}}.nodata{{color:#546e7a;font-style:italic}}</style></head><body>"#,
        escape(&r.month)
    );
    let _ = write!(
        h,
        "<h1>Service levels — {}{} (Europe/Paris)</h1><p>From {} to {} (UTC). Targets (Annex 2 §3): availability ≥ {:.0} % a month, {:.0} % of calls under 1 s. Generated {} by vigie {}.</p>",
        r.partner
            .as_deref()
            .map(|p| format!("{} — ", escape(p)))
            .unwrap_or_default(),
        escape(&r.month),
        r.from_utc,
        r.to_utc,
        r.targets.availability * 100.0,
        r.targets.share_under_1s * 100.0,
        r.generated_at,
        r.vigie_version
    );
    h.push_str(&crate::provenance::banner_html(
        r.runs.iter().map(|run| run.source.as_str()),
    ));
    let _ = write!(
        h,
        "<p id=\"measured-with\">{}</p><p id=\"gathered\">{}</p>",
        escape(&r.measured_with()),
        escape(&gathered(r))
    );
    h.push_str("<table id=\"figures\"><tr><th>API</th><th>month observed</th><th>availability</th><th>down</th><th>excluded (partner side)</th><th>error budget left</th><th>calls &lt; 1 s</th><th>p50</th><th>p90</th><th>p99</th><th>&gt; 6 s</th><th>probes</th></tr>");
    for f in r.apis.iter().chain(std::iter::once(&r.overall)) {
        let class = |v: crate::sla::month::Verdict| match v {
            crate::sla::month::Verdict::Missed => "missed",
            crate::sla::month::Verdict::Met => "met",
            _ => "nodata",
        };
        let _ = write!(
            h,
            r#"<tr><td>{}</td><td>{}</td><td class="{}">{} ({})</td><td>{}</td><td>{}</td><td>{}</td><td class="{}">{} ({})</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            escape(&f.api),
            escape(&coverage(f)),
            class(f.availability_verdict),
            pct(f.availability),
            verdict(f.availability_verdict),
            minutes(f.down_ms),
            minutes(f.excluded_ms),
            minutes(f.error_budget_left_ms),
            class(f.latency_verdict),
            pct(f.share_under_1s),
            verdict(f.latency_verdict),
            ms(f.p50_ms),
            ms(f.p90_ms),
            ms(f.p99_ms),
            f.over_6s,
            f.probes
        );
    }
    let _ = write!(
        h,
        "</table><p id=\"coverage-rule\">{}</p>",
        escape(&format!("{} {}", coverage_rule(), percentile_note()))
    );
    h.push_str(&super::trend::html(r));
    h.push_str("<h2>Down intervals (measured)</h2><p>Spans when an API did not answer as it must, as the probes measured them; incidents are what the alerting engine opens from them (<code>vigie incidents</code>).</p>");
    if r.down_intervals.is_empty() {
        h.push_str("<p>None.</p>");
    } else {
        h.push_str("<table id=\"incidents\"><tr><th>API</th><th>from (Paris)</th><th>to (Paris)</th><th>duration</th></tr>");
        for i in &r.down_intervals {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.1} min</td></tr>",
                escape(&i.api),
                i.from_local,
                i.to_local,
                i.minutes
            );
        }
        h.push_str("</table>");
    }
    // Every API, then all of them together.
    for f in r.apis.iter().chain(std::iter::once(&r.overall)) {
        let title = if f.api == "all" {
            "All APIs together".to_string()
        } else {
            f.api.clone()
        };
        let _ = write!(
            h,
            "<h2>{}</h2><h3>Daily availability</h3>{}<h3>Latency distribution</h3>{}",
            escape(&title),
            daily_chart(f),
            latency_chart(r, f)
        );
    }
    h.push_str("</body></html>\n");
    out.write_all(h.as_bytes())
}
