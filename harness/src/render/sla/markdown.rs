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
    format!("{:.1} min", ms as f64 / 60_000.0)
}

pub fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "met",
        Verdict::Missed => "MISSED",
        Verdict::NoData => "no data",
    }
}

fn row(out: &mut dyn Write, f: &Figures) -> std::io::Result<()> {
    writeln!(
        out,
        "| {} | {} ({}) | {} | {} | {} | {} ({}) | {} / {} / {} | {} | {} |",
        f.api,
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
    writeln!(out, "# Service levels — {} (Europe/Paris)\n", r.month)?;
    writeln!(
        out,
        "From {} to {} (UTC). Targets of the convention (Annex 2 §3): availability ≥ {:.0} % a month, {:.0} % of calls under 1 s. Generated {}.\n",
        r.from_utc,
        r.to_utc,
        r.targets.availability * 100.0,
        r.targets.share_under_1s * 100.0,
        r.generated_at
    )?;
    writeln!(out, "{}\n", r.measured_with())?;
    writeln!(
        out,
        "| API | availability | down | excluded (partner side) | error budget left | calls < 1 s | p50 / p90 / p99 | > 6 s | probes |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
    for f in &r.apis {
        row(out, f)?;
    }
    row(out, &r.overall)?;
    writeln!(out, "\n## Incidents\n")?;
    if r.incidents.is_empty() {
        writeln!(out, "None.")?;
    } else {
        writeln!(out, "| API | from (Paris) | to (Paris) | duration |")?;
        writeln!(out, "|---|---|---|---|")?;
        for i in &r.incidents {
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
