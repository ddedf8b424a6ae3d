//! The go/no-go report as Markdown.

use std::io::Write;

use super::status;
use crate::gonogo::report::GoNoGo;

pub fn write(r: &GoNoGo, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "# Go/no-go — {} {} (previous {}): **{}**\n",
        r.api,
        r.candidate,
        r.previous,
        r.decision.label()
    )?;
    if let Some(b) = crate::provenance::banner(r.provenance.iter().map(String::as_str)) {
        writeln!(out, "> **{b}**\n")?;
    }
    writeln!(
        out,
        "- Announced: {}",
        r.announced.as_deref().unwrap_or("—")
    )?;
    writeln!(
        out,
        "- Production: {}",
        r.production.as_deref().unwrap_or("—")
    )?;
    writeln!(
        out,
        "- Previous version online until: {}",
        r.previous_sunset.as_deref().unwrap_or("—")
    )?;
    for p in &r.provenance {
        writeln!(out, "- Evidence from: {p}")?;
    }
    writeln!(
        out,
        "- Generated: {} by vigie {}",
        r.generated_at, r.vigie_version
    )?;
    writeln!(
        out,
        "- Change: {}\n",
        if r.major {
            "major or contract (3 calendar months' notice)"
        } else {
            "minor (5 days' notice)"
        }
    )?;
    if !r.reasons.is_empty() {
        writeln!(out, "## Why\n")?;
        for reason in &r.reasons {
            writeln!(out, "- {reason}")?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "## Criteria\n\n| criterion | weight | status | detail |\n|---|---|---|---|"
    )?;
    for c in &r.criteria {
        let weight = if c.weight == crate::gonogo::criteria::Weight::Blocking {
            "blocking"
        } else {
            "reserving"
        };
        writeln!(
            out,
            "| {} | {weight} | {} | {} |",
            c.title,
            status(c.status),
            c.detail.replace('|', "\\|")
        )?;
    }
    writeln!(
        out,
        "\nContract checks held answers to the **{}** contract profile.",
        r.contract_profile
    )?;
    if !r.evidence_files.is_empty() {
        writeln!(out, "\n## Evidence\n")?;
        for f in &r.evidence_files {
            writeln!(out, "- `{f}`")?;
        }
    }
    Ok(())
}
