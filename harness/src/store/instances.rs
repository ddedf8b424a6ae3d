//! The instances that share a PostgreSQL store: each says it is alive (on the server's
//! clock, so that machines' clocks need not agree) and reads which others are.

use database::{Backend, params};

use super::records::{Store, StoreError};

/// The server's clock, in ms.
const SERVER_NOW: &str = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
/// An instance not seen for a day is forgotten.
const FORGET_MS: i64 = 86_400_000;

impl Store {
    /// Says that instance `id` is alive for `lease_ms` from now, and returns the ids of every
    /// instance alive now (this one included), sorted. On SQLite (one instance per file), only
    /// `id`.
    pub fn beat(
        &mut self,
        id: &str,
        host: &str,
        started_ms: i64,
        lease_ms: i64,
    ) -> Result<Vec<String>, StoreError> {
        let db = self.db.get_mut();
        if db.backend() == Backend::Sqlite {
            return Ok(vec![id.to_string()]);
        }
        db.execute(
            &format!(
                "INSERT INTO instances (id, host, pid, started_ms, seen_ms, lease_ms)
                 VALUES (?1, ?2, ?3, ?4, {SERVER_NOW}, ?5)
                 ON CONFLICT (id) DO UPDATE SET seen_ms = excluded.seen_ms,
                 lease_ms = excluded.lease_ms"
            ),
            &params![id, host, std::process::id(), started_ms, lease_ms],
        )?;
        db.execute(
            &format!("DELETE FROM instances WHERE seen_ms < {SERVER_NOW} - ?1"),
            &params![FORGET_MS],
        )?;
        let rows = db.query(
            &format!(
                "SELECT id FROM instances WHERE seen_ms + lease_ms >= {SERVER_NOW} ORDER BY id"
            ),
            &[],
        )?;
        Ok(rows.iter().map(|r| r.text(0)).collect::<Result<_, _>>()?)
    }

    /// Says that instance `id` has stopped: the others take its targets at their next beat.
    pub fn leave(&mut self, id: &str) -> Result<(), StoreError> {
        let db = self.db.get_mut();
        if db.backend() == Backend::Postgres {
            db.execute("DELETE FROM instances WHERE id = ?1", &params![id])?;
        }
        Ok(())
    }
}
