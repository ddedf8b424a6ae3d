//! Simulators of the five France Travail partner APIs of the RSA convention, versions n-1
//! and n, behind an emulated access platform (OAuth2 client credentials per realm, scopes,
//! `pa-*` headers, `ft-jeton-usager`, rate limit), from a synthetic population derived from
//! a seed, with injectable faults.
//!
//! The layout follows the design: `platform` (what stands in front of every API),
//! `population` (the synthetic people), `diagnostic` (the dossier model behind both versions
//! of Diagnostic individu), `api` (one module per API with its `router()` and its views),
//! `faults` (injected faults and their admin endpoint), `http` (request bodies, answers and
//! errors in the real APIs' shapes). Everything is crate-private except what `vigie` and
//! the tests use, re-exported below.
//!
//! `app(state)` is the router; tests drive it with `oneshot` or on `127.0.0.1:0`.

// Handlers return `Result<_, Response>`: the early-return idiom of axum. A Response is
// 128 bytes; boxing it on every refusal would buy nothing.
#![allow(clippy::result_large_err)]
#![warn(unreachable_pub)]

mod api;
mod app;
pub mod config;
mod diagnostic;
mod faults;
mod http;
mod platform;
mod population;
#[doc(hidden)]
pub mod profiling;
pub mod serve;
mod state;

pub use app::{admin_app, app};
pub use config::SimConfig;
pub use contracts::civil;
pub use diagnostic::model::HISTORY_BYTES;
pub use domain::clock;
pub use faults::plan::FaultPlan;
pub use http::body::MAX_STRING_CHARS;
pub use population::dataset;
pub use population::nir_codec::CAPACITY;
pub use population::person::{Known, Person};
pub use population::realism::Realism;
pub use state::SimState;

#[cfg(test)]
mod layout {
    /// Every answer is a derived view struct written by serde: no `json!` outside tests.
    #[test]
    fn no_file_writes_json_by_hand() {
        let mut offenders = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                if code.contains(concat!("json", "!(")) || code.contains(concat!("json", "!{")) {
                    offenders.push(path.display().to_string());
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "hand-written JSON in {offenders:?}: use a derived view struct"
        );
    }
}
