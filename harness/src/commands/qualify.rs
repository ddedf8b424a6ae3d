//! `vigie qualify`: the whole chain against the embedded simulators, zero configuration —
//! contract check of n and n-1, the diff, a probe window under a fault profile and its SLA
//! report, a short load run, and the go/no-go of n against n-1 for each API — every report
//! in one folder.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use contracts::Checker;
use domain::clock::{Clock, SystemClock};

use crate::Outcome;
use crate::cli::{GoNoGoArgs, LoadArgs, ProbeArgs, QualifyArgs};
use crate::probe::config::ProbeConfig;
use crate::render;

/// The fault profile of the probe window: what a qualification platform has on a bad day.
pub const FAULT_PROFILE: &str = "# The fault profile of `vigie qualify`'s probe window.
# Statut usager n: 30 % of calls answer 503.
[[faults]]
api = \"statut-usager\"
version = \"n\"
errors = { share = 0.3, status = 503 }

# Diagnostic n: 10 % of calls take 1.1 to 1.3 s.
[[faults]]
api = \"diagnostic-individu\"
version = \"n\"
slow = [{ share = 0.1, min_ms = 1100, max_ms = 1300 }]
";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let p = dir.join(name);
    std::fs::write(&p, bytes).with_context(|| format!("cannot write {}", p.display()))
}

