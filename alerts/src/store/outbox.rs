//! The durable outbox's SQL: every notification is written in the same transaction as the
//! event that caused it, one row per channel, and stays until its channel accepted it (delivery
//! and its retries: `dispatch`).

use rusqlite::{Connection, params};

use crate::message::Message;
use crate::store::{AlertStore, AlertStoreError};

/// Queues a message for a channel (a second enqueue of the same key is ignored).
pub fn enqueue(
    conn: &Connection,
    m: &Message,
    channel: &str,
    now: i64,
) -> Result<(), rusqlite::Error> {
    let text =
        serde_json::to_string(m).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    conn.execute(
        "INSERT OR IGNORE INTO outbox (key, channel, incident, seq, created_ms, message, next_ms)
         VALUES (?1, ?2, ?5, (SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox), ?3, ?4, ?3)",
        params![m.key, channel, now, text, m.incident as i64],
    )?;
    Ok(())
}

/// A message waiting for its channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub channel: String,
    pub message: Message,
    pub attempts: u32,
    pub next_ms: i64,
    pub last_error: Option<String>,
}

/// One row of the outbox, for `vigie incidents`.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    pub key: String,
    pub channel: String,
    pub attempts: u32,
    pub delivered_ms: Option<i64>,
    pub last_error: Option<String>,
}

impl AlertStore {
    /// Messages due at `now`, in order: per channel, the undelivered ones up to the first
    /// that is waiting for its retry.
    pub fn due(&self, now: i64, limit: usize) -> Result<Vec<Pending>, AlertStoreError> {
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT channel, message, attempts, next_ms, last_error FROM outbox
                 WHERE delivered_ms IS NULL ORDER BY seq",
            )
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .map_err(self.sql())?;
        let mut out = Vec::new();
        let mut blocked: Vec<String> = Vec::new();
        for row in rows {
            let (channel, text, attempts, next_ms, last_error) = row.map_err(self.sql())?;
            if blocked.contains(&channel) {
                continue;
            }
            if next_ms > now {
                blocked.push(channel);
                continue;
            }
            let message = serde_json::from_str(&text).map_err(|e| AlertStoreError::State {
                path: self.path().to_string(),
                reason: e.to_string(),
            })?;
            out.push(Pending {
                channel,
                message,
                attempts,
                next_ms,
                last_error,
            });
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    /// How many messages wait for a channel.
    pub fn pending(&self, channel: &str) -> Result<i64, AlertStoreError> {
        self.conn()
            .query_row(
                "SELECT COUNT(*) FROM outbox WHERE delivered_ms IS NULL AND channel = ?1",
                params![channel],
                |r| r.get(0),
            )
            .map_err(self.sql())
    }

    /// Records a delivery.
    pub fn delivered(&self, key: &str, channel: &str, now: i64) -> Result<(), AlertStoreError> {
        self.conn()
            .execute(
                "UPDATE outbox SET delivered_ms = ?3, attempts = attempts + 1, last_error = NULL
                 WHERE key = ?1 AND channel = ?2",
                params![key, channel, now],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    /// Records a failed attempt and when to try again (`next_ms`).
    pub fn failed(
        &self,
        key: &str,
        channel: &str,
        attempts_before: u32,
        error: &str,
        next_ms: i64,
    ) -> Result<(), AlertStoreError> {
        self.conn()
            .execute(
                "UPDATE outbox SET attempts = ?3, next_ms = ?4, last_error = ?5 WHERE key = ?1 AND channel = ?2",
                params![
                    key,
                    channel,
                    attempts_before + 1,
                    next_ms,
                    error
                ],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    /// The outbox rows of an incident (or all with `None`), oldest first.
    pub fn outbox(&self, incident: Option<u64>) -> Result<Vec<OutboxRow>, AlertStoreError> {
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT key, channel, attempts, delivered_ms, last_error FROM outbox
                 WHERE ?1 IS NULL OR incident = ?1 ORDER BY seq, channel",
            )
            .map_err(self.sql())?;
        let rows = stmt
            .query_map(params![incident.map(|i| i as i64)], |r| {
                Ok(OutboxRow {
                    key: r.get(0)?,
                    channel: r.get(1)?,
                    attempts: r.get(2)?,
                    delivered_ms: r.get(3)?,
                    last_error: r.get(4)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.sql())
    }
}
