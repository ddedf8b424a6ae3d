//! One calendar month (Europe/Paris) of probe records turned into the convention's figures:
//! per API and overall, time-based availability with partner-side time excluded, share of
//! calls under 1 s, percentiles, calls over 6 s, the error budget left, the down intervals, and a
//! verdict against the targets (availability ≥ 98 %, 90 % of calls < 1 s).

use std::collections::BTreeMap;

use serde::Serialize;

use super::headline::{Judge, Sums, round6};
use super::paris;
use crate::probe::ProbeOutcome;
pub use crate::store::hourly::HISTOGRAM_MS;
use crate::store::hourly::{Hour, answered, class_of};
use crate::store::latency::Latency;
use crate::store::records::{ProbeRow, TargetRow};

pub const AVAILABILITY_TARGET: f64 = 0.98;
pub const FAST_SHARE_TARGET: f64 = 0.90;
/// The share of the month (per target) that must have been observed for a verdict: below,
/// the figures are shown and the verdict is "insufficient data" (16 s of probing say nothing
/// of a 30-day month).
pub const COVERAGE_THRESHOLD: f64 = 0.90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Met,
    Missed,
    /// Something was observed, but less of the month than [`COVERAGE_THRESHOLD`].
    InsufficientData,
    /// Nothing was observed.
    NoData,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DownInterval {
    pub api: String,
    /// UTC ms, and Paris local time for people.
    pub from_ms: i64,
    pub to_ms: i64,
    pub from_local: String,
    pub to_local: String,
    pub minutes: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Day {
    pub date: String,
    pub availability: Option<f64>,
}

/// The figures of one API (or of all, `api = "all"`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub api: String,
    pub targets: u64,
    pub probes: u64,
    /// Time covered by probes, all targets summed (ms).
    pub observed_ms: i64,
    /// Time when no probe ran (vigie stopped): neither up nor down.
    pub unobserved_ms: i64,
    /// The share of the month observed: observed / (observed + unobserved). A verdict needs
    /// [`COVERAGE_THRESHOLD`].
    pub coverage: Option<f64>,
    pub down_ms: i64,
    /// Partner-side time, excluded from availability.
    pub excluded_ms: i64,
    pub availability: Option<f64>,
    /// 2 % of the counted time, and what is left of it.
    pub error_budget_ms: i64,
    pub error_budget_left_ms: i64,
    pub answered: u64,
    pub under_1s: u64,
    pub share_under_1s: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p90_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub over_6s: u64,
    pub contract_violations: u64,
    pub availability_verdict: Verdict,
    pub latency_verdict: Verdict,
    pub histogram: Vec<u64>,
    pub daily: Vec<Day>,
    pub down_intervals: Vec<DownInterval>,
}

#[derive(Debug, Default)]
struct Acc {
    targets: std::collections::BTreeSet<i64>,
    sums: Sums,
    /// Response times of the answered calls (percentiles within 1 %).
    latency: Latency,
    over_6s: u64,
    violations: u64,
    histogram: [u64; 8],
    /// Per day: (observed, down, excluded).
    days: Vec<(i64, i64, i64)>,
    /// Down intervals, merged as they come (rows arrive in time order).
    down_intervals: Vec<(i64, i64)>,
    last_target: Option<i64>,
}

impl Acc {
    fn add(&mut self, r: &ProbeRow, month: (i64, i64), days: &[(i64, i64)]) {
        // Rows come target by target: a set insert only when the target changes.
        if self.last_target != Some(r.target_id) {
            self.last_target = Some(r.target_id);
            self.targets.insert(r.target_id);
        }
        let from = r.scheduled_ms.max(month.0);
        let to = (r.scheduled_ms + r.interval_ms.max(0)).min(month.1);
        let span = (to - from).max(0);
        self.sums.add_time(span, r.outcome);
        if self.days.len() != days.len() {
            self.days = vec![(0, 0, 0); days.len()];
        }
        for (i, (a, b)) in days.iter().enumerate() {
            let part = (to.min(*b) - from.max(*a)).max(0);
            if part > 0 {
                self.days[i].0 += part;
                match r.outcome {
                    ProbeOutcome::Down => self.days[i].1 += part,
                    ProbeOutcome::PartnerSide => self.days[i].2 += part,
                    _ => {}
                }
            }
        }
        self.add_down(r, month);
        // A probe due before the month lends it its time, never its call: each call counts
        // in the month it was made.
        if r.scheduled_ms < month.0 {
            return;
        }
        self.sums.add_call(r.status, r.outcome, r.duration_ms);
        if r.outcome == ProbeOutcome::ContractViolation {
            self.violations += 1;
        }
        if answered(r.status, r.outcome) {
            self.latency.record(r.duration_ms);
            if r.duration_ms > 6000.0 {
                self.over_6s += 1;
            }
            self.histogram[class_of(r.duration_ms)] += 1;
        }
    }

