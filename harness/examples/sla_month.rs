//! Writes a probe store holding one month (March 2026) of every probeable operation of both
//! versions probed every 10 s — about seven million records — for the report benchmark:
//! `cargo run --release -p harness --example sla_month -- /tmp/month.sqlite [MONTHS] [COPIES]
//! [STEP_MS]` (MONTHS ending with March 2026, 1 by default: 3 gives the report a month-on-month
//! trend; COPIES of every target, as for that many départements, 1 by default; STEP_MS between
//! two probes of a target, 10 000 by default: 100 copies every 60 000 ms is ≈ 116 million
//! records), then
//! `/usr/bin/time -v target/release/vigie report --month 2026-03 --store /tmp/month.sqlite --format json --out /tmp/r.json`.

#![allow(clippy::unwrap_used)] // a benchmark fixture: a failed unwrap is a failed run

use harness::probe::{ProbeOutcome, ProbeRecord};
use harness::sla::paris;
use harness::store::Store;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/month.sqlite".into());
    let _ = std::fs::remove_file(&path);
    let mut store = Store::open(std::path::Path::new(&path)).unwrap();
    let contracts = contracts::store::ContractStore::embedded().unwrap();
    let arg = |i: usize, default: u64| {
        std::env::args()
            .nth(i)
            .map_or(default, |m| m.parse().unwrap())
    };
    let copies = arg(3, 1).max(1);
    let step = arg(4, 10_000).max(100) as i64;
    let mut targets = Vec::new();
    for copy in 0..copies {
        for api in contracts::catalogue::business_apis() {
            for v in &api.versions {
                for op in harness::probe::runner::probeable(contracts, &api.id, &v.major) {
                    let key = if copies == 1 {
                        format!("{}/{}/{op}", api.id, v.major)
                    } else {
                        format!("d{copy:03}/{}/{}/{op}", api.id, v.major)
                    };
                    targets.push((key, api.id.as_str(), v.major.as_str(), op));
                }
            }
        }
    }
    let months = (arg(2, 1) as u32).clamp(1, 3);
    let (from, _) = paris::month_bounds(2026, 4 - months);
    let (_, to) = paris::month_bounds(2026, 3);
    let mut batch = Vec::with_capacity(100_000);
    let mut n: u64 = 0;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let started = std::time::Instant::now();
    let mut at = from;
    while at < to {
        for (i, (key, api, major, op)) in targets.iter().enumerate() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let roll = x % 1000;
            // An hour-long outage of each target on a different day; 1 % slow; 0.1 % over 6 s.
            let day = (at - from) / 86_400_000 % 31;
            let hour = (at - from) / 3_600_000 % 24;
            let outcome = if day == i as i64 % 28 && hour == 10 {
                ProbeOutcome::Down
            } else if roll < 10 {
                ProbeOutcome::Slow
            } else if roll < 11 {
                ProbeOutcome::Exceptional
            } else {
                ProbeOutcome::Up
            };
            let duration = match outcome {
                ProbeOutcome::Slow => 1000.0 + (x % 2000) as f64,
                ProbeOutcome::Exceptional => 6500.0,
                ProbeOutcome::Down => 6000.0,
                _ => 50.0 + (x % 400) as f64,
            };
            batch.push(ProbeRecord {
                target: key.clone(),
                api: (*api).into(),
                version: (*major).into(),
                operation: op.clone(),
                scheduled_ms: at,
                started_ms: at + 1,
                duration_ms: duration,
                interval_ms: step,
                status: (outcome != ProbeOutcome::Down).then_some(200),
                outcome,
                violations: Vec::new(),
                evidence: None,
            });
            n += 1;
        }
        if batch.len() >= 100_000 {
            store.append(&batch).unwrap();
            batch.clear();
        }
        at += step;
    }
    store.append(&batch).unwrap();
    println!(
        "{n} records of {} targets written to {path} in {:.1} s",
        targets.len(),
        started.elapsed().as_secs_f64()
    );
}
