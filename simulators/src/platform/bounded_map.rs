//! A map of at most a given number of entries, emptied when full, so that memory does not
//! grow with what it is fed; readers share it, a writer has it alone. Holds the verified
//! tokens and jetons ([`crate::platform::verified`]), the simulators' one cache.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::RwLock;

#[derive(Debug)]
pub(crate) struct BoundedMap<K, V> {
    map: RwLock<HashMap<K, V, BuildHasherDefault<WordHasher>>>,
    capacity: usize,
}

impl<K: Hash + Eq, V> BoundedMap<K, V> {
    pub(crate) fn new(capacity: usize) -> Self {
        BoundedMap {
            map: RwLock::new(HashMap::default()),
            capacity,
        }
    }

    /// `read` applied to the value of `key`, if there is one.
    pub(crate) fn with<Q, R>(&self, key: &Q, read: impl FnOnce(&V) -> R) -> Option<R>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.read().ok()?.get(key).map(read)
    }

    /// Keeps `value` for `key`; everything is forgotten first if the map is full.
    pub(crate) fn insert(&self, key: K, value: V) {
        if let Ok(mut m) = self.map.write() {
            if m.len() >= self.capacity {
                m.clear();
            }
            m.insert(key, value);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.map.read().map(|m| m.len()).unwrap_or(0)
    }
}

/// A multiply-rotate hash over 8-byte words, several times cheaper than SipHash on a
/// 300-character token. Not keyed, which is safe here: the keys stored are values that
/// passed a signature check, or indices of people a signed-in caller found; a map holds a
/// few thousand at most, so even keys chosen to collide cost a bounded scan.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_keeps_what_it_is_given_up_to_its_capacity() {
        let m: BoundedMap<u64, u64> = BoundedMap::new(3);
        m.insert(1, 10);
        m.insert(1, 11);
        assert_eq!(m.with(&1, |v| *v), Some(11));
        assert_eq!(m.with(&2, |v| *v), None);
        for k in 0..10 {
            m.insert(k, k);
            assert!(m.len() <= 3);
        }
        assert_eq!(m.with(&9, |v| *v), Some(9));
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
