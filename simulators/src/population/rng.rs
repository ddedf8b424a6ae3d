//! Deterministic draws: everything about a synthetic person comes from hashing (seed, index,
//! topic), so that any person can be derived again at any time without storing them.

/// SplitMix64 finaliser: a good 64-bit mix.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The inverse of `a` modulo `m` (`a` and `m` coprime): undoes the affine permutations that
/// turn person indices into NIRs and numéros France Travail.
pub(crate) fn mod_inverse(a: u64, m: u64) -> u64 {
    let (mut t, mut new_t, mut r, mut new_r) = (0i128, 1i128, i128::from(m), i128::from(a));
    while new_r != 0 {
        let q = r / new_r;
        (t, new_t) = (new_t, t - q * new_t);
        (r, new_r) = (new_r, r - q * new_r);
    }
    t.rem_euclid(i128::from(m)) as u64
}

/// A stream of draws for one (seed, index, topic).
#[derive(Debug, Clone)]
pub struct Draw {
    state: u64,
    /// Bits of a number drawn for [`Draw::small`], 16 at a time, and how many are left.
    lanes: u64,
    lanes_left: u8,
}

impl Draw {
    pub fn new(seed: u64, index: u64, topic: &str) -> Self {
        let mut h = mix(seed ^ 0xA076_1D64_78BD_642F);
        h = mix(h ^ index);
        for b in topic.bytes() {
            h = mix(h ^ u64::from(b));
        }
        Draw {
            state: h,
            lanes: 0,
            lanes_left: 0,
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = mix(self.state);
        self.state
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// In `0..n` for a short list (n ≤ 255): four draws from one number, 16 bits each, so
    /// each value is off uniform by less than n / 65 536.
    pub fn small(&mut self, n: u8) -> u8 {
        if self.lanes_left == 0 {
            self.lanes = self.next_u64();
            self.lanes_left = 4;
        }
        let lane = self.lanes & 0xFFFF;
        self.lanes >>= 16;
        self.lanes_left -= 1;
        ((lane * u64::from(n)) >> 16) as u8
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    /// True with probability `per_mille` / 1000.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A UUID-shaped string (version 4 layout).
    pub fn uuid(&mut self) -> String {
        uuid_text(&self.uuid_bytes())
    }

    /// The 16 bytes of a version-4 UUID.
    pub fn uuid_bytes(&mut self) -> [u8; 16] {
        let a = self.next_u64().to_be_bytes();
        let b = self.next_u64().to_be_bytes();
        let mut bytes = [0u8; 16];
        bytes[..6].copy_from_slice(&a[..6]);
        bytes[6] = 0x40 | (a[6] & 0x0f); // version 4
        bytes[7] = a[7];
        bytes[8] = 0x80 | (b[0] & 0x3f); // variant 10xx
        bytes[9..].copy_from_slice(&b[1..]);
        bytes
    }
}

/// 16 bytes as a UUID's text: 8-4-4-4-12 lowercase hex digits.
pub(crate) fn uuid_text(bytes: &[u8; 16]) -> String {
    // Hex digits and dashes only: ASCII.
    String::from_utf8_lossy(&uuid_ascii(bytes)).into_owned()
}

/// The text of a UUID (see [`uuid_text`]) as bytes.
pub(crate) fn uuid_ascii(bytes: &[u8; 16]) -> [u8; 36] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = [b'-'; 36];
    let mut at = 0;
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            at += 1;
        }
        text[at] = HEX[usize::from(b >> 4)];
        text[at + 1] = HEX[usize::from(b & 15)];
        at += 2;
    }
    text
}

#[cfg(test)]
mod uuid_tests {
    use super::*;

    #[test]
    fn uuid_text_is_the_usual_v4_layout() {
        for i in 0..200 {
            let mut a = Draw::new(9, i, "t");
            let mut b = Draw::new(9, i, "t");
            let (x, y) = (b.next_u64(), b.next_u64());
            let expected = format!(
                "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
                x >> 32,
                (x >> 16) & 0xffff,
                x & 0xfff,
                ((y >> 48) & 0x3fff) | 0x8000,
                y & 0xffff_ffff_ffff
            );
            assert_eq!(a.uuid(), expected);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_draws_cover_their_range_evenly() {
        for n in [1u8, 2, 3, 4, 7, 255] {
            let mut d = Draw::new(1, 2, "small");
            let mut counts = vec![0u32; usize::from(n)];
            let draws = 4000 * u32::from(n);
            for _ in 0..draws {
                let v = d.small(n);
                assert!(v < n, "{v} of {n}");
                counts[usize::from(v)] += 1;
            }
            // 4 000 expected per value: well within ±10 % for a fair draw.
            assert!(
                counts.iter().all(|&c| (3600..4400).contains(&c)),
                "{n}: {counts:?}"
            );
        }
        // Consecutive draws differ (the four lanes of a number are not one value).
        let mut d = Draw::new(3, 4, "small");
        let run: Vec<u8> = (0..64).map(|_| d.small(255)).collect();
        assert!(
            run.windows(4).all(|w| w.iter().any(|&v| v != w[0])),
            "{run:?}"
        );
    }
}
