//! The simulators' configuration: a strict TOML file (unknown keys refused), turned into a
//! validated plan. Client secrets and the admin token come from the environment or files,
//! never from the file itself, and are never printed.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::faults::plan::{FaultError, FaultPlan, FaultRule};

/// A secret: compared, never shown.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// Constant-time comparison.
    pub fn matches(&self, given: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The demo client that works with zero configuration (a public test credential).
pub const DEMO_CLIENT_ID: &str = "vigie-demo";
pub const DEMO_CLIENT_SECRET: &str = "vigie-demo-secret";
/// A demo client whose structure is not authorised: Recherche usager v2 answers R001.
pub const DEMO_UNAUTHORISED_ID: &str = "vigie-demo-non-habilite";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    people: Option<u64>,
    seed: Option<u64>,
    token_lifetime_s: Option<u64>,
    demo_clients: Option<bool>,
    #[serde(default)]
    demo_extra_scopes: Vec<String>,
    max_body_bytes: Option<usize>,
    written_budget_mb: Option<usize>,
    realism: Option<String>,
    #[serde(default)]
    clients: Vec<RawClient>,
    rate_limit: Option<RateLimit>,
    admin_token_env: Option<String>,
    #[serde(default)]
    faults: Vec<FaultRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClient {
    id: String,
    secret_env: Option<String>,
    secret_file: Option<PathBuf>,
    #[serde(default = "yes")]
    habilite: bool,
    rate_limit: Option<RateLimit>,
    #[serde(default)]
    extra_scopes: Vec<String>,
}

fn yes() -> bool {
    true
}

/// Calls per second and burst, per client.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    pub per_second: f64,
    pub burst: u32,
}

/// A client of the access platform.
#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub secret: Secret,
    /// A client whose structure is not authorised gets R001 from Recherche usager v2.
    pub habilite: bool,
    pub rate_limit: Option<RateLimit>,
    /// Scopes the client is subscribed to beyond the five APIs (another API of the catalogue,
    /// `h2a` …): the token endpoint grants them, as the real platform grants what a client
    /// holds; they open nothing here.
    pub extra_scopes: Vec<String>,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub people: u64,
    pub seed: u64,
    pub token_lifetime_s: u64,
    pub max_body_bytes: usize,
    /// Memory for written dossiers; beyond it the least recently written are forgotten.
    pub written_budget_bytes: usize,
    /// How tidy the data is (`realistic`, the default, or `minimal`).
    pub realism: crate::population::realism::Realism,
    pub clients: Vec<Client>,
    pub admin_token: Option<Secret>,
    pub faults: FaultPlan,
}

/// What is wrong with a configuration, and how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Toml { path: PathBuf, message: String },
    #[error(
        "client `{id}`: give its secret with secret_env = \"VAR\" or secret_file = \"path\" (secrets never go in the file)"
    )]
    NoSecret { id: String },
    #[error("client `{id}`: environment variable {var} is not set; export it before starting")]
    MissingEnv { id: String, var: String },
    #[error("client `{id}`: cannot read secret_file {path}: {source}")]
    SecretFile {
        id: String,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("client `{id}`: the secret is empty")]
    EmptySecret { id: String },
    #[error("client `{id}` is declared twice")]
    Duplicate { id: String },
    #[error("people must be between 1 and {max}, not {given}")]
    People { given: u64, max: u64 },
    #[error(
        "client `{id}`: extra scope {scope:?} is not a scope name (letters, digits, _ . : - ; 100 characters at most; 50 scopes at most)"
    )]
    Scope { id: String, scope: String },
    #[error(
        "realism = {0:?}: use \"realistic\" (the default: the nulls production sent) or \"minimal\""
    )]
    Realism(String),
    #[error("token_lifetime_s must be at least 1")]
    Lifetime,
    #[error("written_budget_mb = {0}: give between 1 and 65536 (MB of written dossiers kept)")]
    Budget(usize),
    #[error("rate_limit: per_second must be above 0 and burst at least 1")]
    RateLimit,
    #[error("admin_token_env: environment variable {var} is not set")]
    AdminToken { var: String },
    #[error("{0}")]
    Fault(#[from] FaultError),
}

/// Defaults: 100 000 people, seed 2023, 1 500 s tokens, demo clients, no fault.
impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            people: 100_000,
            seed: 2023,
            token_lifetime_s: 1500,
            max_body_bytes: 64 * 1024,
            written_budget_bytes: crate::diagnostic::overlay::DEFAULT_BUDGET,
            realism: crate::population::realism::Realism::default(),
            clients: demo_clients(),
            admin_token: None,
            faults: FaultPlan::default(),
        }
    }
}

fn demo_clients() -> Vec<Client> {
    vec![
        Client {
            id: DEMO_CLIENT_ID.into(),
            secret: Secret::new(DEMO_CLIENT_SECRET),
            habilite: true,
            rate_limit: None,
            extra_scopes: Vec::new(),
        },
        Client {
            id: DEMO_UNAUTHORISED_ID.into(),
            secret: Secret::new(DEMO_CLIENT_SECRET),
            habilite: false,
            rate_limit: None,
            extra_scopes: Vec::new(),
        },
    ]
}

/// Extra scopes as a client may hold them: names only, bounded.
fn checked_scopes(id: &str, scopes: Vec<String>) -> Result<Vec<String>, ConfigError> {
    let bad = |scope: &str| ConfigError::Scope {
        id: id.into(),
        scope: scope.chars().take(100).collect(),
    };
    if scopes.len() > 50 {
        return Err(bad(&scopes[50]));
    }
    for scope in &scopes {
        let ok = !scope.is_empty()
            && scope.len() <= 100
            && scope
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | ':' | '-'));
        if !ok {
            return Err(bad(scope));
        }
    }
    Ok(scopes)
}

