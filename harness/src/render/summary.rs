//! The month across partners, as Markdown: one row per partner and API.

use std::io::Write;

use crate::sla::month::Verdict;
use crate::sla::summary::Summary;

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |v| format!("{:.2} %", v * 100.0))
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "met",
        Verdict::Missed => "**missed**",
        Verdict::InsufficientData => "insufficient data",
        Verdict::NoData => "no data",
    }
}

pub fn markdown(s: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "# SLA across partners — {} ({})\n",
        s.month, s.timezone
    )?;
    writeln!(
        out,
        "Each partner's figures come from its own probes only (`vigie report --partner ID` for one partner's full report). Targets: availability ≥ 98 %, 90 % of calls under 1 s.\n"
    )?;
    writeln!(
        out,
        "| Partner | API | Availability | Verdict | Under 1 s | Verdict | Probes |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    for p in &s.partners {
        let name = if p.partner.is_empty() {
            "(single partner)"
        } else {
            p.partner.as_str()
        };
        for f in &p.apis {
            writeln!(
                out,
                "| {name} | {} | {} | {} | {} | {} | {} |",
                f.api,
                percent(f.availability),
                verdict(f.availability_verdict),
                percent(f.share_under_1s),
                verdict(f.latency_verdict),
                f.probes
            )?;
        }
    }
    Ok(())
}
