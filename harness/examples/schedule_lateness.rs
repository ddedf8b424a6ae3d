//! Does the scheduler keep its schedule? 1 000 probe targets at a 1 s interval (the 26
//! probeable operations of both versions, repeated, phases spread over the second), on a
//! single-threaded runtime — pin it to one core — against `vigie simulate` running apart;
//! records go through the real store writer. Prints the start lateness percentiles.
//!
//! `target/release/vigie simulate --port 8496 & taskset -c 0 target/release/examples/schedule_lateness 8496 20`

#![allow(clippy::unwrap_used)] // a benchmark: a failed unwrap is a failed run

use std::sync::Arc;
use std::time::Duration;

use domain::clock::{Clock, SystemClock};
use harness::client::calls::ApiClient;
use harness::client::credentials::Credentials;
use harness::client::politeness::Politeness;
use harness::client::target::Target;
use harness::probe::config::ProbeSpec;
use harness::probe::runner::{Prober, probeable};
use harness::probe::scheduler;
use harness::store::Store;

fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(8496);
    let secs: u64 = std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(20);
    let targets: usize = std::env::args()
        .nth(3)
        .and_then(|p| p.parse().ok())
        .unwrap_or(1000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let checker = Arc::new(contracts::Checker::active().unwrap());
        let store = checker.store();
        let mut ops = Vec::new();
        for api in contracts::catalogue::business_apis() {
            for v in &api.versions {
                for op in probeable(store, &api.id, &v.major) {
                    ops.push((api.id.as_str(), v.major.as_str(), v.era, op));
                }
            }
        }
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let now = clock.now_ms();
        let interval = Duration::from_secs(1);
        // Phases spread over the interval: target k is due at now + 1 s + k ms (mod 1 s).
        let specs: Vec<(ProbeSpec, Option<i64>)> = (0..targets)
            .map(|k| {
                let (api, major, era, op) = ops[k % ops.len()].clone();
                let spec = ProbeSpec { partner: String::new(), api, major, era, operation: op, interval };
                (spec, Some(now + (k as i64 * 1000 / targets as i64)))
            })
            .collect();
        let dataset: domain::dataset::Dataset = serde_json::from_str(include_str!("../../simulators/dataset/default.json")).unwrap();
        let person = dataset.cases.iter().find(|c| c.code_retour == "S001" && c.expect.is_some()).unwrap().clone();
        let target = Target::single(&format!("http://127.0.0.1:{port}"), "bench").unwrap();
        let polite = Politeness { concurrency: targets, rate_per_s: 0.0, timeout: Duration::from_secs(6), max_throttled: 0, max_wait: Duration::ZERO, read_retries: 0 };
        let client = Arc::new(ApiClient::new(target, Credentials::new("vigie-demo", "vigie-demo-secret"), polite).unwrap());
        let prober = Arc::new(Prober::new(client, checker, person, None, clock.clone(), Duration::from_secs(6)));
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("bench.sqlite")).unwrap();
        let (records, mut done, writer) = scheduler::writer(store, 0, 86_400_000, clock.clone(), scheduler::WriterLimits::default());
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(secs + 1)).await;
            let _ = stop_tx.send(true);
        });
        let collect = tokio::spawn(async move {
            let mut late = Vec::new();
            let mut outcomes = std::collections::BTreeMap::new();
            while let Some(w) = done.recv().await {
                let scheduler::Written::Stored(r) = w else { panic!("the store refused a write: {w:?}") };
                late.push(r.started_ms - r.scheduled_ms);
                *outcomes.entry(r.outcome.as_str()).or_insert(0u64) += 1;
            }
            (late, outcomes)
        });
        let probers = std::sync::Arc::new(scheduler::Probers::from([(String::new(), prober)]));
        scheduler::run(probers, specs, records, clock, false, stop_rx, None).await;
        let stored = tokio::task::spawn_blocking(move || writer.join().unwrap().0.count().unwrap()).await.unwrap();
        let (mut late, outcomes) = collect.await.unwrap();
        late.sort_unstable();
        let p = |q: f64| late[((q * late.len() as f64).ceil() as usize).clamp(1, late.len()) - 1];
        println!("{targets} targets × 1 s for {secs} s: {} probes, {stored} stored, outcomes {outcomes:?}", late.len());
        println!("start lateness: p50 {} ms, p90 {} ms, p99 {} ms, max {} ms", p(0.5), p(0.9), p(0.99), late[late.len() - 1]);
    });
}
