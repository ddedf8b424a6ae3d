//! Where Vigie keeps its records. One SQL connection ([`Db`]) to SQLite, the embedded default
//! (a file, one writing process), or PostgreSQL, where several `vigie probe` instances share
//! one store; the probe store and the alert store write their statements once for both.
//! PostgreSQL schemas come from numbered migrations ([`migrate`]); [`cluster`] starts a
//! throwaway PostgreSQL server for tests and benchmarks.

pub mod cluster;
mod db;
mod error;
mod location;
mod migrate;
mod postgres;
mod sqlite;
mod value;
mod wait;

pub use db::{Backend, Db};
pub use error::DbError;
pub use location::{Location, LocationError, PasswordSource, PgTarget};
pub use migrate::migrate;
pub use postgres::CopyWriter;
pub use value::{Row, Value};