pub fn run(args: &QualifyArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let dir = &args.out;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let started = Instant::now();
    let checker = Checker::active()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;

    // 1. The contract check, every API, n and n-1.
    writeln!(out, "1/5 contract check of n and n-1 …")?;
    out.flush()?;
    let check = runtime.block_on(super::gonogo::embedded_check(
        None,
        "all",
        Default::default(),
    ))?;
    write(
        dir,
        "check.json",
        (serde_json::to_string_pretty(&check)? + "\n").as_bytes(),
    )?;
    let mut buf = Vec::new();
    render::check::junit::write(&check, &mut buf)?;
    write(dir, "check.xml", &buf)?;
    let mut buf = Vec::new();
    render::check::markdown::write(&check, &mut buf)?;
    write(dir, "check.md", &buf)?;
    writeln!(
        out,
        "    {} calls: {} pass, {} fail, {} error",
        check.totals.calls, check.totals.pass, check.totals.fail, check.totals.error
    )?;

    // 2. The diff n-1 → n.
    writeln!(out, "2/5 diff n-1 → n …")?;
    let ids: Vec<&str> = contracts::catalogue::business_apis_having(&["n-1", "n"]);
    let diff = super::diff_report(&checker, &ids, "n-1", "n", args.consumer.as_deref())?;
    let mut buf = Vec::new();
    render::diff::markdown::write(&diff, &mut buf)?;
    write(dir, "diff.md", &buf)?;
    write(
        dir,
        "diff.json",
        (serde_json::to_string_pretty(&diff)? + "\n").as_bytes(),
    )?;
    writeln!(out, "    {} breaking change(s)", diff.breaking)?;

    // 3. A probe window under the fault profile, and its SLA report.
    writeln!(
        out,
        "3/5 probe window of {} s under the fault profile …",
        args.probe_seconds
    )?;
    out.flush()?;
    write(dir, "fault-profile.toml", FAULT_PROFILE.as_bytes())?;
    let store_path = dir.join("probes.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("probes.sqlite{suffix}")));
    }
    let config_text = "[store]\npath = \"probes.sqlite\"\n[probe]\ninterval_s = 1\n[[probes]]\napi = \"*\"\nversion = \"*\"\n";
    let config_path = dir.join("probe.toml");
    std::fs::write(&config_path, config_text)?;
    let config = ProbeConfig::parse(config_text, &config_path)?;
    let probe_args = ProbeArgs {
        config: config_path,
        once: false,
        for_seconds: Some(args.probe_seconds),
        sim_config: Some(dir.join("fault-profile.toml")),
        log_format: Default::default(),
    };
    let mut sink = Vec::new();
    runtime.block_on(super::probe::probe(
        &probe_args,
        config,
        Arc::new(SystemClock),
        &mut sink,
    ))?;
    let store = crate::store::Store::open(&store_path)?;
    let now = SystemClock.now_ms();
    let local = crate::sla::paris::local_text(now);
    let (year, month) = crate::sla::paris::parse_month(&local[..7]).context("the current month")?;
    let sla = crate::sla::report::build(&store, year, month, now)?;
    let mut buf = Vec::new();
    render::sla::html::write(&sla, &mut buf)?;
    write(dir, "sla.html", &buf)?;
    let mut buf = Vec::new();
    render::sla::markdown::write(&sla, &mut buf)?;
    write(dir, "sla.md", &buf)?;
    write(
        dir,
        "sla.json",
        (serde_json::to_string_pretty(&sla)? + "\n").as_bytes(),
    )?;
    writeln!(
        out,
        "    {} probes, availability {:.3} %",
        sla.overall.probes,
        sla.overall.availability.unwrap_or(0.0) * 100.0
    )?;
    // The incidents the window opened (the fault profile's 503s and slow calls may confirm
    // some), each with its pre-diagnosis.
    let incidents = alerts::AlertStore::open(&store_path)?.incidents(true)?;
    let mut md = format!(
        "# Incidents of the probe window\n\n> **{}**\n\nOpened by the alerting engine from {} s of probes, every operation of both versions each second, on the embedded simulators under `fault-profile.toml` (`probe.toml`); the measured down intervals are in `sla.md`. Written {} by vigie {}.\n\n",
        crate::provenance::banner([crate::provenance::SIMULATED]).unwrap_or_default(),
        args.probe_seconds,
        domain::civil::utc_text(now),
        env!("CARGO_PKG_VERSION")
    );
    if incidents.is_empty() {
        md.push_str("No incident was confirmed (thresholds of `vigie probe`'s defaults).\n");
    }
    for i in &incidents {
        md.push_str(&crate::alerting::prediagnosis::draft(i, &store, now)?);
        md.push('\n');
    }
    write(dir, "incidents.md", md.as_bytes())?;
    writeln!(
        out,
        "    {} incident(s) confirmed{}",
        incidents.len(),
        incidents
            .iter()
            .map(|i| format!("; #{} {} {} {}", i.id, i.kind.as_str(), i.api, i.major))
            .collect::<String>()
    )?;

    // 4. A short load run of the journey in version n.
    writeln!(
        out,
        "4/5 load of the n journey for {} s …",
        args.load_seconds
    )?;
    out.flush()?;
    let load_args = LoadArgs {
        target: None,
        allow_remote: false,
        rate: None,
        version: "n".into(),
        scenario: "journey".into(),
        users: 10,
        run_time: args.load_seconds,
        timeout: 10,
        max_requests: 200_000,
        think_ms: "0-50".into(),
        target_share: 0.9,
        error_ceiling: 0.01,
        sim_config: None,
        dataset: None,
        report_dir: Some(dir.join("load")),
        json: None,
    };
    let load = runtime.block_on(super::load::load(&load_args))?;
    write(
        dir,
        "load.json",
        (serde_json::to_string_pretty(&load)? + "\n").as_bytes(),
    )?;
    writeln!(
        out,
        "    {} requests, {}",
        load.requests,
        if load.passed { "SLA met" } else { "SLA missed" }
    )?;

    // 5. The go/no-go of n against n-1, each API.
    writeln!(out, "5/5 go/no-go of n against n-1 …")?;
    let check_v = serde_json::to_value(&check)?;
    let load_v = serde_json::to_value(&load)?;
    let sla_v = serde_json::to_value(&sla)?;
    let mut decisions = Vec::new();
    for id in &ids {
        let g = GoNoGoArgs {
            api: (*id).to_string(),
            candidate: "n".into(),
            previous: "n-1".into(),
            announced: args.announced.clone(),
            production: args.production.clone(),
            major: false,
            previous_until: None,
            consumer: args.consumer.clone(),
            evidence: Some(dir.clone()),
            contract_profile: Default::default(),
            out: dir.clone(),
        };
        let r = super::gonogo::decide(
            &checker,
            &g,
            &check_v,
            Some(&load_v),
            Some(&sla_v),
            vec![
                "check.json".into(),
                "diff.md".into(),
                "sla.html".into(),
                "load.json".into(),
            ],
            dir,
        )?;
        writeln!(out, "    {:<22} {}", r.api, r.decision.label())?;
        decisions.push(r);
    }
    let listed = render::index::write(
        dir,
        &decisions,
        "Every report of one run against the embedded simulators (in-process, on loopback), \
         the probe window under fault-profile.toml.",
    )?;
    writeln!(
        out,
        "reports in {} ({} files, index.md and index.html link each), {:.0} s",
        dir.display(),
        listed,
        started.elapsed().as_secs_f64()
    )?;
    Ok(Outcome::Clean)
}
