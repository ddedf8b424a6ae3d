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
    let mut partners: Vec<String> = store
        .targets()?
        .iter()
        .map(|t| crate::probe::record::partner_of(&t.key).to_string())
        .collect();
    partners.sort();
    partners.dedup();
    let named = partners
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>();
    let partner = match args.partner.as_deref() {
        Some("all") => return summary(&store, year, month, args, out),
        Some(p) if partners.iter().any(|x| x == p) => p.to_string(),
        Some(p) => anyhow::bail!(
            "--partner {p}: no partner of that id in {location}; {}",
            if named.is_empty() {
                "this store has a single partner: leave --partner out".to_string()
            } else {
                format!("use one of {}, or all", named.join(", "))
            }
        ),
        None if !named.is_empty() && !partners.iter().any(String::is_empty) => anyhow::bail!(
            "{location} holds the records of several partners: give --partner with one of {}, or --partner all for the summary",
            named.join(", ")
        ),
        None => String::new(),
    };
    let r = report::build_for(&store, &partner, year, month, SystemClock.now_ms())?;
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

/// `--partner all`: the month across partners.
fn summary(
    store: &Store,
    year: i32,
    month: u32,
    args: &ReportArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let s = crate::sla::summary::build(store, year, month)?;
    let mut buf = Vec::new();
    match args.format {
        ReportFormat::Html => anyhow::bail!(
            "--partner all gives the summary across partners in Markdown or JSON: add --format markdown or --format json (each partner's HTML report: --partner ID)"
        ),
        ReportFormat::Markdown => render::summary::markdown(&s, &mut buf)?,
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut buf, &s)?;
            buf.push(b'\n');
        }
    }
    match &args.out {
        Some(p) => {
            std::fs::write(p, &buf).with_context(|| format!("cannot write {}", p.display()))?;
            writeln!(
                out,
                "summary across partners for {} written to {}",
                s.month,
                p.display()
            )?;
        }
        None => out.write_all(&buf)?,
    }
    Ok(if s.missed() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
