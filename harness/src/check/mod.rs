//! `vigie check`: the data set's cases against a live target (the embedded simulators by
//! default), every answer held to the contract of its version, with drift and reports.

pub mod drift;
pub mod expect;
pub mod plan;
pub mod record;
pub mod run;
pub mod shape;

pub use record::{CallRecord, CheckReport, Verdict};
