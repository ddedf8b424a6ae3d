//! `vigie gonogo`: the decision on a new version of one API, from evidence read from a
//! folder or gathered now (contract checks on the embedded simulators, the diff).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use contracts::Checker;
use domain::civil::{Date, parse_date};
use domain::clock::{Clock, SystemClock};
use serde_json::Value;

use crate::Outcome;
use crate::cli::{CheckArgs, GoNoGoArgs};
use crate::gonogo::criteria::{Evidence, N1_MAX_MONTHS, Notice};
use crate::gonogo::decision::Decision;
use crate::gonogo::{evidence, report};

fn date(flag: &str, value: Option<&String>) -> anyhow::Result<Option<Date>> {
    value
        .map(|v| parse_date(v).with_context(|| format!("{flag} {v:?}: give a date as AAAA-MM-JJ")))
        .transpose()
}

fn read_json(path: &Path) -> anyhow::Result<Option<Value>> {
    if !path.exists() {
        return Ok(None);
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Some(serde_json::from_str(&text).with_context(|| {
        format!("{} is not JSON", path.display())
    })?))
}

/// The contract check of the embedded simulators, no writes: every API or one, of the
/// versions given (`all`, or a comma-separated list of aliases and majors).
pub async fn embedded_check(
    api: Option<&str>,
    versions: &str,
    contract_profile: crate::cli::ProfileChoice,
) -> anyhow::Result<crate::check::CheckReport> {
    let args = CheckArgs {
        target: None,
        preset: None,
        token_url: None,
        dataset: None,
        version: versions.to_string(),
        api: api.map(str::to_string),
        expect_version: None,
        contract_profile,
        allow_writes: false,
        no_writes: false,
        concurrency: None,
        rate: None,
        timeout: 6,
        sim_config: None,
        json: None,
        junit: None,
        markdown: None,
        quiet: true,
    };
    super::check::check(&args, &SystemClock).await
}

/// Decides, writes the three reports into `out`, returns the decision.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    checker: &Checker,
    args: &GoNoGoArgs,
    check: &Value,
    load: Option<&Value>,
    sla: Option<&Value>,
    evidence_files: Vec<String>,
    out_dir: &Path,
) -> anyhow::Result<report::GoNoGo> {
    let store = checker.store();
    let (info, cand, _) = store.resolve(&args.api, &args.candidate)?;
    let (_, prev, _) = store.resolve(&args.api, &args.previous)?;
    let announced = date("--announced", args.announced.as_ref())?;
    let production = date("--production", args.production.as_ref())?;
    let until = date("--previous-until", args.previous_until.as_ref())?;
    let diff = super::diff_report(
        checker,
        &[&info.id],
        &args.previous,
        &args.candidate,
        args.consumer.as_deref(),
    )?;
    let breaking = diff.breaking;
    let check_previous = evidence::from_check(check, &info.id, &prev.major);
    let previous_kept_months = match (production, until) {
        // Calendar months: kept until 1 February after a 1 August production is 6.
        (Some(p), Some(u)) => Some(domain::civil::months_until(p, u)),
        // Online now (its check answered): it may stay the convention's 6 months at most.
        (_, None) => check_previous
            .filter(|(calls, _)| *calls > 0)
            .map(|_| N1_MAX_MONTHS),
        (None, Some(_)) => None,
    };
    let e = Evidence {
        check_candidate: evidence::from_check(check, &info.id, &cand.major),
        check_previous,
        breaking: Some(breaking),
        breaking_for_consumer: diff.breaking_for_consumer,
        consumer_changes: diff
            .apis
            .iter()
            .flat_map(|a| &a.changes)
            .filter(|c| c.breaking && c.affects_consumer == Some(true))
            .map(|c| {
                let field = if c.pointer.is_empty() {
                    "(operation)"
                } else {
                    c.pointer.as_str()
                };
                format!("{} {field}: {}", c.operation, c.detail)
            })
            .collect(),
        notice: announced
            .zip(production)
            .map(|(announced, production)| Notice {
                announced,
                production,
            }),
        major: args.major || breaking > 0,
        previous_kept_months,
        load: load.and_then(|l| evidence::from_load(l, &info.id)),
        availability: sla.and_then(|s| evidence::from_sla(s, &info.id)),
    };
    let now = domain::civil::utc_text(SystemClock.now_ms());
    let mut r = report::build(
        &info.id,
        &cand.major,
        &prev.major,
        announced,
        production,
        until,
        &e,
        evidence_files,
        now,
    );
    // What the contract checks held answers to: the check's own word.
    r.contract_profile = check["contract_profile"]
        .as_str()
        .unwrap_or("not recorded (check.json predates contract profiles)")
        .to_string();
    // Where each piece of evidence came from, as each report says it.
    let mut provenance = Vec::new();
    // ... and when, for how long.
    let duration = crate::render::sla::markdown::duration;
    if let Some(t) = check["target"].as_str() {
        let when = match (check["started_at"].as_str(), check["duration_ms"].as_f64()) {
            (Some(at), Some(ms)) => format!(", started {at}, ran {}", duration(ms as i64)),
            _ => String::new(),
        };
        provenance.push(format!("contract check: {t}{when}"));
    }
    if let Some(runs) = sla.and_then(|s| s["runs"].as_array()) {
        for s in runs.iter().filter_map(|r| r["source"].as_str()) {
            let line = format!("probe window: {s}");
            if !provenance.contains(&line) {
                provenance.push(line);
            }
        }
    }
    if let Some(g) = sla.map(|s| &s["gathered"]).filter(|g| g.is_object()) {
        provenance.push(format!(
            "probe window: gathered from {} to {} (Paris), over {}",
            g["first_local"].as_str().unwrap_or("?"),
            g["last_local"].as_str().unwrap_or("?"),
            duration(g["span_ms"].as_i64().unwrap_or(0))
        ));
    }
    if let Some(t) = load.and_then(|l| l["source"].as_str().or(l["target"].as_str())) {
        let when = match (
            load.and_then(|l| l["started_at"].as_str()),
            load.and_then(|l| l["duration_s"].as_f64()),
        ) {
            (Some(at), Some(s)) => format!(", started {at}, ran {}", duration((s * 1000.0) as i64)),
            (None, Some(s)) => format!(", ran {}", duration((s * 1000.0) as i64)),
            _ => String::new(),
        };
        provenance.push(format!("load run: {t}{when}"));
    }
    r.provenance = provenance;
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let base = out_dir.join(format!("gonogo-{}", info.id));
    let mut md = Vec::new();
    crate::render::gonogo::markdown::write(&r, &mut md)?;
    let mut html = Vec::new();
    crate::render::gonogo::html::write(&r, &mut html)?;
    let json = serde_json::to_string_pretty(&r)? + "\n";
    for (ext, bytes) in [("md", md), ("html", html), ("json", json.into_bytes())] {
        let p: PathBuf = base.with_extension(ext);
        std::fs::write(&p, bytes).with_context(|| format!("cannot write {}", p.display()))?;
    }
    Ok(r)
}

