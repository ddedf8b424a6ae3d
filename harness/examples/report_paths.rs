//! Times the month's report both ways on one store, alternated in one run: from the rollups
//! (what `vigie report` does) and from every record (the reference), and checks they agree:
//! `cargo run --release -p harness --example report_paths -- /tmp/month.sqlite 2026 3 [ROUNDS]`.

#![allow(clippy::unwrap_used)] // a benchmark: a failed unwrap is a failed run

use std::time::Instant;

use harness::sla::report;
use harness::store::Store;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = std::path::Path::new(&args[1]);
    let year: i32 = args[2].parse().unwrap();
    let month: u32 = args[3].parse().unwrap();
    let rounds: usize = args.get(4).map_or(3, |r| r.parse().unwrap());
    let store = Store::open(path).unwrap();
    let records = store.count().unwrap();
    let (mut rolled, mut raw) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        let r = report::build(&store, year, month, 0).unwrap();
        rolled.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let (apis, overall) = report::figures_from_records(&store, year, month).unwrap();
        raw.push(t.elapsed().as_secs_f64());
        assert_eq!(r.apis, apis, "the rollups and the records disagree");
        assert_eq!(r.overall, overall, "the rollups and the records disagree");
    }
    let show = |v: &[f64]| {
        v.iter()
            .map(|s| format!("{:.3}", s))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "{records} records; report from the rollups (s): {}",
        show(&rolled)
    );
    println!("figures from every record (s): {}", show(&raw));
    println!(
        "ratio (records / rollups, medians): {:.1}x; the figures agree",
        median(&mut raw) / median(&mut rolled)
    );
}
