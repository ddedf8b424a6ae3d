//! The monthly SLA report: the month's figures read from the store, as one document that
//! the HTML, Markdown and JSON formats render (`harness/schemas/sla-report.schema.json`).

use serde::Serialize;

use super::month::{
    AVAILABILITY_TARGET, DownInterval, FAST_SHARE_TARGET, Figures, HISTOGRAM_MS, MonthSla,
};
use crate::store::{Store, StoreError};

pub const SCHEMA_ID: &str = "https://vigie.example/schemas/sla-report.schema.json";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Targets {
    pub availability: f64,
    pub share_under_1s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthReport {
    pub schema: &'static str,
    pub vigie_version: &'static str,
    /// `AAAA-MM`, a calendar month in Europe/Paris.
    pub month: String,
    pub timezone: &'static str,
    pub from_utc: String,
    pub to_utc: String,
    /// From the injected clock.
    pub generated_at: String,
    pub targets: Targets,
    /// Upper bounds (ms) of the histogram buckets; the last is open.
    pub histogram_le_ms: Vec<Option<f64>>,
    pub records: u64,
    /// The contract profiles the month's probe runs held answers to (distinct, in order of
    /// first use); empty when the store predates the record of runs.
    pub contract_profiles: Vec<String>,
    /// Each start of `vigie probe` that produced the month's records.
    pub runs: Vec<Run>,
    pub apis: Vec<Figures>,
    pub overall: Figures,
    pub down_intervals: Vec<DownInterval>,
}

/// A start of `vigie probe`, as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub started_utc: String,
    pub contract_profile: String,
    pub source: String,
    /// Probe records this run could not store (the store refused them too long).
    pub unstored: u64,
}

fn iso(ms: i64) -> String {
    domain::civil::format_datetime(ms).replace("+00:00", "Z")
}

impl MonthReport {
    /// What the month's figures were measured with, in one sentence (plain text).
    pub fn measured_with(&self) -> String {
        if self.runs.is_empty() {
            return "Contract profile and source not recorded (no probe run of this store says; stores written before vigie recorded its runs).".into();
        }
        let mut sources: Vec<&str> = Vec::new();
        for r in &self.runs {
            if !sources.contains(&r.source.as_str()) {
                sources.push(&r.source);
            }
        }
        let unstored: u64 = self.runs.iter().map(|r| r.unstored).sum();
        let lost = if unstored > 0 {
            format!(
                " {unstored} probe record(s) could not be stored (the store refused them): that time reads as unobserved."
            )
        } else {
            String::new()
        };
        let plural = if self.contract_profiles.len() > 1 {
            "s"
        } else {
            ""
        };
        format!(
            "Answers held to the contract profile{plural} {}; {} probe run(s) from {}.{lost}",
            self.contract_profiles.join(", "),
            self.runs.len(),
            sources.join("; ")
        )
    }
}

/// Reads the month from the store and computes its report.
pub fn build(store: &Store, year: i32, month: u32, now_ms: i64) -> Result<MonthReport, StoreError> {
    let targets = store.targets()?;
    let mut sla = MonthSla::new(year, month, &targets);
    let (from, to) = sla.bounds();
    // Probes due a little before the month still cover its first seconds.
    let scan_from = from - 3_600_000;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let records = match store.path() {
        // A file: the targets split across threads, each with its own connection.
        Some(path) if threads > 1 && targets.len() > 1 => {
            let ids: Vec<i64> = targets.iter().map(|t| t.id).collect();
            let chunk = ids.len().div_ceil(threads);
            let parts: Vec<Result<(MonthSla, u64), StoreError>> = std::thread::scope(|scope| {
                let handles: Vec<_> = ids
                    .chunks(chunk)
                    .map(|part| {
                        let targets = &targets;
                        scope.spawn(move || {
                            let reader = Store::open(path)?;
                            let mut mine = MonthSla::new(year, month, targets);
                            let n = reader.scan_rows_of(part, scan_from, to, |r| mine.add(&r))?;
                            Ok((mine, n))
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(StoreError::Outcome("a reader thread panicked".into()))
                        })
                    })
                    .collect()
            });
            let mut n = 0;
            for p in parts {
                let (part, count) = p?;
                sla.absorb(part);
                n += count;
            }
            n
        }
        _ => store.scan_rows(scan_from, to, |r| sla.add(&r))?,
    };
    let (apis, overall) = sla.finish();
    let runs: Vec<Run> = store
        .runs_between(from, to)?
        .into_iter()
        .map(|r| Run {
            started_utc: iso(r.started_ms),
            contract_profile: r.contract_profile,
            source: r.source,
            unstored: r.unstored,
        })
        .collect();
    let mut contract_profiles: Vec<String> = Vec::new();
    for r in &runs {
        if !contract_profiles.contains(&r.contract_profile) {
            contract_profiles.push(r.contract_profile.clone());
        }
    }
    Ok(MonthReport {
        schema: SCHEMA_ID,
        vigie_version: env!("CARGO_PKG_VERSION"),
        month: format!("{year:04}-{month:02}"),
        timezone: "Europe/Paris",
        from_utc: iso(from),
        to_utc: iso(to),
        generated_at: iso(now_ms),
        targets: Targets {
            availability: AVAILABILITY_TARGET,
            share_under_1s: FAST_SHARE_TARGET,
        },
        histogram_le_ms: HISTOGRAM_MS
            .iter()
            .map(|x| x.is_finite().then_some(*x))
            .collect(),
        records,
        contract_profiles,
        runs,
        down_intervals: overall.down_intervals.clone(),
        apis,
        overall,
    })
}
