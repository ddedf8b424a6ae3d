//! The convention's service levels over a calendar month (Annex 2 §3).

pub mod headline;
pub mod month;
pub use alerts::paris;
pub mod report;
pub mod summary;
