//! Hourly rollups: as records are stored, per target and UTC hour, the counts and durations the
//! month's headline figures derive from ([`Sums`]). A month (whole hours in Europe/Paris) adds
//! up its hours instead of reading every record again, and the rollups outlive the raw records
//! that `prune` deletes. A record's time is split exactly across the hours it covers; its call
//! counts in the hour it was due — as the monthly report counts them, so both agree to the
//! millisecond (a test compares them on random records).

use crate::probe::ProbeOutcome;
use crate::store::latency::Latency;

pub const HOUR_MS: i64 = 3_600_000;

/// Upper bounds (ms) of the latency classes drawn in reports.
pub const HISTOGRAM_MS: [f64; 8] = [
    100.0,
    250.0,
    500.0,
    750.0,
    1000.0,
    2000.0,
    6000.0,
    f64::INFINITY,
];

/// The latency class of an answered call's time (an index into [`HISTOGRAM_MS`]).
pub fn class_of(duration_ms: f64) -> usize {
    HISTOGRAM_MS
        .iter()
        .position(|le| duration_ms <= *le)
        .unwrap_or(7)
}

/// What one target's hour holds: the headline [`Sums`], and what else the month's report
/// reads (contract violations, calls over 6 s, latency classes, the latency histogram).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Hour {
    pub sums: Sums,
    pub violations: u64,
    pub over_6s: u64,
    pub classes: [u64; 8],
    pub latency: Latency,
}

impl Hour {
    pub fn add(&mut self, o: &Hour) {
        self.sums.add(&o.sums);
        self.violations += o.violations;
        self.over_6s += o.over_6s;
        for (a, b) in self.classes.iter_mut().zip(o.classes) {
            *a += b;
        }
        self.latency.merge(&o.latency);
    }

    /// A probe due in the hour: its call, and what the report reads of it.
    pub fn add_call(&mut self, status: Option<u16>, outcome: ProbeOutcome, duration_ms: f64) {
        self.sums.add_call(status, outcome, duration_ms);
        if outcome == ProbeOutcome::ContractViolation {
            self.violations += 1;
        }
        if answered(status, outcome) {
            self.latency.record(duration_ms);
            self.classes[class_of(duration_ms)] += 1;
            if duration_ms > 6000.0 {
                self.over_6s += 1;
            }
        }
    }

    /// The 8 class counts as stored (little-endian `u64`s).
    pub fn classes_bytes(&self) -> Vec<u8> {
        self.classes.iter().flat_map(|c| c.to_le_bytes()).collect()
    }

    /// Reads [`Hour::classes_bytes`] (zeros where the bytes are missing).
    pub fn classes_from(bytes: &[u8]) -> [u64; 8] {
        let mut out = [0; 8];
        for (slot, chunk) in out.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            *slot = u64::from_le_bytes(b);
        }
        out
    }
}

/// What a month's probes add up to (per target, API or overall).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sums {
    /// Probes due in the period.
    pub probes: u64,
    /// Time covered by probes (ms), clipped to the period.
    pub observed_ms: i64,
    pub down_ms: i64,
    /// Partner-side time, excluded from availability.
    pub excluded_ms: i64,
    /// Probes due in the period that got an answer (partner-side failures aside).
    pub answered: u64,
    pub under_1s: u64,
}

impl Sums {
    pub fn add(&mut self, o: &Sums) {
        self.probes += o.probes;
        self.observed_ms += o.observed_ms;
        self.down_ms += o.down_ms;
        self.excluded_ms += o.excluded_ms;
        self.answered += o.answered;
        self.under_1s += o.under_1s;
    }

    /// Time covered, by outcome.
    pub fn add_time(&mut self, span: i64, outcome: ProbeOutcome) {
        self.observed_ms += span;
        match outcome {
            ProbeOutcome::Down => self.down_ms += span,
            ProbeOutcome::PartnerSide => self.excluded_ms += span,
            _ => {}
        }
    }

    /// A probe due in the period; whether it was answered, and how fast.
    pub fn add_call(&mut self, status: Option<u16>, outcome: ProbeOutcome, duration_ms: f64) {
        self.probes += 1;
        if answered(status, outcome) {
            self.answered += 1;
            if duration_ms < 1000.0 {
                self.under_1s += 1;
            }
        }
    }
}

/// Whether a probe's duration is a call's response time: it got an answer, and the failure (if
/// any) was not on the partner's side.
pub fn answered(status: Option<u16>, outcome: ProbeOutcome) -> bool {
    status.is_some() && outcome != ProbeOutcome::PartnerSide
}

/// The UTC hour a time falls in.
pub fn hour_of(ms: i64) -> i64 {
    ms - ms.rem_euclid(HOUR_MS)
}

/// What one record adds to each hour it covers, `(hour start, hour)`, the hour it was due first.
pub fn contributions(
    scheduled_ms: i64,
    interval_ms: i64,
    status: Option<u16>,
    outcome: ProbeOutcome,
    duration_ms: f64,
) -> Vec<(i64, Hour)> {
    let end = scheduled_ms + interval_ms.max(0);
    let mut out = Vec::with_capacity(2);
    let mut hour = hour_of(scheduled_ms);
    loop {
        let mut s = Hour::default();
        if out.is_empty() {
            s.add_call(status, outcome, duration_ms);
        }
        let span = (end.min(hour + HOUR_MS) - scheduled_ms.max(hour)).max(0);
        s.sums.add_time(span, outcome);
        out.push((hour, s));
        hour += HOUR_MS;
        if hour >= end {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_across_an_hour_is_split_and_its_call_counts_once() {
        let at = 5 * HOUR_MS - 20_000;
        let c = contributions(at, 60_000, Some(200), ProbeOutcome::Down, 300.0);
        assert_eq!(c.len(), 2);
        assert_eq!(
            (c[0].0, c[0].1.sums.down_ms, c[0].1.sums.probes),
            (4 * HOUR_MS, 20_000, 1)
        );
        assert_eq!(
            (c[1].0, c[1].1.sums.down_ms, c[1].1.sums.probes),
            (5 * HOUR_MS, 40_000, 0)
        );
        assert_eq!(c[0].1.sums.answered + c[1].1.sums.answered, 1);
        // A long interval covers several hours; a partner-side failure is no answered call.
        let c = contributions(0, 3 * HOUR_MS, Some(503), ProbeOutcome::PartnerSide, 10.0);
        assert_eq!(c.len(), 3);
        assert!(
            c.iter()
                .all(|(_, s)| s.sums.excluded_ms == HOUR_MS && s.sums.answered == 0)
        );
        // Before 1970 too (hours are floored).
        assert_eq!(hour_of(-1), -HOUR_MS);
    }
}
