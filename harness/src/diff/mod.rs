//! Changes between contract versions, for change management.

pub mod report;
