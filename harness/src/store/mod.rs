//! Where probe records are kept.

pub mod copy;
pub mod hourly;
pub mod instances;
pub mod latency;
pub mod lock;
pub mod records;

pub use lock::{LockError, StoreLock};
pub use records::{Store, StoreError};
