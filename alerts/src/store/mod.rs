//! The alert store, next to the probe records (the same SQLite file or PostgreSQL database):
//! the engine's state, every incident (closed ones too) and the outbox. Every change is one
//! write transaction (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: under an advisory lock) that
//! reads the state, applies the engine, writes the state, the incidents and the messages
//! together: a crash loses nothing that was acknowledged, and `vigie incidents ack` can run
//! while `vigie probe` does.

pub mod outbox;

use std::cell::RefCell;
use std::path::Path;

use database::{Db, DbError, Location, params};

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
        "alert store {path}: {source}. Check that the file is writable and not corrupt (sqlite3 FILE 'PRAGMA integrity_check'), or that the PostgreSQL server answers"
    )]
    Db {
        path: String,
        #[source]
        source: DbError,
    },
    #[error(
        "alert store {path}: the saved state cannot be read ({reason}); it was written by another version of vigie"
    )]
    State { path: String, reason: String },
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl From<DbError> for AlertStoreError {
    /// A transaction's own failure (begin, commit), where no statement names the store.
    fn from(source: DbError) -> AlertStoreError {
        AlertStoreError::Db {
            path: "(its transaction)".into(),
            source,
        }
    }
}

/// The store.
#[derive(Debug)]
pub struct AlertStore {
    db: RefCell<Db>,
    path: String,
    instance: String,
    /// This connection's name in outbox claims (unique per process and opening).
    claimer: String,
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
    claimed_by TEXT,
    claimed_until INTEGER,
    PRIMARY KEY (key, channel)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq) WHERE delivered_ms IS NULL;
";

/// The alert store's tables and columns, for a copy from one store to another.
pub const TABLES: [(&str, &[&str]); 3] = [
    ("alert_meta", &["k", "v"]),
    ("incidents", &["id", "state", "opened_ms", "body"]),
    (
        "outbox",
        &[
            "key",
            "channel",
            "incident",
            "seq",
            "created_ms",
            "message",
            "attempts",
            "next_ms",
            "delivered_ms",
            "last_error",
        ],
    ),
];

/// The PostgreSQL migrations of the alert store, in order.
const PG_MIGRATIONS: [&str; 1] = [include_str!(
    "../../migrations/postgres/0001_alert_store.sql"
)];

/// The write transactions' lock: one engine run at a time, across instances.
const WRITE_LOCK: &str = "alert-store";

impl AlertStore {
    /// Opens (SQLite: creates) the store in a SQLite file.
    pub fn open(path: &Path) -> Result<AlertStore, AlertStoreError> {
        AlertStore::open_at(&Location::Sqlite(path.to_path_buf()))
    }

    /// Opens the store at `location`; a PostgreSQL store gets the migrations it lacks.
    pub fn open_at(location: &Location) -> Result<AlertStore, AlertStoreError> {
        let name = location.to_string();
        let db = Db::open(location).map_err(|source| AlertStoreError::Db {
            path: name.clone(),
            source,
        })?;
        AlertStore::setup(db, name)
    }

    pub fn in_memory() -> Result<AlertStore, AlertStoreError> {
        let db = Db::in_memory().map_err(|source| AlertStoreError::Db {
            path: ":memory:".into(),
            source,
        })?;
        AlertStore::setup(db, ":memory:".into())
    }

