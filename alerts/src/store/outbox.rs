//! The durable outbox's SQL: every notification is written in the same transaction as the
//! event that caused it, one row per channel, and stays until its channel accepted it (delivery
//! and its retries: `dispatch`). Several instances on one PostgreSQL store share it: a sender
//! first claims what it sends (`FOR UPDATE SKIP LOCKED`, for [`CLAIM_MS`]), so that no message
//! is sent by two of them, nor a channel's messages out of order.

use database::{Db, DbError, params};

use crate::message::Message;
use crate::store::{AlertStore, AlertStoreError};

/// Queues a message for a channel (a second enqueue of the same key is ignored).
pub fn enqueue(db: &mut Db, m: &Message, channel: &str, now: i64) -> Result<(), DbError> {
    // A message is plain data: it always serialises.
    let text = serde_json::to_string(m).unwrap_or_default();
    db.execute(
        "INSERT INTO outbox (key, channel, incident, seq, created_ms, message, next_ms)
         VALUES (?1, ?2, ?5, (SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox), ?3, ?4, ?3)
         ON CONFLICT DO NOTHING",
        &params![&m.key, channel, now, text, m.incident],
    )?;
    Ok(())
}

/// How long a claim holds: past it, a sender that died with it loses it to the others.
pub const CLAIM_MS: i64 = 120_000;

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
        let db = &mut *self.db();
        self.pick(db, now, now, None, limit)
    }

    /// Claims the messages due by `due_by` (`now`, or later for a last try) for this
    /// connection, in order, as [`AlertStore::due`] picks them, skipping every channel whose
    /// oldest pending message another sender holds (its order is that sender's to keep). Each
    /// claim holds [`CLAIM_MS`] or until [`AlertStore::delivered`] / [`AlertStore::failed`] /
    /// [`AlertStore::release`].
    pub fn claim(
        &self,
        due_by: i64,
        now: i64,
        limit: usize,
    ) -> Result<Vec<Pending>, AlertStoreError> {
        let me = self.claimer().to_string();
        // Nothing to send (the usual case): no write lock taken.
        if self
            .pick(&mut self.db(), due_by, now, Some(&me), 1)?
            .is_empty()
        {
            return Ok(Vec::new());
        }
        self.db().write(
            "outbox-claims",
            |db| -> Result<Vec<Pending>, AlertStoreError> {
                let picked = self.pick(db, due_by, now, Some(&me), limit)?;
                for p in &picked {
                    db.execute(
                        "UPDATE outbox SET claimed_by = ?3, claimed_until = ?4
                         WHERE key = ?1 AND channel = ?2",
                        &params![
                            &p.message.key,
                            &p.channel,
                            &me,
                            now.saturating_add(CLAIM_MS)
                        ],
                    )
                    .map_err(self.sql())?;
                }
                Ok(picked)
            },
        )
    }

    /// The messages due by `due_by`, in order: per channel up to the first that waits (for
    /// its retry or, for sender `me`, behind another sender's claim still running at `now`).
    /// A sender reads them locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
    fn pick(
        &self,
        db: &mut Db,
        due_by: i64,
        now: i64,
        me: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Pending>, AlertStoreError> {
        let lock = match (me, db.backend()) {
            (Some(_), database::Backend::Postgres) => "FOR UPDATE SKIP LOCKED",
            _ => "",
        };
        let rows = db
            .query(
                &format!(
                    "SELECT channel, message, attempts, next_ms, last_error, claimed_by,
                     claimed_until FROM outbox WHERE delivered_ms IS NULL ORDER BY seq {lock}"
                ),
                &[],
            )
            .map_err(self.sql())?;
        let mut out = Vec::new();
        let mut blocked: Vec<String> = Vec::new();
        for r in rows {
            let read = || -> Result<_, DbError> {
                Ok((
                    r.text(0)?,
                    r.text(1)?,
                    u32::try_from(r.int(2)?).unwrap_or(u32::MAX),
                    r.int(3)?,
                    r.opt_text(4)?,
                    r.opt_text(5)?,
                    r.opt_int(6)?,
                ))
            };
            let (channel, text, attempts, next_ms, last_error, by, until) =
                read().map_err(self.sql())?;
            if blocked.contains(&channel) {
                continue;
            }
            let held =
                me.is_some_and(|me| by.is_some_and(|b| b != me) && until.is_some_and(|u| u > now));
            if held || next_ms > due_by {
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

    /// Gives back claims this connection did not use.
    pub fn release(&self, key: &str, channel: &str) -> Result<(), AlertStoreError> {
        self.db()
            .execute(
                "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL
                 WHERE key = ?1 AND channel = ?2 AND claimed_by = ?3",
                &params![key, channel, self.claimer()],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    /// How many messages wait for a channel.
    pub fn pending(&self, channel: &str) -> Result<i64, AlertStoreError> {
        self.db()
            .query_row(
                "SELECT COUNT(*) FROM outbox WHERE delivered_ms IS NULL AND channel = ?1",
                &params![channel],
            )
            .and_then(|r| r.map(|r| r.int(0)).transpose())
            .map(Option::unwrap_or_default)
            .map_err(self.sql())
    }

    /// Records a delivery.
    pub fn delivered(&self, key: &str, channel: &str, now: i64) -> Result<(), AlertStoreError> {
        self.db()
            .execute(
                "UPDATE outbox SET delivered_ms = ?3, attempts = attempts + 1, last_error = NULL,
                 claimed_by = NULL, claimed_until = NULL WHERE key = ?1 AND channel = ?2",
                &params![key, channel, now],
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
        self.db()
            .execute(
                "UPDATE outbox SET attempts = ?3, next_ms = ?4, last_error = ?5,
                 claimed_by = NULL, claimed_until = NULL WHERE key = ?1 AND channel = ?2",
                &params![key, channel, attempts_before + 1, next_ms, error],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    /// The outbox rows of an incident (or all with `None`), oldest first.
    pub fn outbox(&self, incident: Option<u64>) -> Result<Vec<OutboxRow>, AlertStoreError> {
        let rows = self
            .db()
            .query(
                "SELECT key, channel, attempts, delivered_ms, last_error FROM outbox
                 WHERE CAST(?1 AS BIGINT) IS NULL OR incident = ?1 ORDER BY seq, channel",
                &params![incident],
            )
            .map_err(self.sql())?;
        rows.iter()
            .map(|r| {
                Ok(OutboxRow {
                    key: r.text(0)?,
                    channel: r.text(1)?,
                    attempts: u32::try_from(r.int(2)?).unwrap_or(u32::MAX),
                    delivered_ms: r.opt_int(3)?,
                    last_error: r.opt_text(4)?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()
            .map_err(self.sql())
    }
}
