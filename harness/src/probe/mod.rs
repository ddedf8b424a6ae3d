//! Scheduled, contract-aware probes.

pub mod config;
pub mod metrics;
pub mod record;
pub mod reload;
pub mod runner;
pub mod scheduler;
pub mod signals;

pub use record::{ProbeOutcome, ProbeRecord};
