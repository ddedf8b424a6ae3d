//! In-process loop over one route, for profiling (`perf record`): no network, no load
//! generator. Run: `cargo run --profile bench -p simulators --example profile_dossier -- dossiers 20000`
//! (or `recherche`, or `spread` for the derive and write costs only).

#![allow(clippy::unwrap_used)] // a profiling tool: a failed unwrap is a failed run

use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use simulators::clock::SystemClock;
use simulators::{SimConfig, SimState};
use tower::ServiceExt;

/// The allocator of `vigie` (`harness/src/main.rs`), so that allocations cost here what
/// they cost there.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let what = std::env::args().nth(1).unwrap_or_else(|| "dossiers".into());
    let n: u32 = std::env::args()
        .nth(2)
        .and_then(|x| x.parse().ok())
        .unwrap_or(20_000);
    let state = SimState::new(
        SimConfig {
            people: 10_000_000,
            ..SimConfig::default()
        },
        Arc::new(SystemClock),
        b"p",
    )
    .unwrap();
    let app = simulators::app(state.clone());
    let sample = simulators::dataset::sample(&state, 1).remove(0);
    let token = |realm: &str, scope: &str| {
        let app = app.clone();
        let body = format!(
            "grant_type=client_credentials&client_id=vigie-demo&client_secret=vigie-demo-secret&scope={}",
            scope.replace(' ', "%20")
        );
        let uri = format!("/connexion/oauth2/access_token?realm={realm}");
        async move {
            let r = app
                .oneshot(
                    Request::post(uri)
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(Body::from(body))
                        .unwrap(),
                )
                .await
                .unwrap();
            let v: serde_json::Value =
                serde_json::from_slice(&r.into_body().collect().await.unwrap().to_bytes()).unwrap();
            v["access_token"].as_str().unwrap().to_string()
        }
    };
    let tr = token(
        "/agent",
        "api_rechercher-usagerv2 rechercheusager profil_accedant",
    )
    .await;
    let td = token("/agent", "api_diagnosticargumentev4 diagnosticusageragent").await;
    let body =
        serde_json::json!({"nir": sample.nir, "dateNaissance": sample.date_naissance}).to_string();
    let search = || {
        Request::post("/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir")
            .header("authorization", format!("Bearer {tr}"))
            .header("pa-nom-agent", "B")
            .header("pa-prenom-agent", "B")
            .header("pa-identifiant-agent", "BATCH")
            .header("content-type", "application/json")
            .body(Body::from(body.clone()))
            .unwrap()
    };
    let r = app.clone().oneshot(search()).await.unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&r.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let jeton = v["jetonUsager"].as_str().unwrap().to_string();
    // Where the time goes, outside HTTP: derive, then render.
    let index = simulators::profiling::index_of(&state, &sample.nir).unwrap();
    let t = std::time::Instant::now();
    for _ in 0..200 {
        std::hint::black_box(simulators::profiling::derive(&state, index));
    }
    let derive_us = t.elapsed().as_secs_f64() * 1e6 / 200.0;
    let d = simulators::profiling::derive(&state, index);
    let t = std::time::Instant::now();
    let mut size = 0;
    for _ in 0..200 {
        size = std::hint::black_box(simulators::profiling::write_v4(&d)).len();
    }
    println!(
        "derive {derive_us:.1} µs, render {:.1} µs, {size} bytes, {} history entries",
        t.elapsed().as_secs_f64() * 1e6 / 200.0,
        d.history_len()
    );
    // The same over people spread: each dossier derived and written once per pass.
    let people: Vec<u64> = (0..20_000u64)
        .map(|i| i * 499)
        .filter(|&i| simulators::profiling::has_dossier(&state, i))
        .take(2000)
        .collect();
    // What `GET /dossiers` does for someone never written to: draw, derive the model, write
    // it with serde.
    let (mut derive_ns, mut serde_ns, mut bytes) = (0u128, 0u128, 0usize);
    let (mut largest, mut over_32k) = (0usize, 0usize);
    for _ in 0..5 {
        for &i in &people {
            let t = std::time::Instant::now();
            let d = std::hint::black_box(simulators::profiling::derive(&state, i));
            let t2 = std::time::Instant::now();
            let out = simulators::profiling::write_v4(&d);
            let len = std::hint::black_box(out).len();
            let t3 = std::time::Instant::now();
            drop(d);
            derive_ns += (t2 - t).as_nanos() + t3.elapsed().as_nanos();
            serde_ns += (t3 - t2).as_nanos();
            bytes += len;
            largest = largest.max(len);
            over_32k += usize::from(len > 32 * 1024);
        }
    }
    let reads = (people.len() * 5) as f64;
    println!(
        "spread over {} people: derive+drop {:.2} µs, serde_json {:.2} µs, {:.0} bytes per dossier",
        people.len(),
        derive_ns as f64 / 1e3 / reads,
        serde_ns as f64 / 1e3 / reads,
        bytes as f64 / reads,
    );
    println!("largest {largest} bytes, {over_32k} of {reads} over 32 kB");
    if what == "spread" {
        return;
    }
    let start = std::time::Instant::now();
    for _ in 0..n {
        let req = if what == "recherche" {
            search()
        } else {
            Request::get("/partenaire/diagnosticargumente/v4/dossiers")
                .header("authorization", format!("Bearer {td}"))
                .header("pa-nom-agent", "B")
                .header("pa-prenom-agent", "B")
                .header("pa-identifiant-agent", "BATCH")
                .header("ft-jeton-usager", &jeton)
                .body(Body::empty())
                .unwrap()
        };
        let r = app.clone().oneshot(req).await.unwrap();
        assert_eq!(r.status(), 200);
        std::hint::black_box(r.into_body().collect().await.unwrap().to_bytes());
    }
    println!(
        "{what}: {:.1} µs per request",
        start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    );
}
