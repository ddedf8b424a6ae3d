//! The store and the outbox: events and their notifications saved together, delivery retried
//! with backoff in order, each message delivered once, nothing lost when the store is reopened.

#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use alerts::dispatch::{backoff_ms, deliver_due};
use alerts::message::{Links, Message};
use alerts::notifier::{Delivery, DeliveryError, Notifier};
use database::Location;
use database::cluster::Cluster;

use alerts::{
    AlertStore, BusinessCalendar, EngineSetup, EventKind, Observation, Thresholds, Verdict,
};

/// A fresh store on each backend: a SQLite file (its folder kept alive by the caller), a
/// PostgreSQL database of the shared throwaway cluster.
fn stores(hint: &str) -> (tempfile::TempDir, Vec<Location>) {
    let dir = tempfile::tempdir().unwrap();
    let pg = Cluster::shared().unwrap().database(hint).unwrap();
    let sqlite = Location::Sqlite(dir.path().join("alerts.sqlite"));
    (dir, vec![sqlite, pg])
}

/// Monday 2026-11-30 10:00 Paris.
const T0: i64 = 1_796_029_200_000;

/// A channel that refuses its first `fail` deliveries.
#[derive(Debug)]
struct Flaky {
    fail: usize,
    calls: AtomicUsize,
    got: Mutex<Vec<String>>,
}

impl Notifier for Flaky {
    fn channel(&self) -> &str {
        "email"
    }
    fn deliver<'a>(&'a self, m: &'a Message) -> Delivery<'a> {
        Box::pin(async move {
            // A real channel takes its time: another sender runs meanwhile.
            tokio::task::yield_now().await;
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            if n < self.fail {
                return Err(DeliveryError::Failed {
                    channel: "email".into(),
                    reason: "connection refused".into(),
                });
            }
            self.got.lock().unwrap().push(m.key.clone());
            Ok(())
        })
    }
}

fn setup() -> EngineSetup {
    EngineSetup {
        thresholds: Thresholds::default(),
        calendar: BusinessCalendar::default(),
        channels: vec!["email".into()],
        links: Links {
            show_command: "vigie incidents show {id}".into(),
            evidence_url: None,
        },
    }
}

fn obs(at: i64, verdict: Verdict) -> Observation {
    Observation {
        partner: String::new(),
        target: "statut-usager/v2/recuperer-contrat".into(),
        api: "statut-usager".into(),
        major: "v2".into(),
        at_ms: at,
        duration_ms: 100.0,
        status: Some(if verdict == Verdict::Down { 503 } else { 200 }),
        verdict,
        violations: vec![],
        data_quality: false,
        evidence: (verdict == Verdict::Down).then(|| "status 503".into()),
    }
}

/// An outage opened and resolved: two notifications queued.
fn outage(store: &mut AlertStore) {
    outage_at(store, T0);
}

/// An outage from `base`, opened and resolved.
fn outage_at(store: &mut AlertStore, base: i64) {
    for (k, v) in [
        Verdict::Down,
        Verdict::Down,
        Verdict::Down,
        Verdict::Answered,
        Verdict::Answered,
        Verdict::Answered,
    ]
    .into_iter()
    .enumerate()
    {
        let at = base + k as i64 * 60_000;
        store
            .transact(&setup(), at, |e| Ok(e.observe(&obs(at, v))))
            .unwrap();
    }
}

#[test]
fn backoff_doubles_to_five_minutes() {
    assert_eq!(backoff_ms(0), 1000);
    assert_eq!(backoff_ms(1), 2000);
    assert_eq!(backoff_ms(5), 32_000);
    assert_eq!(backoff_ms(9), 300_000);
    assert_eq!(backoff_ms(60), 300_000);
}

#[tokio::test]
async fn delivery_is_retried_in_order_and_happens_once() {
    let (_dir, at) = stores("retried");
    for at in &at {
        retried_in_order_once(at).await;
    }
}

async fn retried_in_order_once(at: &Location) {
    let mut store = AlertStore::open_at(at).unwrap();
    outage(&mut store);
    let instance = store.instance().to_string();
    let store = Arc::new(Mutex::new(store));
    let flaky = Arc::new(Flaky {
        fail: 3,
        calls: AtomicUsize::new(0),
        got: Mutex::new(Vec::new()),
    });
    let notifiers: Vec<Arc<dyn Notifier>> = vec![flaky.clone()];
    let clock = Arc::new(std::sync::atomic::AtomicI64::new(T0 + 10 * 60_000));
    let now = || clock.load(Ordering::SeqCst);
    // First pass: the opening fails, the resolution waits behind it (not attempted).
    let p = deliver_due(&store, &notifiers, now, false).await.unwrap();
    assert_eq!((p.delivered, p.failed), (0, 1));
    assert_eq!(flaky.calls.load(Ordering::SeqCst), 1);
    // Not due again before its backoff, except for the last try of a process that stops.
    let p = deliver_due(&store, &notifiers, now, false).await.unwrap();
    assert_eq!((p.delivered, p.failed), (0, 0));
    let p = deliver_due(&store, &notifiers, now, true).await.unwrap();
    assert_eq!((p.delivered, p.failed), (0, 1));
    for wait in [2000, 4000] {
        clock.fetch_add(wait, Ordering::SeqCst);
        deliver_due(&store, &notifiers, now, false).await.unwrap();
    }
    assert_eq!(
        *flaky.got.lock().unwrap(),
        [
            format!("{instance}-1-opened"),
            format!("{instance}-1-resolved")
        ]
    );
    // Nothing is sent twice, even long after.
    clock.fetch_add(3_600_000, Ordering::SeqCst);
    let p = deliver_due(&store, &notifiers, now, false).await.unwrap();
    assert_eq!((p.delivered, p.failed), (0, 0));
    let rows = alerts::dispatch::lock(&store).outbox(Some(1)).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.delivered_ms.is_some()));
    assert_eq!(rows[0].attempts, 4);
    assert_eq!(
        flaky.calls.load(Ordering::SeqCst),
        5,
        "4 tries of the first, 1 of the second"
    );
}

