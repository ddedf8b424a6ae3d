//! `vigie contracts diff`: every change between two versions of one API or of all (the
//! report is computed in `diff::report`).

use std::io::Write;

use contracts::Checker;

use crate::Outcome;
use crate::cli::{DiffArgs, DiffFormat};
use crate::diff::report::compute;
use crate::render;

pub fn run(args: &DiffArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let checker = Checker::active()?;
    let ids: Vec<&str> = match (&args.api, args.all) {
        (Some(api), _) => vec![&contracts::catalogue::api(api)?.id],
        (None, _) => contracts::catalogue::business_apis_having(&[&args.from, &args.to]),
    };
    anyhow::ensure!(
        !ids.is_empty(),
        "no API has both {} and {}: see `vigie contracts list`",
        args.from,
        args.to
    );
    let report = compute(
        &checker,
        &ids,
        &args.from,
        &args.to,
        args.consumer.as_deref(),
    )?;
    match args.format {
        DiffFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?,
        DiffFormat::Text => render::diff::text::write(&report, out)?,
        DiffFormat::Markdown => render::diff::markdown::write(&report, out)?,
    }
    let deciding = report.breaking_for_consumer.unwrap_or(report.breaking);
    Ok(if deciding == 0 {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
