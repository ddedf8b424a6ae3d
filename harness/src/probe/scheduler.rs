//! The probe schedule: each target at its interval from where its records stop (a restart
//! resumes, missed slots stay unobserved rather than invented), every probe started on time
//! in a task of its own, every record stored (acknowledged) before it is counted.

use std::sync::Arc;
use std::time::Duration;

use simulators::clock::Clock;
use tokio::sync::mpsc;

use super::config::ProbeSpec;
use super::metrics::ProbeMetrics;
use super::record::ProbeRecord;
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

/// The writer: appends records in batches on a thread of its own (SQLite is blocking);
/// `done` receives each record once it is on disk.
pub fn writer(
    mut store: Store,
    retention_ms: i64,
    clock: Arc<dyn Clock>,
) -> (
    mpsc::UnboundedSender<ProbeRecord>,
    mpsc::UnboundedReceiver<Result<ProbeRecord, StoreError>>,
    std::thread::JoinHandle<Store>,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<ProbeRecord>();
    let (done_tx, done_rx) = mpsc::unbounded_channel();
    let handle = std::thread::spawn(move || {
        let mut last_prune: Option<i64> = None;
        while let Some(first) = rx.blocking_recv() {
            let mut batch = vec![first];
            while let Ok(more) = rx.try_recv() {
                batch.push(more);
                if batch.len() >= 1000 {
                    break;
                }
            }
            match store.append(&batch) {
                Ok(()) => {
                    for r in batch {
                        let _ = done_tx.send(Ok(r));
                    }
                }
                Err(e) => {
                    let _ = done_tx.send(Err(e));
                }
            }
            let now = clock.now_ms();
            if last_prune.is_none_or(|at| now - at > 3_600_000) {
                last_prune = Some(now);
                if let Err(e) = store.prune(now - retention_ms) {
                    let _ = done_tx.send(Err(e));
                }
            }
        }
        store
    });
    (tx, done_rx, handle)
}

/// Runs every target until `stop` resolves (or one round with `once`).
pub async fn run(
    prober: Arc<Prober>,
    specs: Vec<(ProbeSpec, Option<i64>)>,
    records: mpsc::UnboundedSender<ProbeRecord>,
    clock: Arc<dyn Clock>,
    once: bool,
    stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut tasks = tokio::task::JoinSet::new();
    for (spec, last) in specs {
        let prober = prober.clone();
        let records = records.clone();
        let clock = clock.clone();
        let mut stop = stop.clone();
        tasks.spawn(async move {
            let interval_ms = spec.interval.as_millis() as i64;
            let mut due = if once {
                clock.now_ms()
            } else {
                resume_at(last, interval_ms, clock.now_ms())
            };
            let spec = Arc::new(spec);
            let mut inflight = tokio::task::JoinSet::new();
            loop {
                let wait = (due - clock.now_ms()).max(0) as u64;
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(wait)) => {}
                    _ = stop.changed() => break,
                }
                let (p, s, r) = (prober.clone(), spec.clone(), records.clone());
                let at = due;
                inflight.spawn(async move {
                    if let Some(rec) = p.probe(&s, at).await {
                        let _ = r.send(rec);
                    }
                });
                if once {
                    break;
                }
                due += interval_ms;
                // Reap finished probes without waiting for the others.
                while inflight.try_join_next().is_some() {}
            }
            while inflight.join_next().await.is_some() {}
        });
    }
    while tasks.join_next().await.is_some() {}
}

/// Counts stored records into the metrics as the writer acknowledges them.
pub async fn acknowledge(
    mut done: mpsc::UnboundedReceiver<Result<ProbeRecord, StoreError>>,
    metrics: Arc<ProbeMetrics>,
    mut each: impl FnMut(&ProbeRecord),
) -> Vec<StoreError> {
    let mut errors = Vec::new();
    while let Some(r) = done.recv().await {
        match r {
            Ok(rec) => {
                metrics.observe(&rec);
                each(&rec);
            }
            Err(e) => errors.push(e),
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resuming_skips_missed_slots() {
        assert_eq!(resume_at(None, 60, 1000), 1000);
        assert_eq!(resume_at(Some(960), 60, 1000), 1020);
        assert_eq!(resume_at(Some(100), 60, 1000), 1000);
        assert_eq!(resume_at(Some(100), 60, 1001), 1060);
    }
}
