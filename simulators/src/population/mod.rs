//! The synthetic population: people derived from (seed, index) on demand, their NIR, the
//! identifiers the APIs hand out for them, how tidy their data is, and the data set that
//! tells a client which of them leads to which case.

pub mod dataset;
pub(crate) mod identifiers;
pub(crate) mod nir_codec;
pub(crate) mod person;
pub(crate) mod realism;
pub(crate) mod rng;
