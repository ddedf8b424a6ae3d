//! PostgreSQL migrations: each store (component) has its numbered steps, SQL files kept in
//! the repository; a database records which it has applied. Applied under an advisory lock in
//! one transaction, so that instances starting together apply each step once, and a failed
//! step leaves the database as it was.

use crate::db::Db;
use crate::error::DbError;
use crate::params;

const LEDGER: &str = "CREATE TABLE IF NOT EXISTS vigie_migrations (
    component TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (component, version)
)";

/// Applies the steps of `component` the database does not have yet (`steps[0]` is version 1);
/// refuses a database that has more than this build knows. Returns how many were applied.
pub fn migrate(db: &mut Db, component: &str, steps: &[&str]) -> Result<usize, DbError> {
    db.write("migrations", |db| {
        db.execute_batch(LEDGER)?;
        let found = db
            .query_row(
                "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM vigie_migrations WHERE component = ?1",
                &params![component],
            )?
            .map(|r| r.int(0))
            .transpose()?
            .unwrap_or(0);
        let known = steps.len() as i64;
        if found > known {
            return Err(DbError::NewerSchema {
                component: component.to_string(),
                found,
                known,
            });
        }
        let mut applied = 0;
        for (i, step) in steps.iter().enumerate().skip(found.max(0) as usize) {
            db.execute_batch(step)?;
            db.execute(
                "INSERT INTO vigie_migrations (component, version) VALUES (?1, ?2)",
                &params![component, i as i64 + 1],
            )?;
            applied += 1;
        }
        Ok(applied)
    })
}
