//! The convention's service level as the pass mark of a load test: per API, 90 % of calls
//! under 1 s and an error rate under a ceiling. Exact counts come from the journey's own
//! tallies; goose's timing buckets give the percentiles and the share once coordinated
//! omission is corrected for (synthetic calls back-filled where a user was held up).

use std::collections::BTreeMap;

use goose::metrics::GooseMetrics;
use serde::Serialize;

use crate::journey::Tally;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiFigures {
    pub api: String,
    pub calls: u64,
    pub under_1s: u64,
    pub share_under_1s: f64,
    /// With coordinated omission corrected: the journey's own calls plus goose's back-filled
    /// ones (a back-filled call in a bucket that straddles 1 s counts as slow), never above
    /// the raw share: a correction for calls that were held up cannot make the API faster.
    pub co_share_under_1s: Option<f64>,
    pub co_calls: Option<u64>,
    pub over_6s: u64,
    pub errors: u64,
    pub error_rate: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub passed: bool,
    /// Why it failed, in words.
    pub reasons: Vec<String>,
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The first microsecond past goose's bucket that starts at `floor` (64 buckets per power
/// of two, exact below 128 µs: `goose::metrics::buckets`).
pub(crate) fn bucket_end(floor: u64) -> u64 {
    let bits = if floor < 128 {
        0
    } else {
        63 - floor.leading_zeros() - 6
    };
    floor.saturating_add(1 << bits)
}

fn bucket_middle(floor: u64) -> u64 {
    let bits = if floor < 128 {
        0
    } else {
        63 - floor.leading_zeros() - 6
    };
    floor + ((1u64 << bits) >> 1)
}

/// Calls of goose's timing buckets that surely took under 1 s (a bucket that straddles 1 s
/// counts as slow).
fn under_1s<'a>(buckets: impl Iterator<Item = (&'a u64, &'a usize)>) -> u64 {
    buckets
        .filter(|(floor, _)| bucket_end(**floor) <= 1_000_000)
        .map(|(_, c)| *c as u64)
        .sum()
}

/// The share under 1 s once coordinated omission is corrected, and the calls it counts: the
/// journey's exact tallies plus goose's back-filled calls (those its corrected data holds
/// beyond the measured ones), on the same basis as the raw share, and never above it.
fn corrected_share(t: &Tally, measured: (u64, u64), with_backfill: (u64, u64)) -> (u64, f64) {
    let backfilled = with_backfill.0.saturating_sub(measured.0);
    let backfilled_under = with_backfill.1.saturating_sub(measured.1).min(backfilled);
    let calls = t.calls + backfilled;
    if calls == 0 {
        return (0, 0.0);
    }
    let raw = if t.calls == 0 {
        0.0
    } else {
        t.under_1s as f64 / t.calls as f64
    };
    let share = (t.under_1s + backfilled_under) as f64 / calls as f64;
    (calls, share.min(raw))
}

/// The API a measured request belongs to: its name is `<api> <major> <template>`.
fn api_of(key: &str) -> Option<&str> {
    let name = key.split_once(' ').map_or(key, |(_, n)| n);
    name.split(' ').next()
}

fn percentile(buckets: &BTreeMap<u64, u64>, total: u64, p: f64) -> f64 {
    if total == 0 {
        return 0.0;
    }
    let rank = ((p * total as f64).ceil() as u64).max(1);
    let mut seen = 0;
    for (floor, count) in buckets {
        seen += count;
        if seen >= rank {
            return bucket_middle(*floor) as f64 / 1000.0;
        }
    }
    0.0
}

