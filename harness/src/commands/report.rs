//! `vigie report --month AAAA-MM`: the monthly SLA report from the probe store.

use std::io::Write;

use anyhow::Context;
use domain::clock::{Clock, SystemClock};

use crate::Outcome;
use crate::cli::{ReportArgs, ReportFormat};
use crate::probe::config::ProbeConfig;
use crate::render;
use crate::sla::{paris, report};
use crate::store::Store;

pub fn run(args: &ReportArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let (year, month) = paris::parse_month(&args.month).with_context(|| {
        format!(
            "--month {:?}: give a calendar month as AAAA-MM, e.g. 2026-03",
            args.month
        )
    })?;
    let location = match &args.store {
        Some(p) => database::Location::Sqlite(p.clone()),
        None => ProbeConfig::load(&args.config)?.store,
    };
    if let Some(path) = location.sqlite_path() {
        anyhow::ensure!(
            path.exists(),
            "no probe store at {}: run `vigie probe` first, or give --store",
            path.display()
        );
    }
    let store = Store::open_at(&location)?;
    let r = report::build(&store, year, month, SystemClock.now_ms())?;
    let mut buf = Vec::new();
    match args.format {
        ReportFormat::Html => render::sla::html::write(&r, &mut buf)?,
        ReportFormat::Markdown => render::sla::markdown::write(&r, &mut buf)?,
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut buf, &r)?;
            buf.push(b'\n');
        }
    }
    match &args.out {
        Some(p) => {
            std::fs::write(p, &buf).with_context(|| format!("cannot write {}", p.display()))?;
            writeln!(out, "report for {} written to {}", r.month, p.display())?;
        }
        None => out.write_all(&buf)?,
    }
    let missed = r.apis.iter().any(|f| {
        f.availability_verdict == crate::sla::month::Verdict::Missed
            || f.latency_verdict == crate::sla::month::Verdict::Missed
    });
    Ok(if missed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
