//! The probe schedule: each target at its interval from where its records stop (a restart
//! resumes, missed slots stay unobserved rather than invented), every probe started on time
//! in a task of its own, every record stored (acknowledged) before it is counted.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use domain::clock::Clock;
use tokio::sync::mpsc;

use super::config::ProbeSpec;
use super::metrics::ProbeMetrics;
use super::record::{ProbeOutcome, ProbeRecord};
use super::runner::Prober;
use crate::store::{Store, StoreError};

/// The first due time of a target: the slot after its last record that is not in the past.
pub fn resume_at(last: Option<i64>, interval_ms: i64, now_ms: i64) -> i64 {
    match last {
        None => now_ms,
        Some(l) => {
            let next = l + interval_ms;
            if next >= now_ms {
                next
            } else {
                let missed = (now_ms - next + interval_ms - 1) / interval_ms;
                next + missed * interval_ms
            }
        }
    }
}

/// What the writer says about each record and about the store.
#[derive(Debug)]
pub enum Written {
    /// On disk.
    Stored(ProbeRecord),
    /// A write failed: the records wait in memory and are retried with backoff.
    Failed { error: StoreError, waiting: usize },
    /// The store takes writes again after failures.
    Recovered,
    /// Records given up (the waiting queue was full, or the store still refused them when
    /// vigie stopped): counted, never silent.
    GivenUp(u64),
}

/// The writer's bounds.
#[derive(Debug, Clone, Copy)]
pub struct WriterLimits {
    /// Records kept in memory while the store refuses writes; past it the oldest are given up.
    pub max_waiting: usize,
    /// How long, once probing has stopped, the writer still retries a failing store.
    pub drain_for: Duration,
}

impl Default for WriterLimits {
    /// 50 000 records (≈ 25 MB; 10 minutes of 80 targets every second) and 30 s of draining.
    fn default() -> WriterLimits {
        WriterLimits {
            max_waiting: 50_000,
            drain_for: Duration::from_secs(30),
        }
    }
}

/// The writer: appends records in batches on a thread of its own (SQLite is blocking); `done`
/// receives each record once it is on disk. A failed write keeps its records and retries
/// (100 ms doubling to 5 s); records given up are added to the run's `unstored` count as soon
/// as the store takes writes again. The thread returns the store and how many records were
/// given up in all.
pub fn writer(
    mut store: Store,
    run_started_ms: i64,
    retention_ms: i64,
    clock: Arc<dyn Clock>,
    limits: WriterLimits,
) -> (
    mpsc::UnboundedSender<ProbeRecord>,
    mpsc::UnboundedReceiver<Written>,
    std::thread::JoinHandle<(Store, u64)>,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<ProbeRecord>();
    let (done_tx, done_rx) = mpsc::unbounded_channel();
    let handle = std::thread::spawn(move || {
        let say = |w: Written| {
            let _ = done_tx.send(w);
        };
        let mut waiting: std::collections::VecDeque<ProbeRecord> = Default::default();
        let mut last_prune: Option<i64> = None;
        let (mut given_up, mut unrecorded) = (0u64, 0u64);
        let mut backoff: Option<Duration> = None;
        let mut closed_at: Option<std::time::Instant> = None;
        loop {
            if waiting.is_empty() && closed_at.is_none() {
                match rx.blocking_recv() {
                    Some(r) => waiting.push_back(r),
                    None => closed_at = Some(std::time::Instant::now()),
                }
            }
            loop {
                match rx.try_recv() {
                    Ok(r) => waiting.push_back(r),
                    Err(mpsc::error::TryRecvError::Empty) => break,
                    Err(mpsc::error::TryRecvError::Disconnected) => {
                        closed_at.get_or_insert_with(std::time::Instant::now);
                        break;
                    }
                }
            }
            if waiting.len() > limits.max_waiting {
                let over = waiting.len() - limits.max_waiting;
                waiting.drain(..over);
                given_up += over as u64;
                unrecorded += over as u64;
                say(Written::GivenUp(over as u64));
            }
            if waiting.is_empty() {
                if closed_at.is_some() {
                    break;
                }
                continue;
            }
            let n = waiting.len().min(1000);
            let batch = &waiting.make_contiguous()[..n];
            match store.append(batch) {
                Ok(()) => {
                    if backoff.take().is_some() {
                        say(Written::Recovered);
                    }
                    for r in waiting.drain(..n) {
                        say(Written::Stored(r));
                    }
                    if unrecorded > 0 && store.add_unstored(run_started_ms, unrecorded).is_ok() {
                        unrecorded = 0;
                    }
                }
                Err(error) => {
                    say(Written::Failed {
                        error,
                        waiting: waiting.len(),
                    });
                    if closed_at.is_some_and(|at| at.elapsed() >= limits.drain_for) {
                        given_up += waiting.len() as u64;
                        say(Written::GivenUp(waiting.len() as u64));
                        break;
                    }
                    let wait = backoff.map_or(Duration::from_millis(100), |b| {
                        (b * 2).min(Duration::from_secs(5))
                    });
                    backoff = Some(wait);
                    std::thread::sleep(wait);
                    continue;
                }
            }
            let now = clock.now_ms();
            if last_prune.is_none_or(|at| now - at > 3_600_000) {
                last_prune = Some(now);
                if let Err(error) = store.prune(now - retention_ms) {
                    say(Written::Failed { error, waiting: 0 });
                }
            }
        }
        (store, given_up)
    });
    (tx, done_rx, handle)
}

