//! Markdown rendering of a diff report (for change-management tickets and merge requests).

use std::io::Write;

use crate::diff::report::DiffReport;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn write(report: &DiffReport, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "# Contract changes\n")?;
    writeln!(
        out,
        "**{} breaking change(s)**{}.\n",
        report.breaking,
        report
            .breaking_for_consumer
            .map(|n| format!(", {n} affecting the consumer"))
            .unwrap_or_default()
    )?;
    for api in &report.apis {
        writeln!(out, "## {} — {} → {}\n", api.title, api.from, api.to)?;
        if api.changes.is_empty() {
            writeln!(out, "No change.\n")?;
            continue;
        }
        let consumer = api.breaking_for_consumer.is_some();
        write!(out, "| operation | body | change | breaking | rule |")?;
        writeln!(out, "{}", if consumer { " consumer |" } else { "" })?;
        write!(out, "|---|---|---|---|---|")?;
        writeln!(out, "{}", if consumer { "---|" } else { "" })?;
        for c in &api.changes {
            write!(
                out,
                "| `{}` | {} | {} | {} | {} — {} |",
                cell(&c.operation),
                cell(&c.body),
                cell(&c.detail),
                if c.breaking { "**yes**" } else { "no" },
                c.rule.id,
                cell(c.rule.reason)
            )?;
            if consumer {
                write!(
                    out,
                    " {} |",
                    match c.affects_consumer {
                        Some(true) => "affected",
                        _ => "not used",
                    }
                )?;
            }
            writeln!(out)?;
        }
        writeln!(out)?;
    }
    Ok(())
}
