//! Where a store lives: a SQLite file (the embedded default) or a PostgreSQL database shared
//! by several instances. A PostgreSQL password never sits in the URL: it comes from an
//! environment variable or a file, read when connecting, and nothing here prints it.

use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Where the PostgreSQL password comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    /// An environment variable's name.
    Env(String),
    /// A file holding the password (a trailing newline is dropped).
    File(PathBuf),
}

/// A PostgreSQL database: the URL without its password, and where the password comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgTarget {
    url: String,
    password: Option<PasswordSource>,
    shown: String,
}

/// A store's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(PgTarget),
}

/// Why a PostgreSQL URL or its password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocationError {
    #[error(
        "[store] url = {shown:?} is not a PostgreSQL URL ({reason}): write postgres://USER@HOST:PORT/DATABASE"
    )]
    Url { shown: String, reason: String },
    #[error(
        "[store] url holds a password: remove it from the URL and give password_env (a variable's name) or password_file instead, so that it is never printed"
    )]
    PasswordInUrl,
    #[error("[store] gives both password_env and password_file: keep one")]
    TwoPasswords,
    #[error("{0} is not set: export the PostgreSQL store's password")]
    EnvUnset(String),
    #[error("cannot read the PostgreSQL store's password from {path}: {reason}")]
    File { path: String, reason: String },
}

impl Location {
    /// True for a `postgres://` or `postgresql://` URL.
    pub fn is_postgres_url(url: &str) -> bool {
        url.starts_with("postgres://") || url.starts_with("postgresql://")
    }

    /// A PostgreSQL store from its URL (no password in it) and its password's source.
    pub fn postgres(
        url: &str,
        password_env: Option<String>,
        password_file: Option<PathBuf>,
    ) -> Result<Location, LocationError> {
        if !Location::is_postgres_url(url) {
            return Err(LocationError::Url {
                // Only the scheme: the rest may hold a password.
                shown: format!("{}…", url.split("://").next().unwrap_or_default()),
                reason: "it does not start with postgres://".into(),
            });
        }
        let config = tokio_postgres::Config::from_str(url).map_err(|e| LocationError::Url {
            // The URL as written may hold a password: show only what follows it.
            shown: format!(
                "postgres://…@{}",
                url.split('@').next_back().unwrap_or_default()
            ),
            reason: e.to_string(),
        })?;
        if config.get_password().is_some() {
            return Err(LocationError::PasswordInUrl);
        }
        let password = match (password_env, password_file) {
            (Some(_), Some(_)) => return Err(LocationError::TwoPasswords),
            (Some(n), None) => Some(PasswordSource::Env(n)),
            (None, Some(f)) => Some(PasswordSource::File(f)),
            (None, None) => None,
        };
        Ok(Location::Postgres(PgTarget {
            url: url.to_string(),
            password,
            shown: shown(&config),
        }))
    }

    /// The SQLite file, if it is one.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Location::Sqlite(p) => Some(p),
            Location::Postgres(_) => None,
        }
    }
}

impl From<PathBuf> for Location {
    fn from(p: PathBuf) -> Location {
        Location::Sqlite(p)
    }
}

impl From<&Path> for Location {
    fn from(p: &Path) -> Location {
        Location::Sqlite(p.to_path_buf())
    }
}

impl std::fmt::Display for Location {
    /// The file, or `postgres://USER@HOST:PORT/DATABASE` (never a password).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "{}", p.display()),
            Location::Postgres(t) => f.write_str(&t.shown),
        }
    }
}

fn shown(c: &tokio_postgres::Config) -> String {
    let host = c
        .get_hosts()
        .iter()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(h) => h.clone(),
            tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .collect::<Vec<_>>()
        .join(",");
    let port = c
        .get_ports()
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(",");
    format!(
        "postgres://{}@{}{}/{}",
        c.get_user().unwrap_or_default(),
        host,
        if port.is_empty() {
            String::new()
        } else {
            format!(":{port}")
        },
        c.get_dbname().unwrap_or_default()
    )
}

impl PgTarget {
    /// The driver's configuration, with the password read now.
    pub(crate) fn config(&self) -> Result<tokio_postgres::Config, LocationError> {
        let mut c =
            tokio_postgres::Config::from_str(&self.url).map_err(|e| LocationError::Url {
                shown: self.shown.clone(),
                reason: e.to_string(),
            })?;
        match &self.password {
            None => {}
            Some(PasswordSource::Env(name)) => {
                let v = std::env::var(name).map_err(|_| LocationError::EnvUnset(name.clone()))?;
                c.password(v);
            }
            Some(PasswordSource::File(path)) => {
                let v = std::fs::read_to_string(path).map_err(|e| LocationError::File {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?;
                c.password(v.trim_end_matches(['\n', '\r']));
            }
        }
        c.application_name("vigie");
        Ok(c)
    }

    /// `postgres://USER@HOST:PORT/DATABASE`.
    pub fn shown(&self) -> &str {
        &self.shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_sits_in_the_url_and_is_never_shown() {
        let e = Location::postgres("postgres://vigie:hunter2@127.0.0.1:5432/vigie", None, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("password_env") && !e.contains("hunter2"), "{e}");
        let l = Location::postgres(
            "postgres://vigie@127.0.0.1:5433/supervision",
            Some("PGPASS_TEST".into()),
            None,
        )
        .unwrap();
        assert_eq!(l.to_string(), "postgres://vigie@127.0.0.1:5433/supervision");
        let Location::Postgres(t) = &l else { panic!() };
        let e = t.config().unwrap_err().to_string();
        assert!(e.contains("PGPASS_TEST is not set"), "{e}");
        let bad = Location::postgres("postgres://vigie:s3cret@[::1:5432/x", None, None)
            .unwrap_err()
            .to_string();
        assert!(!bad.contains("s3cret"), "{bad}");
        assert!(
            Location::postgres("host=127.0.0.1 user=vigie", None, None).is_err(),
            "a URL, not key=value pairs"
        );
        assert!(matches!(
            Location::postgres("postgres://a@b/c", Some("X".into()), Some("f".into())),
            Err(LocationError::TwoPasswords)
        ));
    }

    #[test]
    fn a_password_file_loses_its_trailing_newline() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("pw");
        std::fs::write(&f, "s3cret\n").unwrap();
        let l = Location::postgres("postgres://a@127.0.0.1/c", None, Some(f)).unwrap();
        let Location::Postgres(t) = &l else { panic!() };
        assert_eq!(t.config().unwrap().get_password(), Some(&b"s3cret"[..]));
    }
}
