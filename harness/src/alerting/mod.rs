//! Incidents from the probes: the `alerts` engine fed with stored records, notifications
//! delivered from the durable outbox, and the pre-diagnosis report.

pub mod config;
pub mod observe;
pub mod prediagnosis;
pub mod worker;