/// Figures and verdict of each API (the token endpoint is reported by goose, not judged).
pub fn judge(
    tallies: &BTreeMap<String, Tally>,
    metrics: &GooseMetrics,
    target_share: f64,
    error_ceiling: f64,
) -> Vec<ApiFigures> {
    let mut raw: BTreeMap<&str, BTreeMap<u64, u64>> = BTreeMap::new();
    // Per API: goose's (calls, under 1 s) measured, and with the back-filled calls.
    let mut measured: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut co: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for (key, agg) in &metrics.requests {
        let Some(api) = api_of(key) else { continue };
        let r = raw.entry(api).or_default();
        for (floor, count) in agg.raw_data.times_us.iter() {
            *r.entry(*floor).or_default() += *count as u64;
        }
        let m = measured.entry(api).or_default();
        m.0 += agg.raw_data.counter as u64;
        m.1 += under_1s(agg.raw_data.times_us.iter());
        if let Some(d) = &agg.coordinated_omission_data {
            let e = co.entry(api).or_default();
            e.0 += d.counter as u64;
            e.1 += under_1s(d.times_us.iter());
        }
    }
    tallies
        .iter()
        .map(|(api, t)| {
            let share = if t.calls == 0 {
                0.0
            } else {
                t.under_1s as f64 / t.calls as f64
            };
            let error_rate = if t.calls == 0 {
                0.0
            } else {
                t.errors as f64 / t.calls as f64
            };
            let (co_calls, co_share) = match co.get(api.as_str()) {
                Some(&(n, under)) if n > 0 => {
                    let (raw_n, raw_under) =
                        measured.get(api.as_str()).copied().unwrap_or_default();
                    let c = corrected_share(t, (raw_n, raw_under), (n, under));
                    (Some(c.0), Some(round4(c.1)))
                }
                _ => (None, None),
            };
            let buckets = raw.get(api.as_str()).cloned().unwrap_or_default();
            let total: u64 = buckets.values().sum();
            let mut reasons = Vec::new();
            if t.calls == 0 {
                reasons.push("no call was made".to_string());
            }
            if share < target_share {
                reasons.push(format!(
                    "{:.1} % of calls under 1 s, the convention asks {:.0} %",
                    share * 100.0,
                    target_share * 100.0
                ));
            }
            if let Some(c) = co_share
                && c < target_share
                && share >= target_share
            {
                reasons.push(format!(
                    "{:.1} % under 1 s once coordinated omission is corrected",
                    c * 100.0
                ));
            }
            if error_rate > error_ceiling {
                reasons.push(format!(
                    "{:.2} % errors, the ceiling is {:.2} %",
                    error_rate * 100.0,
                    error_ceiling * 100.0
                ));
            }
            ApiFigures {
                api: api.clone(),
                calls: t.calls,
                under_1s: t.under_1s,
                share_under_1s: round4(share),
                co_share_under_1s: co_share,
                co_calls,
                over_6s: t.over_6s,
                errors: t.errors,
                error_rate: round4(error_rate),
                p50_ms: percentile(&buckets, total, 0.5),
                p90_ms: percentile(&buckets, total, 0.9),
                p99_ms: percentile(&buckets, total, 0.99),
                passed: reasons.is_empty(),
                reasons,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corrected_share_counts_backfilled_calls_and_never_flatters() {
        let t = Tally {
            calls: 100,
            under_1s: 95,
            over_6s: 0,
            errors: 0,
        };
        // 20 calls back-filled, all slow: 95 of 120.
        let (n, share) = corrected_share(&t, (100, 94), (120, 94));
        assert_eq!(n, 120);
        assert!((share - 95.0 / 120.0).abs() < 1e-9, "{share}");
        // Back-filled calls in fast buckets cannot lift it above the raw share (the case the
        // report showed: "corrected for CO" above the raw figure).
        let (_, share) = corrected_share(&t, (100, 90), (110, 100));
        assert!(share <= 0.95, "{share}");
        // Goose's buckets and the tallies disagreeing cannot make it exceed the raw share.
        let (_, share) = corrected_share(&t, (90, 90), (95, 95));
        assert!(share <= 0.95, "{share}");
    }

    #[test]
    fn buckets_around_one_second() {
        // 1 s falls in the bucket [999 424, 1 007 616): it does not end by 1 s.
        let floor = (1_000_000u64 >> 13) << 13;
        assert_eq!(floor, 999_424);
        assert!(bucket_end(floor) > 1_000_000);
        assert_eq!(bucket_end(100), 101);
        assert_eq!(bucket_end(128), 130);
        assert_eq!(
            api_of("GET statut-usager v2 /partenaire/contrat-usager/v2/contrat"),
            Some("statut-usager")
        );
    }

    #[test]
    fn the_pass_mark() {
        let mut t = BTreeMap::new();
        t.insert(
            "statut-usager".to_string(),
            Tally {
                calls: 100,
                under_1s: 80,
                over_6s: 0,
                errors: 0,
            },
        );
        t.insert(
            "recherche-usager".to_string(),
            Tally {
                calls: 100,
                under_1s: 100,
                over_6s: 0,
                errors: 2,
            },
        );
        let m = GooseMetrics::default();
        let f = judge(&t, &m, 0.9, 0.01);
        let s = f.iter().find(|a| a.api == "statut-usager").unwrap();
        assert!(!s.passed);
        assert_eq!(s.share_under_1s, 0.8);
        assert!(s.reasons[0].contains("80.0 % of calls under 1 s"));
        let r = f.iter().find(|a| a.api == "recherche-usager").unwrap();
        assert!(!r.passed && r.reasons[0].contains("2.00 % errors"));
    }
}
