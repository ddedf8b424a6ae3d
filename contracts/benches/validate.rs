//! Validation of a real-size `dossiers` response (diagnostic-individu v4): our Checker
//! against the bare `jsonschema` validator compiled from the same schema (the publisher's
//! schema with the default profile's presence rules) with the same options; and, apart, the
//! bare validator of the publisher's schema alone (what the presence rules cost). Run: `cargo bench -p contracts --bench validate`.

#![allow(clippy::unwrap_used, missing_docs)] // a bench: a failed unwrap is a failed run

use std::hint::black_box;

use contracts::{Checker, ContractStore};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;

#[path = "support/dossier.rs"]
mod dossier;

use dossier::{published_and_contract, real_size_dossier};

fn bench(c: &mut Criterion) {
    let store = ContractStore::embedded().unwrap();
    let (published, schema) = published_and_contract(store);
    let doc = real_size_dossier(&published);
    let bytes = serde_json::to_vec(&doc).unwrap().len();
    let checker = Checker::active().unwrap();
    assert!(
        checker
            .check_response(
                "diagnostic-individu",
                "n",
                "recuperer-dossier-individu",
                200,
                Some(&doc)
            )
            .unwrap()
            .is_empty(),
        "the bench document must be valid"
    );
    let bare = contracts::checker::validation_options()
        .build(&schema)
        .unwrap();
    assert!(bare.is_valid(&doc));

    let mut g = c.benchmark_group(format!("dossiers v4 valid ({bytes} bytes)"));
    g.throughput(Throughput::Elements(1));
    g.bench_function("bare jsonschema is_valid", |b| {
        b.iter(|| black_box(bare.is_valid(black_box(&doc))))
    });
    let publisher = contracts::checker::validation_options()
        .build(&published)
        .unwrap();
    g.bench_function("bare jsonschema is_valid, publisher's schema", |b| {
        b.iter(|| black_box(publisher.is_valid(black_box(&doc))))
    });
    g.bench_function("vigie Checker::check_response", |b| {
        b.iter(|| {
            black_box(
                checker
                    .check_response(
                        "diagnostic-individu",
                        "n",
                        "recuperer-dossier-individu",
                        200,
                        Some(black_box(&doc)),
                    )
                    .unwrap(),
            )
        })
    });
    g.finish();

    // An invalid document: every violation collected, with pointer, redaction and meaning.
    let mut broken = doc.clone();
    broken["besoinsParDiagnostic"][1]["diagnostic"]["codeTypologie"] = Value::from("XX");
    broken["thematiqueContrainte"]["contraintes"][3]["valeur"] = Value::from(3);
    let mut g = c.benchmark_group("dossiers v4 with 2 violations");
    g.bench_function("bare jsonschema iter_errors", |b| {
        b.iter(|| black_box(bare.iter_errors(black_box(&broken)).count()))
    });
    g.bench_function("vigie Checker::check_response", |b| {
        b.iter(|| {
            black_box(
                checker
                    .check_response(
                        "diagnostic-individu",
                        "n",
                        "recuperer-dossier-individu",
                        200,
                        Some(black_box(&broken)),
                    )
                    .unwrap(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
