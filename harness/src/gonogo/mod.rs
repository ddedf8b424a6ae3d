//! Go/no-go for change management (Annex 2 §7): criteria from the evidence, a documented
//! decision, a report.

pub mod criteria;
pub mod decision;
pub mod evidence;
pub mod report;
