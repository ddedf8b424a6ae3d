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
    /// With coordinated omission corrected (goose's back-filled calls included); a bucket
    /// that straddles 1 s counts as slow, so this never flatters.
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
fn bucket_end(floor: u64) -> u64 {
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
    let mut co: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for (key, agg) in &metrics.requests {
        let Some(api) = api_of(key) else { continue };
        let r = raw.entry(api).or_default();
        for (floor, count) in agg.raw_data.times_us.iter() {
            *r.entry(*floor).or_default() += *count as u64;
        }
        if let Some(d) = &agg.coordinated_omission_data {
            let e = co.entry(api).or_default();
            e.0 += d.counter as u64;
            e.1 += d
                .times_us
                .iter()
                .filter(|(floor, _)| bucket_end(**floor) <= 1_000_000)
                .map(|(_, c)| *c as u64)
                .sum::<u64>();
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
                Some((n, under)) if *n > 0 => (Some(*n), Some(round4(*under as f64 / *n as f64))),
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
