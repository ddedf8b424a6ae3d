//! The probe store: SQLite (bundled), write-ahead log with full synchronisation, so that a
//! record acknowledged by `append` survives a crash or `kill -9` and a half-written one never
//! shows. The schedule resumes from the last due time of each target.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use crate::probe::record::{ProbeOutcome, ProbeRecord};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the probe store {path}: {source}; check the path in [store] and that the directory is writable")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("the probe store failed: {0}; the last acknowledged records are safe, retry or check the disk")]
    Sql(#[from] rusqlite::Error),
    #[error("the probe store holds an unknown outcome {0:?}: was it written by a newer vigie?")]
    Outcome(String),
}

#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS probes (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,
    api TEXT NOT NULL,
    version TEXT NOT NULL,
    operation TEXT NOT NULL,
    scheduled_ms INTEGER NOT NULL,
    started_ms INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    interval_ms INTEGER NOT NULL,
    status INTEGER,
    outcome TEXT NOT NULL,
    violations TEXT NOT NULL,
    evidence TEXT
);
CREATE INDEX IF NOT EXISTS probes_by_time ON probes (scheduled_ms);
CREATE UNIQUE INDEX IF NOT EXISTS probes_once ON probes (target, scheduled_ms);
";

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        Store::init(conn)
    }

    /// A store in memory (tests, benchmarks).
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store, StoreError> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store { conn })
    }

    /// Appends records in one transaction; when it returns, they are on disk. A record of a
    /// target and due time already stored is not stored twice (a replay after a crash).
    pub fn append(&mut self, records: &[ProbeRecord]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut st = tx.prepare_cached(
                "INSERT OR IGNORE INTO probes (target, api, version, operation, scheduled_ms, started_ms,
                 duration_ms, interval_ms, status, outcome, violations, evidence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            for r in records {
                st.execute(params![
                    r.target,
                    r.api,
                    r.version,
                    r.operation,
                    r.scheduled_ms,
                    r.started_ms,
                    r.duration_ms,
                    r.interval_ms,
                    r.status,
                    r.outcome.as_str(),
                    r.violations.join("\n"),
                    r.evidence,
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The last due time recorded for a target (where its schedule resumes).
    pub fn last_scheduled(&self, target: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT MAX(scheduled_ms) FROM probes WHERE target = ?1",
                [target],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten())
    }

    /// Records due in `[from, to)`, oldest first, to `each`.
    pub fn scan(
        &self,
        from: i64,
        to: i64,
        mut each: impl FnMut(ProbeRecord),
    ) -> Result<u64, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT target, api, version, operation, scheduled_ms, started_ms, duration_ms,
             interval_ms, status, outcome, violations, evidence
             FROM probes WHERE scheduled_ms >= ?1 AND scheduled_ms < ?2 ORDER BY scheduled_ms",
        )?;
        let mut rows = st.query(params![from, to])?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            let outcome: String = row.get(9)?;
            let violations: String = row.get(10)?;
            each(ProbeRecord {
                target: row.get(0)?,
                api: row.get(1)?,
                version: row.get(2)?,
                operation: row.get(3)?,
                scheduled_ms: row.get(4)?,
                started_ms: row.get(5)?,
                duration_ms: row.get(6)?,
                interval_ms: row.get(7)?,
                status: row.get(8)?,
                outcome: ProbeOutcome::parse(&outcome).ok_or(StoreError::Outcome(outcome))?,
                violations: if violations.is_empty() {
                    Vec::new()
                } else {
                    violations.split('\n').map(str::to_string).collect()
                },
                evidence: row.get(11)?,
            });
            n += 1;
        }
        Ok(n)
    }

    /// Deletes records due before `before`; returns how many.
    pub fn prune(&mut self, before: i64) -> Result<usize, StoreError> {
        Ok(self
            .conn
            .execute("DELETE FROM probes WHERE scheduled_ms < ?1", [before])?)
    }

    pub fn count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM probes", [], |r| r.get::<_, i64>(0))?
            .max(0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn record(target: &str, at: i64, outcome: ProbeOutcome) -> ProbeRecord {
        ProbeRecord {
            target: target.into(),
            api: "statut-usager".into(),
            version: "v2".into(),
            operation: "recuperer-contrat".into(),
            scheduled_ms: at,
            started_ms: at + 3,
            duration_ms: 12.5,
            interval_ms: 60_000,
            status: Some(200),
            outcome,
            violations: vec!["/m_contrat/m_statut".into()],
            evidence: None,
        }
    }

    #[test]
    fn append_scan_resume_prune() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.sqlite");
        {
            let mut s = Store::open(&path).unwrap();
            s.append(&[record("a", 1_000, ProbeOutcome::Up), record("a", 61_000, ProbeOutcome::Down)]).unwrap();
            // A replay of the same due time is not stored twice.
            s.append(&[record("a", 61_000, ProbeOutcome::Down)]).unwrap();
        }
        let mut s = Store::open(&path).unwrap();
        assert_eq!(s.count().unwrap(), 2);
        assert_eq!(s.last_scheduled("a").unwrap(), Some(61_000));
        assert_eq!(s.last_scheduled("b").unwrap(), None);
        let mut seen = Vec::new();
        s.scan(0, 100_000, |r| seen.push(r)).unwrap();
        assert_eq!(seen[1].outcome, ProbeOutcome::Down);
        assert_eq!(seen[0], record("a", 1_000, ProbeOutcome::Up));
        assert_eq!(s.prune(61_000).unwrap(), 1);
        assert_eq!(s.count().unwrap(), 1);
    }
}
