//! Where probe records are kept.

pub mod hourly;
pub mod latency;
pub mod lock;
pub mod sqlite;

pub use lock::{LockError, StoreLock};
pub use sqlite::{Store, StoreError};
