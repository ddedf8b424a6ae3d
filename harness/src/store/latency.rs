//! A mergeable latency histogram (HDR-style, log-linear): response times in buckets 1 % wide,
//! each with the count and the sum of the times it holds, read back as their mean. A
//! percentile read from it (the mean of the bucket that holds its rank) is therefore within
//! **1 %** (relative) of the exact one taken with the same rank, and exact when the times of
//! that bucket are equal. The rollups keep one per API and Paris month: a month's
//! percentiles read it, whatever the number of records.
//!
//! Buckets: 0 holds every time under [`FLOOR_MS`]; bucket `i ≥ 1` holds
//! `[FLOOR_MS · R^(i−1), FLOOR_MS · R^i)` with `R = 1.01`. Times up to a day fit in under
//! 2 400 buckets; a target's hour uses a few dozen. Stored sparse: `(u16 bucket, u32 count,
//! f64 sum)` little-endian triples.

use std::collections::BTreeMap;

/// The width of a bucket: each is 1 % wider than the last.
pub const RATIO: f64 = 1.01;
/// Times under this (ms) share bucket 0.
pub const FLOOR_MS: f64 = 0.01;
/// The highest bucket (a day and more).
const TOP: u16 = 2_400;

/// Response times by bucket: how many, and their sum (ms).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Latency {
    buckets: BTreeMap<u16, (u64, f64)>,
}

/// Bytes of one stored bucket.
const ENTRY: usize = 14;

/// The bucket of a time (ms).
pub fn bucket(ms: f64) -> u16 {
    if !ms.is_finite() || ms < FLOOR_MS {
        return if ms.is_finite() { 0 } else { TOP };
    }
    let i = 1.0 + ((ms / FLOOR_MS).ln() / RATIO.ln()).floor();
    (i as u64).min(u64::from(TOP)) as u16
}

impl Latency {
    pub fn record(&mut self, ms: f64) {
        let e = self.buckets.entry(bucket(ms)).or_default();
        e.0 += 1;
        e.1 += if ms.is_finite() { ms } else { 0.0 };
    }

    pub fn merge(&mut self, other: &Latency) {
        for (b, (n, sum)) in &other.buckets {
            let e = self.buckets.entry(*b).or_default();
            e.0 += n;
            e.1 += sum;
        }
    }

