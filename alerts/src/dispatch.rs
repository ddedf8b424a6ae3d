//! Delivery of the outbox: each due message to its channel's notifier, retried with
//! exponential backoff (1 s, 2 s, 4 s … capped at 5 minutes), without end: an SMTP server down
//! for an hour gets its message within 5 minutes of coming back. A message is sent again only
//! if the process dies between the channel's acceptance and the record of it; the idempotency
//! key (Message-ID, `Idempotency-Key`) lets the receiver tell. Each channel gets its messages in
//! the order they were written: while the oldest waits for a retry, the later ones wait behind
//! it (a resolution never arrives before its opening). Messages are claimed before they are
//! sent, so that several instances on one store never send one twice.

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
    /// Each attempt, in order (for the log).
    pub attempts: Vec<Attempt>,
}

/// One delivery attempt of one message on one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub channel: String,
    /// The message's idempotency key.
    pub key: String,
    pub incident: u64,
    /// Why the channel refused it (no secret: the notifiers' errors name classes and codes).
    pub error: Option<String>,
    /// When it is tried again, after a refusal (clock ms).
    pub retry_at_ms: Option<i64>,
}

/// Runs a store call on the blocking pool: a store waiting for another writer's lock (up to
/// its busy timeout) must not hold up the runtime's other tasks (probes, the status page).
async fn blocking<T: Send + 'static>(
    store: &Arc<Mutex<AlertStore>>,
    f: impl FnOnce(&AlertStore) -> Result<T, AlertStoreError> + Send + 'static,
) -> Result<T, AlertStoreError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(&lock(&store)))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

/// Delivers every due message once (with `flush`, every pending one, backoff or not: the
/// last try of a process that stops). The store is locked only between deliveries.
pub async fn deliver_due(
    store: &Arc<Mutex<AlertStore>>,
    notifiers: &[Arc<dyn Notifier>],
    now: impl Fn() -> i64,
    flush: bool,
) -> Result<Pass, AlertStoreError> {
    // Claimed, not just read: another instance on the same store sends none of these.
    let at = now();
    let due_by = if flush { i64::MAX } else { at };
    let due = blocking(store, move |s| s.claim(due_by, at, 100)).await?;
    let mut pass = Pass::default();
    let mut blocked: Vec<String> = Vec::new();
    for p in due {
        let (key, channel) = (p.message.key.clone(), p.channel.clone());
        if blocked.contains(&p.channel) {
            blocking(store, move |s| s.release(&key, &channel)).await?;
            continue;
        }
        let Some(n) = notifiers.iter().find(|n| n.channel() == p.channel) else {
            // A channel removed from the config: its messages wait for it to come back.
            blocking(store, move |s| s.release(&key, &channel)).await?;
            continue;
        };
        let result = n.deliver(&p.message).await;
        match result {
            Ok(()) => {
                let at = now();
                blocking(store, move |s| s.delivered(&key, &channel, at)).await?;
                pass.delivered += 1;
                pass.attempts.push(Attempt {
                    channel: p.channel.clone(),
                    key: p.message.key.clone(),
                    incident: p.message.incident,
                    error: None,
                    retry_at_ms: None,
                });
            }
            Err(e) => {
                let retry_at = now() + backoff_ms(p.attempts);
                let (attempts, error) = (p.attempts, e.to_string());
                blocking(store, move |s| {
                    s.failed(&key, &channel, attempts, &error, retry_at)
                })
                .await?;
                pass.failed += 1;
                pass.attempts.push(Attempt {
                    channel: p.channel.clone(),
                    key: p.message.key.clone(),
                    incident: p.message.incident,
                    error: Some(e.to_string()),
                    retry_at_ms: Some(retry_at),
                });
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