    /// A down record's time in the month, merged into the down intervals (rows arrive in
    /// time order).
    fn add_down(&mut self, r: &ProbeRow, month: (i64, i64)) {
        let from = r.scheduled_ms.max(month.0);
        let to = (r.scheduled_ms + r.interval_ms.max(0)).min(month.1);
        if r.outcome != ProbeOutcome::Down || to <= from {
            return;
        }
        match self
            .down_intervals
            .iter_mut()
            .rev()
            .find(|(_, end)| *end >= from)
        {
            Some(last) => last.1 = last.1.max(to),
            None => self.down_intervals.push((from, to)),
        }
    }

    /// One target's day of the month, from the rollups: everything but the down intervals.
    fn add_day(&mut self, target: i64, day_ms: i64, h: &Hour, days: &[(i64, i64)]) {
        if self.last_target != Some(target) {
            self.last_target = Some(target);
            self.targets.insert(target);
        }
        self.sums.add(&h.sums);
        if self.days.len() != days.len() {
            self.days = vec![(0, 0, 0); days.len()];
        }
        if let Some(i) = days.iter().position(|(a, b)| day_ms >= *a && day_ms < *b) {
            self.days[i].0 += h.sums.observed_ms;
            self.days[i].1 += h.sums.down_ms;
            self.days[i].2 += h.sums.excluded_ms;
        }
        self.violations += h.violations;
        self.over_6s += h.over_6s;
        for (a, b) in self.histogram.iter_mut().zip(h.classes) {
            *a += b;
        }
    }

    /// Adds another accumulator's counts (the overall figures are the APIs' together).
    fn merge(&mut self, o: &Acc) {
        self.targets.extend(o.targets.iter().copied());
        self.sums.add(&o.sums);
        self.latency.merge(&o.latency);
        self.over_6s += o.over_6s;
        self.violations += o.violations;
        for (a, b) in self.histogram.iter_mut().zip(o.histogram) {
            *a += b;
        }
        if self.days.len() < o.days.len() {
            self.days.resize(o.days.len(), (0, 0, 0));
        }
        for (a, b) in self.days.iter_mut().zip(&o.days) {
            a.0 += b.0;
            a.1 += b.1;
            a.2 += b.2;
        }
        self.down_intervals.extend_from_slice(&o.down_intervals);
    }

    fn figures(
        mut self,
        api: &str,
        month: (i64, i64),
        days: &[(String, i64, i64)],
        all_targets: u64,
    ) -> Figures {
        let pct = |p: f64| {
            self.latency
                .percentile(p)
                .map(|x| (x * 1000.0).round() / 1000.0)
        };
        let p50 = pct(0.50);
        let p90 = pct(0.90);
        let p99 = pct(0.99);
        let targets = self.targets.len() as u64;
        let daily = days
            .iter()
            .enumerate()
            .map(|(i, (date, _, _))| {
                let (obs, down, exc) = self.days.get(i).copied().unwrap_or((0, 0, 0));
                Day {
                    date: date.clone(),
                    availability: (obs - exc > 0)
                        .then(|| round6(1.0 - down as f64 / (obs - exc) as f64)),
                }
            })
            .collect();
        self.down_intervals.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::new();
        for (a, b) in self.down_intervals.drain(..) {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let down_intervals = merged
            .iter()
            .map(|(a, b)| DownInterval {
                api: api.to_string(),
                from_ms: *a,
                to_ms: *b,
                from_local: paris::local_text(*a),
                to_local: paris::local_text(*b),
                minutes: (*b - *a) as f64 / 60_000.0,
            })
            .collect();
        let h = self.sums.judge(month.1 - month.0, all_targets.max(targets));
        Figures {
            api: api.to_string(),
            targets,
            probes: self.sums.probes,
            observed_ms: self.sums.observed_ms,
            unobserved_ms: h.unobserved_ms,
            coverage: h.coverage,
            down_ms: self.sums.down_ms,
            excluded_ms: self.sums.excluded_ms,
            availability: h.availability,
            error_budget_ms: h.error_budget_ms,
            error_budget_left_ms: h.error_budget_ms - self.sums.down_ms,
            answered: self.sums.answered,
            under_1s: self.sums.under_1s,
            share_under_1s: h.share_under_1s,
            p50_ms: p50,
            p90_ms: p90,
            p99_ms: p99,
            over_6s: self.over_6s,
            contract_violations: self.violations,
            availability_verdict: h.availability_verdict,
            latency_verdict: h.latency_verdict,
            histogram: self.histogram.to_vec(),
            daily,
            down_intervals,
        }
    }
}

/// The month's figures: per API (in the order of `targets`), then `all`.
#[derive(Debug)]
pub struct MonthSla {
    month: (i64, i64),
    days: Vec<(String, i64, i64)>,
    day_bounds: Vec<(i64, i64)>,
    /// target id → index in `apis`.
    api_of: BTreeMap<i64, usize>,
    apis: Vec<(String, Acc)>,
    targets_per_api: BTreeMap<String, u64>,
    last: Option<(i64, usize)>,
}

impl MonthSla {
    pub fn new(year: i32, month: u32, targets: &[TargetRow]) -> MonthSla {
        let bounds = paris::month_bounds(year, month);
        let days: Vec<(String, i64, i64)> = paris::days_of_month(year, month)
            .into_iter()
            .map(|(d, a, b)| (format!("{:04}-{:02}-{:02}", d.year, d.month, d.day), a, b))
            .collect();
        let mut targets_per_api: BTreeMap<String, u64> = BTreeMap::new();
        let mut names: Vec<String> = Vec::new();
        let mut api_of = BTreeMap::new();
        for t in targets {
            *targets_per_api.entry(t.api.clone()).or_default() += 1;
            let i = match names.iter().position(|n| *n == t.api) {
                Some(i) => i,
                None => {
                    names.push(t.api.clone());
                    names.len() - 1
                }
            };
            api_of.insert(t.id, i);
        }
        MonthSla {
            month: bounds,
            day_bounds: days.iter().map(|(_, a, b)| (*a, *b)).collect(),
            days,
            api_of,
            apis: names.into_iter().map(|n| (n, Acc::default())).collect(),
            targets_per_api,
            last: None,
        }
    }

