//! `vigie.toml`: what to probe, how often, where to keep the records and serve the metrics.
//! Strict: unknown keys are refused, every rule says what to fix. Secrets are never in the
//! file: it names the environment variables that hold them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use contracts::catalogue::{self, Era};
use contracts::store::ContractStore;
use serde::Deserialize;

use crate::client::target::Preset;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    target: Option<RawTarget>,
    #[serde(default)]
    store: RawStore,
    #[serde(default)]
    probe: RawProbe,
    #[serde(default)]
    probes: Vec<RawProbeRule>,
    metrics: Option<RawMetrics>,
    alerts: Option<crate::alerting::config::RawAlerts>,
    #[serde(default)]
    partners: Vec<RawPartner>,
}

/// `[[partners]]`: one département (or body) of a deployment that serves several.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPartner {
    id: String,
    name: Option<String>,
    /// Its platform and credentials; `[target]` when absent.
    target: Option<RawTarget>,
    /// Its probes; the top-level `[[probes]]` when absent.
    #[serde(default)]
    probes: Vec<RawProbeRule>,
    /// Who gets its incidents' emails; `[alerts.email] to` when absent.
    recipients: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    preset: Option<String>,
    base_url: Option<String>,
    token_url: Option<String>,
    client_id_env: Option<String>,
    client_secret_env: Option<String>,
    dataset: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStore {
    path: Option<PathBuf>,
    url: Option<String>,
    password_env: Option<String>,
    password_file: Option<PathBuf>,
    lease_s: Option<u64>,
    retention_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProbe {
    interval_s: Option<u64>,
    confirm_interval_s: Option<u64>,
    timeout_s: Option<u64>,
    network_check: Option<String>,
    contract_profile: Option<String>,
    contracts: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProbeRule {
    api: String,
    version: String,
    #[serde(default = "star")]
    operation: String,
    interval_s: Option<u64>,
}

fn star() -> String {
    "*".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetrics {
    listen: String,
}

/// Where the probes go.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetConfig {
    /// The embedded simulators, started by `vigie probe` on a free loopback port.
    Embedded,
    Remote {
        target: crate::client::target::Target,
        client_id_env: String,
        client_secret_env: String,
        dataset: PathBuf,
    },
}

/// One partner of a deployment that serves several (`[[partners]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Partner {
    /// A short id (`d974`): the prefix of its targets' keys, `--partner`, the metrics label.
    pub id: String,
    pub name: String,
    pub target: TargetConfig,
    /// Its own email recipients, if any.
    pub recipients: Option<Vec<String>>,
}

/// One thing to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeSpec {
    /// The partner it is probed for (`[[partners]] id`), empty with a single partner.
    pub partner: String,
    pub api: &'static str,
    pub major: &'static str,
    pub era: Era,
    pub operation: String,
    pub interval: Duration,
}

impl ProbeSpec {
    /// `api/major/operation`, or `partner/api/major/operation`: the key of its records.
    pub fn key(&self) -> String {
        if self.partner.is_empty() {
            format!("{}/{}/{}", self.api, self.major, self.operation)
        } else {
            format!(
                "{}/{}/{}/{}",
                self.partner, self.api, self.major, self.operation
            )
        }
    }
}

/// A validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeConfig {
    pub target: TargetConfig,
    /// `[store] path` (SQLite, the default) or `[store] url` (PostgreSQL).
    pub store: database::Location,
    /// `[store] lease_s`: how long an instance on a shared (PostgreSQL) store keeps its
    /// targets without renewing its lease (10 s by default).
    pub lease: Duration,
    pub retention: Duration,
    pub timeout: Duration,
    /// After a failure, how soon the operation is probed again until the failure is
    /// confirmed or it answers (`[probe] confirm_interval_s`, 10 s by default, 0 to turn off).
    pub confirm_interval: Option<Duration>,
    pub network_check: Option<String>,
    /// The contract answers are held to (`[probe] contract_profile`, default `convention`).
    pub contract_profile: contracts::Profile,
    /// `[probe] contracts`: a contracts folder over the embedded contracts (relative to the
    /// config file), for imported versions and APIs.
    pub contracts: Option<PathBuf>,
    /// Every partner's probes (each names its partner).
    pub probes: Vec<ProbeSpec>,
    /// `[[partners]]`: empty for the simple case, one deployment for one partner.
    pub partners: Vec<Partner>,
    pub metrics: Option<std::net::SocketAddr>,
    /// `[alerts]`: thresholds, business hours, notifications (defaults without the section).
    pub alerts: crate::alerting::config::AlertsPlan,
}