    pub fn count(&self) -> u64 {
        self.buckets.values().map(|(n, _)| n).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    /// The `p` percentile (0 < p ≤ 1), by the rank `⌈p·n⌉` (the same as the exact one): the
    /// mean of the bucket that holds it.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = ((p * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        for (c, sum) in self.buckets.values() {
            seen += c;
            if seen >= rank {
                return Some(sum / *c as f64);
            }
        }
        None
    }

    /// `(u16 bucket, u32 count, f64 sum)` triples, little-endian (a count over `u32::MAX`
    /// is split, its sum in proportion).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.buckets.len() * ENTRY);
        for (b, (n, sum)) in &self.buckets {
            let mut left = *n;
            while left > 0 {
                let part = left.min(u64::from(u32::MAX));
                out.extend_from_slice(&b.to_le_bytes());
                out.extend_from_slice(&(part as u32).to_le_bytes());
                out.extend_from_slice(&(sum * part as f64 / *n as f64).to_le_bytes());
                left -= part;
            }
        }
        out
    }

    /// Reads [`Latency::to_bytes`]; a trailing partial entry is ignored.
    pub fn from_bytes(bytes: &[u8]) -> Latency {
        let mut l = Latency::default();
        for e in bytes.chunks_exact(ENTRY) {
            let b = u16::from_le_bytes([e[0], e[1]]);
            let n = u32::from_le_bytes([e[2], e[3], e[4], e[5]]);
            let mut sum = [0u8; 8];
            sum.copy_from_slice(&e[6..14]);
            let entry = l.buckets.entry(b.min(TOP)).or_default();
            entry.0 += u64::from(n);
            entry.1 += f64::from_le_bytes(sum);
        }
        l
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact percentile, by the same rank.
    fn exact(v: &mut [f64], p: f64) -> f64 {
        v.sort_by(f64::total_cmp);
        let rank = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
        v[rank]
    }

    #[test]
    fn percentiles_are_within_one_percent_of_the_exact_ones() {
        // Times from 0.05 ms to 2 minutes, spread on a log scale, several shapes.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for shape in 0..4 {
            let mut times: Vec<f64> = (0..20_000)
                .map(|_| {
                    let u = next();
                    match shape {
                        0 => 0.05 * (2.4e6f64).powf(u),
                        1 => 5.0 + 40.0 * u,
                        2 => 900.0 + 200.0 * u,
                        _ => {
                            if u < 0.95 {
                                3.0
                            } else {
                                6_500.0
                            }
                        }
                    }
                })
                .collect();
            let mut h = Latency::default();
            for t in &times {
                h.record(*t);
            }
            for p in [0.5, 0.9, 0.99] {
                let e = exact(&mut times, p);
                let a = h.percentile(p).unwrap();
                assert!((a - e).abs() / e <= 0.01, "shape {shape} p{p}: {a} vs {e}");
            }
        }
    }

    #[test]
    fn merged_histograms_are_the_histogram_of_all_and_survive_bytes() {
        let mut a = Latency::default();
        let mut b = Latency::default();
        let mut all = Latency::default();
        for i in 0..1000 {
            let t = f64::from(i) * 1.7;
            if i % 3 == 0 {
                a.record(t)
            } else {
                b.record(t)
            }
            all.record(t);
        }
        let mut m = Latency::from_bytes(&a.to_bytes());
        m.merge(&Latency::from_bytes(&b.to_bytes()));
        assert_eq!(m.count(), all.count());
        for p in [0.1, 0.5, 0.9, 0.99, 1.0] {
            let (x, y) = (m.percentile(p).unwrap(), all.percentile(p).unwrap());
            assert!((x - y).abs() <= 1e-9 * y, "{p}: {x} vs {y}");
        }
        // Equal times read back exactly.
        let mut same = Latency::default();
        for _ in 0..9 {
            same.record(200.0);
        }
        same.record(1500.0);
        assert_eq!(same.percentile(0.5), Some(200.0));
        assert_eq!(same.percentile(0.99), Some(1500.0));
        // Bounds: under the floor, huge, not a number.
        assert_eq!(bucket(0.0), 0);
        assert_eq!(bucket(f64::NAN), TOP);
        assert!(bucket(86_400_000.0) <= TOP);
        assert!(Latency::from_bytes(&[1, 2, 3]).is_empty());
    }

    #[test]
    fn merging_in_any_order_gives_the_same_histogram() {
        // Times below, inside and above what the first one holds; bytes in any order.
        let mut low = Latency::default();
        let mut mid = Latency::default();
        let mut high = Latency::default();
        let mut all = Latency::default();
        for (h, t) in [(&mut mid, 120.0), (&mut low, 0.001), (&mut high, 7_000.0)] {
            for k in 0..5 {
                h.record(t + f64::from(k));
                all.record(t + f64::from(k));
            }
        }
        let mut m = mid.clone();
        m.merge(&low);
        m.merge(&high);
        m.merge(&Latency::default());
        assert_eq!(m, all);
        let mut reversed: Vec<u8> = Vec::new();
        for e in all.to_bytes().chunks_exact(ENTRY).rev() {
            reversed.extend_from_slice(e);
        }
        assert_eq!(Latency::from_bytes(&reversed), all);
        assert_eq!(all.count(), 15);
        assert_eq!(all.percentile(0.01), Some(0.001));
    }

    #[test]
    fn bytes_vigie_did_not_write_are_read_into_bucket_order() {
        let entry = |b: u16, n: u32, sum: f64| {
            let mut e = b.to_le_bytes().to_vec();
            e.extend_from_slice(&n.to_le_bytes());
            e.extend_from_slice(&sum.to_le_bytes());
            e
        };
        // A bucket twice, one over the top, out of order.
        let bytes: Vec<u8> = [
            entry(700, 1, 100.0),
            entry(5, 2, 0.1),
            entry(700, 3, 300.0),
            entry(u16::MAX, 1, 9e9),
            entry(TOP, 1, 1e9),
        ]
        .concat();
        let l = Latency::from_bytes(&bytes);
        let canonical = [
            entry(5, 2, 0.1),
            entry(700, 4, 400.0),
            entry(TOP, 2, 1e9 + 9e9),
        ]
        .concat();
        assert_eq!(l, Latency::from_bytes(&canonical));
        // Read back, written again: the same bytes, each bucket once, in order.
        assert_eq!(l.to_bytes(), canonical);
        let mut twice = l.clone();
        twice.merge(&l);
        assert_eq!(twice.count(), 2 * l.count());
        assert_eq!(twice.to_bytes().len(), canonical.len());
    }
}
