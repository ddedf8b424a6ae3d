//! `vigie contracts import`: an OpenAPI document → contract files.

use std::io::Write;

use anyhow::Context;
use contracts::ContractsError;
use contracts::import::{
    ImportRequest, import_openapi, imported_texts, parse_document, write_imported,
};

use crate::Outcome;
use crate::cli::ImportArgs;

/// Imports into `folder` (`--contracts`) when given, else into `--out`.
pub fn run(
    args: &ImportArgs,
    folder: Option<&std::path::Path>,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let root = folder.unwrap_or(&args.out);
    let name = args
        .document
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.document.display().to_string());
    let text = std::fs::read_to_string(&args.document).map_err(|source| ContractsError::Read {
        path: args.document.clone(),
        source,
    })?;
    // `n` / `n-1` resolve through the catalogue when the API is known; any other name is a
    // new version folder.
    let version = contracts::catalogue::api(&args.api)
        .ok()
        .and_then(|a| a.version(&args.version).ok())
        .map(|v| v.major.to_string())
        .unwrap_or_else(|| args.version.clone());
    check_id("--api", &args.api)?;
    check_id("--version", &version)?;
    let doc = parse_document(&text, &name)?;
    let imported = import_openapi(
        &doc,
        &ImportRequest {
            document_name: &name,
            api: &args.api,
            version: &version,
            only: &args.only,
        },
    )?;
    for w in &imported.warnings {
        writeln!(out, "warning: {w}")?;
    }
    if let Ok(api) = contracts::catalogue::api(&args.api)
        && let Some(other) = api
            .versions
            .iter()
            .find(|v| v.major != version && v.base_path == imported.manifest.base_path)
    {
        writeln!(
            out,
            "warning: its base path {} is the one of {} {}: the simulators serve {} there; \
             correct the document's `servers` if {version} has a path of its own",
            imported.manifest.base_path, args.api, other.major, other.major
        )?;
    }
    let dir = root.join(&args.api).join(&version);
    if args.check {
        let mut differs = Vec::new();
        for (file, expected) in imported_texts(&imported) {
            let path = dir.join(&file);
            match std::fs::read_to_string(&path) {
                Ok(actual) if actual == expected => {}
                _ => differs.push(file),
            }
        }
        if differs.is_empty() {
            writeln!(
                out,
                "{}: up to date ({} operations)",
                dir.display(),
                imported.manifest.operations.len()
            )?;
            return Ok(Outcome::Clean);
        }
        writeln!(
            out,
            "{}: differs from a fresh import of {name}: {}",
            dir.display(),
            differs.join(", ")
        )?;
        return Ok(Outcome::Findings);
    }
    let written = write_imported(&imported, root).with_context(|| format!("importing {name}"))?;
    writeln!(
        out,
        "imported {} operation(s) of {name} into {} ({} schema file(s))",
        imported.manifest.operations.len(),
        written.display(),
        imported.files.len()
    )?;
    for op in &imported.manifest.operations {
        for r in &op.responses {
            for c in &r.corrections {
                writeln!(out, "  corrected {} {}: {c}", op.id, r.status)?;
            }
            for d in &r.defects {
                writeln!(out, "  publisher defect {} {}: {d}", op.id, r.status)?;
            }
        }
    }
    Ok(Outcome::Clean)
}

fn check_id(flag: &str, value: &str) -> anyhow::Result<()> {
    contracts::catalogue::check_id(value)
        .map_err(|reason| anyhow::anyhow!("{flag}: {reason} (it names a folder)"))
}