/// The longest probe interval a config may set (a day): a record covers at most this long.
pub const MAX_INTERVAL_S: u64 = 86_400;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}: {message}")]
    Toml { path: String, message: String },
    #[error("[[probes]] is empty: add at least one, e.g. api = \"statut-usager\", version = \"n\"")]
    NoProbe,
    #[error(
        "[[partners]] id = {0:?}: use 1 to 32 lowercase letters, digits or dashes (e.g. \"d974\"): it prefixes the partner's records and names it in --partner"
    )]
    PartnerId(String),
    #[error("[[partners]] id = {0:?} is given twice: each partner needs its own id")]
    PartnerTwice(String),
    #[error(
        "[[partners]] {0:?} has no probes: give its [[partners.probes]], or top-level [[probes]] for every partner"
    )]
    PartnerNoProbe(String),
    #[error(
        "[[partners]] {0:?} recipients: give at least one address, and an [alerts.email] section to send through"
    )]
    PartnerRecipients(String),
    #[error("[[partners]] {partner:?} recipients: {address:?} is not an email address")]
    PartnerAddress { partner: String, address: String },
    #[error("[[probes]] api = {0:?} is not an API: use one of {1}, or \"*\"")]
    UnknownApi(String, String),
    #[error(
        "[[probes]] version = {given:?} is not a version of {api}: use n, n-1, {majors} or \"*\""
    )]
    UnknownVersion {
        api: String,
        given: String,
        majors: String,
    },
    #[error(
        "[[probes]] operation = {given:?} is not a read of {api} {major} that a probe can make: use one of {known}, or \"*\""
    )]
    UnknownOperation {
        api: String,
        major: String,
        given: String,
        known: String,
    },
    #[error("interval_s = {0}: a probe interval is between 1 and 86400 seconds")]
    Interval(u64),
    #[error(
        "[probe] timeout_s = {0}: between 1 and 120 seconds (the convention's bound for a complex request is 6)"
    )]
    Timeout(u64),
    #[error(
        "[probe] confirm_interval_s = {0}: between 1 and 3600 seconds (how soon a failing operation is probed again), or 0 to turn the quick re-probes off"
    )]
    ConfirmInterval(u64),
    #[error("[store] retention_days = 0: keep at least one day (the monthly report needs 31)")]
    Retention,
    #[error("[store] gives both path (a SQLite file) and url (a PostgreSQL database): keep one")]
    PathAndUrl,
    #[error(
        "[store] lease_s = {0}: between 1 and 300 seconds (how soon the other instances take the targets of one that stopped answering)"
    )]
    Lease(u64),
    #[error(
        "[store] password_env / password_file go with url (PostgreSQL): a SQLite file has no password"
    )]
    PasswordWithoutUrl,
    #[error("{0}")]
    StoreUrl(#[from] database::LocationError),
    #[error(
        "[target] preset = {0:?} is unknown: use ft-prod, ft-recette, pe-prod-2023 or pe-recette-2023"
    )]
    Preset(String),
    #[error("[target] gives both preset and base_url: keep one")]
    PresetAndUrl,
    #[error("[target] {0}")]
    Target(String),
    #[error(
        "[target] dataset is required for a remote target: the platform's test people, as `vigie dataset` writes them"
    )]
    NoDataset,
    #[error("[metrics] listen = {0:?} is not an address: use e.g. \"127.0.0.1:9464\"")]
    Listen(String),
    #[error(
        "[probe] contract_profile = {0:?} is unknown: use \"publisher\", \"convention\" (the default) or \"strict\""
    )]
    Profile(String),
    #[error(
        "[probe] contracts = {dir:?}: {reason} (a folder written by `vigie contracts import --contracts DIR`; it must be the same as --contracts / VIGIE_CONTRACTS when both are given, and a change needs a restart)"
    )]
    Contracts { dir: String, reason: String },
    #[error("[probe] network_check: {0}")]
    NetworkCheck(contracts::url::BaseUrlError),
    #[error(transparent)]
    Alerts(#[from] crate::alerting::config::AlertsConfigError),
}

pub const DEFAULT_STORE: &str = "vigie-probes.sqlite";

