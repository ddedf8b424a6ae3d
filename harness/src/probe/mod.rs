//! Scheduled, contract-aware probes.

pub mod config;
pub mod health;
pub mod listener;
pub mod metrics;
pub mod record;
pub mod reload;
pub mod runner;
pub mod scheduler;
pub mod shares;
pub mod signals;
pub mod status;

pub use record::{ProbeOutcome, ProbeRecord};
