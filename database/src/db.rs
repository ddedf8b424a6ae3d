//! One connection to a store, SQLite or PostgreSQL, with one way to write statements: `?1`
//! placeholders, SQL both understand (`ON CONFLICT`, `CAST(SUM(x) AS BIGINT)`), and writes in
//! transactions that exclude other writers of the same kind, on one machine or several.

use crate::error::DbError;
use crate::location::Location;
use crate::postgres::Postgres;
use crate::value::{Row, Value};

/// Which backend a connection speaks to, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection.
#[derive(Debug)]
pub enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(Postgres),
}

/// A stable 64-bit key for an advisory lock's name.
fn lock_key(name: &str) -> i64 {
    use sha2::Digest;
    let d = sha2::Sha256::digest(format!("vigie:{name}").as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    i64::from_be_bytes(b)
}

impl Db {
    /// Opens (SQLite: creates) the store at `location`.
    pub fn open(location: &Location) -> Result<Db, DbError> {
        Ok(match location {
            Location::Sqlite(p) => Db::Sqlite(crate::sqlite::open(p)?),
            Location::Postgres(t) => Db::Postgres(Postgres::connect(t)?),
        })
    }

    /// A SQLite store in memory (tests, benchmarks).
    pub fn in_memory() -> Result<Db, DbError> {
        Ok(Db::Sqlite(crate::sqlite::in_memory()?))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (its layout version, pragmas).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Db::Sqlite(c) => Some(c),
            Db::Postgres(_) => None,
        }
    }

    /// Statements without parameters or results (a schema).
    pub fn execute_batch(&mut self, sql: &str) -> Result<(), DbError> {
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Db::Postgres(p) => p.execute_batch(sql),
        }
    }

    /// One statement; how many rows it changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        match self {
            Db::Sqlite(c) => crate::sqlite::execute(c, sql, params),
            Db::Postgres(p) => p.execute(sql, params),
        }
    }

    /// Each row of a query, in order, without holding them all.
    pub fn each<E: From<DbError>>(
        &mut self,
        sql: &str,
        params: &[Value],
        each: impl FnMut(Row) -> Result<(), E>,
    ) -> Result<(), E> {
        match self {
            Db::Sqlite(c) => crate::sqlite::each(c, sql, params, each),
            Db::Postgres(p) => p.each(sql, params, each),
        }
    }

    /// Every row of a query.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let mut out = Vec::new();
        self.each(sql, params, |r| {
            out.push(r);
            Ok::<_, DbError>(())
        })?;
        Ok(out)
    }

    /// The first row of a query, if any.
    pub fn query_row(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Runs `f` in a write transaction that no other writer of `lock` runs beside, here or
    /// on another machine (SQLite: `BEGIN IMMEDIATE`, the file's one writer; PostgreSQL: a
    /// transaction-scoped advisory lock named after `lock`). Committed if `f` succeeds,
    /// rolled back otherwise.
    pub fn write<T, E: From<DbError>>(
        &mut self,
        lock: &str,
        f: impl FnOnce(&mut Db) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Db::Sqlite(c) => c.execute_batch("BEGIN IMMEDIATE").map_err(DbError::from)?,
            Db::Postgres(p) => {
                p.execute_batch("BEGIN")?;
                if let Err(e) = p.execute(
                    "SELECT pg_advisory_xact_lock(?1)",
                    &[Value::Int(lock_key(lock))],
                ) {
                    let _ = p.execute_batch("ROLLBACK");
                    return Err(e.into());
                }
            }
        }
        match f(self) {
            Ok(v) => {
                self.execute_batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                // The error that matters is `f`'s; a failed rollback leaves nothing committed.
                let _ = self.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Copies `columns` of every row of `table` in `from` into the same table here (a
    /// PostgreSQL store: `COPY`, streamed); how many rows.
    pub fn copy_table(
        &mut self,
        from: &mut Db,
        table: &str,
        columns: &[&str],
    ) -> Result<u64, DbError> {
        let Db::Postgres(p) = self else {
            return Err(DbError::Postgres(
                "a copy goes into a PostgreSQL store".into(),
            ));
        };
        let select = format!("SELECT {} FROM {table}", columns.join(", "));
        p.copy_in(table, columns, |w| from.each(&select, &[], |r| w.row(&r.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params;

    #[test]
    fn a_failed_write_leaves_nothing_and_a_good_one_stays() {
        let mut db = Db::in_memory().unwrap();
        db.execute_batch("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)")
            .unwrap();
        let r: Result<(), DbError> = db.write("t", |db| {
            db.execute("INSERT INTO t (a, b) VALUES (?1, ?2)", &params![1i64, "x"])?;
            db.execute("INSERT INTO t (a, b) VALUES (?1, ?2)", &params![1i64, "y"])?;
            Ok(())
        });
        assert!(r.is_err());
        assert!(db.query("SELECT a FROM t", &[]).unwrap().is_empty());
        db.write("t", |db| {
            db.execute(
                "INSERT INTO t (a, b) VALUES (?1, ?2)",
                &params![2i64, None::<String>],
            )
        })
        .unwrap();
        let row = db.query_row("SELECT a, b FROM t", &[]).unwrap().unwrap();
        assert_eq!((row.int(0).unwrap(), row.opt_text(1).unwrap()), (2, None));
    }

    #[test]
    fn lock_keys_are_stable_and_distinct() {
        assert_eq!(lock_key("alerts"), lock_key("alerts"));
        assert_ne!(lock_key("alerts"), lock_key("probes"));
    }
}
