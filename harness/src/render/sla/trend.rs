//! The month-on-month trend of the SLA report: a table (Markdown and HTML) and a chart
//! (inline SVG), each API's availability and share of calls under 1 s over the months the
//! store holds (`MonthReport::trend`).

use std::fmt::Write as _;

use super::markdown::{pct, verdict};
use crate::render::check::junit::escape;
use crate::sla::report::{MonthReport, TrendPoint};

/// The APIs of the trend, in order of first appearance, `all` last.
fn apis(r: &MonthReport) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for m in &r.trend {
        for p in &m.apis {
            if p.api != "all" && !names.contains(&p.api.as_str()) {
                names.push(&p.api);
            }
        }
    }
    names.push("all");
    names
}

fn point<'a>(r: &'a MonthReport, month: usize, api: &str) -> Option<&'a TrendPoint> {
    r.trend.get(month)?.apis.iter().find(|p| p.api == api)
}

fn cell(p: Option<&TrendPoint>) -> String {
    match p {
        None => "not probed".into(),
        Some(p) => format!(
            "{} ({}), {} < 1 s",
            pct(p.availability),
            verdict(p.availability_verdict),
            pct(p.share_under_1s)
        ),
    }
}

/// The trend as a Markdown table (months in rows), or nothing when the store holds no
/// earlier month.
pub fn markdown(r: &MonthReport) -> String {
    if r.trend.is_empty() {
        return String::new();
    }
    let apis = apis(r);
    let mut s = String::from(
        "\n## Month on month\n\nAvailability (verdict), and the share of calls under 1 s, of each month the store holds.\n\n",
    );
    let _ = writeln!(s, "| month | {} |", apis.join(" | "));
    let _ = writeln!(s, "|---|{}", "---|".repeat(apis.len()));
    for (i, m) in r.trend.iter().enumerate() {
        let cells: Vec<String> = apis.iter().map(|a| cell(point(r, i, a))).collect();
        let _ = writeln!(s, "| {} | {} |", m.month, cells.join(" | "));
    }
    s
}

/// The trend as an HTML table and a chart: for each API, one bar per month on an axis from
/// 0 % to 100 % with the 98 % line; or nothing when the store holds no earlier month.
pub fn html(r: &MonthReport) -> String {
    if r.trend.is_empty() {
        return String::new();
    }
    let apis = apis(r);
    let months = r.trend.len();
    let mut s = String::from(
        "<h2>Month on month</h2><p>Availability (verdict), and the share of calls under 1 s, of each month the store holds.</p><table id=\"trend\"><tr><th>month</th>",
    );
    for a in &apis {
        let _ = write!(s, "<th>{}</th>", escape(a));
    }
    s.push_str("</tr>");
    for (i, m) in r.trend.iter().enumerate() {
        let _ = write!(s, "<tr><td>{}</td>", escape(&m.month));
        for a in &apis {
            let _ = write!(s, "<td>{}</td>", escape(&cell(point(r, i, a))));
        }
        s.push_str("</tr>");
    }
    s.push_str("</table>");

    let (pad, bottom, h) = (34.0, 46.0, 200.0);
    let bar = 22.0;
    // Wide enough for the API's name under its bars.
    let group = (bar * months as f64 + 18.0).max(130.0);
    let w = 2.0 * pad + group * apis.len() as f64;
    let y = |a: f64| pad + (h - pad - bottom) * (1.0 - a.clamp(0.0, 1.0));
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h}" role="img" aria-label="availability month on month">"#
    );
    for (a, label) in [(0.0, "0 %"), (0.5, "50 %"), (1.0, "100 %")] {
        let _ = write!(
            s,
            r##"<line x1="{pad}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#dddddd"/><text x="2" y="{:.1}" font-size="10">{label}</text>"##,
            w - pad,
            y(a) + 3.0,
            y = y(a)
        );
    }
    for (g, api) in apis.iter().enumerate() {
        let x0 = pad + group * g as f64 + (group - bar * months as f64) / 2.0;
        for (i, m) in r.trend.iter().enumerate() {
            let x = x0 + bar * i as f64;
            let month = m.month.get(5..).unwrap_or(&m.month);
            match point(r, i, api).and_then(|p| p.availability.map(|a| (p, a))) {
                Some((p, a)) => {
                    let color = match p.availability_verdict {
                        crate::sla::month::Verdict::Met => "#2e7d32",
                        crate::sla::month::Verdict::Missed => "#c62828",
                        _ => "#90a4ae",
                    };
                    let _ = write!(
                        s,
                        r##"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{color}"><title>{} {}: {} ({})</title></rect>"##,
                        y(a),
                        bar - 3.0,
                        (y(0.0) - y(a)).max(0.5),
                        escape(api),
                        escape(&m.month),
                        pct(Some(a)),
                        verdict(p.availability_verdict)
                    );
                }
                None => {
                    let _ = write!(
                        s,
                        r##"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#f2f2f2" stroke="#cccccc" stroke-dasharray="2 2"><title>{} {}: not observed</title></rect>"##,
                        y(1.0),
                        bar - 3.0,
                        y(0.0) - y(1.0),
                        escape(api),
                        escape(&m.month)
                    );
                }
            }
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" font-size="9" text-anchor="middle">{}</text>"#,
                x + (bar - 3.0) / 2.0,
                y(0.0) + 11.0,
                escape(month)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle">{}</text>"#,
            x0 + (bar * months as f64 - 3.0) / 2.0,
            y(0.0) + 25.0,
            escape(api)
        );
    }
    let t = y(0.98);
    let _ = write!(
        s,
        r##"<line x1="{pad}" x2="{:.1}" y1="{t:.1}" y2="{t:.1}" stroke="#000" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}" font-size="10">98 %</text><text x="{pad}" y="{:.1}" font-size="10">month (MM) under each bar; grey: no verdict (insufficient data); pale dashed boxes: not observed</text></svg>"##,
        w - pad,
        w - pad + 2.0,
        t + 3.0,
        h - 6.0
    );
    s
}
