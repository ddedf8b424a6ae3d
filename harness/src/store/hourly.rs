//! Hourly rollups: as records are stored, per target and UTC hour, the counts and durations the
//! month's headline figures derive from ([`Sums`]). A month (whole hours in Europe/Paris) adds
//! up its hours instead of reading every record again, and the rollups outlive the raw records
//! that `prune` deletes. A record's time is split exactly across the hours it covers; its call
//! counts in the hour it was due — as the monthly report counts them, so both agree to the
//! millisecond (a test compares them on random records).

use crate::probe::ProbeOutcome;

pub const HOUR_MS: i64 = 3_600_000;

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

/// What one record adds to each hour it covers, `(hour start, sums)`, the hour it was due first.
pub fn contributions(
    scheduled_ms: i64,
    interval_ms: i64,
    status: Option<u16>,
    outcome: ProbeOutcome,
    duration_ms: f64,
) -> Vec<(i64, Sums)> {
    let end = scheduled_ms + interval_ms.max(0);
    let mut out = Vec::with_capacity(2);
    let mut hour = hour_of(scheduled_ms);
    loop {
        let mut s = Sums::default();
        if out.is_empty() {
            s.add_call(status, outcome, duration_ms);
        }
        let span = (end.min(hour + HOUR_MS) - scheduled_ms.max(hour)).max(0);
        s.add_time(span, outcome);
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
            (c[0].0, c[0].1.down_ms, c[0].1.probes),
            (4 * HOUR_MS, 20_000, 1)
        );
        assert_eq!(
            (c[1].0, c[1].1.down_ms, c[1].1.probes),
            (5 * HOUR_MS, 40_000, 0)
        );
        assert_eq!(c[0].1.answered + c[1].1.answered, 1);
        // A long interval covers several hours; a partner-side failure is no answered call.
        let c = contributions(0, 3 * HOUR_MS, Some(503), ProbeOutcome::PartnerSide, 10.0);
        assert_eq!(c.len(), 3);
        assert!(
            c.iter()
                .all(|(_, s)| s.excluded_ms == HOUR_MS && s.answered == 0)
        );
        // Before 1970 too (hours are floored).
        assert_eq!(hour_of(-1), -HOUR_MS);
    }
}