/// Each partner's prober, by partner id (`""` with a single partner).
pub type Probers = BTreeMap<String, Arc<Prober>>;

/// Runs every target until `stop` resolves (or one round with `once`).
/// Quick re-probes after a failure (`[probe] confirm_interval_s`): the failing operation is
/// probed again every `every` until `after` failures in a row confirm it, or it answers. Their
/// records go to the incident engine only (`sink`), never to the store: the month's
/// availability stays the grid's, time-based.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub every: Duration,
    pub after: u32,
    pub sink: mpsc::UnboundedSender<ProbeRecord>,
}

/// Probes each spec on its grid until `stop` (or one round with `once`), waits for the
/// probes in flight, and returns the last due time each target was probed at (where a new
/// schedule resumes, e.g. after a reload).
pub async fn run(
    probers: Arc<Probers>,
    specs: Vec<(ProbeSpec, Option<i64>)>,
    records: mpsc::UnboundedSender<ProbeRecord>,
    clock: Arc<dyn Clock>,
    once: bool,
    stop: tokio::sync::watch::Receiver<bool>,
    confirm: Option<Confirm>,
) -> BTreeMap<String, i64> {
    let mut tasks = tokio::task::JoinSet::new();
    for (spec, last) in specs {
        let Some(prober) = probers.get(&spec.partner).cloned() else {
            tracing::error!(
                event = "partner_unknown",
                target = %spec.key(),
                "{}: partner {:?} has no platform in this run (added by a reload?): restart vigie probe",
                spec.key(),
                spec.partner
            );
            continue;
        };
        let records = records.clone();
        let clock = clock.clone();
        let mut stop = stop.clone();
        // Re-probing only helps when it comes sooner than the grid.
        let confirm = confirm.clone().filter(|c| !once && c.every < spec.interval);
        tasks.spawn(async move {
            let interval_ms = spec.interval.as_millis() as i64;
            let mut due = if once {
                clock.now_ms()
            } else {
                resume_at(last, interval_ms, clock.now_ms())
            };
            let mut last = last;
            let spec = Arc::new(spec);
            let mut inflight = tokio::task::JoinSet::new();
            // Failures in a row seen by this target, and the next re-probe, if any.
            let mut failing = 0u32;
            let mut recheck: Option<i64> = None;
            loop {
                let next = recheck.filter(|r| *r < due).unwrap_or(due);
                let wait = (next - clock.now_ms()).max(0) as u64;
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(wait)) => {}
                    Some(done) = inflight.join_next(), if !inflight.is_empty() => {
                        if let (Ok(Some(outcome)), Some(c)) = (done, &confirm) {
                            if outcome == ProbeOutcome::Down {
                                failing += 1;
                                if failing < c.after && recheck.is_none() {
                                    recheck = Some(clock.now_ms() + c.every.as_millis() as i64);
                                }
                            } else {
                                failing = 0;
                                recheck = None;
                            }
                        }
                        continue;
                    }
                    _ = stop.changed() => break,
                }
                let (p, s) = (prober.clone(), spec.clone());
                if recheck.is_some_and(|r| r == next && r < due) {
                    recheck = None;
                    if let Some(c) = &confirm {
                        let sink = c.sink.clone();
                        inflight.spawn(async move {
                            let rec = p.probe(&s, next).await?;
                            let outcome = rec.outcome;
                            let _ = sink.send(rec);
                            Some(outcome)
                        });
                    }
                    continue;
                }
                let r = records.clone();
                let at = due;
                last = Some(at);
                // A re-probe due no later than the grid's is this probe.
                recheck = recheck.filter(|r| *r > at);
                inflight.spawn(async move {
                    let rec = p.probe(&s, at).await?;
                    let outcome = rec.outcome;
                    let _ = r.send(rec);
                    Some(outcome)
                });
                if once {
                    break;
                }
                due += interval_ms;
            }
            while inflight.join_next().await.is_some() {}
            (spec.key(), last)
        });
    }
    let mut lasts = BTreeMap::new();
    while let Some(done) = tasks.join_next().await {
        if let Ok((key, Some(last))) = done {
            lasts.insert(key, last);
        }
    }
    lasts
}

