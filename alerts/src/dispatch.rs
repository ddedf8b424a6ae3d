//! Delivery of the outbox: each due message to its channel's notifier, retried with
//! exponential backoff (1 s, 2 s, 4 s … capped at 5 minutes), without end: an SMTP server down
//! for an hour gets its message within 5 minutes of coming back. A message is sent again only
//! if the process dies between the channel's acceptance and the record of it; the idempotency
//! key (Message-ID, `Idempotency-Key`) lets the receiver tell. Each channel gets its messages in
//! the order they were written: while the oldest waits for a retry, the later ones wait behind
//! it (a resolution never arrives before its opening).

use std::sync::{Arc, Mutex};

use crate::notifier::Notifier;
use crate::store::{AlertStore, AlertStoreError};

/// The longest wait between two attempts.
pub const MAX_BACKOFF_MS: i64 = 300_000;

/// The wait after the `attempts`-th failure.
pub fn backoff_ms(attempts: u32) -> i64 {
    (1000i64 << attempts.min(20)).min(MAX_BACKOFF_MS)
}

/// What one pass of delivery did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pass {
    pub delivered: usize,
    pub failed: usize,
}

/// Delivers every due message once (with `flush`, every pending one, backoff or not: the
/// last try of a process that stops). The store is locked only between deliveries.
pub async fn deliver_due(
    store: &Arc<Mutex<AlertStore>>,
    notifiers: &[Arc<dyn Notifier>],
    now: impl Fn() -> i64,
    flush: bool,
) -> Result<Pass, AlertStoreError> {
    let due = lock(store).due(if flush { i64::MAX } else { now() }, 100)?;
    let mut pass = Pass::default();
    let mut blocked: Vec<String> = Vec::new();
    for p in due {
        if blocked.contains(&p.channel) {
            continue;
        }
        let Some(n) = notifiers.iter().find(|n| n.channel() == p.channel) else {
            // A channel removed from the config: its messages wait for it to come back.
            continue;
        };
        let result = n.deliver(&p.message).await;
        let s = lock(store);
        match result {
            Ok(()) => {
                s.delivered(&p.message.key, &p.channel, now())?;
                pass.delivered += 1;
            }
            Err(e) => {
                s.failed(
                    &p.message.key,
                    &p.channel,
                    p.attempts,
                    &e.to_string(),
                    now() + backoff_ms(p.attempts),
                )?;
                pass.failed += 1;
                // The later messages of this channel wait behind this one.
                blocked.push(p.channel.clone());
            }
        }
    }
    Ok(pass)
}

/// Locks the store, even after a panic elsewhere (its data is in SQLite, not in memory).
pub fn lock(store: &Arc<Mutex<AlertStore>>) -> std::sync::MutexGuard<'_, AlertStore> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}
