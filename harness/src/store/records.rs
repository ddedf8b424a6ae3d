//! The probe store: SQLite (bundled, the embedded default) or PostgreSQL (several instances
//! on one store), the same statements on both. On SQLite, write-ahead log with full
//! synchronisation, so that a record acknowledged by `append` survives a crash or `kill -9`
//! and a half-written one never shows; on PostgreSQL, a committed transaction. The schedule
//! resumes from the last due time of each target.

use std::cell::RefCell;
use std::path::Path;

use database::{Backend, Db, DbError, Location, Row, Value, params};

use super::hourly::{self, Hour, Sums};
use super::latency::Latency;
use crate::probe::record::{ProbeOutcome, ProbeRecord};
use crate::sla::paris;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot open the probe store {path}: {source}; check the path in [store] and that the directory is writable"
    )]
    Open { path: String, source: DbError },
    #[error(
        "the probe store failed: {0}; the last acknowledged records are safe, retry or check the disk"
    )]
    Sql(#[from] DbError),
    #[error("the probe store holds an unknown outcome {0:?}: was it written by a newer vigie?")]
    Outcome(String),
    #[error(
        "the probe store {0} is an empty file: a store vigie created is never empty (was it truncated, or a backup restored badly?); restore it, or remove the file and vigie starts a new store"
    )]
    Empty(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Sql(e.into())
    }
}

/// The store. Reads take `&self` (a store is used by one thread at a time).
#[derive(Debug)]
pub struct Store {
    pub(super) db: RefCell<Db>,
    location: Location,
}

/// The store's layout version on SQLite (`PRAGMA user_version`): 1 since the hourly rollups,
/// which a store of version 0 gets built from its records when first opened; 2 since the
/// rollups also hold what the month's report reads (violations, calls over 6 s, latency
/// classes) and each API's hours their latency histogram (`latency_hourly`), rebuilt from the
/// records a store of version 1 still has; 3 since the down spans (`down_spans`: each
/// target's down time, contiguous records merged), built from a store's down records when
/// first opened. PostgreSQL stores start at layout 3 (`migrations/postgres`). On both, the
/// latency histograms are kept per API and Paris month (`latency_monthly`): the hourly ones
/// (`latency_hourly`) or daily ones (`latency_daily`) of an older store are added up into
/// months when it is first opened; and each target's days (`daily`) beside its hours, added
/// up from the hours of a store written before them when it is first opened.
const LAYOUT: i64 = 3;

/// The PostgreSQL migrations of the probe store, in order.
const PG_MIGRATIONS: [&str; 4] = [
    include_str!("../../migrations/postgres/0001_probe_store.sql"),
    include_str!("../../migrations/postgres/0002_instances.sql"),
    include_str!("../../migrations/postgres/0003_latency_daily.sql"),
    include_str!("../../migrations/postgres/0004_days_and_months.sql"),
];

/// The transaction lock of appends: one writer of the rollups at a time, across instances.
const WRITE_LOCK: &str = "probe-store";

const HOUR_COLUMNS: &str = "probes, observed_ms, down_ms, excluded_ms, answered, under_1s,
     violations, over_6s, classes";

/// An hour's row from its columns, in [`HOUR_COLUMNS`]' order from `at`.
fn hour_of_row(row: &Row, at: usize) -> Result<Hour, DbError> {
    let n = |x: i64| x.max(0) as u64;
    Ok(Hour {
        sums: Sums {
            probes: n(row.int(at)?),
            observed_ms: row.int(at + 1)?,
            down_ms: row.int(at + 2)?,
            excluded_ms: row.int(at + 3)?,
            answered: n(row.int(at + 4)?),
            under_1s: n(row.int(at + 5)?),
        },
        violations: n(row.int(at + 6)?),
        over_6s: n(row.int(at + 7)?),
        classes: Hour::classes_from(row.opt_blob(at + 8)?.unwrap_or_default()),
        latency: Latency::default(),
    })
}

/// Whose latency histogram a record goes to: its API's (`statut-usager`), or its partner's
/// API's (`d974/statut-usager`) in a deployment of several partners, whose evidence never mixes.
pub fn latency_scope(target_key: &str, api: &str) -> String {
    match crate::probe::record::partner_of(target_key) {
        "" => api.to_string(),
        partner => format!("{partner}/{api}"),
    }
}

/// A latency histogram's scope as (partner, API).
pub fn scope_parts(scope: &str) -> (&str, &str) {
    scope.split_once('/').unwrap_or(("", scope))
}

/// The two grains of a target's rollups: its UTC hours (`hourly`: the status page's last
/// hours) and its Paris days (`daily`: what a month's report reads, a month being a whole
/// number of Paris days, 24 times fewer rows than its hours). Both hold [`HOUR_COLUMNS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    Hour,
    Day,
}

impl Grain {
    fn table(self) -> &'static str {
        match self {
            Grain::Hour => "hourly",
            Grain::Day => "daily",
        }
    }

    /// The column of a row's start (UTC ms).
    fn start(self) -> &'static str {
        match self {
            Grain::Hour => "hour_ms",
            Grain::Day => "day_ms",
        }
    }
}

/// What a batch of records adds to the rollups: each target's hours and days, and each API's
/// month of latency (one histogram per API and Paris month: what the report's percentiles
/// read, whatever the number of targets, days and records).
#[derive(Debug, Default)]
struct Rollup {
    hours: std::collections::BTreeMap<(i64, i64), Hour>,
    days: std::collections::BTreeMap<(i64, i64), Hour>,
    latency: std::collections::BTreeMap<(String, i64), Latency>,
}

impl Rollup {
    /// A record's contributions to its hours, those from `since` on.
    fn add(&mut self, target: i64, api: &str, r: &ProbeRow, since: i64) {
        for (hour, mut c) in hourly::contributions(
            r.scheduled_ms,
            r.interval_ms,
            r.status,
            r.outcome,
            r.duration_ms,
        ) {
            if hour < since {
                continue;
            }
            // Paris days start on whole UTC hours: an hour is in one day, and one month.
            let day = paris_day(hour);
            if !c.latency.is_empty() {
                let l = std::mem::take(&mut c.latency);
                let month = paris_month(day);
                match self.latency.get_mut(&(api.to_string(), month)) {
                    Some(mine) => mine.merge(&l),
                    None => {
                        self.latency.insert((api.to_string(), month), l);
                    }
                }
            }
            self.days.entry((target, day)).or_default().add(&c);
            self.hours.entry((target, hour)).or_default().add(&c);
        }
    }

    /// Adds it to the stored rollups, inside the caller's write transaction.
    fn write(&self, db: &mut Db) -> Result<(), DbError> {
        add_periods(db, Grain::Hour, &self.hours)?;
        add_periods(db, Grain::Day, &self.days)?;
        add_latency(db, &self.latency)
    }
}

/// The start of the Paris day holding `at_ms`.
fn paris_day(at_ms: i64) -> i64 {
    paris::midnight_utc(paris::local_date(at_ms))
}

/// The start of the Paris month holding `at_ms`.
fn paris_month(at_ms: i64) -> i64 {
    let d = paris::local_date(at_ms);
    paris::month_bounds(d.year, d.month).0
}

/// The keys of one partner's targets and latency scopes are those from `partner/` up to
/// `partner0` (`/` is followed by `0` in code order): one range of an index.
fn partner_keys(partner: &str) -> (String, String) {
    (format!("{partner}/"), format!("{partner}0"))
}

