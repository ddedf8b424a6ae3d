//! One `vigie probe` per store: an exclusive lock on `<store>.lock`, held by the operating
//! system for as long as the process lives (a crash or `kill -9` releases it; nothing to clean
//! up). The file names its holder, so a second process can say who it is.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Who holds the lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub pid: u32,
    pub host: String,
    /// RFC 3339, UTC.
    pub since: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another vigie probe already writes to the store {store} (pid {} on {}, since {}): stop it first, or give this one another [store] path; two probes on one store would send every notification twice",
        holder.pid, holder.host, holder.since
    )]
    Held { store: String, holder: Holder },
    #[error(
        "another process holds the lock of the store {store} ({lock}); it does not say who: stop the other vigie probe first"
    )]
    HeldByUnknown { store: String, lock: String },
    #[error(
        "cannot lock the store {store} through {lock}: {source}; check that its directory is writable"
    )]
    Io {
        store: String,
        lock: String,
        source: std::io::Error,
    },
}

/// The lock, released when dropped (or when the process ends, however it ends).
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
    path: PathBuf,
}

impl StoreLock {
    /// The lock file of a store: `<store>.lock` beside it.
    pub fn path_of(store: &Path) -> PathBuf {
        let mut p = store.as_os_str().to_owned();
        p.push(".lock");
        PathBuf::from(p)
    }

    /// Takes the lock of `store` for this process, or says who holds it.
    pub fn acquire(store: &Path, now_rfc3339: &str) -> Result<StoreLock, LockError> {
        let path = StoreLock::path_of(store);
        let io = |source| LockError::Io {
            store: store.display().to_string(),
            lock: path.display().to_string(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                // Bounded: the file is ours, but a stranger could have written anything.
                let _ = (&file).take(4096).read_to_string(&mut text);
                return Err(match serde_json::from_str::<Holder>(&text) {
                    Ok(holder) => LockError::Held {
                        store: store.display().to_string(),
                        holder,
                    },
                    Err(_) => LockError::HeldByUnknown {
                        store: store.display().to_string(),
                        lock: path.display().to_string(),
                    },
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        let me = Holder {
            pid: std::process::id(),
            host: hostname(),
            since: now_rfc3339.to_string(),
        };
        let text = serde_json::to_string(&me).unwrap_or_default();
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(StoreLock { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// This machine's name, for the message another process shows.
pub(crate) fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().chars().take(64).collect::<String>())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this machine".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_told_who_has_it_and_a_drop_releases_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("p.sqlite");
        let first = StoreLock::acquire(&store, "2026-11-30T10:00:00Z").unwrap();
        assert_eq!(first.path(), dir.path().join("p.sqlite.lock"));
        // Another open file description of the same file: refused, with the first's name.
        let e = StoreLock::acquire(&store, "2026-11-30T10:05:00Z").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains(&format!("pid {}", std::process::id()))
                && text.contains("since 2026-11-30T10:00:00Z"),
            "{text}"
        );
        drop(first);
        assert!(StoreLock::acquire(&store, "2026-11-30T10:06:00Z").is_ok());
    }
}
