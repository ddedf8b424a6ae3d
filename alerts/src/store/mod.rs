//! The alert store, in SQLite next to the probe records: the engine's state, every incident
//! (closed ones too) and the outbox. Every change is one `BEGIN IMMEDIATE` transaction that
//! reads the state, applies the engine, writes the state, the incidents and the messages
//! together: a crash loses nothing that was acknowledged, and `vigie incidents ack` can run
//! while `vigie probe` does.

pub mod outbox;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::calendar::BusinessCalendar;
use crate::engine::{Engine, EngineError, EngineState};
use crate::event::Event;
use crate::incident::Incident;
use crate::message::{Links, render};
use crate::thresholds::Thresholds;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum AlertStoreError {
    #[error(
        "alert store {path}: {source}. Check that the file is writable and not corrupt (sqlite3 FILE 'PRAGMA integrity_check')"
    )]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "alert store {path}: the saved state cannot be read ({reason}); it was written by another version of vigie"
    )]
    State { path: String, reason: String },
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// The store.
#[derive(Debug)]
pub struct AlertStore {
    conn: Connection,
    path: String,
    instance: String,
}

/// What an engine run needs besides its state.
#[derive(Debug, Clone)]
pub struct EngineSetup {
    pub thresholds: Thresholds,
    pub calendar: BusinessCalendar,
    /// The channels every notified event goes to (`email`, `webhook`).
    pub channels: Vec<String>,
    pub links: Links,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS alert_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS incidents (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    opened_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    key TEXT NOT NULL,
    channel TEXT NOT NULL,
    incident INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    message TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms INTEGER NOT NULL,
    delivered_ms INTEGER,
    last_error TEXT,
    PRIMARY KEY (key, channel)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq) WHERE delivered_ms IS NULL;
";

impl AlertStore {
    pub fn open(path: &Path) -> Result<AlertStore, AlertStoreError> {
        let name = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| AlertStoreError::Sqlite {
            path: name.clone(),
            source,
        })?;
        AlertStore::setup(conn, name)
    }

    pub fn in_memory() -> Result<AlertStore, AlertStoreError> {
        let conn = Connection::open_in_memory().map_err(|source| AlertStoreError::Sqlite {
            path: ":memory:".into(),
            source,
        })?;
        AlertStore::setup(conn, ":memory:".into())
    }

    fn setup(conn: Connection, path: String) -> Result<AlertStore, AlertStoreError> {
        let sql = |source| AlertStoreError::Sqlite {
            path: path.clone(),
            source,
        };
        conn.busy_timeout(Duration::from_secs(10)).map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        conn.execute_batch(SCHEMA).map_err(sql)?;
        // The instance id makes idempotency keys unique across stores: from the time and
        // the process, once, when the store is created.
        let instance: Option<String> = conn
            .query_row("SELECT v FROM alert_meta WHERE k = 'instance'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql)?;
        let instance = match instance {
            Some(i) => i,
            None => {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0);
                let id = format!("{:x}", nanos ^ (u128::from(std::process::id()) << 64));
                let id: String = id.chars().rev().take(12).collect();
                conn.execute(
                    "INSERT OR IGNORE INTO alert_meta (k, v) VALUES ('instance', ?1)",
                    params![id],
                )
                .map_err(sql)?;
                conn.query_row("SELECT v FROM alert_meta WHERE k = 'instance'", [], |r| {
                    r.get(0)
                })
                .map_err(sql)?
            }
        };
        Ok(AlertStore {
            conn,
            path,
            instance,
        })
    }

    pub(crate) fn sql(&self) -> impl Fn(rusqlite::Error) -> AlertStoreError + '_ {
        |source| AlertStoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// The store's instance id (the prefix of its idempotency keys).
    pub fn instance(&self) -> &str {
        &self.instance
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// Runs the engine on the saved state and saves the result, the incidents and the
    /// notifications of its events in one transaction. Nothing is saved if `f` fails.
    pub fn transact<F>(
        &mut self,
        setup: &EngineSetup,
        now: i64,
        f: F,
    ) -> Result<Vec<Event>, AlertStoreError>
    where
        F: FnOnce(&mut Engine) -> Result<Vec<Event>, EngineError>,
    {
        let path = self.path.clone();
        let sql = |source| AlertStoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let saved: Option<String> = tx
            .query_row("SELECT v FROM alert_meta WHERE k = 'engine'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql)?;
        let state: EngineState = match &saved {
            Some(text) => serde_json::from_str(text).map_err(|e| AlertStoreError::State {
                path: path.clone(),
                reason: e.to_string(),
            })?,
            None => EngineState::default(),
        };
        let mut engine = Engine::new(state, setup.thresholds.clone(), setup.calendar.clone());
        let events = f(&mut engine)?;
        let closed = engine.take_closed();
        let state = serde_json::to_string(&engine.state).map_err(|e| AlertStoreError::State {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        if events.is_empty() && closed.is_empty() && saved.as_deref() == Some(state.as_str()) {
            // Nothing changed (a tick with no deadline due): nothing to write, no sync.
            tx.commit().map_err(sql)?;
            return Ok(events);
        }
        tx.execute(
            "INSERT INTO alert_meta (k, v) VALUES ('engine', ?1) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            params![state],
        )
        .map_err(sql)?;
        let save = |i: &Incident| -> Result<(), AlertStoreError> {
            let body = serde_json::to_string(i).map_err(|e| AlertStoreError::State {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            tx.execute(
                "INSERT INTO incidents (id, state, opened_ms, body) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body",
                params![i.id as i64, i.state.as_str(), i.opened_ms, body],
            )
            .map_err(sql)?;
            Ok(())
        };
        // Every incident of the state: evidence and timelines change without events too.
        for i in engine.state.incidents.values().chain(closed.iter()) {
            save(i)?;
        }
        for e in events.iter().filter(|e| e.kind.notified()) {
            let incident = engine
                .state
                .incidents
                .get(&e.incident)
                .or_else(|| closed.iter().find(|c| c.id == e.incident));
            if let Some(i) = incident {
                let message = render(&self.instance, e, i, &setup.links);
                for channel in &setup.channels {
                    outbox::enqueue(&tx, &message, channel, now).map_err(sql)?;
                }
            }
        }
        tx.commit().map_err(sql)?;
        Ok(events)
    }

    /// Incidents, newest first; closed ones only with `all`.
    pub fn incidents(&self, all: bool) -> Result<Vec<Incident>, AlertStoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT body FROM incidents WHERE ?1 OR state != 'closed' ORDER BY id DESC")
            .map_err(self.sql())?;
        let rows = stmt
            .query_map(params![all], |r| r.get::<_, String>(0))
            .map_err(self.sql())?;
        let mut out = Vec::new();
        for row in rows {
            let text = row.map_err(self.sql())?;
            out.push(
                serde_json::from_str(&text).map_err(|e| AlertStoreError::State {
                    path: self.path.clone(),
                    reason: e.to_string(),
                })?,
            );
        }
        Ok(out)
    }

    /// One incident.
    pub fn incident(&self, id: u64) -> Result<Option<Incident>, AlertStoreError> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT body FROM incidents WHERE id = ?1",
                params![id as i64],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql())?;
        text.map(|t| {
            serde_json::from_str(&t).map_err(|e| AlertStoreError::State {
                path: self.path.clone(),
                reason: e.to_string(),
            })
        })
        .transpose()
    }
}