/// A query of the rollups of `[from, to)` at `grain`, target after target: the targets (all,
/// or one partner's) drive, each reading its own range of the primary key (`CROSS JOIN`
/// keeps that order on SQLite; the hour index would visit the table once per row, in no
/// useful order: 30 s for the month of 2 600 targets). `h` names the rollup table.
fn by_target(
    columns: &str,
    grain: Grain,
    partner: Option<&str>,
    from: i64,
    to: i64,
    tail: &str,
) -> (String, Vec<Value>) {
    let (table, start) = (grain.table(), grain.start());
    let mut sql = format!(
        "SELECT {columns} FROM targets t CROSS JOIN {table} h
         WHERE h.target_id = t.id AND h.{start} >= ?1 AND h.{start} < ?2"
    );
    let mut args = params![from, to].to_vec();
    if let Some(p) = partner.filter(|p| !p.is_empty()) {
        let (lo, hi) = partner_keys(p);
        sql.push_str(" AND t.key >= ?3 AND t.key < ?4");
        args.extend(params![lo, hi]);
    }
    sql.push(' ');
    sql.push_str(tail);
    (sql, args)
}

/// Adds each API's months of latency to the stored ones: each row read, added to, written
/// back (a histogram cannot be added to in SQL), inside the caller's write transaction.
fn add_latency(
    db: &mut Db,
    months: &std::collections::BTreeMap<(String, i64), Latency>,
) -> Result<(), DbError> {
    for ((api, month), add) in months {
        let stored = db
            .query_row(
                "SELECT latency FROM latency_monthly WHERE api = ?1 AND month_ms = ?2",
                &params![api, *month],
            )?
            .map(|r| {
                r.opt_blob(0)
                    .map(|b| Latency::from_bytes(b.unwrap_or_default()))
            })
            .transpose()?;
        let mut l = stored.unwrap_or_default();
        l.merge(add);
        db.execute(
            "INSERT INTO latency_monthly (api, month_ms, latency) VALUES (?1, ?2, ?3)
             ON CONFLICT (api, month_ms) DO UPDATE SET latency = excluded.latency",
            &params![api, *month, l.to_bytes()],
        )?;
    }
    Ok(())
}

/// A store written before the latency histograms were kept per month has them per hour
/// (`latency_hourly`) or per day (`latency_daily`): they are added up into months, and the
/// older table dropped, in one write transaction (another process opening the store at the
/// same time finds it done).
fn fold_older_latency(db: &mut Db) -> Result<(), StoreError> {
    for (table, start) in [("latency_hourly", "hour_ms"), ("latency_daily", "day_ms")] {
        let exists = |db: &mut Db| -> Result<bool, DbError> {
            let sql = match db.backend() {
                Backend::Sqlite => "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                Backend::Postgres => {
                    "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?1"
                }
            };
            Ok(db.query_row(sql, &params![table])?.is_some())
        };
        if !exists(db)? {
            continue;
        }
        db.write(WRITE_LOCK, |db| -> Result<(), StoreError> {
            if !exists(db)? {
                return Ok(());
            }
            let mut months: std::collections::BTreeMap<(String, i64), Latency> = Default::default();
            db.each(
                &format!("SELECT api, {start}, latency FROM {table}"),
                &[],
                |row| -> Result<(), StoreError> {
                    let l = Latency::from_bytes(row.opt_blob(2)?.unwrap_or_default());
                    months
                        .entry((row.text(0)?, paris_month(row.int(1)?)))
                        .or_default()
                        .merge(&l);
                    Ok(())
                },
            )?;
            add_latency(db, &months)?;
            db.execute(&format!("DROP TABLE {table}"), &[])?;
            Ok(())
        })?;
    }
    Ok(())
}

/// A store written before the daily rollups has its targets' hours only: they are added up
/// into Paris days, once, in one write transaction (another process opening the store at the
/// same time finds it done). A store whose `daily` holds a row, or whose `hourly` holds none,
/// has nothing to do.
fn fill_daily(db: &mut Db) -> Result<(), StoreError> {
    let to_do = |db: &mut Db| -> Result<bool, DbError> {
        Ok(db.query_row("SELECT 1 FROM daily LIMIT 1", &[])?.is_none()
            && db.query_row("SELECT 1 FROM hourly LIMIT 1", &[])?.is_some())
    };
    if !to_do(db)? {
        return Ok(());
    }
    db.write(WRITE_LOCK, |db| -> Result<(), StoreError> {
        if !to_do(db)? {
            return Ok(());
        }
        let mut days: std::collections::BTreeMap<(i64, i64), Hour> = Default::default();
        let mut day_of: std::collections::HashMap<i64, i64> = Default::default();
        db.each(
            &format!("SELECT target_id, hour_ms, {HOUR_COLUMNS} FROM hourly"),
            &[],
            |row| -> Result<(), StoreError> {
                let hour = row.int(1)?;
                let day = *day_of.entry(hour).or_insert_with(|| paris_day(hour));
                days.entry((row.int(0)?, day))
                    .or_default()
                    .add(&hour_of_row(&row, 2)?);
                Ok(())
            },
        )?;
        add_periods(db, Grain::Day, &days)?;
        Ok(())
    })
}

/// Adds a down record's time to its target's down spans: merged with every span it overlaps
/// or touches (records may come back out of order after a restart), else a span of its own.
fn add_down_span(db: &mut Db, target: i64, from: i64, to: i64) -> Result<(), DbError> {
    let touching: Vec<(i64, i64)> = db
        .query(
            "SELECT from_ms, to_ms FROM down_spans
             WHERE target_id = ?1 AND from_ms <= ?3 AND to_ms >= ?2",
            &params![target, from, to],
        )?
        .iter()
        .map(|r| Ok((r.int(0)?, r.int(1)?)))
        .collect::<Result<_, DbError>>()?;
    let merged_from = touching.iter().map(|t| t.0).fold(from, i64::min);
    let merged_to = touching.iter().map(|t| t.1).fold(to, i64::max);
    for (f, t) in &touching {
        db.execute(
            "DELETE FROM down_spans WHERE target_id = ?1 AND from_ms = ?2 AND to_ms = ?3",
            &params![target, *f, *t],
        )?;
    }
    db.execute(
        "INSERT INTO down_spans (target_id, from_ms, to_ms) VALUES (?1, ?2, ?3)",
        &params![target, merged_from, merged_to],
    )?;
    Ok(())
}

/// Adds records' contributions to the targets' rollups of one grain (each row read, added
/// to, written back: the latency classes are bytes), inside the caller's write transaction.
fn add_periods(
    db: &mut Db,
    grain: Grain,
    periods: &std::collections::BTreeMap<(i64, i64), Hour>,
) -> Result<(), DbError> {
    let (table, start) = (grain.table(), grain.start());
    let get = format!("SELECT {HOUR_COLUMNS} FROM {table} WHERE target_id = ?1 AND {start} = ?2");
    let put = format!(
        "INSERT INTO {table} (target_id, {start}, {HOUR_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (target_id, {start}) DO UPDATE SET probes = excluded.probes,
         observed_ms = excluded.observed_ms, down_ms = excluded.down_ms,
         excluded_ms = excluded.excluded_ms, answered = excluded.answered,
         under_1s = excluded.under_1s, violations = excluded.violations,
         over_6s = excluded.over_6s, classes = excluded.classes"
    );
    for ((target, hour), add) in periods {
        let mut h = db
            .query_row(&get, &params![*target, *hour])?
            .map(|r| hour_of_row(&r, 0))
            .transpose()?
            .unwrap_or_default();
        // Latency is kept per API (`Rollup::write`), not per target.
        h.add(add);
        db.execute(
            &put,
            &params![
                *target,
                *hour,
                h.sums.probes,
                h.sums.observed_ms,
                h.sums.down_ms,
                h.sums.excluded_ms,
                h.sums.answered,
                h.sums.under_1s,
                h.violations,
                h.over_6s,
                h.classes_bytes(),
            ],
        )?;
    }
    Ok(())
}