/// `[store]`: a SQLite file (`path`, relative to the config; the default) or a PostgreSQL
/// database (`url`, its password from `password_env` or `password_file`).
fn store_location(raw: RawStore, base: &Path) -> Result<database::Location, ConfigError> {
    match raw.url {
        Some(url) => {
            if raw.path.is_some() {
                return Err(ConfigError::PathAndUrl);
            }
            let file = raw.password_file.map(|f| base.join(f));
            Ok(database::Location::postgres(&url, raw.password_env, file)?)
        }
        None => {
            if raw.password_env.is_some() || raw.password_file.is_some() {
                return Err(ConfigError::PasswordWithoutUrl);
            }
            Ok(database::Location::Sqlite(
                base.join(raw.path.unwrap_or_else(|| DEFAULT_STORE.into())),
            ))
        }
    }
}

impl ProbeConfig {
    pub fn load(path: &Path) -> Result<ProbeConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        ProbeConfig::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<ProbeConfig, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Toml {
            path: path.display().to_string(),
            message: domain::toml_text::toml_error(text, &e),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let interval_of = |s: u64| {
            if (1..=MAX_INTERVAL_S).contains(&s) {
                Ok(Duration::from_secs(s))
            } else {
                Err(ConfigError::Interval(s))
            }
        };
        let default_interval = interval_of(raw.probe.interval_s.unwrap_or(60))?;
        let timeout = raw.probe.timeout_s.unwrap_or(6);
        if !(1..=120).contains(&timeout) {
            return Err(ConfigError::Timeout(timeout));
        }
        if let Some(u) = &raw.probe.network_check {
            contracts::url::base_url(u).map_err(ConfigError::NetworkCheck)?;
        }
        let confirm_interval = match raw.probe.confirm_interval_s.unwrap_or(10) {
            0 => None,
            s @ 1..=3600 => Some(Duration::from_secs(s)),
            s => return Err(ConfigError::ConfirmInterval(s)),
        };
        let retention_days = raw.store.retention_days.unwrap_or(400);
        if retention_days == 0 {
            return Err(ConfigError::Retention);
        }
        if raw.probes.is_empty() && raw.partners.is_empty() {
            return Err(ConfigError::NoProbe);
        }
        let contracts = raw.probe.contracts.as_ref().map(|d| base.join(d));
        let store = match &contracts {
            Some(dir) => ContractStore::install(Some(dir)),
            None => ContractStore::active(),
        }
        .map_err(|e| ConfigError::Contracts {
            dir: contracts
                .as_ref()
                .map_or_else(String::new, |d| d.display().to_string()),
            reason: e.to_string(),
        })?;
        let mut alerts =
            crate::alerting::config::validate(raw.alerts, base).map_err(ConfigError::Alerts)?;
        let probes_of = |rules: &[RawProbeRule], partner: &str| {
            let mut probes: Vec<ProbeSpec> = Vec::new();
            for rule in rules {
                let interval = match rule.interval_s {
                    Some(s) => interval_of(s)?,
                    None => default_interval,
                };
                for mut spec in expand(store, rule, interval)? {
                    spec.partner = partner.to_string();
                    match probes.iter_mut().find(|p| p.key() == spec.key()) {
                        Some(p) => *p = spec,
                        None => probes.push(spec),
                    }
                }
            }
            Ok::<_, ConfigError>(probes)
        };
        let target = target_of(raw.target.clone(), base)?;
        let mut partners: Vec<Partner> = Vec::new();
        let probes = if raw.partners.is_empty() {
            probes_of(&raw.probes, "")?
        } else {
            let mut all = Vec::new();
            for p in raw.partners {
                let valid = (1..=32).contains(&p.id.len())
                    && p.id
                        .starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                    && p.id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if !valid {
                    return Err(ConfigError::PartnerId(p.id));
                }
                if partners.iter().any(|q| q.id == p.id) {
                    return Err(ConfigError::PartnerTwice(p.id));
                }
                let rules = if p.probes.is_empty() {
                    &raw.probes
                } else {
                    &p.probes
                };
                if rules.is_empty() {
                    return Err(ConfigError::PartnerNoProbe(p.id));
                }
                all.extend(probes_of(rules, &p.id)?);
                if let Some(list) = &p.recipients {
                    if list.is_empty() || alerts.email.is_none() {
                        return Err(ConfigError::PartnerRecipients(p.id));
                    }
                    if let Some(bad) = list.iter().find(|a| !alerts::email::is_address(a)) {
                        return Err(ConfigError::PartnerAddress {
                            partner: p.id,
                            address: bad.clone(),
                        });
                    }
                }
                partners.push(Partner {
                    name: p.name.unwrap_or_else(|| p.id.clone()),
                    target: match p.target {
                        Some(t) => target_of(Some(t), base)?,
                        None => target.clone(),
                    },
                    recipients: p.recipients,
                    id: p.id,
                });
            }
            all
        };
        if let Some(email) = &mut alerts.email {
            email.partner_to = partners
                .iter()
                .filter_map(|p| Some((p.id.clone(), p.recipients.clone()?)))
                .collect();
        }
        let metrics = match raw.metrics {
            None => None,
            Some(m) => Some(
                m.listen
                    .parse()
                    .map_err(|_| ConfigError::Listen(m.listen.clone()))?,
            ),
        };
        let contract_profile = match &raw.probe.contract_profile {
            None => contracts::Profile::default(),
            Some(p) => p.parse().map_err(|_| ConfigError::Profile(p.clone()))?,
        };
        let lease = match raw.store.lease_s.unwrap_or(10) {
            s @ 1..=300 => Duration::from_secs(s),
            s => return Err(ConfigError::Lease(s)),
        };
        let store = store_location(raw.store, base)?;
        Ok(ProbeConfig {
            alerts,
            target,
            store,
            lease,
            retention: Duration::from_secs(u64::from(retention_days) * 86_400),
            timeout: Duration::from_secs(timeout),
            confirm_interval,
            network_check: raw.probe.network_check,
            contract_profile,
            contracts,
            probes,
            partners,
            metrics,
        })
    }
}

