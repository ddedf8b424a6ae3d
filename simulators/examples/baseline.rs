//! The baseline of the throughput benchmark: a minimal axum handler returning a fixed JSON
//! body, on the same runtime and server as the simulators. `/fixed` answers the official
//! «Usager trouvé» example of Recherche usager v2; `/file` answers the bytes of a file given
//! as second argument (the benchmark passes a real `GET /dossiers` answer of the simulators,
//! so that both sides send the same 24 kB).
//! Run: `cargo run --release -p simulators --example baseline -- 8499 [body.json]`.

#![allow(clippy::unwrap_used)] // a benchmark baseline: a failed unwrap is a failed run

use axum::Router;
use axum::http::header;
use axum::routing::get;

const BODY: &str = r#"{"codeRetour":"S001","message":"Usager trouvé","topIdentiteCertifiee":"O","jetonUsager":"ewogICJ2ZXJzIiA6ICIwLjEiLAogICJ1dWlkIiA6ICJjOTE5YmY4Yy0yY2E5LTQ3MjYtYWEwMy1jNGE1ZTEyODI4ZDUiLAogICJleHBpcmUiIDogMTcyNjU4NjEyNjY0NywKICAidHlwZSIgOiAiL3BhcnRlbmFpcmUiLAogICJkYXRhIiA6ICI1MmEwOGU4YS1jMmFhLTRlODQtYTQ2NS1lMTIwZWU2YzQxM2UjQWtFRjZtSnRtRm9HOWlXS3pCbTdITmNKeVpVM2ZNc1dURHBhSktibUNSWkM3WWd5YVFWSzhwWkJCMWQ3aTc0dzhOamRja01URkFZR0xXWklEd3JYRVhDaE5XOUhIVU9fcDByTV9kajFKbFozdElBQURMUURTX2ZsUlBWMW1BdmtPbTl4WEFSQWoxQWFlQkJCdW9hQjhCNWJJVU8xTWhBMHE0Q3drMGhQS2ZrIgp9","numeroFranceTravail":"10107641246"}"#;

// The same allocator as the `vigie` binary, so that the ratio compares the handlers.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(8499);
    let file: &'static [u8] = match std::env::args().nth(2) {
        Some(p) => Box::leak(std::fs::read(p).unwrap().into_boxed_slice()),
        None => BODY.as_bytes(),
    };
    let fixed = || async {
        (
            [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
            BODY,
        )
    };
    let from_file = move || async move {
        (
            [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
            file,
        )
    };
    let app = Router::new()
        .route("/fixed", get(fixed).post(fixed))
        .route("/file", get(from_file));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    // The simulators' own server (timeouts, connection limit), so that only the handlers differ.
    simulators::serve::serve(
        listener,
        app,
        simulators::serve::ConnectionLimits::default(),
        Default::default(),
        std::future::pending(),
    )
    .await
    .unwrap();
}
