//! The monthly SLA report in Markdown.

use std::io::Write;

use crate::sla::month::{Figures, Verdict};
use crate::sla::report::MonthReport;

pub fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |v| format!("{:.3} %", v * 100.0))
}

pub fn ms(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |v| format!("{v:.0} ms"))
}

pub fn minutes(ms: i64) -> String {
    let m = ms as f64 / 60_000.0;
    // Never "-0.0": a few seconds over read as 0.0.
    let m = if m.abs() < 0.05 { 0.0 } else { m };
    format!("{m:.1} min")
}

/// The share of the month observed, and the time it was not.
pub fn coverage(f: &Figures) -> String {
    let month = (f.observed_ms + f.unobserved_ms) / f.targets.max(1) as i64;
    let share = match f.coverage {
        None => "—".to_string(),
        Some(c) if c > 0.0 && c < 0.0001 => "< 0.01 %".to_string(),
        Some(c) => format!("{:.2} %", c * 100.0),
    };
    format!("{share} of {}", duration(month))
}

/// A duration for people: days, hours, minutes or seconds.
pub fn duration(ms: i64) -> String {
    let m = ms as f64 / 60_000.0;
    if m >= 2.0 * 24.0 * 60.0 {
        format!("{:.1} d", m / (24.0 * 60.0))
    } else if m >= 120.0 {
        format!("{:.1} h", m / 60.0)
    } else if m >= 2.0 {
        format!("{m:.1} min")
    } else if ms < 10_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{:.0} s", ms as f64 / 1000.0)
    }
}

/// When the month's evidence was gathered, in one sentence.
pub fn gathered(r: &MonthReport) -> String {
    match &r.gathered {
        Some(g) => format!(
            "Evidence gathered from {} to {} (Paris; the first and the last probe due in the month), over {}.",
            g.first_local,
            g.last_local,
            duration(g.span_ms)
        ),
        None => "No evidence: the store holds no probe of this month.".into(),
    }
}

/// What the coverage rule means, said once under the table.
pub fn coverage_rule() -> String {
    format!(
        "A verdict needs at least {:.0} % of the month observed (per probed operation); below, the figures are those of the time observed and the verdict is \"insufficient data\".",
        crate::sla::month::COVERAGE_THRESHOLD * 100.0
    )
}

/// How the percentiles were obtained, said once under the table.
pub fn percentile_note() -> &'static str {
    "p50, p90 and p99 are read from latency histograms kept with the records: within 1 % of the exact values (exact when the calls of a bucket took the same time)."
}

pub fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "met",
        Verdict::Missed => "MISSED",
        Verdict::InsufficientData => "insufficient data",
        Verdict::NoData => "no data",
    }
}

fn row(out: &mut dyn Write, f: &Figures) -> std::io::Result<()> {
    writeln!(
        out,
        "| {} | {} | {} ({}) | {} | {} | {} | {} ({}) | {} / {} / {} | {} | {} |",
        f.api,
        coverage(f),
        pct(f.availability),
        verdict(f.availability_verdict),
        minutes(f.down_ms),
        minutes(f.excluded_ms),
        minutes(f.error_budget_left_ms),
        pct(f.share_under_1s),
        verdict(f.latency_verdict),
        ms(f.p50_ms),
        ms(f.p90_ms),
        ms(f.p99_ms),
        f.over_6s,
        f.probes
    )
}

pub fn write(r: &MonthReport, out: &mut dyn Write) -> std::io::Result<()> {
    match &r.partner {
        Some(p) => writeln!(out, "# Service levels — {p} — {} (Europe/Paris)\n", r.month)?,
        None => writeln!(out, "# Service levels — {} (Europe/Paris)\n", r.month)?,
    }
    writeln!(
        out,
        "From {} to {} (UTC). Targets of the convention (Annex 2 §3): availability ≥ {:.0} % a month, {:.0} % of calls under 1 s. Generated {} by vigie {}.\n",
        r.from_utc,
        r.to_utc,
        r.targets.availability * 100.0,
        r.targets.share_under_1s * 100.0,
        r.generated_at,
        r.vigie_version
    )?;
    if let Some(b) = crate::provenance::banner(r.runs.iter().map(|run| run.source.as_str())) {
        writeln!(out, "> **{b}**\n")?;
    }
    writeln!(out, "{} {}\n", r.measured_with(), gathered(r))?;
    writeln!(
        out,
        "| API | month observed | availability | down | excluded (partner side) | error budget left | calls < 1 s | p50 / p90 / p99 | > 6 s | probes |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|---|---|")?;
    for f in &r.apis {
        row(out, f)?;
    }
    row(out, &r.overall)?;
    writeln!(out, "\n{} {}", coverage_rule(), percentile_note())?;
    write!(out, "{}", super::trend::markdown(r))?;
    writeln!(out, "\n## Down intervals (measured)\n")?;
    writeln!(
        out,
        "Spans when an API did not answer as it must, as the probes measured them; incidents are what the alerting engine opens from them (`vigie incidents`).\n"
    )?;
    if r.down_intervals.is_empty() {
        writeln!(out, "None.")?;
    } else {
        writeln!(out, "| API | from (Paris) | to (Paris) | duration |")?;
        writeln!(out, "|---|---|---|---|")?;
        for i in &r.down_intervals {
            writeln!(
                out,
                "| {} | {} | {} | {:.1} min |",
                i.api, i.from_local, i.to_local, i.minutes
            )?;
        }
    }
    writeln!(out, "\n## Daily availability\n")?;
    writeln!(
        out,
        "| day | {} |",
        r.apis
            .iter()
            .map(|f| f.api.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    )?;
    writeln!(out, "|---|{}", "---|".repeat(r.apis.len()))?;
    for (i, day) in r.overall.daily.iter().enumerate() {
        let cells: Vec<String> = r
            .apis
            .iter()
            .map(|f| pct(f.daily.get(i).and_then(|d| d.availability)))
            .collect();
        writeln!(out, "| {} | {} |", day.date, cells.join(" | "))?;
    }
    Ok(())
}