/// `[target]` (or a partner's): a platform with its credentials and data set, or the
/// embedded simulators when absent.
fn target_of(raw: Option<RawTarget>, base: &Path) -> Result<TargetConfig, ConfigError> {
    Ok(match raw {
        None => TargetConfig::Embedded,
        Some(t) => {
            let target = match (&t.preset, &t.base_url) {
                (Some(_), Some(_)) => return Err(ConfigError::PresetAndUrl),
                (Some(p), None) => preset(p)?.target(),
                (None, Some(u)) => crate::client::target::Target::custom(u, t.token_url.as_deref())
                    .map_err(|e| ConfigError::Target(e.to_string()))?,
                (None, None) => {
                    return Err(ConfigError::Target(
                        "needs preset or base_url (or remove [target] to probe the embedded simulators)".into(),
                    ));
                }
            };
            let dataset = t.dataset.ok_or(ConfigError::NoDataset)?;
            TargetConfig::Remote {
                target,
                client_id_env: t.client_id_env.unwrap_or_else(|| "VIGIE_CLIENT_ID".into()),
                client_secret_env: t
                    .client_secret_env
                    .unwrap_or_else(|| "VIGIE_CLIENT_SECRET".into()),
                dataset: base.join(dataset),
            }
        }
    })
}

fn preset(p: &str) -> Result<Preset, ConfigError> {
    use clap::ValueEnum;
    Preset::from_str(p, false).map_err(|_| ConfigError::Preset(p.to_string()))
}

fn expand(
    store: &ContractStore,
    rule: &RawProbeRule,
    interval: Duration,
) -> Result<Vec<ProbeSpec>, ConfigError> {
    let apis: Vec<&catalogue::ApiInfo> = if rule.api == "*" {
        catalogue::business_apis().collect()
    } else {
        vec![catalogue::api(&rule.api).map_err(|_| {
            ConfigError::UnknownApi(
                rule.api.clone(),
                catalogue::business_apis()
                    .map(|a| a.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })?]
    };
    let mut out = Vec::new();
    for api in apis {
        let versions: Vec<&catalogue::VersionInfo> = if rule.version == "*" {
            api.versions.iter().collect()
        } else {
            vec![api.version(&rule.version).map_err(|_| {
                ConfigError::UnknownVersion {
                    api: api.id.clone(),
                    given: rule.version.clone(),
                    majors: api
                        .versions
                        .iter()
                        .map(|v| v.major.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            })?]
        };
        for v in versions {
            let ops = crate::probe::runner::probeable(store, &api.id, &v.major);
            let chosen: Vec<String> = if rule.operation == "*" {
                ops.clone()
            } else if ops.contains(&rule.operation) {
                vec![rule.operation.clone()]
            } else {
                return Err(ConfigError::UnknownOperation {
                    api: api.id.clone(),
                    major: v.major.clone(),
                    given: rule.operation.clone(),
                    known: ops.join(", "),
                });
            };
            out.extend(chosen.into_iter().map(|operation| ProbeSpec {
                partner: String::new(),
                api: &api.id,
                major: &v.major,
                era: v.era,
                operation,
                interval,
            }));
        }
    }
    Ok(out)
}