    fn setup(mut db: Db, path: String) -> Result<AlertStore, AlertStoreError> {
        let sql = |source| AlertStoreError::Db {
            path: path.clone(),
            source,
        };
        match db.backend() {
            database::Backend::Sqlite => {
                if let Some(c) = db.sqlite() {
                    c.busy_timeout(std::time::Duration::from_secs(10))
                        .map_err(|e| sql(e.into()))?;
                }
                db.execute_batch(SCHEMA).map_err(sql)?;
                // A store written before claims: the columns, added once.
                for column in ["claimed_by TEXT", "claimed_until INTEGER"] {
                    let _ = db.execute(&format!("ALTER TABLE outbox ADD COLUMN {column}"), &[]);
                }
            }
            database::Backend::Postgres => {
                database::migrate(&mut db, "alert-store", &PG_MIGRATIONS).map_err(sql)?;
            }
        }
        // The instance id makes idempotency keys unique across stores: from the time and
        // the process, once, when the store is created.
        let get = "SELECT v FROM alert_meta WHERE k = 'instance'";
        let instance = db
            .query_row(get, &[])
            .and_then(|r| r.map(|r| r.text(0)).transpose())
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
                db.execute(
                    "INSERT INTO alert_meta (k, v) VALUES ('instance', ?1) ON CONFLICT DO NOTHING",
                    &params![id],
                )
                .map_err(sql)?;
                db.query_row(get, &[])
                    .and_then(|r| r.map(|r| r.text(0)).transpose())
                    .map_err(sql)?
                    .unwrap_or_default()
            }
        };
        static OPENED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let claimer = format!(
            "{}-{}",
            std::process::id(),
            OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        Ok(AlertStore {
            db: RefCell::new(db),
            path,
            instance,
            claimer,
        })
    }

    pub(crate) fn sql(&self) -> impl Fn(DbError) -> AlertStoreError + '_ {
        |source| AlertStoreError::Db {
            path: self.path.clone(),
            source,
        }
    }

    /// The store's instance id (the prefix of its idempotency keys).
    pub fn instance(&self) -> &str {
        &self.instance
    }

    pub(crate) fn db(&self) -> std::cell::RefMut<'_, Db> {
        self.db.borrow_mut()
    }

    pub(crate) fn claimer(&self) -> &str {
        &self.claimer
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
        let sql = |source| AlertStoreError::Db {
            path: path.clone(),
            source,
        };
        let instance = self.instance.clone();
        self.db.get_mut().write(WRITE_LOCK, |db| {
            let saved = db
                .query_row("SELECT v FROM alert_meta WHERE k = 'engine'", &[])
                .and_then(|r| r.map(|r| r.text(0)).transpose())
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
            let state =
                serde_json::to_string(&engine.state).map_err(|e| AlertStoreError::State {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
            if events.is_empty() && closed.is_empty() && saved.as_deref() == Some(state.as_str())
            {
                // Nothing changed (a tick with no deadline due): nothing to write.
                return Ok(events);
            }
            db.execute(
                "INSERT INTO alert_meta (k, v) VALUES ('engine', ?1) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                &params![state],
            )
            .map_err(sql)?;
            // Every incident of the state: evidence and timelines change without events too.
            for i in engine.state.incidents.values().chain(closed.iter()) {
                let body = serde_json::to_string(i).map_err(|e| AlertStoreError::State {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
                db.execute(
                    "INSERT INTO incidents (id, state, opened_ms, body) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body",
                    &params![i.id, i.state.as_str(), i.opened_ms, body],
                )
                .map_err(sql)?;
            }
            for e in events.iter().filter(|e| e.kind.notified()) {
                let incident = engine
                    .state
                    .incidents
                    .get(&e.incident)
                    .or_else(|| closed.iter().find(|c| c.id == e.incident));
                if let Some(i) = incident {
                    let message = render(&instance, e, i, &setup.links);
                    for channel in &setup.channels {
                        outbox::enqueue(db, &message, channel, now).map_err(sql)?;
                    }
                }
            }
            Ok(events)
        })
    }

    /// Incidents, newest first; closed ones only with `all`.
    pub fn incidents(&self, all: bool) -> Result<Vec<Incident>, AlertStoreError> {
        let rows = self
            .db()
            .query(
                "SELECT body FROM incidents WHERE ?1 = 1 OR state <> 'closed' ORDER BY id DESC",
                &params![all],
            )
            .map_err(self.sql())?;
        rows.iter()
            .map(|r| self.incident_of(&r.text(0).map_err(self.sql())?))
            .collect()
    }

    fn incident_of(&self, text: &str) -> Result<Incident, AlertStoreError> {
        serde_json::from_str(text).map_err(|e| AlertStoreError::State {
            path: self.path.clone(),
            reason: e.to_string(),
        })
    }

    /// One incident.
    pub fn incident(&self, id: u64) -> Result<Option<Incident>, AlertStoreError> {
        let text = self
            .db()
            .query_row("SELECT body FROM incidents WHERE id = ?1", &params![id])
            .and_then(|r| r.map(|r| r.text(0)).transpose())
            .map_err(self.sql())?;
        text.map(|t| self.incident_of(&t)).transpose()
    }
}
