//! What writes changed: the dossiers of the people written to, and nothing else. Everyone
//! else is derived from the seed on demand, so memory grows with writes, not with people —
//! and only up to a budget: beyond it, the people written to least recently are forgotten
//! (their dossier is derived again, as if never written), so that no client, however many
//! writes it makes, can take the process's memory.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use crate::diagnostic::model::Dossier;

/// The default budget of written dossiers, in bytes (as [`Dossier::approx_bytes`] counts).
pub(crate) const DEFAULT_BUDGET: usize = 256 * 1024 * 1024;

#[derive(Debug)]
struct Written {
    dossier: Dossier,
    bytes: usize,
    /// When it was last written (a sequence number), for the eviction order.
    seq: u64,
}

#[derive(Debug, Default)]
struct Inner {
    dossiers: HashMap<u64, Written>,
    /// Least recently written first.
    order: BTreeMap<u64, u64>,
    bytes: usize,
    next_seq: u64,
    evicted: u64,
}

#[derive(Debug)]
pub struct Overlay {
    inner: Mutex<Inner>,
    budget: usize,
}

impl Default for Overlay {
    fn default() -> Overlay {
        Overlay::with_budget(DEFAULT_BUDGET)
    }
}

/// How much the overlay holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverlayUse {
    pub people: usize,
    pub bytes: usize,
    pub budget: usize,
    /// People forgotten to stay within the budget since the start.
    pub evicted: u64,
}

impl Overlay {
    pub fn with_budget(budget: usize) -> Overlay {
        Overlay {
            inner: Mutex::new(Inner::default()),
            budget,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The written dossier of a person, if any.
    pub fn get(&self, index: u64) -> Option<Dossier> {
        self.lock().dossiers.get(&index).map(|w| w.dossier.clone())
    }

    /// Applies a change to a person's dossier (starting from `base` if never written) and
    /// keeps the result only if the change succeeds. `base` runs outside the lock (it may
    /// read the overlay itself); the change runs under it, so writes to one person are
    /// applied one after the other.
    pub fn update<T, E>(
        &self,
        index: u64,
        base: impl Fn() -> Dossier,
        change: impl FnOnce(&mut Dossier) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut fresh = None;
        let (mut inner, mut work) = loop {
            if fresh.is_none() && !self.lock().dossiers.contains_key(&index) {
                fresh = Some(base());
            }
            let inner = self.lock();
            match (inner.dossiers.get(&index), fresh.take()) {
                (Some(w), _) => {
                    let d = w.dossier.clone();
                    break (inner, d);
                }
                (None, Some(f)) => break (inner, f),
                // Forgotten between the two looks: derive it again, outside the lock.
                (None, None) => continue,
            }
        };
        let out = change(&mut work)?;
        let bytes = work.approx_bytes();
        let seq = inner.next_seq;
        inner.next_seq += 1;
        if let Some(old) = inner.dossiers.insert(
            index,
            Written {
                dossier: work,
                bytes,
                seq,
            },
        ) {
            inner.order.remove(&old.seq);
            inner.bytes -= old.bytes;
        }
        inner.order.insert(seq, index);
        inner.bytes += bytes;
        // Forget the least recently written until within the budget (never the one just
        // written: a single dossier is bounded by its own limits).
        while inner.bytes > self.budget {
            let Some((&oldest, &who)) = inner.order.iter().next() else {
                break;
            };
            if who == index {
                break;
            }
            inner.order.remove(&oldest);
            if let Some(w) = inner.dossiers.remove(&who) {
                inner.bytes -= w.bytes;
                inner.evicted += 1;
            }
        }
        Ok(out)
    }

    /// How many people were written to (and are still remembered).
    pub fn len(&self) -> usize {
        self.lock().dossiers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the overlay holds against its budget.
    pub fn usage(&self) -> OverlayUse {
        let inner = self.lock();
        OverlayUse {
            people: inner.dossiers.len(),
            bytes: inner.bytes,
            budget: self.budget,
            evicted: inner.evicted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::model::Agent;

    fn grow(d: &mut Dossier) -> Result<(), ()> {
        d.contraintes.agent = Agent::unknown().with_id(&"x".repeat(10_000));
        Ok(())
    }

    #[test]
    fn the_least_recently_written_are_forgotten_beyond_the_budget() {
        let overlay = Overlay::with_budget(50_000);
        let empty = || Dossier::empty(&Agent::unknown(), 0);
        for index in 0..10 {
            overlay.update(index, empty, grow).unwrap();
            assert!(overlay.usage().bytes <= 50_000, "{:?}", overlay.usage());
        }
        let u = overlay.usage();
        assert!(u.people < 10 && u.evicted == 10 - u.people as u64, "{u:?}");
        // The newest are kept, the oldest forgotten; writing to one makes it the newest.
        assert!(overlay.get(9).is_some() && overlay.get(0).is_none());
        let kept: Vec<u64> = (0..10).filter(|i| overlay.get(*i).is_some()).collect();
        overlay.update(kept[0], empty, grow).unwrap();
        overlay.update(100, empty, grow).unwrap();
        assert!(overlay.get(kept[0]).is_some(), "rewritten, so recent");
        // A failed change keeps nothing and costs nothing.
        let before = overlay.usage();
        assert!(overlay.update(200, empty, |_| Err::<(), ()>(())).is_err());
        assert_eq!(overlay.usage(), before);
    }
}
