//! The SQLite backend: rusqlite (SQLite compiled in), write-ahead log with full
//! synchronisation, statements cached per connection.

use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::error::DbError;
use crate::value::{Row, Value};

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Real(v) => ToSqlOutput::Borrowed(ValueRef::Real(*v)),
            Value::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Value::Blob(v) => ToSqlOutput::Borrowed(ValueRef::Blob(v)),
        })
    }
}

/// Opens a file (created if missing) with the store's settings: WAL, `synchronous = FULL`
/// (an acknowledged write survives a crash), and a 5 s wait for another writer's lock.
pub(crate) fn open(path: &std::path::Path) -> Result<rusqlite::Connection, rusqlite::Error> {
    settings(rusqlite::Connection::open(path)?)
}

pub(crate) fn in_memory() -> Result<rusqlite::Connection, rusqlite::Error> {
    settings(rusqlite::Connection::open_in_memory()?)
}

fn settings(conn: rusqlite::Connection) -> Result<rusqlite::Connection, rusqlite::Error> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

pub(crate) fn execute(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[Value],
) -> Result<u64, DbError> {
    let n = conn
        .prepare_cached(sql)?
        .execute(rusqlite::params_from_iter(params.iter()))?;
    Ok(n as u64)
}

pub(crate) fn each<E: From<DbError>>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[Value],
    mut each: impl FnMut(Row) -> Result<(), E>,
) -> Result<(), E> {
    let mut st = conn.prepare_cached(sql).map_err(DbError::from)?;
    let columns = st.column_count();
    let mut rows = st
        .query(rusqlite::params_from_iter(params.iter()))
        .map_err(DbError::from)?;
    while let Some(row) = rows.next().map_err(DbError::from)? {
        let mut out = Vec::with_capacity(columns);
        for i in 0..columns {
            out.push(match row.get_ref(i).map_err(DbError::from)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(v) => Value::Int(v),
                ValueRef::Real(v) => Value::Real(v),
                ValueRef::Text(v) => Value::Text(String::from_utf8_lossy(v).into_owned()),
                ValueRef::Blob(v) => Value::Blob(v.to_vec()),
            });
        }
        each(Row(out))?;
    }
    Ok(())
}
