//! Interleaved A/B timing of the Checker against the bare validator on the bench document:
//! blocks of calls alternate between the two, so that machine drift hits both alike. Prints
//! the median block time of each and the throughput ratio.
//! Run: `cargo run --release -p contracts --example overhead`.

#![allow(clippy::unwrap_used)] // a measurement tool: a failed unwrap is a failed run

use std::hint::black_box;
use std::time::Instant;

use contracts::{Checker, ContractStore};

#[path = "../benches/support/dossier.rs"]
mod dossier;

use dossier::{FILE, real_size_dossier};
const BLOCK: u32 = 2_000;
const ROUNDS: usize = 200;

fn main() {
    let store = ContractStore::embedded().unwrap();
    let schema = store.raw("diagnostic-individu", "v4").unwrap().schemas[FILE].clone();
    let doc = real_size_dossier(&schema);

    let checker = Checker::embedded().unwrap();
    let bare = contracts::checker::validation_options()
        .build(&schema)
        .unwrap();
    let probe = std::env::var("OVERHEAD_PROBE").is_ok();
    let bare2 = checker
        .response_validator(
            "diagnostic-individu",
            "n",
            "recuperer-dossier-individu",
            200,
        )
        .unwrap()
        .unwrap();
    let ours = || {
        checker
            .check_response(
                "diagnostic-individu",
                "n",
                "recuperer-dossier-individu",
                200,
                Some(black_box(&doc)),
            )
            .unwrap()
            .is_empty()
    };
    assert!(ours() && bare.is_valid(&doc));

    let (mut a, mut b) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Alternate which goes first, too.
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for which in order {
            let t = Instant::now();
            for _ in 0..BLOCK {
                if which == 0 {
                    black_box(bare.is_valid(black_box(&doc)));
                } else if probe {
                    black_box(bare2.is_valid(black_box(&doc)));
                } else {
                    black_box(ours());
                }
            }
            let per_call = t.elapsed().as_secs_f64() * 1e9 / f64::from(BLOCK);
            if which == 0 {
                a.push(per_call)
            } else {
                b.push(per_call)
            }
        }
    }
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let (ma, mb) = (a[a.len() / 2], b[b.len() / 2]);
    println!(
        "bare jsonschema is_valid:       median {ma:.0} ns/call (min {:.0})",
        a[0]
    );
    println!(
        "vigie Checker::check_response:  median {mb:.0} ns/call (min {:.0})",
        b[0]
    );
    println!(
        "vigie throughput / bare throughput: {:.1} % (medians), {:.1} % (minima)",
        100.0 * ma / mb,
        100.0 * a[0] / b[0]
    );
}
