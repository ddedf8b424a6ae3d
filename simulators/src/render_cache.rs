//! Rendered answers of the person reads, kept so that a person read again on the same day
//! is sent without being derived and serialised again. Bounded (a fixed number of people,
//! the first kept is the first forgotten), so memory does not grow with the population.
//! Only the answers of a person rendered a second time within `capacity` renders are kept
//! (had they been kept the first time, they would still have been there): reads spread over
//! the population (each person once, or each in turn among more people than it holds)
//! neither churn it nor pay for keeping what would be forgotten before it is read again. A write to a person forgets that person's
//! answers before the write is visible, and an answer computed while any write ran is not
//! kept, so a read never sees an answer older than the last write.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use axum::body::Bytes;

/// One person's rendered answers for one day: `None` is a 204.
#[derive(Debug)]
struct Entry {
    day: i64,
    views: Vec<(&'static str, Option<Bytes>)>,
    /// When it was kept (see `Inner::order`).
    serial: u64,
}

#[derive(Debug)]
struct Inner {
    people: HashMap<u64, Entry>,
    /// (person, serial) in the order kept: the front is forgotten first. A pair whose
    /// serial is not the person's entry's any more (forgotten, kept again) is skipped.
    order: VecDeque<(u64, u64)>,
    serial: u64,
    /// People rendered lately but not kept, one per slot (person + 1, 0: none; and the
    /// value of `renders` then), slot by hash: a person found in their slot is being
    /// rendered a second time.
    recent: Box<[(u64, u64)]>,
    /// Renders offered so far.
    renders: u64,
    /// Bumped by every write: a render that started before a write is not kept.
    generation: u64,
}

/// The cache. `capacity` people at most (each holds a few answers of ≈ 20–41 kB).
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

/// How many people rendered once are remembered (slots by hash; more than the capacity, so
/// that few of the people it could keep are pushed out of their slot by others).
const RECENT: usize = 4096;

impl Inner {
    /// Forgets the people kept first until one more fits.
    fn make_room(&mut self, capacity: usize) {
        while self.people.len() >= capacity {
            let Some((person, serial)) = self.order.pop_front() else {
                break;
            };
            if self.people.get(&person).is_some_and(|e| e.serial == serial) {
                self.people.remove(&person);
            }
        }
        // Pairs left by forgotten people: dropped before they outnumber the people held.
        if self.order.len() > 2 * capacity {
            let people = &self.people;
            self.order
                .retain(|(p, s)| people.get(p).is_some_and(|e| e.serial == *s));
        }
    }
}

impl RenderCache {
    pub fn new(capacity: usize) -> RenderCache {
        RenderCache {
            inner: Mutex::new(Inner {
                people: HashMap::new(),
                order: VecDeque::new(),
                serial: 0,
                recent: vec![(0, 0); RECENT].into_boxed_slice(),
                renders: 0,
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
        inner.renders += 1;
        if !inner.people.contains_key(&person) {
            let slot = (crate::rng::mix(person) as usize) % RECENT;
            let (seen, at) = inner.recent[slot];
            // Kept at its last render, it would still be held: at most one person is kept
            // per render, so fewer than `capacity` renders forgot nobody kept since.
            let again =
                seen == person.wrapping_add(1) && inner.renders - at <= self.capacity as u64;
            if !again {
                // Rendered once lately: remembered, not kept.
                inner.recent[slot] = (person.wrapping_add(1), inner.renders);
                return;
            }
            inner.make_room(self.capacity);
            inner.serial += 1;
            let serial = inner.serial;
            inner.order.push_back((person, serial));
            inner.people.insert(
                person,
                Entry {
                    day,
                    views: Vec::new(),
                    serial,
                },
            );
        }
        let Some(entry) = inner.people.get_mut(&person) else {
            return;
        };
        if entry.day != day {
            entry.day = day;
            entry.views.clear();
        }
        if !entry.views.iter().any(|(v, _)| *v == view) {
            // A copy of the exact size: the answer was written into room for the largest.
            entry
                .views
                .push((view, bytes.map(|b| Bytes::copy_from_slice(&b))));
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

    /// A render of `person`'s `view`: a miss, then what was rendered offered to the cache.
    fn render(c: &RenderCache, person: u64, day: i64, view: &'static str, bytes: Option<Bytes>) {
        let t = c.get(person, day, view).expect_err("a render after a hit");
        c.keep(t, person, day, view, bytes);
    }

    #[test]
    fn a_kept_answer_is_served_the_same_day_only() {
        let c = RenderCache::new(4);
        for _ in 0..2 {
            render(&c, 7, 100, "dossier", Some(Bytes::from_static(b"{}")));
        }
        assert_eq!(
            c.get(7, 100, "dossier").unwrap().as_deref(),
            Some(&b"{}"[..])
        );
        assert!(c.get(7, 100, "besoins").is_err());
        assert!(c.get(7, 101, "dossier").is_err());
    }

    #[test]
    fn only_a_person_rendered_again_lately_is_kept() {
        let c = RenderCache::new(4);
        render(&c, 7, 100, "dossier", None);
        assert!(c.is_empty(), "kept at the first render");
        render(&c, 7, 100, "dossier", None);
        assert_eq!(c.get(7, 100, "dossier").unwrap(), None);
        // Thousands of people read once each: none kept, nothing served.
        for p in 1000..10_000 {
            render(&c, p, 100, "dossier", None);
        }
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn a_write_forgets_and_voids_renders_in_flight() {
        let c = RenderCache::new(4);
        render(&c, 7, 100, "dossier", None);
        let before = c.get(7, 100, "dossier").unwrap_err();
        c.forget(7);
        c.keep(before, 7, 100, "dossier", Some(Bytes::from_static(b"old")));
        assert!(c.get(7, 100, "dossier").is_err(), "a stale render was kept");
        render(&c, 7, 100, "dossier", None);
        assert_eq!(c.get(7, 100, "dossier").unwrap(), None);
        c.forget(7);
        assert!(c.get(7, 100, "dossier").is_err());
    }

    #[test]
    fn people_read_in_turn_more_than_it_holds_are_never_served_from_it() {
        let c = RenderCache::new(3);
        for read in 0..40 {
            render(&c, read % 4, 1, "dossier", None);
        }
        // Nor kept: keeping them would copy answers forgotten before they are read again.
        assert!(c.is_empty(), "{} kept", c.len());
    }

    #[test]
    fn a_person_read_again_within_capacity_renders_is_kept_later_not() {
        let c = RenderCache::new(8);
        // Person 1 read again after 7 others (8 renders later): kept.
        render(&c, 1, 1, "dossier", None);
        for p in 100..107 {
            render(&c, p, 1, "dossier", None);
        }
        render(&c, 1, 1, "dossier", None);
        assert!(c.get(1, 1, "dossier").is_ok());
        // Person 2 read again after 8 others (9 renders later): not kept.
        render(&c, 2, 1, "dossier", None);
        for p in 200..208 {
            render(&c, p, 1, "dossier", None);
        }
        render(&c, 2, 1, "dossier", None);
        assert!(c.get(2, 1, "dossier").is_err());
    }

    #[test]
    fn memory_is_bounded_by_the_capacity() {
        let c = RenderCache::new(3);
        for p in 0..100 {
            render(&c, p, 1, "dossier", None);
            render(&c, p, 1, "dossier", None);
        }
        assert_eq!(c.len(), 3);
        // The last three kept are the ones held.
        assert!((97..100).all(|p| c.get(p, 1, "dossier").is_ok()));
        // Writes to people held, read again after: the queue of who goes first stays small.
        for round in 0..1000 {
            let p = 97 + round % 3;
            c.forget(p);
            render(&c, p, 1, "dossier", None);
            render(&c, p, 1, "dossier", None);
        }
        assert_eq!(c.len(), 3);
        assert!(c.lock().order.len() <= 7, "{}", c.lock().order.len());
        let off = RenderCache::new(0);
        render(&off, 1, 1, "dossier", None);
        render(&off, 1, 1, "dossier", None);
        assert!(off.is_empty());
    }
}
