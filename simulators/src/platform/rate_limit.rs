//! Per-client token buckets: a call over the limit gets 429 with `Retry-After`.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::config::RateLimit;

#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, (f64, i64)>>,
}

impl RateLimiter {
    /// `Ok(())` if the call may proceed, else the seconds to wait.
    pub fn take(&self, client: &str, limit: &RateLimit, now_ms: i64) -> Result<(), u64> {
        let mut map = match self.buckets.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (tokens, at) = map
            .entry(client.to_string())
            .or_insert((f64::from(limit.burst), now_ms));
        let elapsed = (now_ms - *at).max(0) as f64 / 1000.0;
        *tokens = (*tokens + elapsed * limit.per_second).min(f64::from(limit.burst));
        *at = now_ms;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / limit.per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill() {
        let r = RateLimiter::default();
        let l = RateLimit {
            per_second: 2.0,
            burst: 3,
        };
        for _ in 0..3 {
            assert!(r.take("c", &l, 0).is_ok());
        }
        assert_eq!(r.take("c", &l, 0), Err(1));
        assert!(r.take("other", &l, 0).is_ok(), "per client");
        assert!(
            r.take("c", &l, 500).is_ok(),
            "half a second refills one call"
        );
    }
}
