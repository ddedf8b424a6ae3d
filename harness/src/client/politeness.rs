//! How a check treats the platform it calls: bounded concurrency and rate, a timeout per
//! call (6 s: the convention's bound for a complex request), 429 answers waited out as
//! `Retry-After` says, and retries only where they cannot do harm.

use std::time::Duration;

use crate::client::target::Target;

#[derive(Debug, Clone, PartialEq)]
pub struct Politeness {
    /// People checked at the same time.
    pub concurrency: usize,
    /// Calls per second at most, all calls together.
    pub rate_per_s: f64,
    pub timeout: Duration,
    /// How many 429 answers one call rides out before giving up.
    pub max_throttled: u32,
    /// The longest `Retry-After` waited; longer ones end the call as throttled.
    pub max_wait: Duration,
    /// Retries of a read after a connection error or a timeout (writes are never retried
    /// after a timeout: the platform may have applied them).
    pub read_retries: u32,
}

impl Politeness {
    /// Against a remote platform: 2 people at a time, 5 calls/s.
    pub fn remote() -> Politeness {
        Politeness {
            concurrency: 2,
            rate_per_s: 5.0,
            timeout: Duration::from_secs(6),
            max_throttled: 10,
            max_wait: Duration::from_secs(120),
            read_retries: 1,
        }
    }

    /// Against the embedded simulators: as fast as they answer.
    pub fn embedded() -> Politeness {
        Politeness {
            concurrency: 8,
            rate_per_s: 0.0,
            ..Politeness::remote()
        }
    }

    /// The guard applies to what is not this machine: a target whose every URL (APIs and
    /// token endpoint) is on 127.0.0.0/8 or ::1 is treated like the embedded simulators
    /// (`--rate` and `--concurrency` still apply on top).
    pub fn for_target(target: &Target) -> Politeness {
        if target.is_loopback() {
            Politeness::embedded()
        } else {
            Politeness::remote()
        }
    }

    /// The pause between two calls (`None`: no limit).
    pub fn interval(&self) -> Option<Duration> {
        (self.rate_per_s > 0.0).then(|| Duration::from_secs_f64(1.0 / self.rate_per_s))
    }
}

/// Seconds of a `Retry-After` header (delta-seconds; an HTTP date or garbage counts as
/// `default`).
pub fn retry_after(value: Option<&str>, default: Duration) -> Duration {
    value
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(default, Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds() {
        let d = Duration::from_secs(60);
        assert_eq!(retry_after(Some("3"), d), Duration::from_secs(3));
        assert_eq!(retry_after(Some(" 0 "), d), Duration::ZERO);
        assert_eq!(retry_after(Some("Wed, 21 Oct 2026 07:28:00 GMT"), d), d);
        assert_eq!(retry_after(None, d), d);
        assert_eq!(Politeness::embedded().interval(), None);
        assert_eq!(
            Politeness::remote().interval(),
            Some(Duration::from_millis(200))
        );
    }

    #[test]
    fn only_what_is_not_this_machine_is_throttled() {
        let t = |base: &str, token: Option<&str>| {
            Politeness::for_target(&Target::custom(base, token).unwrap())
        };
        assert_eq!(t("http://127.0.0.1:8400", None), Politeness::embedded());
        assert_eq!(t("http://[::1]:8400", None), Politeness::embedded());
        assert_eq!(t("https://api-r.ft-qvr.io", None), Politeness::remote());
        // A remote token endpoint is not this machine (userinfo hiding the host is refused
        // by `Target` itself: see target.rs).
        assert_eq!(
            t(
                "http://127.0.0.1:8400",
                Some("https://example.invalid/token")
            ),
            Politeness::remote()
        );
    }
}
