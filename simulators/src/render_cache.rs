//! Rendered answers of the person reads, kept so that a person read again on the same day
//! is sent without being derived and serialised again. Bounded (a fixed number of people),
//! so memory does not grow with the population; a write to a person forgets that person's
//! answers before the write is visible, and an answer computed while any write ran is not
//! kept, so a read never sees an answer older than the last write.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;

/// One person's rendered answers for one day: `None` is a 204.
#[derive(Debug)]
struct Entry {
    day: i64,
    views: Vec<(&'static str, Option<Bytes>)>,
}

#[derive(Debug)]
struct Inner {
    people: HashMap<u64, Entry>,
    /// Bumped by every write: a render that started before a write is not kept.
    generation: u64,
}

/// The cache. `capacity` people at most (each holds a few answers of ≈ 24 kB at most).
#[derive(Debug)]
pub struct RenderCache {
    inner: Mutex<Inner>,
    capacity: usize,
}

/// Where a render started: give it back to [`RenderCache::keep`].
#[derive(Debug, Clone, Copy)]
pub struct Ticket {
    generation: u64,
}

impl RenderCache {
    pub fn new(capacity: usize) -> RenderCache {
        RenderCache {
            inner: Mutex::new(Inner {
                people: HashMap::new(),
                generation: 0,
            }),
            capacity,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The kept answer of `view` for `person` on `day`, or a ticket to render it.
    pub fn get(&self, person: u64, day: i64, view: &'static str) -> Result<Option<Bytes>, Ticket> {
        let inner = self.lock();
        let hit = inner
            .people
            .get(&person)
            .filter(|e| e.day == day)
            .and_then(|e| e.views.iter().find(|(v, _)| *v == view));
        match hit {
            Some((_, bytes)) => Ok(bytes.clone()),
            None => Err(Ticket {
                generation: inner.generation,
            }),
        }
    }

    /// Keeps a rendered answer, unless a write ran since `ticket` was issued.
    pub fn keep(
        &self,
        ticket: Ticket,
        person: u64,
        day: i64,
        view: &'static str,
        bytes: Option<Bytes>,
    ) {
        if self.capacity == 0 {
            return;
        }
        let mut inner = self.lock();
        if inner.generation != ticket.generation {
            return;
        }
        if !inner.people.contains_key(&person) && inner.people.len() >= self.capacity {
            // Any one goes: the population is far larger than the cache, and the people a
            // load test reads again are read again soon.
            if let Some(&victim) = inner.people.keys().next() {
                inner.people.remove(&victim);
            }
        }
        let entry = inner.people.entry(person).or_insert(Entry {
            day,
            views: Vec::new(),
        });
        if entry.day != day {
            entry.day = day;
            entry.views.clear();
        }
        if !entry.views.iter().any(|(v, _)| *v == view) {
            entry.views.push((view, bytes));
        }
    }

    /// Forgets a person's answers: call before a write to that person becomes visible.
    pub fn forget(&self, person: u64) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.people.remove(&person);
    }

    /// How many people have answers kept.
    pub fn len(&self) -> usize {
        self.lock().people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_answer_is_served_the_same_day_only() {
        let c = RenderCache::new(4);
        let t = c.get(7, 100, "dossier").unwrap_err();
        c.keep(t, 7, 100, "dossier", Some(Bytes::from_static(b"{}")));
        assert_eq!(
            c.get(7, 100, "dossier").unwrap().as_deref(),
            Some(&b"{}"[..])
        );
        assert!(c.get(7, 100, "besoins").is_err());
        assert!(c.get(7, 101, "dossier").is_err());
    }

    #[test]
    fn a_write_forgets_and_voids_renders_in_flight() {
        let c = RenderCache::new(4);
        let before = c.get(7, 100, "dossier").unwrap_err();
        c.forget(7);
        c.keep(before, 7, 100, "dossier", Some(Bytes::from_static(b"old")));
        assert!(c.get(7, 100, "dossier").is_err(), "a stale render was kept");
        let t = c.get(7, 100, "dossier").unwrap_err();
        c.keep(t, 7, 100, "dossier", None);
        assert_eq!(c.get(7, 100, "dossier").unwrap(), None);
        c.forget(7);
        assert!(c.get(7, 100, "dossier").is_err());
    }

    #[test]
    fn memory_is_bounded_by_the_capacity() {
        let c = RenderCache::new(3);
        for p in 0..100 {
            let t = c.get(p, 1, "dossier").unwrap_err();
            c.keep(t, p, 1, "dossier", None);
        }
        assert_eq!(c.len(), 3);
        let off = RenderCache::new(0);
        let t = off.get(1, 1, "dossier").unwrap_err();
        off.keep(t, 1, 1, "dossier", None);
        assert!(off.is_empty());
    }
}