#[tokio::test]
async fn a_reopened_store_still_has_its_pending_notifications_and_state() {
    let (_dir, at) = stores("reopened");
    for at in &at {
        reopened(at).await;
    }
}

async fn reopened(at: &Location) {
    {
        let mut store = AlertStore::open_at(at).unwrap();
        let events = store
            .transact(&setup(), T0, |e| {
                let mut ev = Vec::new();
                for k in 0..3 {
                    ev.extend(e.observe(&obs(T0 + k * 60_000, Verdict::Down)));
                }
                Ok(ev)
            })
            .unwrap();
        assert_eq!(events[0].kind, EventKind::Opened);
        // Dropped without delivering: a crash.
    }
    let mut store = AlertStore::open_at(at).unwrap();
    assert_eq!(store.due(T0, 10).unwrap().len(), 1);
    // The engine goes on from its saved streaks: the next answers resolve the incident.
    let mut resolved = Vec::new();
    for k in 3..6 {
        let at = T0 + k * 60_000;
        resolved.extend(
            store
                .transact(&setup(), at, |e| Ok(e.observe(&obs(at, Verdict::Answered))))
                .unwrap(),
        );
    }
    assert_eq!(resolved.len(), 1);
    assert_eq!(
        store.incidents(false).unwrap()[0].state,
        alerts::State::Resolved
    );
    // A failed action saves nothing.
    let before = store.incidents(true).unwrap();
    assert!(
        store
            .transact(&setup(), T0, |e| e.close(42, None, T0))
            .is_err()
    );
    assert_eq!(store.incidents(true).unwrap(), before);
    let flaky = Arc::new(Flaky {
        fail: 0,
        calls: AtomicUsize::new(0),
        got: Mutex::new(Vec::new()),
    });
    let notifiers: Vec<Arc<dyn Notifier>> = vec![flaky.clone()];
    let store = Arc::new(Mutex::new(store));
    let p = deliver_due(&store, &notifiers, || T0 + 3_600_000, false)
        .await
        .unwrap();
    assert_eq!(p.delivered, 2);
}

/// Two senders on one store (two instances): each message claimed by one, sent once, and a
/// channel's messages in order; a sender that dies holding a claim loses it after the claim's
/// time, and another sends the message then.
#[tokio::test]
async fn two_senders_on_one_store_send_each_message_once_in_order() {
    let (_dir, at) = stores("senders");
    for at in &at {
        let mut first = AlertStore::open_at(at).unwrap();
        for k in 0..4 {
            // Four outages, one after the other: eight messages on one channel.
            outage_at(&mut AlertStore::open_at(at).unwrap(), T0 + k * 3_600_000);
        }
        let now = T0 + 5 * 3_600_000;
        let all = first.due(now, 100).unwrap().len();
        assert_eq!(all, 8);
        // A sender that claims and dies before sending.
        let dead = AlertStore::open_at(at).unwrap();
        assert_eq!(dead.claim(now, now, 3).unwrap().len(), 3);
        drop(dead);
        let sent = Arc::new(Flaky {
            fail: 0,
            calls: AtomicUsize::new(0),
            got: Mutex::new(Vec::new()),
        });
        let notifiers: Vec<Arc<dyn Notifier>> = vec![sent.clone()];
        let a = Arc::new(Mutex::new(AlertStore::open_at(at).unwrap()));
        let b = Arc::new(Mutex::new(AlertStore::open_at(at).unwrap()));
        // While the dead sender's claim holds, the channel waits (its order is kept).
        let (pa, pb) = tokio::join!(
            deliver_due(&a, &notifiers, || now, false),
            deliver_due(&b, &notifiers, || now, false)
        );
        assert_eq!(pa.unwrap().delivered + pb.unwrap().delivered, 0);
        // Past it, the two share the work and send each message once, in order.
        let later = now + alerts::store::outbox::CLAIM_MS + 1;
        for _ in 0..3 {
            let (pa, pb) = tokio::join!(
                deliver_due(&a, &notifiers, || later, false),
                deliver_due(&b, &notifiers, || later, false)
            );
            pa.unwrap();
            pb.unwrap();
        }
        let got = sent.got.lock().unwrap().clone();
        assert_eq!(got.len(), 8, "{got:?}");
        let mut unique = got.clone();
        unique.dedup();
        assert_eq!(unique.len(), 8, "each once: {got:?}");
        let order: Vec<String> = first
            .outbox(None)
            .unwrap()
            .into_iter()
            .map(|r| r.key)
            .collect();
        assert_eq!(got, order, "in the order they were written");
        assert!(first.due(later, 100).unwrap().is_empty());
        let _ = &mut first;
    }
}