/// The SQLite schema. Targets are named once; a probe row is a handful of integers (a month of every operation
/// of both versions every 10 s is about ten million rows).
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS targets (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    api TEXT NOT NULL,
    version TEXT NOT NULL,
    operation TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS probes (
    target_id INTEGER NOT NULL REFERENCES targets (id),
    scheduled_ms INTEGER NOT NULL,
    started_ms INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    interval_ms INTEGER NOT NULL,
    status INTEGER,
    outcome INTEGER NOT NULL,
    violations TEXT,
    evidence TEXT,
    PRIMARY KEY (target_id, scheduled_ms)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS probes_by_time ON probes (scheduled_ms);
CREATE INDEX IF NOT EXISTS probes_down ON probes (scheduled_ms) WHERE outcome = 3;
CREATE TABLE IF NOT EXISTS hourly (
    target_id INTEGER NOT NULL REFERENCES targets (id),
    hour_ms INTEGER NOT NULL,
    probes INTEGER NOT NULL,
    observed_ms INTEGER NOT NULL,
    down_ms INTEGER NOT NULL,
    excluded_ms INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    under_1s INTEGER NOT NULL,
    violations INTEGER NOT NULL DEFAULT 0,
    over_6s INTEGER NOT NULL DEFAULT 0,
    classes BLOB,
    PRIMARY KEY (target_id, hour_ms)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hourly_by_time ON hourly (hour_ms);
CREATE TABLE IF NOT EXISTS daily (
    target_id INTEGER NOT NULL REFERENCES targets (id),
    day_ms INTEGER NOT NULL,
    probes INTEGER NOT NULL,
    observed_ms INTEGER NOT NULL,
    down_ms INTEGER NOT NULL,
    excluded_ms INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    under_1s INTEGER NOT NULL,
    violations INTEGER NOT NULL,
    over_6s INTEGER NOT NULL,
    classes BLOB,
    PRIMARY KEY (target_id, day_ms)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS down_spans (
    target_id INTEGER NOT NULL REFERENCES targets (id),
    from_ms INTEGER NOT NULL,
    to_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS down_spans_by_target ON down_spans (target_id, from_ms);
CREATE TABLE IF NOT EXISTS latency_monthly (
    api TEXT NOT NULL,
    month_ms INTEGER NOT NULL,
    latency BLOB NOT NULL,
    PRIMARY KEY (api, month_ms)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS latency_monthly_by_month ON latency_monthly (month_ms);
CREATE TABLE IF NOT EXISTS runs (
    started_ms INTEGER PRIMARY KEY,
    contract_profile TEXT NOT NULL,
    source TEXT NOT NULL,
    unstored INTEGER NOT NULL DEFAULT 0
);
";

/// One start of `vigie probe` on this store: what its records were held to and where they
/// came from, so that a report can say what it measured.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunRow {
    pub started_ms: i64,
    /// `publisher`, `convention` or `strict`.
    pub contract_profile: String,
    /// The target probed (`embedded simulators (http://127.0.0.1:…)`, or a platform's label
    /// and base URL).
    pub source: String,
    /// Probe records this run gave up because the store refused them too long.
    pub unstored: u64,
}

/// A stored probe without its texts: what the monthly report reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProbeRow {
    pub target_id: i64,
    pub scheduled_ms: i64,
    pub duration_ms: f64,
    pub interval_ms: i64,
    pub status: Option<u16>,
    pub outcome: ProbeOutcome,
}

/// A target as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRow {
    pub id: i64,
    pub key: String,
    pub api: String,
    pub version: String,
    pub operation: String,
}

fn outcome_code(o: ProbeOutcome) -> i64 {
    ProbeOutcome::ALL.iter().position(|x| *x == o).unwrap_or(0) as i64
}

fn outcome_of(code: i64) -> Result<ProbeOutcome, StoreError> {
    usize::try_from(code)
        .ok()
        .and_then(|i| ProbeOutcome::ALL.get(i).copied())
        .ok_or_else(|| StoreError::Outcome(code.to_string()))
}

/// A probe row from `scheduled_ms, duration_ms, interval_ms, status, outcome` at `at`.
fn probe_row(target_id: i64, r: &Row, at: usize) -> Result<ProbeRow, StoreError> {
    Ok(ProbeRow {
        target_id,
        scheduled_ms: r.int(at)?,
        duration_ms: r.real(at + 1)?,
        interval_ms: r.int(at + 2)?,
        status: r.opt_int(at + 3)?.and_then(|s| u16::try_from(s).ok()),
        outcome: outcome_of(r.int(at + 4)?)?,
    })
}

impl Store {
    /// Opens (SQLite: creates) the store at `location`; a PostgreSQL store gets the
    /// migrations it lacks.
    pub fn open_at(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::Sqlite(path) => Store::open(path),
            Location::Postgres(_) => {
                let open = |source| StoreError::Open {
                    path: location.to_string(),
                    source,
                };
                let mut db = Db::open(location).map_err(open)?;
                database::migrate(&mut db, "probe-store", &PG_MIGRATIONS).map_err(open)?;
                fold_older_latency(&mut db)?;
                fill_daily(&mut db)?;
                Ok(Store {
                    db: RefCell::new(db),
                    location: location.clone(),
                })
            }
        }
    }

    /// Opens (creates) a SQLite store.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        // An empty file is not a new store: something emptied a store that held records.
        if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
            return Err(StoreError::Empty(path.display().to_string()));
        }
        let location = Location::Sqlite(path.to_path_buf());
        let db = Db::open(&location).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        Store::init(db, location)
    }

    /// A store in memory (tests, benchmarks).
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::init(Db::in_memory()?, Location::Sqlite(":memory:".into()))
    }

    /// How long a SQLite write waits for another connection's lock before it fails (5 s by
    /// default); PostgreSQL writers queue on the server.
    pub fn set_busy_timeout(&self, wait: std::time::Duration) -> Result<(), StoreError> {
        if let Some(c) = self.db.borrow().sqlite() {
            c.busy_timeout(wait)?;
        }
        Ok(())
    }

    /// The SQLite file (`None` in memory or on PostgreSQL).
    pub fn path(&self) -> Option<&Path> {
        self.location
            .sqlite_path()
            .filter(|p| p.as_os_str() != ":memory:")
    }

    fn init(mut db: Db, location: Location) -> Result<Store, StoreError> {
        db.execute_batch(SCHEMA)?;
        let store = Store {
            db: RefCell::new(db),
            location,
        };
        store.build_rollups()?;
        fold_older_latency(&mut store.db.borrow_mut())?;
        fill_daily(&mut store.db.borrow_mut())?;
        Ok(store)
    }

    /// Builds the hourly rollups of a SQLite store written before them (layout 0), or before
    /// they held the report's figures (layout 1: from one day after its oldest record on, the
    /// hours its records fully cover; older hours keep their sums), once: under the write
    /// lock, so that two processes opening it together do not both count its records.
    fn build_rollups(&self) -> Result<(), StoreError> {
        let db = &mut *self.db.borrow_mut();
        let layout = |db: &Db| -> Result<i64, StoreError> {
            let c = db.sqlite().ok_or(StoreError::Outcome("layout".into()))?;
            Ok(c.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?)
        };
        if layout(db)? >= LAYOUT {
            return Ok(());
        }
        db.write(WRITE_LOCK, |db| -> Result<(), StoreError> {
            let was = layout(db)?;
            if was >= LAYOUT {
                return Ok(());
            }
            let set_layout = |db: &Db| -> Result<(), StoreError> {
                if let Some(c) = db.sqlite() {
                    c.pragma_update(None, "user_version", LAYOUT)?;
                }
                Ok(())
            };
            if was == 2 {
                db.execute("DELETE FROM down_spans", &[])?;
                let downs: Vec<(i64, i64, i64)> = db
                    .query(
                        "SELECT target_id, scheduled_ms, interval_ms FROM probes INDEXED BY probes_down
                         WHERE outcome = 3 ORDER BY target_id, scheduled_ms",
                        &[],
                    )?
                    .iter()
                    .map(|r| Ok((r.int(0)?, r.int(1)?, r.int(2)?)))
                    .collect::<Result<_, DbError>>()?;
                for (target, at, interval) in downs {
                    add_down_span(db, target, at, at + interval.max(0))?;
                }
                return set_layout(db);
            }
            let since = if was == 1 {
                for column in [
                    "violations INTEGER NOT NULL DEFAULT 0",
                    "over_6s INTEGER NOT NULL DEFAULT 0",
                    "classes BLOB",
                ] {
                    // A column already there (a build interrupted before its commit) is kept.
                    let _ = db.execute(&format!("ALTER TABLE hourly ADD COLUMN {column}"), &[]);
                }
                let oldest = db
                    .query_row("SELECT MIN(scheduled_ms) FROM probes", &[])?
                    .map(|r| r.opt_int(0))
                    .transpose()?
                    .flatten();
                let day = crate::probe::config::MAX_INTERVAL_S as i64 * 1000;
                match oldest {
                    Some(t) => hourly::hour_of(t) + day,
                    None => i64::MAX,
                }
            } else {
                i64::MIN
            };
            let mut rollup = Rollup::default();
            let mut downs = Vec::new();
            db.each(
                "SELECT p.target_id, p.scheduled_ms, p.duration_ms, p.interval_ms, p.status,
                 p.outcome, t.api, t.key FROM probes p JOIN targets t ON t.id = p.target_id",
                &[],
                |row| -> Result<(), StoreError> {
                    let target = row.int(0)?;
                    let r = probe_row(target, &row, 1)?;
                    let scope = latency_scope(&row.text(7)?, &row.text(6)?);
                    rollup.add(target, &scope, &r, since);
                    if r.outcome == ProbeOutcome::Down {
                        downs.push((
                            target,
                            r.scheduled_ms,
                            r.scheduled_ms + r.interval_ms.max(0),
                        ));
                    }
                    Ok(())
                },
            )?;
            db.execute("DELETE FROM down_spans", &[])?;
            downs.sort_unstable();
            for (target, from, to) in downs {
                add_down_span(db, target, from, to)?;
            }
            db.execute("DELETE FROM hourly WHERE hour_ms >= ?1", &params![since])?;
            // A store of layout 0 or 1 held no latency histograms: all are rebuilt here.
            db.execute("DELETE FROM latency_monthly", &[])?;
            rollup.write(db)?;
            // The days are added up from the hours, the older ones kept included
            // ([`fill_daily`], once this build is committed).
            db.execute("DELETE FROM daily", &[])?;
            set_layout(db)
        })
    }

    fn target_id(db: &mut Db, r: &ProbeRecord) -> Result<i64, DbError> {
        db.execute(
            "INSERT INTO targets (key, api, version, operation) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (key) DO NOTHING",
            &params![&r.target, &r.api, &r.version, &r.operation],
        )?;
        db.query_row("SELECT id FROM targets WHERE key = ?1", &params![&r.target])?
            .ok_or(DbError::Column {
                index: 0,
                want: "the target just stored",
                got: "no row".into(),
            })?
            .int(0)
    }

    /// Appends records in one transaction; when it returns, they are on disk. A record of a
    /// target and due time already stored is not stored twice (a replay after a crash, or
    /// the same probe stored by two instances).
    pub fn append(&mut self, records: &[ProbeRecord]) -> Result<(), StoreError> {
        self.db
            .get_mut()
            .write(WRITE_LOCK, |db| -> Result<(), StoreError> {
                let mut ids: std::collections::HashMap<&str, i64> = Default::default();
                let mut rollup = Rollup::default();
                for r in records {
                    let id = match ids.get(r.target.as_str()) {
                        Some(id) => *id,
                        None => {
                            let id = Store::target_id(db, r)?;
                            ids.insert(&r.target, id);
                            id
                        }
                    };
                    let stored = db.execute(
                        "INSERT INTO probes (target_id, scheduled_ms, started_ms, duration_ms,
                         interval_ms, status, outcome, violations, evidence)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING",
                        &params![
                            id,
                            r.scheduled_ms,
                            r.started_ms,
                            r.duration_ms,
                            r.interval_ms,
                            r.status,
                            outcome_code(r.outcome),
                            (!r.violations.is_empty()).then(|| r.violations.join("\n")),
                            r.evidence.clone(),
                        ],
                    )?;
                    // A replay (already stored) adds nothing to the rollups either.
                    if stored == 1 {
                        let row = ProbeRow {
                            target_id: id,
                            scheduled_ms: r.scheduled_ms,
                            duration_ms: r.duration_ms,
                            interval_ms: r.interval_ms,
                            status: r.status,
                            outcome: r.outcome,
                        };
                        rollup.add(id, &latency_scope(&r.target, &r.api), &row, i64::MIN);
                        if r.outcome == ProbeOutcome::Down {
                            let to = r.scheduled_ms + r.interval_ms.max(0);
                            add_down_span(db, id, r.scheduled_ms, to)?;
                        }
                    }
                }
                rollup.write(db)?;
                Ok(())
            })
    }

    /// Records a start of `vigie probe` (a restart within the same millisecond keeps the first).
    pub fn record_run(&mut self, run: &RunRow) -> Result<(), StoreError> {
        self.db.get_mut().execute(
            "INSERT INTO runs (started_ms, contract_profile, source) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
            &params![run.started_ms, &run.contract_profile, &run.source],
        )?;
        Ok(())
    }

    /// Adds records given up to a run's count.
    pub fn add_unstored(&mut self, run_started_ms: i64, n: u64) -> Result<(), StoreError> {
        self.db.get_mut().execute(
            "UPDATE runs SET unstored = unstored + ?2 WHERE started_ms = ?1",
            &params![run_started_ms, n],
        )?;
        Ok(())
    }

    /// The runs that produced records due in `[from, to)`: those started in it, and the last
    /// one started before it (still running when it began), oldest first.
    pub fn runs_between(&self, from: i64, to: i64) -> Result<Vec<RunRow>, StoreError> {
        let rows = self.db.borrow_mut().query(
            "SELECT started_ms, contract_profile, source, unstored FROM runs
             WHERE started_ms >= (SELECT COALESCE(MAX(started_ms), ?1) FROM runs WHERE started_ms <= ?1)
               AND started_ms < ?2
             ORDER BY started_ms",
            &params![from, to],
        )?;
        rows.iter()
            .map(|r| {
                Ok(RunRow {
                    started_ms: r.int(0)?,
                    contract_profile: r.text(1)?,
                    source: r.text(2)?,
                    unstored: r.int(3)?.max(0) as u64,
                })
            })
            .collect()
    }

    /// The due times of the first and the last probe in `[from, to)`, if any: when the
    /// evidence of a period was gathered (two lookups on the time index, not a scan).
    pub fn first_and_last_between(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        let db = &mut *self.db.borrow_mut();
        let hint = match db.backend() {
            Backend::Sqlite => "INDEXED BY probes_by_time",
            Backend::Postgres => "",
        };
        let mut ends = [None, None];
        for (end, order) in ends.iter_mut().zip(["ASC", "DESC"]) {
            *end = db
                .query_row(
                    &format!(
                        "SELECT scheduled_ms FROM probes {hint}
                         WHERE scheduled_ms >= ?1 AND scheduled_ms < ?2
                         ORDER BY scheduled_ms {order} LIMIT 1"
                    ),
                    &params![from, to],
                )?
                .map(|r| r.int(0))
                .transpose()?;
        }
        let [first, last] = ends;
        Ok(first.zip(last))
    }

    /// Each target's hourly rollups added up over `[from, to)` (whole hours), by target id,
    /// of every target or of one partner's (`Some(id)`); targets with no hour in it are left
    /// out.
    pub fn hourly_sums(
        &self,
        partner: Option<&str>,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, Sums)>, StoreError> {
        let (sql, args) = by_target(
            "h.target_id, CAST(SUM(probes) AS BIGINT), CAST(SUM(observed_ms) AS BIGINT),
             CAST(SUM(down_ms) AS BIGINT), CAST(SUM(excluded_ms) AS BIGINT),
             CAST(SUM(answered) AS BIGINT), CAST(SUM(under_1s) AS BIGINT)",
            Grain::Hour,
            partner,
            from,
            to,
            "GROUP BY h.target_id ORDER BY h.target_id",
        );
        let rows = self.db.borrow_mut().query(&sql, &args)?;
        let n = |x: i64| x.max(0) as u64;
        rows.iter()
            .map(|r| {
                Ok((
                    r.int(0)?,
                    Sums {
                        probes: n(r.int(1)?),
                        observed_ms: r.int(2)?,
                        down_ms: r.int(3)?,
                        excluded_ms: r.int(4)?,
                        answered: n(r.int(5)?),
                        under_1s: n(r.int(6)?),
                    },
                ))
            })
            .collect()
    }

    /// The rollups at `grain` that start in `[from, to)`, of every target or of one
    /// partner's (`Some(id)`), to `each(target, start, sums)`, in no set order (sorting two
    /// million hours for the summary of a hundred partners' month cost a fifth of its time).
    /// A Paris month is a whole number of days: its report reads [`Grain::Day`].
    pub fn rollups_of(
        &self,
        grain: Grain,
        partner: Option<&str>,
        from: i64,
        to: i64,
        mut each: impl FnMut(i64, i64, &Hour),
    ) -> Result<(), StoreError> {
        let (sql, args) = by_target(
            &format!("h.target_id, h.{}, {HOUR_COLUMNS}", grain.start()),
            grain,
            partner,
            from,
            to,
            "",
        );
        self.db
            .borrow_mut()
            .each(&sql, &args, |row| -> Result<(), StoreError> {
                let h = hour_of_row(&row, 2)?;
                each(row.int(0)?, row.int(1)?, &h);
                Ok(())
            })
    }

    /// The due times of the first and the last probe in `[from, to)` of some targets.
    pub fn first_and_last_of(
        &self,
        targets: &[i64],
        from: i64,
        to: i64,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        let db = &mut *self.db.borrow_mut();
        let mut span: Option<(i64, i64)> = None;
        for id in targets {
            for order in ["ASC", "DESC"] {
                let at = db
                    .query_row(
                        &format!(
                            "SELECT scheduled_ms FROM probes WHERE target_id = ?1
                             AND scheduled_ms >= ?2 AND scheduled_ms < ?3
                             ORDER BY scheduled_ms {order} LIMIT 1"
                        ),
                        &params![*id, from, to],
                    )?
                    .map(|r| r.int(0))
                    .transpose()?;
                if let Some(at) = at {
                    span = Some(span.map_or((at, at), |(a, b)| (a.min(at), b.max(at))));
                }
            }
        }
        Ok(span)
    }

    /// The latency histograms of the Paris months that start in `[from, to)` (a report's
    /// bounds are a Paris month's), to `each(scope, histogram)`, the scope being the API or
    /// `partner/api`: every partner's, or one partner's only (`Some(id)`, one range of the
    /// primary key).
    pub fn latency_between(
        &self,
        from: i64,
        to: i64,
        partner: Option<&str>,
        mut each: impl FnMut(&str, &Latency),
    ) -> Result<(), StoreError> {
        let mut each_row = |row: Row| -> Result<(), StoreError> {
            let l = Latency::from_bytes(row.opt_blob(1)?.unwrap_or_default());
            each(&row.text(0)?, &l);
            Ok(())
        };
        let db = &mut *self.db.borrow_mut();
        match partner.filter(|p| !p.is_empty()) {
            Some(p) => {
                let (lo, hi) = partner_keys(p);
                db.each(
                    "SELECT api, latency FROM latency_monthly
                     WHERE api >= ?1 AND api < ?2 AND month_ms >= ?3 AND month_ms < ?4",
                    &params![lo, hi, from, to],
                    &mut each_row,
                )
            }
            None => db.each(
                "SELECT api, latency FROM latency_monthly WHERE month_ms >= ?1 AND month_ms < ?2",
                &params![from, to],
                &mut each_row,
            ),
        }
    }

    /// The down spans that reach into `[from, to)`, target by target, oldest first, as rows
    /// (due at the span's start, for its length): what the month's down intervals read,
    /// whatever the number of records, and kept when the records are pruned.
    pub fn down_spans(
        &self,
        from: i64,
        to: i64,
        mut each: impl FnMut(ProbeRow),
    ) -> Result<(), StoreError> {
        self.db.borrow_mut().each(
            "SELECT target_id, from_ms, to_ms FROM down_spans
             WHERE to_ms > ?1 AND from_ms < ?2 ORDER BY target_id, from_ms",
            &params![from, to],
            |row| -> Result<(), StoreError> {
                let start = row.int(1)?;
                each(ProbeRow {
                    target_id: row.int(0)?,
                    scheduled_ms: start,
                    duration_ms: 0.0,
                    interval_ms: row.int(2)? - start,
                    status: None,
                    outcome: ProbeOutcome::Down,
                });
                Ok(())
            },
        )
    }

    /// Whether any hourly rollup falls in `[from, to)` (the store holds that period, even
    /// after its raw records were pruned).
    pub fn holds_hours(&self, from: i64, to: i64) -> Result<bool, StoreError> {
        Ok(self
            .db
            .borrow_mut()
            .query_row(
                "SELECT 1 FROM hourly WHERE hour_ms >= ?1 AND hour_ms < ?2 LIMIT 1",
                &params![from, to],
            )?
            .is_some())
    }

    /// The outcome of a target's last stored probe, if any.
    pub fn last_outcome(&self, target_id: i64) -> Result<Option<ProbeOutcome>, StoreError> {
        let code = self
            .db
            .borrow_mut()
            .query_row(
                "SELECT outcome FROM probes WHERE target_id = ?1 ORDER BY scheduled_ms DESC LIMIT 1",
                &params![target_id],
            )?
            .map(|r| r.int(0))
            .transpose()?;
        code.map(outcome_of).transpose()
    }

    /// Every target ever probed.
    pub fn targets(&self) -> Result<Vec<TargetRow>, StoreError> {
        let rows = self.db.borrow_mut().query(
            "SELECT id, key, api, version, operation FROM targets ORDER BY id",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(TargetRow {
                    id: r.int(0)?,
                    key: r.text(1)?,
                    api: r.text(2)?,
                    version: r.text(3)?,
                    operation: r.text(4)?,
                })
            })
            .collect()
    }

    /// The last due time recorded for a target (where its schedule resumes).
    pub fn last_scheduled(&self, target: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .db
            .borrow_mut()
            .query_row(
                "SELECT MAX(p.scheduled_ms) FROM probes p JOIN targets t ON t.id = p.target_id
                 WHERE t.key = ?1",
                &params![target],
            )?
            .map(|r| r.opt_int(0))
            .transpose()?
            .flatten())
    }

    /// Rows due in `[from, to)`, target by target, each target's oldest first, to `each`
    /// (the reference path of the report: every record).
    pub fn scan_rows(
        &self,
        from: i64,
        to: i64,
        each: impl FnMut(ProbeRow),
    ) -> Result<u64, StoreError> {
        let ids: Vec<i64> = self.targets()?.into_iter().map(|t| t.id).collect();
        self.scan_rows_of(&ids, from, to, each)
    }

    /// [`Store::scan_rows`] for some targets only.
    pub fn scan_rows_of(
        &self,
        targets: &[i64],
        from: i64,
        to: i64,
        mut each: impl FnMut(ProbeRow),
    ) -> Result<u64, StoreError> {
        let db = &mut *self.db.borrow_mut();
        let mut n = 0;
        for t in targets {
            db.each(
                "SELECT scheduled_ms, duration_ms, interval_ms, status, outcome
                 FROM probes WHERE target_id = ?1 AND scheduled_ms >= ?2 AND scheduled_ms < ?3
                 ORDER BY scheduled_ms",
                &params![*t, from, to],
                |row| -> Result<(), StoreError> {
                    each(probe_row(*t, &row, 0)?);
                    n += 1;
                    Ok(())
                },
            )?;
        }
        Ok(n)
    }

    /// Whole records due in `[from, to)`, oldest first.
    pub fn scan(
        &self,
        from: i64,
        to: i64,
        mut each: impl FnMut(ProbeRecord),
    ) -> Result<u64, StoreError> {
        let mut n = 0;
        self.db.borrow_mut().each(
            "SELECT t.key, t.api, t.version, t.operation, p.scheduled_ms, p.started_ms,
             p.duration_ms, p.interval_ms, p.status, p.outcome, p.violations, p.evidence
             FROM probes p JOIN targets t ON t.id = p.target_id
             WHERE p.scheduled_ms >= ?1 AND p.scheduled_ms < ?2 ORDER BY p.scheduled_ms",
            &params![from, to],
            |row| -> Result<(), StoreError> {
                each(ProbeRecord {
                    target: row.text(0)?,
                    api: row.text(1)?,
                    version: row.text(2)?,
                    operation: row.text(3)?,
                    scheduled_ms: row.int(4)?,
                    started_ms: row.int(5)?,
                    duration_ms: row.real(6)?,
                    interval_ms: row.int(7)?,
                    status: row.opt_int(8)?.and_then(|s| u16::try_from(s).ok()),
                    outcome: outcome_of(row.int(9)?)?,
                    violations: row
                        .opt_text(10)?
                        .map(|v| v.split('\n').map(str::to_string).collect())
                        .unwrap_or_default(),
                    evidence: row.opt_text(11)?,
                });
                n += 1;
                Ok(())
            },
        )?;
        Ok(n)
    }

    /// Deletes records due before `before`; returns how many. The hourly rollups stay.
    pub fn prune(&mut self, before: i64) -> Result<usize, StoreError> {
        Ok(self.db.get_mut().execute(
            "DELETE FROM probes WHERE scheduled_ms < ?1",
            &params![before],
        )? as usize)
    }

    pub fn count(&self) -> Result<u64, StoreError> {
        Ok(self
            .db
            .borrow_mut()
            .query_row("SELECT COUNT(*) FROM probes", &[])?
            .map(|r| r.int(0))
            .transpose()?
            .unwrap_or(0)
            .max(0) as u64)
    }

    /// The connection, for tests that age a store to an older layout.
    #[cfg(test)]
    fn db(&self) -> std::cell::RefMut<'_, Db> {
        self.db.borrow_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same test on each backend: a SQLite file, then a PostgreSQL database of the shared
    /// throwaway cluster. Returns the temporary folder that must outlive the SQLite store.
    fn on_both(hint: &str, test: impl Fn(&Location)) {
        let dir = tempfile::tempdir().unwrap();
        test(&Location::Sqlite(dir.path().join("p.sqlite")));
        let cluster = database::cluster::Cluster::shared().unwrap();
        test(&cluster.database(hint).unwrap());
    }

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
        on_both("append", append_scan_resume_prune_on);
    }

    fn append_scan_resume_prune_on(at: &Location) {
        {
            let mut s = Store::open_at(at).unwrap();
            s.append(&[
                record("a", 1_000, ProbeOutcome::Up),
                record("a", 61_000, ProbeOutcome::Down),
            ])
            .unwrap();
            // A replay of the same due time is not stored twice.
            s.append(&[record("a", 61_000, ProbeOutcome::Down)])
                .unwrap();
        }
        let mut s = Store::open_at(at).unwrap();
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

    #[test]
    fn rollups_count_a_replay_once_survive_pruning_and_are_built_for_an_older_store() {
        on_both("rollups", rollups_on);
    }

    fn rollups_on(at: &Location) {
        let sqlite = at.sqlite_path().is_some();
        let hour = hourly::HOUR_MS;
        let batch = [
            record("a", hour - 30_000, ProbeOutcome::Down),
            record("a", hour + 30_000, ProbeOutcome::Up),
        ];
        let sums = |s: &Store| s.hourly_sums(None, 0, 3 * hour).unwrap();
        let want = vec![(
            1,
            Sums {
                probes: 2,
                observed_ms: 120_000,
                down_ms: 60_000,
                excluded_ms: 0,
                answered: 2,
                under_1s: 2,
            },
        )];
        {
            let mut s = Store::open_at(at).unwrap();
            s.append(&batch).unwrap();
            s.append(&batch[1..]).unwrap(); // a replay
            assert_eq!(sums(&s), want);
            // The first record's minute is split across the hour.
            assert_eq!(s.hourly_sums(None, 0, hour).unwrap()[0].1.down_ms, 30_000);
            assert!(s.holds_hours(0, hour).unwrap());
            assert!(!s.holds_hours(2 * hour, 3 * hour).unwrap());
            // A SQLite store of layout 0: no rollups yet.
            if sqlite {
                s.db().execute("DELETE FROM hourly", &[]).unwrap();
                s.db()
                    .sqlite()
                    .unwrap()
                    .pragma_update(None, "user_version", 0)
                    .unwrap();
            }
        }
        let mut s = Store::open_at(at).unwrap();
        assert_eq!(sums(&s), want, "built from the records when opened");
        drop(Store::open_at(at).unwrap());
        assert_eq!(sums(&s), want, "once");
        s.prune(2 * hour).unwrap();
        assert_eq!(s.count().unwrap(), 0);
        assert_eq!(sums(&s), want, "the rollups outlive the records");
    }

    #[test]
    fn a_store_of_layout_1_gets_the_reports_figures_from_the_records_it_still_has() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.sqlite");
        let hour = hourly::HOUR_MS;
        let day = 24 * hour;
        // Records every 10 min over three days, one of them slow.
        let batch: Vec<ProbeRecord> = (0..3 * 144)
            .map(|i| {
                let mut r = record("a", i * 600_000, ProbeOutcome::Up);
                r.duration_ms = if i == 200 { 7_000.0 } else { 120.0 };
                r
            })
            .collect();
        let all = |s: &Store| {
            let mut hours = Vec::new();
            s.rollups_of(Grain::Hour, None, 0, 3 * day, |_, at, h| {
                hours.push((at, h.clone()))
            })
            .unwrap();
            hours
        };
        let want = {
            let mut s = Store::open(&path).unwrap();
            s.append(&batch).unwrap();
            let want = all(&s);
            assert_eq!(want.iter().map(|(_, h)| h.over_6s).sum::<u64>(), 1);
            let mut l = Latency::default();
            s.latency_between(-day, 3 * day, None, |api, h| {
                assert_eq!(api, "statut-usager");
                l.merge(h);
            })
            .unwrap();
            assert_eq!(l.percentile(0.5), Some(120.0));
            // A store of layout 1: sums only (the new columns as an older vigie left them).
            s.db()
                .execute(
                    "UPDATE hourly SET violations = 0, over_6s = 0, classes = NULL",
                    &[],
                )
                .unwrap();
            s.db().execute("DELETE FROM latency_monthly", &[]).unwrap();
            s.db()
                .sqlite()
                .unwrap()
                .pragma_update(None, "user_version", 1)
                .unwrap();
            want
        };
        let s = Store::open(&path).unwrap();
        let got = all(&s);
        assert_eq!(got.len(), want.len());
        for ((at, h), (_, w)) in got.iter().zip(&want) {
            // From a day after the oldest record on, rebuilt whole; before, the sums stay.
            if *at >= day {
                assert_eq!(h, w, "hour {at}");
            } else {
                assert_eq!((h.sums, h.over_6s), (w.sums, 0), "hour {at}");
            }
        }
        let mut rebuilt = 0;
        s.latency_between(-day, 3 * day, None, |_, h| rebuilt += h.count())
            .unwrap();
        assert_eq!(rebuilt, 2 * 144, "the histograms of the days rebuilt");
        // The days are the hours added up, those rebuilt included, none counted twice.
        let mut summed: std::collections::BTreeMap<(i64, i64), Hour> = Default::default();
        s.rollups_of(Grain::Hour, None, -day, 4 * day, |t, at, h| {
            summed.entry((t, paris_day(at))).or_default().add(h)
        })
        .unwrap();
        let mut days: std::collections::BTreeMap<(i64, i64), Hour> = Default::default();
        s.rollups_of(Grain::Day, None, -day, 4 * day, |t, at, h| {
            days.insert((t, at), h.clone());
        })
        .unwrap();
        assert_eq!(days, summed);
    }

    #[test]
    fn down_records_become_spans_in_any_order_and_a_store_of_layout_2_gets_them() {
        on_both("spans", down_spans_on);
    }

    fn down_spans_on(at: &Location) {
        let spans = |s: &Store| {
            let mut out = Vec::new();
            s.down_spans(0, i64::MAX, |r| {
                out.push((r.scheduled_ms, r.scheduled_ms + r.interval_ms))
            })
            .unwrap();
            out
        };
        // 60 s records: down at 0, 120 (out of order), 60 (joins them), 300 alone; a replay.
        let down = |at: i64| record("a", at * 1000, ProbeOutcome::Down);
        {
            let mut s = Store::open_at(at).unwrap();
            s.append(&[down(0), down(120)]).unwrap();
            s.append(&[record("a", 180_000, ProbeOutcome::Up), down(300)])
                .unwrap();
            s.append(&[down(60)]).unwrap();
            s.append(&[down(60), down(300)]).unwrap(); // replays
            assert_eq!(spans(&s), [(0, 180_000), (300_000, 360_000)]);
            s.prune(i64::MAX).unwrap();
            assert_eq!(spans(&s).len(), 2, "the spans outlive the records");
            s.append(&[down(600), down(660)]).unwrap();
            if at.sqlite_path().is_none() {
                assert_eq!(spans(&s).len(), 3);
                return;
            }
            // A SQLite store of layout 2: no spans yet; they come from its down records.
            s.db().execute("DELETE FROM down_spans", &[]).unwrap();
            s.db()
                .sqlite()
                .unwrap()
                .pragma_update(None, "user_version", 2)
                .unwrap();
        }
        let s = Store::open_at(at).unwrap();
        assert_eq!(spans(&s), [(600_000, 720_000)]);
    }

    #[test]
    fn the_partial_index_of_down_records_names_the_down_code() {
        assert_eq!(outcome_code(ProbeOutcome::Down), 3);
        assert!(SCHEMA.contains("WHERE outcome = 3"));
    }

    #[test]
    fn an_empty_file_is_not_taken_for_a_new_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.sqlite");
        std::fs::write(&path, b"").unwrap();
        let e = Store::open(&path).unwrap_err().to_string();
        assert!(e.contains("is an empty file"), "{e}");
        std::fs::remove_file(&path).unwrap();
        Store::open(&path).unwrap();
        // What vigie created is never empty: it opens again.
        assert!(std::fs::metadata(&path).unwrap().len() > 0);
        Store::open(&path).unwrap();
    }

    #[test]
    fn runs_of_a_period_include_the_one_running_when_it_began() {
        on_both("runs", runs_on);
    }

    fn runs_on(at: &Location) {
        let mut s = Store::open_at(at).unwrap();
        let run = |at: i64, profile: &str| RunRow {
            started_ms: at,
            contract_profile: profile.into(),
            source: "embedded simulators (http://127.0.0.1:1)".into(),
            unstored: 0,
        };
        s.record_run(&run(10, "publisher")).unwrap();
        s.record_run(&run(20, "strict")).unwrap();
        s.record_run(&run(150, "convention")).unwrap();
        s.record_run(&run(300, "strict")).unwrap();
        let seen = |from, to| -> Vec<String> {
            s.runs_between(from, to)
                .unwrap()
                .into_iter()
                .map(|r| format!("{}:{}", r.started_ms, r.contract_profile))
                .collect()
        };
        assert_eq!(seen(100, 200), ["20:strict", "150:convention"]);
        assert_eq!(seen(150, 200), ["150:convention"]);
        assert_eq!(seen(0, 5), Vec::<String>::new());
        assert_eq!(seen(400, 500), ["300:strict"]);
    }

    #[test]
    fn the_hourly_or_daily_latency_of_an_older_store_is_added_up_into_months_once() {
        on_both("fold", |at| {
            let hour = hourly::HOUR_MS;
            // Paris months of early 1970 (UTC+1): January from -1 h, February from 743 h.
            let (january, february) = (paris_month(0), paris_month(40 * 24 * hour));
            assert_eq!(
                (january, february),
                (-hour, 31 * 24 * hour - hour),
                "1970 in Paris"
            );
            let count = |s: &Store, from: i64| {
                let mut n = 0;
                s.latency_between(from, from + 1, None, |scope, l| {
                    assert_eq!(scope, "statut-usager");
                    n += l.count();
                })
                .unwrap();
                n
            };
            {
                let mut s = Store::open_at(at).unwrap();
                s.append(&[record("a", 0, ProbeOutcome::Up)]).unwrap();
                // What older vigies left: histograms per hour (two in January, one in
                // February), then per day (one in each month).
                let mut db = s.db();
                for (table, start, rows) in [
                    (
                        "latency_hourly",
                        "hour_ms",
                        [(0, 2), (hour, 2), (743 * hour, 3)].as_slice(),
                    ),
                    (
                        "latency_daily",
                        "day_ms",
                        [(-hour, 4), (750 * hour, 5)].as_slice(),
                    ),
                ] {
                    db.execute_batch(&format!(
                        "CREATE TABLE {table} (api TEXT NOT NULL, {start} BIGINT NOT NULL,
                         latency BYTEA NOT NULL, PRIMARY KEY ({start}, api))"
                    ))
                    .unwrap();
                    for (at, times) in rows {
                        let mut l = Latency::default();
                        for _ in 0..*times {
                            l.record(300.0);
                        }
                        db.execute(
                            &format!(
                                "INSERT INTO {table} (api, {start}, latency) VALUES (?1, ?2, ?3)"
                            ),
                            &params!["statut-usager", *at, l.to_bytes()],
                        )
                        .unwrap();
                    }
                }
            }
            // January: the stored record, 2 + 2 hourly, 4 daily; February: 3 hourly, 5 daily.
            let s = Store::open_at(at).unwrap();
            assert_eq!((count(&s, january), count(&s, february)), (9, 8));
            drop(s);
            let s = Store::open_at(at).unwrap();
            assert_eq!((count(&s, january), count(&s, february)), (9, 8), "once");
            for table in ["latency_hourly", "latency_daily"] {
                assert!(
                    s.db()
                        .query(&format!("SELECT 1 FROM {table}"), &[])
                        .is_err(),
                    "{table} is gone"
                );
            }
        });
    }

    #[test]
    fn a_partners_rows_are_read_alone_whatever_the_databases_collation() {
        on_both("partner-rows", partner_rows_on);
        // A server whose text sorts with punctuation ignored (as glibc's fr_FR.UTF-8 does):
        // the key ranges must still hold exactly one partner's rows.
        let cluster = database::cluster::Cluster::shared().unwrap();
        partner_rows_on(
            &cluster
                .database_ignoring_punctuation("partner-rows-icu")
                .unwrap(),
        );
    }

    fn partner_rows_on(at: &Location) {
        let mut s = Store::open_at(at).unwrap();
        let key = |p: &str| format!("{p}/statut-usager/v2/recuperer-contrat");
        for (p, n) in [
            ("d97", 1),
            ("d974", 2),
            ("d9740", 4),
            ("d974-x", 8),
            ("d975", 16),
        ] {
            for i in 0..n {
                s.append(&[record(&key(p), i * 60_000, ProbeOutcome::Up)])
                    .unwrap();
            }
        }
        let latency = |partner: Option<&str>| {
            let mut seen = Vec::new();
            s.latency_between(-86_400_000, 86_400_000, partner, |scope, l| {
                seen.push((scope.to_string(), l.count()))
            })
            .unwrap();
            seen.sort();
            seen
        };
        assert_eq!(latency(Some("d974")), [("d974/statut-usager".into(), 2)]);
        assert_eq!(latency(Some("d97")), [("d97/statut-usager".into(), 1)]);
        assert_eq!(latency(Some("d976")), []);
        assert_eq!(latency(None).len(), 5);
        let probes = |partner: Option<&str>| {
            let mut n = 0;
            s.rollups_of(Grain::Hour, partner, -86_400_000, 86_400_000, |_, _, h| {
                n += h.sums.probes
            })
            .unwrap();
            let summed: u64 = s
                .hourly_sums(partner, -86_400_000, 86_400_000)
                .unwrap()
                .iter()
                .map(|(_, x)| x.probes)
                .sum();
            assert_eq!(n, summed);
            n
        };
        assert_eq!(probes(Some("d974")), 2);
        assert_eq!(probes(Some("d974-x")), 8);
        assert_eq!(probes(None), 31);
    }

    #[test]
    fn the_days_are_the_hours_added_up_into_paris_days_and_an_older_store_gets_them_once() {
        on_both("daily", daily_on);
    }

    fn daily_on(at: &Location) {
        use std::collections::BTreeMap;
        // Three Paris days around the spring change (Sunday 29 March 2026: 23 hours), two
        // targets probed every minute, one down for a while across a midnight.
        let days = paris::days_of_month(2026, 3);
        let (from, to) = (days[27].1, days[29].2);
        let midnight = days[28].1;
        assert_eq!(days[28].2 - days[28].1, 23 * hourly::HOUR_MS);
        let batch: Vec<ProbeRecord> = ["d1/a", "d2/b"]
            .iter()
            .flat_map(|t| {
                (from..to).step_by(60_000).map(move |ms| {
                    let down =
                        *t == "d1/a" && (midnight - 600_000..midnight + 300_000).contains(&ms);
                    record(
                        t,
                        ms,
                        if down {
                            ProbeOutcome::Down
                        } else {
                            ProbeOutcome::Up
                        },
                    )
                })
            })
            .collect();
        let mut s = Store::open_at(at).unwrap();
        for chunk in batch.chunks(500) {
            s.append(chunk).unwrap();
        }
        let read = |s: &Store, grain: Grain| {
            let mut out: BTreeMap<(i64, i64), Hour> = BTreeMap::new();
            s.rollups_of(
                grain,
                None,
                from - 86_400_000,
                to + 86_400_000,
                |t, at, h| {
                    let at = match grain {
                        Grain::Hour => paris_day(at),
                        Grain::Day => at,
                    };
                    out.entry((t, at)).or_default().add(h);
                },
            )
            .unwrap();
            out
        };
        let want = read(&s, Grain::Hour);
        let got = read(&s, Grain::Day);
        assert_eq!(got, want);
        assert_eq!(got.len(), 6, "two targets, three days");
        // Every minute probed: each day observed whole, 23 hours on the day of the change.
        for ((_, day), h) in &got {
            let i = days.iter().position(|d| d.1 == *day).unwrap();
            assert_eq!(h.sums.observed_ms, days[i].2 - days[i].1, "day {i}");
        }
        let down: i64 = got.values().map(|h| h.sums.down_ms).sum();
        assert_eq!(down, 900_000);
        // A store written before the days: they are added up from its hours when it is opened,
        // once (opened again, nothing is counted twice).
        s.db().execute("DELETE FROM daily", &[]).unwrap();
        drop(s);
        assert_eq!(read(&Store::open_at(at).unwrap(), Grain::Day), want);
        assert_eq!(read(&Store::open_at(at).unwrap(), Grain::Day), want);
    }

    #[test]
    fn two_writers_appending_together_lose_no_count() {
        on_both("writers", |at| {
            let hour = hourly::HOUR_MS;
            drop(Store::open_at(at).unwrap()); // created once
            let threads: Vec<_> = ["a", "b"]
                .into_iter()
                .map(|t| {
                    let at = at.clone();
                    std::thread::spawn(move || {
                        let mut s = Store::open_at(&at).unwrap();
                        s.set_busy_timeout(std::time::Duration::from_secs(30))
                            .unwrap();
                        for i in 0..40 {
                            // Both targets' records fall in the same API's hour histogram.
                            s.append(&[record(t, i * 60_000, ProbeOutcome::Up)])
                                .unwrap();
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
            let s = Store::open_at(at).unwrap();
            let mut n = 0;
            s.latency_between(-hourly::HOUR_MS * 24, hour, None, |_, l| n += l.count())
                .unwrap();
            assert_eq!(n, 80, "every record in the shared histogram");
            let probes: u64 = s
                .hourly_sums(None, 0, hour)
                .unwrap()
                .iter()
                .map(|(_, x)| x.probes)
                .sum();
            assert_eq!(probes, 80);
        });
    }
}
