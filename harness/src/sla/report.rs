//! The monthly SLA report: the month's figures read from the store, as one document that
//! the HTML, Markdown and JSON formats render (`harness/schemas/sla-report.schema.json`).

use serde::Serialize;

use super::headline::{Judge, Sums};
use super::month::{
    AVAILABILITY_TARGET, DownInterval, FAST_SHARE_TARGET, Figures, HISTOGRAM_MS, MonthSla, Verdict,
};
use super::paris;
use std::collections::BTreeMap;

use crate::probe::record::partner_of;
use crate::store::records::{Grain, TargetRow, scope_parts};
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
    /// The partner reported on, in a deployment of several (`[[partners]] id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner: Option<String>,
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
    /// When the month's evidence was gathered; `None` when the store holds no probe of it.
    pub gathered: Option<Gathered>,
    /// The month and those before it that the store holds (at most [`TREND_MONTHS`], oldest
    /// first, this month last); empty when the store holds nothing of the previous month.
    pub trend: Vec<TrendMonth>,
}

/// How many months the month-on-month trend shows at most, this one included (earlier months
/// come from the hourly rollups: a few thousand rows each, whatever the number of records).
pub const TREND_MONTHS: usize = 3;

/// The first and the last probe due in the month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gathered {
    pub first_utc: String,
    pub last_utc: String,
    /// The same instants in Paris time, for people.
    pub first_local: String,
    pub last_local: String,
    /// From the first to the last, in ms.
    pub span_ms: i64,
}

/// One month of the trend: each API's headline figures, then `all`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendMonth {
    /// `AAAA-MM`.
    pub month: String,
    pub apis: Vec<TrendPoint>,
}

/// An API's headline figures in one month of the trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub api: String,
    pub coverage: Option<f64>,
    pub availability: Option<f64>,
    pub availability_verdict: Verdict,
    pub share_under_1s: Option<f64>,
    pub latency_verdict: Verdict,
}