pub use domain::toml_text::toml_error;

impl SimConfig {
    /// Reads and validates a configuration file; `env` looks variables up (tests inject it).
    pub fn load(
        path: &Path,
        now_ms: i64,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<SimConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        Self::parse(&text, path, now_ms, env)
    }

    pub fn parse(
        text: &str,
        path: &Path,
        now_ms: i64,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<SimConfig, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Toml {
            path: path.into(),
            message: toml_error(text, &e),
        })?;
        let mut c = SimConfig::default();
        if let Some(p) = raw.people {
            let max = crate::population::nir_codec::CAPACITY;
            if p == 0 || p > max {
                return Err(ConfigError::People { given: p, max });
            }
            c.people = p;
        }
        c.seed = raw.seed.unwrap_or(c.seed);
        if let Some(l) = raw.token_lifetime_s {
            if l == 0 {
                return Err(ConfigError::Lifetime);
            }
            c.token_lifetime_s = l;
        }
        c.max_body_bytes = raw.max_body_bytes.unwrap_or(c.max_body_bytes);
        if let Some(r) = &raw.realism {
            c.realism = crate::population::realism::Realism::parse(r)
                .ok_or_else(|| ConfigError::Realism(r.chars().take(40).collect()))?;
        }
        if let Some(mb) = raw.written_budget_mb {
            if !(1..=65_536).contains(&mb) {
                return Err(ConfigError::Budget(mb));
            }
            c.written_budget_bytes = mb * 1024 * 1024;
        }
        if raw.demo_clients == Some(false) {
            c.clients.clear();
        }
        let demo_extra = checked_scopes("vigie-demo", raw.demo_extra_scopes)?;
        for cl in &mut c.clients {
            cl.extra_scopes = demo_extra.clone();
        }
        let check_rate = |r: &Option<RateLimit>| match r {
            Some(r) if !(r.per_second > 0.0 && r.burst >= 1) => Err(ConfigError::RateLimit),
            _ => Ok(()),
        };
        check_rate(&raw.rate_limit)?;
        for rc in raw.clients {
            check_rate(&rc.rate_limit)?;
            let secret = match (&rc.secret_env, &rc.secret_file) {
                (Some(var), _) => env(var).ok_or_else(|| ConfigError::MissingEnv {
                    id: rc.id.clone(),
                    var: var.clone(),
                })?,
                (None, Some(p)) => std::fs::read_to_string(p)
                    .map_err(|source| ConfigError::SecretFile {
                        id: rc.id.clone(),
                        path: p.clone(),
                        source,
                    })?
                    .trim()
                    .to_string(),
                (None, None) => return Err(ConfigError::NoSecret { id: rc.id }),
            };
            if secret.is_empty() {
                return Err(ConfigError::EmptySecret { id: rc.id });
            }
            if c.clients.iter().any(|x| x.id == rc.id) {
                return Err(ConfigError::Duplicate { id: rc.id });
            }
            let extra_scopes = checked_scopes(&rc.id, rc.extra_scopes)?;
            c.clients.push(Client {
                id: rc.id,
                secret: Secret::new(secret),
                habilite: rc.habilite,
                rate_limit: rc.rate_limit,
                extra_scopes,
            });
        }
        if let Some(r) = raw.rate_limit {
            for cl in &mut c.clients {
                cl.rate_limit.get_or_insert(r);
            }
        }
        if let Some(var) = raw.admin_token_env {
            c.admin_token = Some(Secret::new(
                env(&var).ok_or(ConfigError::AdminToken { var })?,
            ));
        }
        c.faults = FaultPlan { rules: raw.faults }.install(now_ms)?;
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<SimConfig, ConfigError> {
        SimConfig::parse(t, Path::new("sim.toml"), 0, &|v| {
            (v == "PARTNER_SECRET").then(|| "s3cr3t".to_string())
        })
    }

    #[test]
    fn clients_secrets_and_errors() {
        let c = parse("people = 10\n[[clients]]\nid = \"cd33\"\nsecret_env = \"PARTNER_SECRET\"\n")
            .unwrap();
        assert_eq!(c.clients.len(), 3);
        assert!(c.clients[2].secret.matches("s3cr3t"));
        assert!(
            !format!("{c:?}").contains("s3cr3t"),
            "a secret reached Debug output"
        );
        let e = parse("[[clients]]\nid = \"cd33\"\nsecret = \"typed-by-mistake\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("sim.toml: line 3: unknown field `secret`")
                && !e.contains("typed-by-mistake"),
            "{e}"
        );
        assert_eq!(
            parse("[[clients]]\nid = \"cd33\"\nsecret_env = \"NOPE\"\n")
                .unwrap_err()
                .to_string(),
            "client `cd33`: environment variable NOPE is not set; export it before starting"
        );
        assert_eq!(
            parse("[[clients]]\nid = \"cd33\"\n")
                .unwrap_err()
                .to_string(),
            "client `cd33`: give its secret with secret_env = \"VAR\" or secret_file = \"path\" (secrets never go in the file)"
        );
        assert!(
            parse("people = 0\n")
                .unwrap_err()
                .to_string()
                .starts_with("people must be between 1 and")
        );
        assert!(
            parse("peeple = 3\n")
                .unwrap_err()
                .to_string()
                .contains("unknown field `peeple`")
        );
    }
}
