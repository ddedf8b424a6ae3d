//! Terminal rendering of a diff report.

use std::io::Write;

use crate::diff::report::DiffReport;

pub fn write(report: &DiffReport, out: &mut dyn Write) -> std::io::Result<()> {
    for api in &report.apis {
        writeln!(
            out,
            "{} — {}: {} → {}: {} change(s), {} breaking{}",
            api.api,
            api.title,
            api.from,
            api.to,
            api.changes.len(),
            api.breaking,
            api.breaking_for_consumer
                .map(|n| format!(", {n} affecting the consumer"))
                .unwrap_or_default()
        )?;
        let mut current_op = "";
        for c in &api.changes {
            if c.operation != current_op {
                current_op = &c.operation;
                writeln!(out, "  {} ({})", c.operation, c.route)?;
            }
            let mark = if c.breaking { "BREAKING" } else { "ok      " };
            let consumer = match c.affects_consumer {
                Some(true) => "  [affects consumer]",
                Some(false) => "  [not used by consumer]",
                None => "",
            };
            let body = if c.body.is_empty() {
                String::new()
            } else {
                format!("[{}] ", c.body)
            };
            writeln!(
                out,
                "    {mark} {body}{}  ({}: {}){consumer}",
                c.detail, c.rule.id, c.rule.reason
            )?;
        }
    }
    writeln!(
        out,
        "total: {} breaking change(s){}",
        report.breaking,
        report
            .breaking_for_consumer
            .map(|n| format!(", {n} affecting the consumer"))
            .unwrap_or_default()
    )
}
