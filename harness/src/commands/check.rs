//! `vigie check`: the contract suite against the embedded simulators (no argument) or a real
//! platform (`--target`/`--preset`), with terminal, JSON, JUnit and Markdown reports.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use contracts::Checker;
use domain::clock::{Clock, SystemClock};
use domain::dataset::Dataset;

use super::embedded::Embedded;
use crate::Outcome;
use crate::check::record::CheckReport;
use crate::check::run::{CheckOptions, Progress};
use crate::cli::CheckArgs;
use crate::client::calls::ApiClient;
use crate::client::credentials::Credentials;
use crate::client::politeness::Politeness;
use crate::client::target::Target;
use crate::render;

pub fn run(args: &CheckArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let report = runtime.block_on(check(args, &SystemClock))?;
    render::check::terminal::write(&report, out)?;
    write_reports(args, &report, out)?;
    Ok(report.outcome())
}

/// Runs the check a command line asks for (the embedded simulators are served for its
/// duration on a free loopback port).
pub async fn check(args: &CheckArgs, clock: &dyn Clock) -> anyhow::Result<CheckReport> {
    let checker = Arc::new(
        Checker::active_with(args.contract_profile.into())
            .context("loading the embedded contracts")?,
    );
    let versions: Vec<String> = args
        .version
        .split(',')
        .map(str::trim)
        .flat_map(|v| match v {
            "all" => vec!["n-1".to_string(), "n".to_string()],
            given => vec![given.to_string()],
        })
        .collect();
    let now = clock.now_ms();
    let remote = args.target.is_some() || args.preset.is_some();
    let (target, credentials, dataset, _server) = if remote {
        let target = match (&args.target, args.preset) {
            (Some(t), _) => Target::custom(t, args.token_url.as_deref())?,
            (None, Some(p)) => p.target(),
            (None, None) => unreachable_target()?,
        };
        let env = |k: &str| std::env::var(k).ok();
        let credentials = Credentials::from_env(&env)?;
        let path = args.dataset.as_deref().context(
            "--dataset FILE is required with --target or --preset: list the platform's test \
             people in the format `vigie dataset` writes",
        )?;
        (target, credentials, load_dataset(path)?, None)
    } else {
        let server = Embedded::start(
            args.sim_config.as_deref(),
            Arc::new(SystemClock),
            &instance_secret(now),
        )
        .await?;
        let dataset = match &args.dataset {
            Some(p) => load_dataset(p)?,
            None => server.dataset(),
        };
        let credentials = match server.demo_credentials() {
            Some(demo) => demo,
            None => {
                let env = |k: &str| std::env::var(k).ok();
                Credentials::from_env(&env)?
            }
        };
        let target = Target::single(&server.base_url, &server.label)?;
        (target, credentials, dataset, Some(server))
    };
    let mut polite = Politeness::for_target(&target);
    if let Some(c) = args.concurrency {
        anyhow::ensure!(c >= 1, "--concurrency must be at least 1");
        polite.concurrency = c;
    }
    if let Some(r) = args.rate {
        anyhow::ensure!(
            r >= 0.0 && r.is_finite(),
            "--rate must be a number of calls per second (0: no limit)"
        );
        polite.rate_per_s = r;
    }
    anyhow::ensure!(args.timeout >= 1, "--timeout must be at least 1 second");
    polite.timeout = Duration::from_secs(args.timeout);

    let writes = !args.no_writes && (target.is_loopback() || args.allow_writes);
    let client = Arc::new(ApiClient::new(target, credentials, polite.clone())?);
    let opts = CheckOptions {
        versions,
        api: args.api.clone(),
        expect_version: args.expect_version.clone(),
        writes,
        today: domain::civil::format_datetime(now)[..10].to_string(),
        started_at: domain::civil::utc_text(now),
    };
    let progress: Progress = if !args.quiet && std::io::stderr().is_terminal() {
        Arc::new(progress_bar)
    } else {
        Arc::new(|_, _| {})
    };
    Ok(crate::check::run::run(
        client,
        checker,
        &dataset,
        opts,
        polite.concurrency,
        progress,
    )
    .await)
}

fn unreachable_target() -> anyhow::Result<Target> {
    anyhow::bail!("give --target URL or --preset NAME")
}

/// A secret for this run's simulators: identifiers they hand out mean nothing elsewhere.
fn instance_secret(now: i64) -> Vec<u8> {
    let mut s = now.to_le_bytes().to_vec();
    s.extend_from_slice(&std::process::id().to_le_bytes());
    s
}

fn load_dataset(path: &Path) -> anyhow::Result<Dataset> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the data set {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a data set: expected the JSON `vigie dataset` writes (seed, people, cases)",
            path.display()
        )
    })
}

fn progress_bar(done: usize, total: usize) {
    const WIDTH: usize = 30;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    let mut err = std::io::stderr();
    let _ = write!(
        err,
        "\r[{}{}] {done}/{total} cases",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled)
    );
    if done == total {
        let _ = writeln!(err);
    }
    let _ = err.flush();
}

fn write_reports(
    args: &CheckArgs,
    report: &CheckReport,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut written = Vec::new();
    let mut save = |path: &Path,
                    what: &str,
                    f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>|
     -> anyhow::Result<()> {
        let mut buf = Vec::new();
        f(&mut buf)?;
        std::fs::write(path, buf)
            .with_context(|| format!("cannot write the {what} report to {}", path.display()))?;
        written.push(format!("{what} → {}", path.display()));
        Ok(())
    };
    if let Some(p) = &args.json {
        save(p, "JSON", &|b| {
            serde_json::to_writer_pretty(&mut *b, report).map_err(std::io::Error::other)?;
            b.push(b'\n');
            Ok(())
        })?;
    }
    if let Some(p) = &args.junit {
        save(p, "JUnit", &|b| render::check::junit::write(report, b))?;
    }
    if let Some(p) = &args.markdown {
        save(p, "Markdown", &|b| {
            render::check::markdown::write(report, b)
        })?;
    }
    if !written.is_empty() {
        writeln!(out, "reports: {}", written.join(", "))?;
    }
    Ok(())
}
