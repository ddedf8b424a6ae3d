//! Where probe records are kept.

pub mod sqlite;

pub use sqlite::{Store, StoreError};
