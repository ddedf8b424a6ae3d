//! `vigie contracts fields`: every field of every operation of a version, with its meaning.

use std::io::Write;

use contracts::Checker;

use crate::Outcome;
use crate::cli::{FieldsArgs, TextOrJson};

pub fn run(args: &FieldsArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let checker = Checker::active()?;
    let (info, version, loaded) = checker.store().resolve(&args.api, &args.version)?;
    let rows = checker.fields().rows(&info.id, &version.major, loaded);
    match args.format {
        TextOrJson::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
        TextOrJson::Text => {
            writeln!(
                out,
                "{} {}: {} field(s)",
                info.id,
                version.label(),
                rows.len()
            )?;
            for r in &rows {
                let meaning = match &r.meaning {
                    Some(m) if m.source == "convention" => {
                        format!("{} — {} [convention]", m.name, m.description)
                    }
                    Some(m) => format!("{} [openapi]", m.description),
                    None => "(no description)".into(),
                };
                writeln!(
                    out,
                    "  {:<40} {:<8} {:<55} {:<14}{} {}",
                    r.operation,
                    r.body,
                    r.path,
                    r.types,
                    if r.required { "*" } else { " " },
                    meaning
                )?;
            }
        }
    }
    Ok(Outcome::Clean)
}
