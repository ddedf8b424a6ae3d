//! The client id and secret a check authenticates with. The secret comes from the
//! environment (`VIGIE_CLIENT_SECRET`), is never printed, and is redacted in `Debug`.

use std::fmt;

#[derive(Clone)]
pub struct Credentials {
    pub client_id: String,
    secret: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials({}, secret redacted)", self.client_id)
    }
}

/// Why credentials are missing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    #[error(
        "{0} is not set: export the client id and secret of your application \
         (VIGIE_CLIENT_ID, VIGIE_CLIENT_SECRET) to check a remote target"
    )]
    Missing(&'static str),
}

impl Credentials {
    pub fn new(client_id: impl Into<String>, secret: impl Into<String>) -> Credentials {
        Credentials {
            client_id: client_id.into(),
            secret: secret.into(),
        }
    }

    /// The secret, for a client that asks for its own tokens (goose in `vigie load`). Never
    /// to be printed.
    pub fn expose_secret(&self) -> &str {
        &self.secret
    }

    /// From `VIGIE_CLIENT_ID` and `VIGIE_CLIENT_SECRET` (through `env`, for tests).
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Credentials, CredentialsError> {
        let get = |name: &'static str| {
            env(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or(CredentialsError::Missing(name))
        };
        Ok(Credentials::new(
            get("VIGIE_CLIENT_ID")?,
            get("VIGIE_CLIENT_SECRET")?,
        ))
    }

    /// Text from a target with the secret masked, as sent and form-encoded (a token endpoint
    /// that echoes its request must not put the secret into a report).
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        if self.secret.is_empty() {
            return out;
        }
        let encoded: String = self
            .secret
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        for s in [self.secret.as_str(), encoded.as_str()] {
            out = out.replace(s, "***");
        }
        out
    }

    pub(crate) fn secret(&self) -> &str {
        &self.secret
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_never_shows() {
        let c = Credentials::new("cd-93", "s3cr3t-value");
        assert!(!format!("{c:?}").contains("s3cr3t"));
        let e =
            Credentials::from_env(&|k| (k == "VIGIE_CLIENT_ID").then(|| "x".into())).unwrap_err();
        assert!(e.to_string().contains("VIGIE_CLIENT_SECRET is not set"));
    }
}
