//! Signed values already verified (bearer tokens, jetons usager), so that a client reusing
//! one, as every client does, is not verified again on each call. Bounded: emptied when
//! full, so memory does not grow with the number of tokens ever seen. Only what a
//! successful verification produced is kept; expiry is still checked on every call.

use crate::platform::bounded_map::BoundedMap;

const CAPACITY: usize = 4096;

#[derive(Debug)]
pub struct Verified<T> {
    map: BoundedMap<Box<str>, T>,
}

impl<T> Default for Verified<T> {
    fn default() -> Self {
        Verified {
            map: BoundedMap::new(CAPACITY),
        }
    }
}

impl<T: Clone> Verified<T> {
    /// What verifying `signed` gave before, if it was verified.
    pub fn get(&self, signed: &str) -> Option<T> {
        self.map.with(signed, T::clone)
    }

    /// Remembers what verifying `signed` gave.
    pub fn put(&self, signed: &str, value: T) {
        self.map.insert(signed.into(), value);
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
}
