//! Report formats: `render/<report>/<format>.rs`, one format per file.

pub mod check;
pub mod diff;
pub mod gonogo;
pub mod index;
pub mod sla;
pub mod status;
pub mod summary;
