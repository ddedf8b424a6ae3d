//! From one machine to several: a SQLite store copied into a PostgreSQL store — targets,
//! records, rollups, down spans, runs, the engine's state, incidents and the outbox — in one
//! transaction (`COPY`, streamed: a month of millions of records holds little memory).

use std::path::Path;

use database::{Db, DbError, Location, params};

use super::records::{Store, StoreError};

/// The probe store's tables and columns, in the order a copy fills them.
const TABLES: [(&str, &[&str]); 7] = [
    ("targets", &["id", "key", "api", "version", "operation"]),
    (
        "probes",
        &[
            "target_id",
            "scheduled_ms",
            "started_ms",
            "duration_ms",
            "interval_ms",
            "status",
            "outcome",
            "violations",
            "evidence",
        ],
    ),
    (
        "hourly",
        &[
            "target_id",
            "hour_ms",
            "probes",
            "observed_ms",
            "down_ms",
            "excluded_ms",
            "answered",
            "under_1s",
            "violations",
            "over_6s",
            "classes",
        ],
    ),
    (
        "daily",
        &[
            "target_id",
            "day_ms",
            "probes",
            "observed_ms",
            "down_ms",
            "excluded_ms",
            "answered",
            "under_1s",
            "violations",
            "over_6s",
            "classes",
        ],
    ),
    ("down_spans", &["target_id", "from_ms", "to_ms"]),
    ("latency_monthly", &["api", "month_ms", "latency"]),
    (
        "runs",
        &["started_ms", "contract_profile", "source", "unstored"],
    ),
];

/// Why a copy was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("{0} is not a SQLite store vigie wrote: give the file of a former [store] path")]
    NoSource(String),
    #[error(
        "the configuration's store is {0}, not PostgreSQL: a copy goes from SQLite into a [store] url"
    )]
    NotPostgres(String),
    #[error(
        "the PostgreSQL store {0} already holds records or incidents: copy into an empty database (CREATE DATABASE …) so that nothing is counted twice"
    )]
    NotEmpty(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Alerts(#[from] alerts::AlertStoreError),
    #[error("copying into {to}: {source}; nothing was copied (the transaction was rolled back)")]
    Db { to: String, source: DbError },
}

/// How many rows of each table were copied.
pub type Copied = Vec<(&'static str, u64)>;

/// Copies the SQLite store at `from` into the empty PostgreSQL store at `to`.
pub fn copy(from: &Path, to: &Location) -> Result<Copied, CopyError> {
    if to.sqlite_path().is_some() {
        return Err(CopyError::NotPostgres(to.to_string()));
    }
    if !from.is_file() {
        return Err(CopyError::NoSource(from.display().to_string()));
    }
    // Opened as stores first: both at the current layout (an older SQLite store migrates,
    // the PostgreSQL one gets its migrations).
    drop(Store::open(from)?);
    drop(alerts::AlertStore::open(from)?);
    drop(Store::open_at(to)?);
    drop(alerts::AlertStore::open_at(to)?);
    let db_error = |source| CopyError::Db {
        to: to.to_string(),
        source,
    };
    let mut src = Db::open(&Location::Sqlite(from.to_path_buf())).map_err(db_error)?;
    let mut dst = Db::open(to).map_err(db_error)?;
    dst.write("copy", |dst| -> Result<Copied, CopyError> {
        let held = dst
            .query_row(
                "SELECT (SELECT COUNT(*) FROM targets) + (SELECT COUNT(*) FROM incidents)",
                &[],
            )
            .and_then(|r| r.map(|r| r.int(0)).transpose())
            .map_err(db_error)?;
        if held.unwrap_or(0) > 0 {
            return Err(CopyError::NotEmpty(to.to_string()));
        }
        // A new store already has its instance id; the copied one's takes over (message keys).
        dst.execute("DELETE FROM alert_meta", &[]).map_err(db_error)?;
        let mut copied = Vec::new();
        for (table, columns) in TABLES.iter().chain(alerts::store::TABLES.iter()) {
            let n = dst
                .copy_table(&mut src, table, columns)
                .map_err(db_error)?;
            copied.push((*table, n));
        }
        // The planner's statistics now rather than when autovacuum comes round: the first
        // reports read the copied tables with the plans meant for them.
        for (table, _) in TABLES.iter().chain(alerts::store::TABLES.iter()) {
            dst.execute(&format!("ANALYZE {table}"), &[])
                .map_err(db_error)?;
        }
        // New targets are numbered after the copied ones.
        dst.execute(
            "SELECT setval(pg_get_serial_sequence('targets', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM targets",
            &params![],
        )
        .map_err(db_error)?;
        Ok(copied)
    })
}

impl From<DbError> for CopyError {
    fn from(source: DbError) -> CopyError {
        CopyError::Db {
            to: "the PostgreSQL store".into(),
            source,
        }
    }
}
