//! What writes changed: the dossiers of the people written to, and nothing else. Everyone
//! else is derived from the seed on demand, so memory grows with writes, not with people.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::dossier::Dossier;

#[derive(Debug, Default)]
pub struct Overlay {
    dossiers: Mutex<HashMap<u64, Dossier>>,
}

impl Overlay {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Dossier>> {
        match self.dossiers.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The written dossier of a person, if any.
    pub fn get(&self, index: u64) -> Option<Dossier> {
        self.lock().get(&index).cloned()
    }

    /// Applies a change to a person's dossier (starting from `base` if never written) and
    /// keeps the result only if the change succeeds. `base` runs outside the lock (it may
    /// read the overlay itself); the change runs under it, so writes to one person are
    /// applied one after the other.
    pub fn update<T, E>(
        &self,
        index: u64,
        base: impl FnOnce() -> Dossier,
        change: impl FnOnce(&mut Dossier) -> Result<T, E>,
    ) -> Result<T, E> {
        let fresh = if self.lock().contains_key(&index) {
            None
        } else {
            Some(base())
        };
        let mut map = self.lock();
        // Entries are never removed: when the first look found one, it is still there.
        let mut work = match (map.get(&index), fresh) {
            (Some(d), _) => d.clone(),
            (None, Some(f)) => f,
            (None, None) => Dossier::empty(&crate::dossier::Agent::unknown(), 0),
        };
        let out = change(&mut work)?;
        map.insert(index, work);
        Ok(out)
    }

    /// How many people were written to.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