pub fn outcome(d: Decision) -> Outcome {
    match d {
        Decision::Go => Outcome::Clean,
        Decision::NoGo => Outcome::Findings,
        Decision::GoWithReservations => Outcome::Reservations,
        Decision::Incomplete => Outcome::Incomplete,
    }
}

pub fn run(args: &GoNoGoArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let checker = Checker::active()?;
    let mut files = Vec::new();
    let (check, load, sla) = match &args.evidence {
        Some(dir) => {
            let check = read_json(&dir.join("check.json"))?.with_context(|| {
                format!(
                    "{} has no check.json: run `vigie check --json {}/check.json` first",
                    dir.display(),
                    dir.display()
                )
            })?;
            files.push("check.json".to_string());
            let load = read_json(&dir.join("load.json"))?;
            if load.is_some() {
                files.push("load.json".into());
            }
            let sla = read_json(&dir.join("sla.json"))?;
            if sla.is_some() {
                files.push("sla.json".into());
            }
            (check, load, sla)
        }
        None => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let report = runtime.block_on(embedded_check(
                Some(&args.api),
                &format!("{},{}", args.previous, args.candidate),
                args.contract_profile,
            ))?;
            std::fs::create_dir_all(&args.out)?;
            let path = args.out.join(format!("check-{}.json", args.api));
            std::fs::write(&path, serde_json::to_string_pretty(&report)? + "\n")?;
            files.push(
                path.file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
            (serde_json::to_value(&report)?, None, None)
        }
    };
    let r = decide(
        &checker,
        args,
        &check,
        load.as_ref(),
        sla.as_ref(),
        files,
        &args.out,
    )?;
    writeln!(
        out,
        "{} {} (previous {}): {}",
        r.api,
        r.candidate,
        r.previous,
        r.decision.label()
    )?;
    for reason in &r.reasons {
        writeln!(out, "  - {reason}")?;
    }
    writeln!(
        out,
        "reports: {}",
        args.out
            .join(format!("gonogo-{}.{{html,md,json}}", r.api))
            .display()
    )?;
    Ok(outcome(r.decision))
}
