//! Scheduled, contract-aware probes.

pub mod config;
pub mod metrics;
pub mod record;
pub mod runner;
pub mod scheduler;

pub use record::{ProbeOutcome, ProbeRecord};
