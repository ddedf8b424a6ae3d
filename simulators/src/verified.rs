//! Signed values already verified (bearer tokens, jetons usager), so that a client reusing
//! one, as every client does, is not verified again on each call. Bounded: emptied when
//! full, so memory does not grow with the number of tokens ever seen. Only what a
//! successful verification produced is kept; expiry is still checked on every call.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::RwLock;

const CAPACITY: usize = 4096;

#[derive(Debug)]
pub struct Verified<T> {
    map: RwLock<HashMap<Box<str>, T, BuildHasherDefault<WordHasher>>>,
}

impl<T> Default for Verified<T> {
    fn default() -> Self {
        Verified {
            map: RwLock::new(HashMap::default()),
        }
    }
}

/// A multiply-rotate hash over 8-byte words, several times cheaper than SipHash on a
/// 300-character token. Not keyed, which is safe here: only values that passed a signature
/// check are stored, so a caller cannot fill the map with keys chosen to collide.
#[derive(Debug, Default, Clone, Copy)]
pub struct WordHasher(u64);

impl WordHasher {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // Spread the high bits, which the multiplications fill best, to the low ones too.
        self.0 ^ (self.0 >> 29)
    }
}

impl<T: Clone> Verified<T> {
    /// What verifying `signed` gave before, if it was verified.
    pub fn get(&self, signed: &str) -> Option<T> {
        self.map.read().ok()?.get(signed).cloned()
    }

    /// Remembers what verifying `signed` gave.
    pub fn put(&self, signed: &str, value: T) {
        if let Ok(mut m) = self.map.write() {
            if m.len() >= CAPACITY {
                m.clear();
            }
            m.insert(signed.into(), value);
        }
    }

    /// The remembered value, or the one `verify` gives (remembered only if it succeeds).
    pub fn get_or_verify<E>(
        &self,
        signed: &str,
        verify: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        if let Some(v) = self.get(signed) {
            return Ok(v);
        }
        let v = verify()?;
        self.put(signed, v.clone());
        Ok(v)
    }

    pub fn len(&self) -> usize {
        self.map.read().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_successes_are_kept_and_memory_is_bounded() {
        let v: Verified<u64> = Verified::default();
        assert_eq!(v.get_or_verify("bad", || Err::<u64, ()>(())), Err(()));
        assert!(v.is_empty());
        assert_eq!(v.get_or_verify("good", || Ok::<u64, ()>(7)), Ok(7));
        // Not verified again: a verifier that would fail is not called.
        assert_eq!(v.get_or_verify("good", || Err::<u64, ()>(())), Ok(7));
        for i in 0..(CAPACITY + 10) {
            v.put(&i.to_string(), 1);
        }
        assert!(v.len() <= CAPACITY);
    }

    #[test]
    fn word_hasher_tells_near_tokens_apart() {
        use std::hash::BuildHasher;
        let b = BuildHasherDefault::<WordHasher>::default();
        let base = "eyJjIjoidmlnaWUtZGVtbyJ9.c2lnbmF0dXJl".to_string();
        let mut seen = std::collections::HashSet::new();
        // Every one-character change, wherever it is (the tail of a token included).
        for i in 0..base.len() {
            let mut t = base.clone().into_bytes();
            t[i] ^= 1;
            assert!(seen.insert(b.hash_one(String::from_utf8(t).unwrap())));
        }
        assert!(seen.insert(b.hash_one(&base)));
        assert!(seen.insert(b.hash_one(format!("{base}A"))));
    }
}
