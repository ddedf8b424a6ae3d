//! Several `vigie probe` instances on one PostgreSQL store share the targets out: each
//! instance renews its lease (`[store] lease_s`, 10 s by default) every quarter of it, and
//! every target is probed by one of the instances alive, the same for all of them (rendezvous
//! hashing over the live ids: an instance that joins takes a fair share, one that stops or
//! dies hands on only its own targets, within one lease). The schedule restarts on the new
//! share where each target's records stop; a probe made twice during a hand-over is stored
//! once (a target's record is keyed by its due time).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use sha2::Digest;
use tokio::sync::watch;

use crate::store::{Store, StoreError};

/// Who is alive on the store, and where each target's records stop (read when it changed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shares {
    pub live: Vec<String>,
    pub lasts: BTreeMap<String, i64>,
}

/// This instance's name on the store: host, process and start.
pub fn instance_id(started_ms: i64) -> String {
    format!(
        "{}-{}-{started_ms}",
        crate::store::lock::hostname(),
        std::process::id()
    )
}

fn weight(instance: &str, target: &str) -> [u8; 32] {
    sha2::Sha256::digest(format!("{instance}\n{target}").as_bytes()).into()
}

/// The live instance that probes `target`: the one with the highest weight.
pub fn owner<'a>(target: &str, live: &'a [String]) -> Option<&'a str> {
    live.iter()
        .max_by_key(|i| weight(i, target))
        .map(String::as_str)
}

/// The targets of `keys` that `me` probes among `live` (all of them when `live` is empty:
/// alone, or the store cannot say).
pub fn mine(keys: &[String], live: &[String], me: &str) -> BTreeSet<String> {
    keys.iter()
        .filter(|k| live.is_empty() || owner(k, live) == Some(me))
        .cloned()
        .collect()
}

/// Renews the lease every quarter of it on a thread of its own, and sends the live list
/// (with the targets' last due times) whenever it changes. Stops, and says this instance
/// has left, when the returned stopper is dropped.
pub fn keep(
    mut store: Store,
    me: String,
    started_ms: i64,
    lease: Duration,
    keys: Vec<String>,
) -> Result<(watch::Receiver<Shares>, std::sync::mpsc::Sender<()>), StoreError> {
    let lease_ms = lease.as_millis() as i64;
    let host = crate::store::lock::hostname();
    let first = read(&mut store, &me, &host, started_ms, lease_ms, &keys)?;
    let (tx, rx) = watch::channel(first);
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut failing = false;
        // Until the stopper is dropped (or sends).
        while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stop_rx.recv_timeout(lease / 4)
        {
            match store.beat(&me, &host, started_ms, lease_ms) {
                Ok(live) => {
                    failing = false;
                    if live != tx.borrow().live {
                        match read(&mut store, &me, &host, started_ms, lease_ms, &keys) {
                            Ok(s) => {
                                let _ = tx.send(s);
                            }
                            Err(e) => {
                                tracing::warn!(event = "shares_unread", error = %e, "shares: {e}")
                            }
                        }
                    }
                }
                Err(e) => {
                    // The share stays as it was: the others take this instance's targets if
                    // it stays silent past its lease; a probe made twice is stored once.
                    if !failing {
                        failing = true;
                        tracing::error!(
                            event = "lease_not_renewed",
                            error = %e,
                            "store: the lease of this instance could not be renewed ({e}); its targets go to the others if this lasts {} s",
                            lease.as_secs()
                        );
                    }
                }
            }
        }
        if let Err(e) = store.leave(&me) {
            tracing::warn!(event = "leave_failed", error = %e, "store: {e} (the others take this instance's targets when its lease ends)");
        }
    });
    Ok((rx, stop_tx))
}

fn read(
    store: &mut Store,
    me: &str,
    host: &str,
    started_ms: i64,
    lease_ms: i64,
    keys: &[String],
) -> Result<Shares, StoreError> {
    let live = store.beat(me, host, started_ms, lease_ms)?;
    let mut lasts = BTreeMap::new();
    for k in keys {
        if let Some(l) = store.last_scheduled(k)? {
            lasts.insert(k.clone(), l);
        }
    }
    Ok(Shares { live, lasts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_has_one_owner_and_a_leaver_hands_on_only_its_own() {
        let keys: Vec<String> = (0..60).map(|i| format!("api/v1/op{i}")).collect();
        let three: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let shares: Vec<BTreeSet<String>> = three.iter().map(|m| mine(&keys, &three, m)).collect();
        let total: usize = shares.iter().map(BTreeSet::len).sum();
        assert_eq!(total, keys.len(), "each target once");
        assert!(
            shares.iter().all(|s| s.len() >= 10),
            "fair enough: {:?}",
            shares.iter().map(BTreeSet::len).collect::<Vec<_>>()
        );
        // "b" leaves: "a" and "c" keep theirs and share b's.
        let two: Vec<String> = ["a", "c"].map(String::from).to_vec();
        let a2 = mine(&keys, &two, "a");
        let c2 = mine(&keys, &two, "c");
        assert!(shares[0].is_subset(&a2) && shares[2].is_subset(&c2));
        assert_eq!(a2.len() + c2.len(), keys.len());
        // Alone (or unknown): everything.
        assert_eq!(mine(&keys, &[], "a").len(), keys.len());
    }
}
