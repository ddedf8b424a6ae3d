//! Markdown of a check, for merge requests and change tickets.

use std::io::Write;

use super::terminal::{call_details, call_title};
use crate::check::record::CheckReport;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

pub fn write(report: &CheckReport, out: &mut dyn Write) -> std::io::Result<()> {
    let t = &report.totals;
    let verdict = match report.outcome() {
        crate::Outcome::Clean => "✅ pass",
        crate::Outcome::Findings => "❌ fail",
        crate::Outcome::HarnessError
        | crate::Outcome::Reservations
        | crate::Outcome::Incomplete => "⚠️ could not run",
    };
    writeln!(out, "# Contract check — {verdict}\n")?;
    if let Some(b) = crate::provenance::banner([report.target.as_str()]) {
        writeln!(out, "> **{b}**\n")?;
    }
    writeln!(out, "- Target: {}", cell(&report.target))?;
    writeln!(
        out,
        "- Started: {}, for {:.1} s, by vigie {}",
        report.started_at,
        report.duration_ms / 1000.0,
        report.vigie_version
    )?;
    writeln!(out, "- Versions: {}", report.versions.join(", "))?;
    writeln!(
        out,
        "- Contract profile: {} ({})",
        report.contract_profile,
        report.contract_profile.meaning()
    )?;
    writeln!(
        out,
        "- Writes: {}\n",
        if report.writes { "on" } else { "off" }
    )?;
    writeln!(
        out,
        "| cases | calls | pass | fail | error | requests | 429 waited out | time | harness time |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
    writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {:.1} s | {:.1} s |\n",
        report.cases,
        t.calls,
        t.pass,
        t.fail,
        t.error,
        t.requests,
        t.throttled,
        report.duration_ms / 1000.0,
        report.harness_ms / 1000.0
    )?;
    for e in &report.harness_errors {
        writeln!(out, "> **Harness error:** {}\n", cell(e))?;
    }
    let failed: Vec<_> = report.failed().collect();
    if !failed.is_empty() {
        writeln!(out, "## Failed calls\n")?;
        writeln!(out, "| call | what went wrong |")?;
        writeln!(out, "|---|---|")?;
        for c in failed {
            writeln!(
                out,
                "| {} | {} |",
                cell(&call_title(c)),
                cell(&call_details(c).join("\n"))
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## Drift\n")?;
    let alarming: Vec<_> = report.drift.alarming().collect();
    if alarming.is_empty() {
        writeln!(out, "No unknown field, no required field null.\n")?;
    } else {
        writeln!(
            out,
            "| operation | status | answers | unknown fields | required but null |"
        )?;
        writeln!(out, "|---|---|---|---|---|")?;
        for o in alarming {
            let list = |v: &[crate::check::drift::FieldCount]| {
                v.iter()
                    .map(|f| format!("`{}` ({}×)", f.path, f.count))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            writeln!(
                out,
                "| {} {} {} | {} | {} | {} | {} |",
                o.api,
                o.version,
                o.operation,
                o.status,
                o.answers,
                cell(&list(&o.unknown_fields)),
                cell(&list(&o.required_null))
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}
