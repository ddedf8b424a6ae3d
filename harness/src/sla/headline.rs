//! The month's headline figures — coverage, availability, share of calls under 1 s and their
//! verdicts — from counts and durations alone: what the raw records of a month and the hourly
//! rollups both give, so the report and the month-on-month trend judge the same way.

use super::month::{AVAILABILITY_TARGET, COVERAGE_THRESHOLD, FAST_SHARE_TARGET, Verdict};
pub use crate::store::hourly::Sums;

/// The figures and verdicts derived from [`Sums`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headline {
    pub unobserved_ms: i64,
    pub coverage: Option<f64>,
    pub availability: Option<f64>,
    /// 2 % of the counted time.
    pub error_budget_ms: i64,
    pub share_under_1s: Option<f64>,
    pub availability_verdict: Verdict,
    pub latency_verdict: Verdict,
}

pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Judges what a month's probes add up to.
pub trait Judge {
    /// Judged over a month of `month_ms` for `targets` probed operations.
    fn judge(&self, month_ms: i64, targets: u64) -> Headline;
}

impl Judge for Sums {
    fn judge(&self, month_ms: i64, targets: u64) -> Headline {
        let counted = self.observed_ms - self.excluded_ms;
        let availability =
            (counted > 0).then(|| round6(1.0 - self.down_ms as f64 / counted as f64));
        let share =
            (self.answered > 0).then(|| round6(self.under_1s as f64 / self.answered as f64));
        let unobserved = (month_ms * targets as i64 - self.observed_ms).max(0);
        let coverage = (self.observed_ms + unobserved > 0)
            .then(|| round6(self.observed_ms as f64 / (self.observed_ms + unobserved) as f64));
        let judge = |value: Option<f64>, target: f64| match (value, coverage) {
            (None, _) => Verdict::NoData,
            (Some(_), Some(c)) if c < COVERAGE_THRESHOLD => Verdict::InsufficientData,
            (Some(v), _) if v >= target => Verdict::Met,
            (Some(_), _) => Verdict::Missed,
        };
        // Down longer than the whole month's error budget: missed, however much of the month
        // is still unobserved.
        let certain_miss = (self.down_ms as f64)
            > (self.observed_ms + unobserved - self.excluded_ms) as f64
                * (1.0 - AVAILABILITY_TARGET);
        Headline {
            unobserved_ms: unobserved,
            coverage,
            availability,
            error_budget_ms: (counted as f64 * (1.0 - AVAILABILITY_TARGET)).round() as i64,
            share_under_1s: share,
            availability_verdict: if certain_miss {
                Verdict::Missed
            } else {
                judge(availability, AVAILABILITY_TARGET)
            },
            latency_verdict: judge(share, FAST_SHARE_TARGET),
        }
    }
}
