//! Load tests of a partner's real journey, on goose: a token per realm (cached), the search
//! of a person, then that person's reads, per version; one scenario per API as well. The
//! convention's service level (90 % of calls under 1 s) is the pass mark.

pub mod error;
pub mod journey;
pub mod offline;
pub mod passmark;
pub mod plan;
pub mod routes;
pub mod run;
pub mod summary;

pub use error::LoadError;
pub use plan::{LoadPlan, Mix, Person};
pub use run::run;
pub use summary::LoadSummary;
