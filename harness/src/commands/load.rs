//! `vigie load`: a partner's journey under goose against the embedded simulators (default)
//! or, with --allow-remote and a rate cap, a platform; the convention's SLA is the pass mark.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use contracts::catalogue::Era;
use domain::clock::{Clock, SystemClock};
use loadtests::{LoadPlan, LoadSummary, Mix, Person};

use super::embedded::Embedded;
use crate::Outcome;
use crate::cli::LoadArgs;

/// People searched on the embedded simulators, spread over the population.
const SAMPLE: u64 = 500;

pub fn run(args: &LoadArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let summary = runtime.block_on(load(args))?;
    write_summary(&summary, out)?;
    if let Some(p) = &args.json {
        let mut text = serde_json::to_string_pretty(&summary)?;
        text.push('\n');
        std::fs::write(p, text)
            .with_context(|| format!("cannot write the JSON summary to {}", p.display()))?;
        writeln!(out, "summary: {}", p.display())?;
    }
    Ok(if summary.passed {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn think(spec: &str) -> anyhow::Result<(Duration, Duration)> {
    let parse = |s: &str| s.trim().parse::<u64>().ok();
    let (a, b) = match spec.split_once('-') {
        Some((a, b)) => (parse(a), parse(b)),
        None => (parse(spec), parse(spec)),
    };
    match (a, b) {
        (Some(a), Some(b)) if a <= b => Ok((Duration::from_millis(a), Duration::from_millis(b))),
        _ => {
            anyhow::bail!("--think-ms takes MIN-MAX in milliseconds, e.g. 500-2000 (or one number)")
        }
    }
}

/// Runs the load test a command line asks for.
pub async fn load(args: &LoadArgs) -> anyhow::Result<LoadSummary> {
    anyhow::ensure!(
        (0.0..=1.0).contains(&args.target_share) && (0.0..=1.0).contains(&args.error_ceiling),
        "--target-share and --error-ceiling are shares between 0 and 1 (0.9 = 90 %)"
    );
    anyhow::ensure!(args.users >= 1, "--users must be at least 1");
    anyhow::ensure!(args.run_time >= 1, "--run-time must be at least 1 second");
    anyhow::ensure!(
        (1..=120).contains(&args.timeout),
        "--timeout is between 1 and 120 seconds (the convention's bound for a complex request is 6)"
    );
    let (era, version) = match args.version.as_str() {
        "n" => (Era::Current, None),
        "n-1" => (Era::Previous, None),
        major => {
            let v = contracts::catalogue::business_apis()
                .find_map(|a| a.version(major).ok())
                .with_context(|| {
                    format!(
                        "--version {major}: no API has this version (see `vigie contracts list`)"
                    )
                })?;
            (v.era, Some(v.major.clone()))
        }
    };
    let mix = match args.scenario.as_str() {
        "journey" => Mix::Journey,
        "all" => Mix::All,
        api => Mix::Api(api.to_string()),
    };
    let mut plan = LoadPlan {
        base_url: String::new(),
        era,
        version,
        mix,
        users: args.users,
        run_time: Duration::from_secs(args.run_time),
        request_timeout: Duration::from_secs(args.timeout),
        max_requests: args.max_requests,
        rate: args.rate,
        think: think(&args.think_ms)?,
        client_id: String::new(),
        client_secret: String::new(),
        people: Vec::new(),
        target_share: args.target_share,
        error_ceiling: args.error_ceiling,
        report_dir: args.report_dir.clone(),
    };
    let server = match &args.target {
        Some(t) => {
            plan.base_url = t.trim_end_matches('/').to_string();
            // The guard runs first: a remote target without its flags stops here, before
            // credentials or a data set are even looked for.
            plan.people = vec![Person {
                nir: String::new(),
                date_naissance: String::new(),
            }];
            plan.guard(args.allow_remote)?;
            let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
            plan.client_id = env("VIGIE_CLIENT_ID")
                .context("VIGIE_CLIENT_ID is not set: export your application's client id")?;
            plan.client_secret = env("VIGIE_CLIENT_SECRET").context(
                "VIGIE_CLIENT_SECRET is not set: export your application's client secret",
            )?;
            let path = args.dataset.as_deref().context(
                "--dataset FILE is required with --target: a data set whose `sample` lists the platform's test people",
            )?;
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the data set {}", path.display()))?;
            let d: domain::dataset::Dataset = serde_json::from_str(&text).with_context(|| {
                format!(
                    "{} is not a data set (the JSON `vigie dataset --sample N` writes)",
                    path.display()
                )
            })?;
            plan.people = d
                .sample
                .into_iter()
                .map(|p| Person {
                    nir: p.nir,
                    date_naissance: p.date_naissance,
                })
                .collect();
            None
        }
        None => {
            let now = SystemClock.now_ms();
            let server = Embedded::start(
                args.sim_config.as_deref(),
                Arc::new(SystemClock),
                &now.to_le_bytes(),
            )
            .await?;
            plan.people = server
                .sample(SAMPLE)
                .into_iter()
                .map(|p| Person {
                    nir: p.nir,
                    date_naissance: p.date_naissance,
                })
                .collect();
            plan.base_url = server.base_url.clone();
            let demo = server.demo_credentials().context(
                "the simulators' configuration has no demo client: load them with --target and \
                 your own credentials, or keep the demo client",
            )?;
            plan.client_id = demo.client_id.clone();
            plan.client_secret = demo.expose_secret().to_string();
            Some(server)
        }
    };
    plan.guard(args.allow_remote)?;
    let started = SystemClock.now_ms();
    let mut summary = loadtests::run(plan).await?;
    summary.started_at = Some(domain::civil::utc_text(started));
    // Name the embedded simulators in the summary, as every report does.
    if let Some(server) = &server {
        summary.source = format!("{} ({})", server.label, summary.target);
    }
    Ok(summary)
}

fn write_summary(s: &LoadSummary, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "vigie load — {} ({}), scenario {}, {} users, {} s, think {}-{} ms",
        s.source, s.era, s.mix, s.users, s.run_time_s, s.think_ms[0], s.think_ms[1]
    )?;
    writeln!(
        out,
        "{} requests in {} s: {} requests/s{}",
        s.requests,
        s.duration_s,
        s.requests_per_s,
        s.rate_cap
            .map(|r| format!(" (cap {r}/s)"))
            .unwrap_or_default()
    )?;
    writeln!(
        out,
        "| API | calls | < 1 s | corrected for CO | > 6 s | errors | p50 | p90 | p99 | verdict |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|---|---|")?;
    for a in &s.apis {
        writeln!(
            out,
            "| {} | {} | {:.1} % | {} | {} | {:.2} % | {:.1} ms | {:.1} ms | {:.1} ms | {} |",
            a.api,
            a.calls,
            a.share_under_1s * 100.0,
            a.co_share_under_1s
                .map_or("—".into(), |c| format!("{:.1} %", c * 100.0)),
            a.over_6s,
            a.error_rate * 100.0,
            a.p50_ms,
            a.p90_ms,
            a.p99_ms,
            if a.passed { "pass" } else { "FAIL" }
        )?;
    }
    for a in s.apis.iter().filter(|a| !a.passed) {
        writeln!(out, "{}: {}", a.api, a.reasons.join("; "))?;
    }
    for r in &s.goose_reports {
        writeln!(out, "goose report: {r}")?;
    }
    writeln!(
        out,
        "verdict: {} (per API: {:.0} % of calls under 1 s, errors ≤ {:.2} %)",
        if s.passed { "PASS" } else { "FAIL" },
        s.target_share_under_1s * 100.0,
        s.error_ceiling * 100.0
    )
}