    /// `[start, end)` of the month in UTC.
    pub fn bounds(&self) -> (i64, i64) {
        self.month
    }

    pub fn add(&mut self, r: &ProbeRow) {
        // Rows come target by target: the API is looked up when the target changes.
        let api = match self.last {
            Some((t, a)) if t == r.target_id => a,
            _ => {
                let Some(&a) = self.api_of.get(&r.target_id) else {
                    return;
                };
                self.last = Some((r.target_id, a));
                a
            }
        };
        // A probe of another month whose interval does not reach into this one.
        if r.scheduled_ms >= self.month.1 || r.scheduled_ms + r.interval_ms <= self.month.0 {
            return;
        }
        self.apis[api].1.add(r, self.month, &self.day_bounds);
    }

    /// One target's Paris day of the month from the daily rollups (see [`Acc::add_day`]).
    pub fn add_day(&mut self, target: i64, day_ms: i64, h: &Hour) {
        let Some(&a) = self.api_of.get(&target) else {
            return;
        };
        if day_ms < self.month.0 || day_ms >= self.month.1 {
            return;
        }
        self.apis[a].1.add_day(target, day_ms, h, &self.day_bounds);
    }

    /// An API's latency histogram of the month (or part of it), from the rollups.
    pub fn add_latency(&mut self, api: &str, l: &Latency) {
        if let Some((_, acc)) = self.apis.iter_mut().find(|(name, _)| name == api) {
            acc.latency.merge(l);
        }
    }

    /// A down record, for the down intervals (the rollups hold everything else).
    pub fn add_down(&mut self, r: &ProbeRow) {
        let Some(&a) = self.api_of.get(&r.target_id) else {
            return;
        };
        self.apis[a].1.add_down(r, self.month);
    }

    pub fn finish(self) -> (Vec<Figures>, Figures) {
        let all_targets: u64 = self.targets_per_api.values().sum();
        let mut all_acc = Acc::default();
        for (_, a) in &self.apis {
            all_acc.merge(a);
        }
        let mut apis: Vec<(String, Acc)> = self
            .apis
            .into_iter()
            .filter(|(_, a)| !a.targets.is_empty())
            .collect();
        apis.sort_by(|a, b| a.0.cmp(&b.0));
        let apis: Vec<Figures> = apis
            .into_iter()
            .map(|(api, acc)| {
                let n = self.targets_per_api.get(&api).copied().unwrap_or(0);
                acc.figures(&api, self.month, &self.days, n)
            })
            .collect();
        let mut all = all_acc.figures("all", self.month, &self.days, all_targets);
        // Overall down_intervals: each API's, in time order (an outage of two APIs is two lines).
        let mut down_intervals: Vec<DownInterval> = apis
            .iter()
            .flat_map(|f: &Figures| f.down_intervals.clone())
            .collect();
        down_intervals.sort_by_key(|i| (i.from_ms, i.api.clone()));
        all.down_intervals = down_intervals;
        (apis, all)
    }
}