/// Counts stored records into the metrics as the writer acknowledges them, and logs at once
/// when the store refuses writes (first failure of a streak, recovery, records given up).
pub async fn acknowledge(
    mut done: mpsc::UnboundedReceiver<Written>,
    metrics: Arc<ProbeMetrics>,
    mut each: impl FnMut(&ProbeRecord),
) {
    let mut failing = false;
    while let Some(w) = done.recv().await {
        match w {
            Written::Stored(rec) => {
                metrics.observe(&rec);
                each(&rec);
            }
            Written::Failed { error, waiting } => {
                metrics.store_failed(waiting);
                if !failing {
                    failing = true;
                    tracing::error!(
                        event = "store_refused",
                        waiting,
                        error = %error,
                        "store: {error} ({waiting} probe record(s) wait in memory, retried until the store takes them)"
                    );
                }
            }
            Written::Recovered => {
                failing = false;
                metrics.store_recovered();
                tracing::info!(
                    event = "store_recovered",
                    "store: writing again; the records that waited are stored"
                );
            }
            Written::GivenUp(n) => {
                metrics.unstored(n);
                tracing::error!(
                    event = "records_given_up",
                    count = n,
                    "store: {n} probe record(s) given up (the store refused them too long); counted as unstored in the metrics and the month's report"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::ProbeOutcome;
    use crate::store::records::RunRow;

    fn record(at: i64) -> ProbeRecord {
        ProbeRecord {
            target: "statut-usager v2 recuperer-contrat".into(),
            api: "statut-usager".into(),
            version: "v2".into(),
            operation: "recuperer-contrat".into(),
            scheduled_ms: at,
            started_ms: at,
            duration_ms: 1.0,
            interval_ms: 1000,
            status: Some(200),
            outcome: ProbeOutcome::Up,
            violations: Vec::new(),
            evidence: None,
        }
    }

    /// Another connection holds the write lock: the writer keeps the records, says so,
    /// stores them once the lock is gone, and gives up only past its bound, counted.
    #[test]
    fn a_locked_store_delays_records_and_loses_none_within_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.sqlite");
        let mut store = Store::open(&path).unwrap();
        store.set_busy_timeout(Duration::from_millis(20)).unwrap();
        store
            .record_run(&RunRow {
                started_ms: 1,
                contract_profile: "convention".into(),
                source: "test".into(),
                unstored: 0,
            })
            .unwrap();
        let locker = rusqlite::Connection::open(&path).unwrap();
        locker.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let clock: Arc<dyn Clock> = Arc::new(domain::clock::SystemClock);
        let limits = WriterLimits {
            max_waiting: 5,
            drain_for: Duration::from_secs(30),
        };
        let (tx, mut done, handle) = writer(store, 1, i64::MAX / 4, clock, limits);
        for at in 0..7 {
            tx.send(record(at * 1000)).unwrap();
        }
        // The first failure is reported at once, while the lock is still held.
        let mut events = Vec::new();
        loop {
            let w = done.blocking_recv().unwrap();
            let failed = matches!(w, Written::Failed { .. });
            events.push(format!("{w:?}"));
            if failed {
                break;
            }
        }
        locker.execute_batch("COMMIT").unwrap();
        drop(tx);
        let (store, given_up) = handle.join().unwrap();
        while let Some(w) = done.blocking_recv() {
            events.push(format!("{w:?}"));
        }
        let stored = events.iter().filter(|e| e.starts_with("Stored")).count();
        assert_eq!((stored, given_up), (5, 2), "{events:#?}");
        assert!(events.iter().any(|e| e == "GivenUp(2)"), "{events:#?}");
        assert!(events.iter().any(|e| e == "Recovered"), "{events:#?}");
        assert_eq!(store.count().unwrap(), 5);
        // The two given up are counted on the run, for the month's report.
        assert_eq!(store.runs_between(0, 10).unwrap()[0].unstored, 2);
    }

    #[test]
    fn resuming_skips_missed_slots() {
        assert_eq!(resume_at(None, 60, 1000), 1000);
        assert_eq!(resume_at(Some(960), 60, 1000), 1020);
        assert_eq!(resume_at(Some(100), 60, 1000), 1000);
        assert_eq!(resume_at(Some(100), 60, 1001), 1060);
    }
}