impl TrendPoint {
    fn of(f: &Figures) -> TrendPoint {
        TrendPoint {
            api: f.api.clone(),
            coverage: f.coverage,
            availability: f.availability,
            availability_verdict: f.availability_verdict,
            share_under_1s: f.share_under_1s,
            latency_verdict: f.latency_verdict,
        }
    }
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
    domain::civil::utc_text(ms)
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

/// The partner of `targets` when they are all one partner's: a report then reads that
/// partner's rows only (`None`: every partner's, each row given to its own).
fn one_partner(targets: &[TargetRow]) -> Option<&str> {
    let first = partner_of(&targets.first()?.key);
    targets
        .iter()
        .all(|t| partner_of(&t.key) == first)
        .then_some(first)
}

/// A partner's month: each API's figures, the overall ones, the probes due.
pub(crate) type Measured = (Vec<Figures>, Figures, u64);

/// The month's figures per API and overall, and how many probes were due in it, of each
/// partner of `targets` (`""` for a deployment's only one): from the daily rollups (each
/// target's month, one key range), each API's latency histogram of the month and the down
/// spans, so that any month reads a few rows per target and day whatever the number of
/// records.
pub(crate) fn measure_partners(
    store: &Store,
    targets: &[TargetRow],
    year: i32,
    month: u32,
) -> Result<BTreeMap<String, Measured>, StoreError> {
    let mut groups: BTreeMap<String, Vec<TargetRow>> = BTreeMap::new();
    for t in targets {
        groups
            .entry(partner_of(&t.key).to_string())
            .or_default()
            .push(t.clone());
    }
    let partner_of_id: std::collections::HashMap<i64, String> = targets
        .iter()
        .map(|t| (t.id, partner_of(&t.key).to_string()))
        .collect();
    let mut slas: BTreeMap<String, (MonthSla, u64)> = groups
        .iter()
        .map(|(p, ts)| (p.clone(), (MonthSla::new(year, month, ts), 0)))
        .collect();
    let (from, to) = paris::month_bounds(year, month);
    let only = one_partner(targets);
    store.rollups_of(Grain::Day, only, from, to, |target, day, d| {
        if let Some((sla, probes)) = partner_of_id.get(&target).and_then(|p| slas.get_mut(p)) {
            *probes += d.sums.probes;
            sla.add_day(target, day, d);
        }
    })?;
    store.latency_between(from, to, only, |scope, l| {
        let (partner, api) = scope_parts(scope);
        if let Some((sla, _)) = slas.get_mut(partner) {
            sla.add_latency(api, l);
        }
    })?;
    store.down_spans(from, to, |r| {
        if let Some((sla, _)) = partner_of_id
            .get(&r.target_id)
            .and_then(|p| slas.get_mut(p))
        {
            sla.add_down(&r);
        }
    })?;
    Ok(slas
        .into_iter()
        .map(|(p, (sla, probes))| {
            let (apis, overall) = sla.finish();
            (p, (apis, overall, probes))
        })
        .collect())
}

/// The month's figures per API and overall from every record of the month rather than the
/// rollups: the reference the rollups are held to (a test compares them on random records),
/// as long as the month's records are kept.
pub fn figures_from_records(
    store: &Store,
    year: i32,
    month: u32,
) -> Result<(Vec<Figures>, Figures), StoreError> {
    let targets = store.targets()?;
    let mut sla = MonthSla::new(year, month, &targets);
    let (from, to) = sla.bounds();
    let scan_from = from - crate::probe::config::MAX_INTERVAL_S as i64 * 1000;
    store.scan_rows(scan_from, to, |r| sla.add(&r))?;
    Ok(sla.finish())
}

/// The month before `(year, month)`.
fn previous(year: i32, month: u32) -> (i32, u32) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

/// The months before this one that the store holds (in its hourly rollups, which outlive
/// pruned records), newest first, at most [`TREND_MONTHS`] − 1, stopping at the first month
/// without a probe.
fn earlier_months(store: &Store, year: i32, month: u32) -> Result<Vec<(i32, u32)>, StoreError> {
    let mut months = Vec::new();
    let mut m = previous(year, month);
    while months.len() + 1 < TREND_MONTHS {
        let (from, to) = paris::month_bounds(m.0, m.1);
        if !store.holds_hours(from, to)? {
            break;
        }
        months.push(m);
        m = previous(m.0, m.1);
    }
    Ok(months)
}

/// A month of the trend from the hourly rollups: each API's sums, judged as the month's own
/// report judges them (same targets, same verdicts).
fn rolled_up_month(
    store: &Store,
    targets: &[TargetRow],
    year: i32,
    month: u32,
) -> Result<TrendMonth, StoreError> {
    let (from, to) = paris::month_bounds(year, month);
    let month_ms = to - from;
    let api_of: std::collections::HashMap<i64, &str> =
        targets.iter().map(|t| (t.id, t.api.as_str())).collect();
    // Per API: the sums, the targets probed in the month, every target ever probed.
    let mut apis: std::collections::BTreeMap<&str, (Sums, u64)> = Default::default();
    for (id, sums) in store.hourly_sums(one_partner(targets), from, to)? {
        if let Some(api) = api_of.get(&id) {
            let e = apis.entry(api).or_default();
            e.0.add(&sums);
            e.1 += 1;
        }
    }
    let ever = |api: &str| targets.iter().filter(|t| t.api == api).count() as u64;
    let point = |api: &str, sums: &Sums, probed: u64, ever: u64| {
        let h = sums.judge(month_ms, ever.max(probed));
        TrendPoint {
            api: api.to_string(),
            coverage: h.coverage,
            availability: h.availability,
            availability_verdict: h.availability_verdict,
            share_under_1s: h.share_under_1s,
            latency_verdict: h.latency_verdict,
        }
    };
    let mut all = (Sums::default(), 0);
    let mut points: Vec<TrendPoint> = Vec::new();
    for (api, (sums, probed)) in &apis {
        all.0.add(sums);
        all.1 += probed;
        points.push(point(api, sums, *probed, ever(api)));
    }
    points.push(point("all", &all.0, all.1, targets.len() as u64));
    Ok(TrendMonth {
        month: format!("{year:04}-{month:02}"),
        apis: points,
    })
}

/// This month in the trend: its report's own figures.
fn trend_month(year: i32, month: u32, apis: &[Figures], overall: &Figures) -> TrendMonth {
    TrendMonth {
        month: format!("{year:04}-{month:02}"),
        apis: apis
            .iter()
            .chain(std::iter::once(overall))
            .map(TrendPoint::of)
            .collect(),
    }
}

/// Reads the month from the store and computes its report.
pub fn build(store: &Store, year: i32, month: u32, now_ms: i64) -> Result<MonthReport, StoreError> {
    build_for(store, "", year, month, now_ms)
}

/// The month's report of one partner (`""`: the deployment's only one): its targets, its
/// latency, its down spans, nothing of the others'.
pub fn build_for(
    store: &Store,
    partner: &str,
    year: i32,
    month: u32,
    now_ms: i64,
) -> Result<MonthReport, StoreError> {
    let all = store.targets()?;
    let everyone = all.iter().all(|t| partner_of(&t.key) == partner);
    let targets: Vec<TargetRow> = all
        .into_iter()
        .filter(|t| partner_of(&t.key) == partner)
        .collect();
    let (from, to) = paris::month_bounds(year, month);
    let (apis, overall, records) = measure_partners(store, &targets, year, month)?
        .remove(partner)
        .unwrap_or_else(|| {
            let (apis, overall) = MonthSla::new(year, month, &[]).finish();
            (apis, overall, 0)
        });
    let ids: Vec<i64> = targets.iter().map(|t| t.id).collect();
    let gathered = if everyone {
        store.first_and_last_between(from, to)?
    } else {
        store.first_and_last_of(&ids, from, to)?
    };
    let gathered = gathered.map(|(first, last)| Gathered {
        first_utc: iso(first),
        last_utc: iso(last),
        first_local: paris::local_text(first),
        last_local: paris::local_text(last),
        span_ms: last - first,
    });
    let mut trend = Vec::new();
    for (y, m) in earlier_months(store, year, month)?.into_iter().rev() {
        trend.push(rolled_up_month(store, &targets, y, m)?);
    }
    if !trend.is_empty() {
        trend.push(trend_month(year, month, &apis, &overall));
    }
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
        partner: (!partner.is_empty()).then(|| partner.to_string()),
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
        gathered,
        trend,
    })
}
