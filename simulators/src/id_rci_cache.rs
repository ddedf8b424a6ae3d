//! The idRci of people searched lately, so that a person found again gets their jeton
//! without their idRci's MAC being computed again. Bounded (emptied when full), so memory
//! does not grow with the population; an idRci is derived from the seed and the index only,
//! so what is kept never goes stale.

use crate::bounded_map::BoundedMap;
use crate::identifiers::Keys;

/// How many people's idRci are kept at most.
const CAPACITY: usize = 4096;

#[derive(Debug)]
pub struct IdRciCache {
    map: BoundedMap<u64, Box<str>>,
}

impl Default for IdRciCache {
    fn default() -> Self {
        IdRciCache {
            map: BoundedMap::new(CAPACITY),
        }
    }
}

impl IdRciCache {
    /// Appends the idRci of `index` to `out`: kept, or computed by `keys` and kept.
    pub fn push(&self, keys: &Keys, index: u64, out: &mut String) {
        if self.map.with(&index, |id| out.push_str(id)).is_some() {
            return;
        }
        let id = keys.id_rci(index);
        out.push_str(&id);
        self.map.insert(index, id.into_boxed_str());
    }

    pub fn len(&self) -> usize {
        self.map.len()
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
