//! When an incident opens and when it is resolved: the partner's thresholds, in config.

use serde::{Deserialize, Serialize};

/// Thresholds of the incident engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Consecutive failed probes of one target that confirm an outage (2 by default: with the
    /// probes' quick re-probes, a failure seen again 10 s later).
    pub open_after_failures: u32,
    /// Consecutive answered probes of every affected target that confirm a recovery.
    pub resolve_after_successes: u32,
    /// Answered probes per API version over which the share under 1 s is computed.
    pub degradation_window: u32,
    /// The share under 1 s below which the API version is degraded (the convention's 90 %).
    pub degradation_min_share: f64,
    /// Consecutive answers that break the contract or a data rule before an applicative
    /// incident opens.
    pub open_after_violations: u32,
    /// A reminder when this share of a deadline's time has passed (0.75: the last quarter).
    pub remind_at: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            open_after_failures: 2,
            resolve_after_successes: 3,
            degradation_window: 30,
            degradation_min_share: 0.9,
            open_after_violations: 2,
            remind_at: 0.75,
        }
    }
}
