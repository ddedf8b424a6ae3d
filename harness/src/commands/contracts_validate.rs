//! `vigie contracts validate`: one body against its contract.

use std::io::{Read, Write};

use contracts::{Checker, ContractsError};
use serde_json::{Value, json};

use crate::Outcome;
use crate::cli::{TextOrJson, ValidateArgs};

pub fn run(args: &ValidateArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let profile: contracts::Profile = args.contract_profile.into();
    let checker = Checker::active_with(profile)?;
    let (info, version, loaded) = checker.store().resolve(&args.api, &args.version)?;
    let op = loaded.operation(&args.operation)?;
    if !args.request && op.response(args.status).is_none() {
        return Err(ContractsError::UnknownStatus {
            api: info.id.clone(),
            version: version.major.clone(),
            operation: op.id.clone(),
            status: args.status,
            known: op.statuses(),
        }
        .into());
    }
    let (what, text) = read_body(&args.body)?;
    let body: Option<Value> = if text.trim().is_empty() {
        None
    } else {
        Some(serde_json::from_str(&text).map_err(|e| ContractsError::not_json(&what, &e))?)
    };
    let violations = if args.request {
        let body =
            body.ok_or_else(|| anyhow::anyhow!("{what} is empty: a request body is needed"))?;
        checker.check_request(&info.id, &version.major, &op.id, &body)?
    } else {
        checker.check_response(&info.id, &version.major, &op.id, args.status, body.as_ref())?
    };
    let target = if args.request {
        format!("{} {} {} request", info.id, version.major, op.id)
    } else {
        format!("{} {} {} {}", info.id, version.major, op.id, args.status)
    };
    let target = format!("{target} (contract profile {profile})");
    match args.format {
        TextOrJson::Json => {
            let doc = json!({"target": target, "contractProfile": profile, "valid": violations.is_empty(), "violations": violations});
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        TextOrJson::Text => {
            if violations.is_empty() {
                writeln!(out, "valid: {what} conforms to {target}")?;
            } else {
                writeln!(
                    out,
                    "invalid: {what} breaks {target} ({} violation(s))",
                    violations.len()
                )?;
                for v in &violations {
                    writeln!(out, "  {v}")?;
                }
            }
        }
    }
    Ok(if violations.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn read_body(path: &std::path::Path) -> anyhow::Result<(String, String)> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|source| ContractsError::Read {
                path: path.to_path_buf(),
                source,
            })?;
        return Ok(("standard input".into(), s));
    }
    let text = std::fs::read_to_string(path).map_err(|source| ContractsError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok((path.display().to_string(), text))
}
