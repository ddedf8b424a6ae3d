//! Scheduled, contract-aware probes.

pub mod record;

pub use record::{ProbeOutcome, ProbeRecord};
