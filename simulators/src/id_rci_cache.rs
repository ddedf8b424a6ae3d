//! The idRci of people searched lately, so that a person found again gets their jeton
//! without their idRci's MAC being computed again. Bounded (emptied when full), so memory
//! does not grow with the population; an idRci is derived from the seed and the index only,
//! so what is kept never goes stale.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::RwLock;

use crate::identifiers::Keys;
use crate::verified::WordHasher;

/// How many people's idRci are kept at most.
const CAPACITY: usize = 4096;

#[derive(Debug, Default)]
pub struct IdRciCache {
    map: RwLock<HashMap<u64, Box<str>, BuildHasherDefault<WordHasher>>>,
}

impl IdRciCache {
    /// Appends the idRci of `index` to `out`: kept, or computed by `keys` and kept.
    pub fn push(&self, keys: &Keys, index: u64, out: &mut String) {
        if let Ok(map) = self.map.read()
            && let Some(id) = map.get(&index)
        {
            out.push_str(id);
            return;
        }
        let id = keys.id_rci(index);
        out.push_str(&id);
        if let Ok(mut map) = self.map.write() {
            if map.len() >= CAPACITY {
                map.clear();
            }
            map.insert(index, id.into_boxed_str());
        }
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
    fn kept_ids_are_the_computed_ones_and_memory_is_bounded() {
        let keys = Keys::new(1, b"s");
        let cache = IdRciCache::default();
        for round in 0..2 {
            for index in [7u64, 8, 7, 1 << 40] {
                let mut out = String::from("x");
                cache.push(&keys, index, &mut out);
                assert_eq!(out, format!("x{}", keys.id_rci(index)), "round {round}");
            }
        }
        assert_eq!(cache.len(), 3);
        for index in 0..(CAPACITY as u64 + 10) {
            cache.push(&keys, index, &mut String::new());
        }
        assert!(cache.len() <= CAPACITY);
    }
}
