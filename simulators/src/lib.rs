//! Simulators of the five France Travail partner APIs of the RSA convention, versions n-1
//! and n, behind an emulated access platform (OAuth2 client credentials per realm, scopes,
//! `pa-*` headers, `ft-jeton-usager`, rate limit), from a synthetic population derived from
//! a seed, with injectable faults.
//!
//! `app(state)` is the router; tests drive it with `oneshot` or on `127.0.0.1:0`.

// Handlers return `Result<_, Response>`: the early-return idiom of axum. A Response is
// 128 bytes; boxing it on every refusal would buy nothing.
#![allow(clippy::result_large_err)]

pub mod access;
pub mod app;
pub mod body;
pub mod bounded_map;
pub use contracts::civil;
pub use domain::clock;
pub mod config;
pub mod dataset;
pub mod defects;
pub mod dossier;
pub mod dossier_drawn;
pub mod faults;
pub mod guard;
pub mod identifiers;
pub mod nir_codec;
pub mod overlay;
pub mod person;
pub mod rate_limit;
pub mod realism;
pub mod referentiel;
pub mod responses;
pub mod rng;
pub mod routes;
pub mod serve;
pub mod state;
pub mod verified;
pub mod views_history;
pub mod views_profile;
pub mod views_statut;
pub mod views_v1;
pub mod views_v4;
pub mod writes;

pub use app::{admin_app, app};
pub use config::SimConfig;
pub use state::SimState;
