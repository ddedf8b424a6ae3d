//! Interleaved A/B timing of the Checker against the bare validator on the bench document:
//! blocks of calls alternate between the two, so that machine drift hits both alike. Prints
//! the median block time of each and the throughput ratio.
//!
//! The baseline is the bare `jsonschema` validator compiled from the same contract the Checker
//! holds answers to (the publisher's schema with the default profile's presence rules); a
//! third side, the bare validator of the publisher's schema alone, prints what the presence
//! rules themselves cost.
//! Run: `cargo run --release -p contracts --example overhead`.

#![allow(clippy::unwrap_used)] // a measurement tool: a failed unwrap is a failed run

use std::hint::black_box;
use std::time::Instant;

use contracts::{Checker, ContractStore};

#[path = "../benches/support/dossier.rs"]
mod dossier;

use dossier::real_size_dossier;
const BLOCK: u32 = 2_000;
const ROUNDS: usize = 200;

fn main() {
    let store = ContractStore::embedded().unwrap();
    let (published, contract) = dossier::published_and_contract(store);
    let doc = real_size_dossier(&published);

    let checker = Checker::active().unwrap();
    let bare = contracts::checker::validation_options()
        .build(&contract)
        .unwrap();
    let publisher = contracts::checker::validation_options()
        .build(&published)
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
    assert!(ours() && bare.is_valid(&doc) && publisher.is_valid(&doc));

    let mut times: [Vec<f64>; 3] = Default::default();
    for round in 0..ROUNDS {
        // Rotate which goes first, too.
        for k in 0..3 {
            let which = (round + k) % 3;
            let t = Instant::now();
            for _ in 0..BLOCK {
                match which {
                    0 => black_box(bare.is_valid(black_box(&doc))),
                    1 if probe => black_box(bare2.is_valid(black_box(&doc))),
                    1 => black_box(ours()),
                    _ => black_box(publisher.is_valid(black_box(&doc))),
                };
            }
            times[which].push(t.elapsed().as_secs_f64() * 1e9 / f64::from(BLOCK));
        }
    }
    for t in &mut times {
        t.sort_by(f64::total_cmp);
    }
    let [a, b, c] = &times;
    let (ma, mb, mc) = (a[a.len() / 2], b[b.len() / 2], c[c.len() / 2]);
    println!(
        "bare jsonschema is_valid, same contract:     median {ma:.0} ns/call (min {:.0})",
        a[0]
    );
    println!(
        "vigie Checker::check_response:               median {mb:.0} ns/call (min {:.0})",
        b[0]
    );
    println!(
        "bare jsonschema is_valid, publisher's schema: median {mc:.0} ns/call (min {:.0})",
        c[0]
    );
    println!(
        "vigie throughput / bare throughput (same contract): {:.1} % (medians), {:.1} % (minima)",
        100.0 * ma / mb,
        100.0 * a[0] / b[0]
    );
    println!(
        "presence rules: bare on the contract / bare on the publisher's schema: {:.1} % (medians)",
        100.0 * mc / ma
    );
}
