//! Why the store failed, whichever backend it is.

/// A store error: the backend's own, or a value that is not what the code expected.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(String),
    #[error(
        "cannot reach the PostgreSQL store {target}: {reason}; check that the server runs, the [store] url (host, port, database, user) and its password (password_env or password_file)"
    )]
    Connect { target: String, reason: String },
    #[error(
        "the store returned an unexpected value in column {index}: wanted {want}, got {got}; was it written by another version of vigie?"
    )]
    Column {
        index: usize,
        want: &'static str,
        got: String,
    },
    #[error(
        "the PostgreSQL store holds migrations up to {found} for {component}, newer than this vigie knows ({known}): upgrade vigie"
    )]
    NewerSchema {
        component: String,
        found: i64,
        known: i64,
    },
}

impl From<tokio_postgres::Error> for DbError {
    fn from(e: tokio_postgres::Error) -> DbError {
        // The server's own message (with its SQLSTATE) says more than the driver's summary.
        match e.as_db_error() {
            Some(db) => DbError::Postgres(format!("{} ({})", db.message(), db.code().code())),
            None => DbError::Postgres(e.to_string()),
        }
    }
}
