//! `[alerts]` of `vigie.toml`: thresholds, business hours, and where notifications go. Secrets
//! (SMTP password, a webhook URL holding a token) are named by environment variable or file,
//! read only when `vigie probe` builds its notifiers, and never printed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use alerts::email::{EmailSettings, SmtpSecurity};
use alerts::secret::Secret;
use alerts::webhook::WebhookTemplate;
use alerts::{BusinessCalendar, Thresholds};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAlerts {
    open_after_failures: Option<u32>,
    resolve_after_successes: Option<u32>,
    degradation_window: Option<u32>,
    degradation_min_share: Option<f64>,
    open_after_violations: Option<u32>,
    remind_at: Option<f64>,
    business_hours: Option<String>,
    #[serde(default)]
    extra_holidays: Vec<String>,
    evidence_url: Option<String>,
    email: Option<RawEmail>,
    webhook: Option<RawWebhook>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmail {
    server: String,
    port: Option<u16>,
    security: Option<String>,
    username_env: Option<String>,
    password_env: Option<String>,
    password_file: Option<PathBuf>,
    ca_file: Option<PathBuf>,
    from: String,
    to: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWebhook {
    url: Option<String>,
    url_env: Option<String>,
    template: Option<String>,
}

/// What is wrong with `[alerts]`, or with a secret it names, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertsConfigError {
    #[error("[alerts] {name} = 0: give at least 1")]
    Zero { name: &'static str },
    #[error("[alerts] {name} = {value}: a share between 0 and 1")]
    Share { name: &'static str, value: String },
    #[error("[alerts] business_hours = {0:?}: write opening-closing, e.g. \"09:00-17:00\"")]
    BusinessHours(String),
    #[error("[alerts] {0}")]
    Calendar(#[from] alerts::calendar::CalendarError),
    #[error("[alerts{section}] {key} = {value:?} is not an http(s) URL")]
    NotHttp {
        section: &'static str,
        key: &'static str,
        value: String,
    },
    #[error("[alerts.email] security = {0:?}: use none, starttls or tls")]
    Security(String),
    #[error("[alerts.email] gives both password_env and password_file: keep one")]
    TwoPasswords,
    #[error(
        "[alerts.email] authentication needs both username_env and password_env (or password_file)"
    )]
    HalfLogin,
    #[error("[alerts.email] to = []: give at least one recipient")]
    NoRecipient,
    #[error("[alerts.email] {0:?} is not an email address")]
    Address(String),
    #[error("[alerts.email] ca_file needs security = \"starttls\" or \"tls\"")]
    CaWithoutTls,
    #[error("[alerts.webhook] template = {0:?}: use generic, mattermost, slack or alertmanager")]
    Template(String),
    #[error("[alerts.webhook] needs url or url_env (one of them)")]
    WebhookUrl,
    #[error("{name} is not set: export the {what}")]
    EnvUnset { name: String, what: &'static str },
    #[error("cannot read the {what} from {path}: {reason}")]
    SecretFile {
        what: &'static str,
        path: String,
        reason: String,
    },
    #[error("cannot read the relay's CA certificate {path}: {reason}")]
    CaFile { path: String, reason: String },
}

/// Where the SMTP password comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    Env(String),
    File(PathBuf),
}

impl SecretSource {
    /// Reads it, or says what to set.
    pub fn read(&self, what: &'static str) -> Result<Secret, AlertsConfigError> {
        match self {
            SecretSource::Env(name) => std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .map(Secret::new)
                .ok_or_else(|| AlertsConfigError::EnvUnset {
                    name: name.clone(),
                    what,
                }),
            SecretSource::File(path) => std::fs::read_to_string(path)
                .map(|t| Secret::new(t.trim_end_matches(['\n', '\r'])))
                .map_err(|e| AlertsConfigError::SecretFile {
                    what,
                    path: path.display().to_string(),
                    reason: e.to_string(),
                }),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            SecretSource::Env(n) => format!("${n}"),
            SecretSource::File(p) => p.display().to_string(),
        }
    }
}

/// The email channel, before its secret is read.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailPlan {
    pub server: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<SecretSource>,
    pub password: Option<SecretSource>,
    /// A CA certificate (PEM) to trust for the relay's TLS, besides the system's.
    pub ca_file: Option<PathBuf>,
    pub from: String,
    pub to: Vec<String>,
    /// Each partner's own recipients (`[[partners]] recipients`), for its incidents.
    pub partner_to: std::collections::BTreeMap<String, Vec<String>>,
}

impl EmailPlan {
    /// The settings, with the secrets read.
    pub fn settings(&self) -> Result<EmailSettings, AlertsConfigError> {
        let login = match (&self.username, &self.password) {
            (Some(u), Some(p)) => Some((
                u.read("SMTP user name")?.expose().to_string(),
                p.read("SMTP password")?,
            )),
            _ => None,
        };
        let ca_pem = match &self.ca_file {
            Some(f) => Some(std::fs::read(f).map_err(|e| AlertsConfigError::CaFile {
                path: f.display().to_string(),
                reason: e.to_string(),
            })?),
            None => None,
        };
        Ok(EmailSettings {
            ca_pem,
            host: self.server.clone(),
            port: self.port,
            security: self.security,
            login,
            from: self.from.clone(),
            to: self.to.clone(),
            partner_to: self.partner_to.clone(),
            timeout: Duration::from_secs(15),
        })
    }
}

/// The webhook channel.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookPlan {
    /// The URL, or the variable that holds it (chat webhooks carry their token in the URL).
    pub url: Result<String, SecretSource>,
    pub template: WebhookTemplate,
}

impl WebhookPlan {
    pub fn url(&self) -> Result<String, AlertsConfigError> {
        match &self.url {
            Ok(u) => Ok(u.clone()),
            Err(source) => source.read("webhook URL").map(|s| s.expose().to_string()),
        }
    }
}

/// `[alerts]`, validated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertsPlan {
    pub thresholds: Thresholds,
    pub calendar: BusinessCalendar,
    pub evidence_url: Option<String>,
    pub email: Option<EmailPlan>,
    pub webhook: Option<WebhookPlan>,
}

impl AlertsPlan {
    /// The channels notifications go to.
    pub fn channels(&self) -> Vec<String> {
        let mut c = Vec::new();
        if self.email.is_some() {
            c.push("email".to_string());
        }
        if self.webhook.is_some() {
            c.push("webhook".to_string());
        }
        c
    }
}

fn count(name: &'static str, v: Option<u32>, default: u32) -> Result<u32, AlertsConfigError> {
    match v {
        Some(0) => Err(AlertsConfigError::Zero { name }),
        Some(n) => Ok(n),
        None => Ok(default),
    }
}

fn share(name: &'static str, v: Option<f64>, default: f64) -> Result<f64, AlertsConfigError> {
    match v {
        Some(value) if !(value > 0.0 && value <= 1.0) => Err(AlertsConfigError::Share {
            name,
            value: value.to_string(),
        }),
        Some(s) => Ok(s),
        None => Ok(default),
    }
}

/// `http://…` or `https://…`.
fn is_http(u: &str) -> bool {
    u.starts_with("http://") || u.starts_with("https://")
}

pub(crate) fn validate(
    raw: Option<RawAlerts>,
    base: &Path,
) -> Result<AlertsPlan, AlertsConfigError> {
    let raw = raw.unwrap_or_default();
    let d = Thresholds::default();
    let thresholds = Thresholds {
        open_after_failures: count(
            "open_after_failures",
            raw.open_after_failures,
            d.open_after_failures,
        )?,
        resolve_after_successes: count(
            "resolve_after_successes",
            raw.resolve_after_successes,
            d.resolve_after_successes,
        )?,
        degradation_window: count(
            "degradation_window",
            raw.degradation_window,
            d.degradation_window,
        )?,
        degradation_min_share: share(
            "degradation_min_share",
            raw.degradation_min_share,
            d.degradation_min_share,
        )?,
        open_after_violations: count(
            "open_after_violations",
            raw.open_after_violations,
            d.open_after_violations,
        )?,
        remind_at: share("remind_at", raw.remind_at, d.remind_at)?,
    };
    let hours = raw.business_hours.unwrap_or_else(|| "09:00-17:00".into());
    let (open, close) = hours
        .split_once('-')
        .ok_or_else(|| AlertsConfigError::BusinessHours(hours.clone()))?;
    let calendar = BusinessCalendar::new(open, close, &raw.extra_holidays)?;
    if let Some(u) = &raw.evidence_url
        && !is_http(u)
    {
        return Err(AlertsConfigError::NotHttp {
            section: "",
            key: "evidence_url",
            value: u.clone(),
        });
    }
    let email = raw
        .email
        .map(|e| -> Result<EmailPlan, AlertsConfigError> {
            let security = match e.security.as_deref() {
                None => SmtpSecurity::None,
                Some(s) => SmtpSecurity::parse(s)
                    .ok_or_else(|| AlertsConfigError::Security(s.to_string()))?,
            };
            let port = e.port.unwrap_or(match security {
                SmtpSecurity::None => 25,
                SmtpSecurity::StartTls => 587,
                SmtpSecurity::Tls => 465,
            });
            let password = match (e.password_env, e.password_file) {
                (Some(_), Some(_)) => return Err(AlertsConfigError::TwoPasswords),
                (Some(n), None) => Some(SecretSource::Env(n)),
                (None, Some(f)) => Some(SecretSource::File(base.join(f))),
                (None, None) => None,
            };
            let username = e.username_env.map(SecretSource::Env);
            if username.is_some() != password.is_some() {
                return Err(AlertsConfigError::HalfLogin);
            }
            if e.to.is_empty() {
                return Err(AlertsConfigError::NoRecipient);
            }
            for a in std::iter::once(&e.from).chain(&e.to) {
                if !alerts::email::is_address(a) {
                    return Err(AlertsConfigError::Address(a.clone()));
                }
            }
            if e.ca_file.is_some() && security == SmtpSecurity::None {
                return Err(AlertsConfigError::CaWithoutTls);
            }
            Ok(EmailPlan {
                ca_file: e.ca_file.map(|f| base.join(f)),
                server: e.server,
                port,
                security,
                username,
                password,
                from: e.from,
                to: e.to,
                partner_to: Default::default(),
            })
        })
        .transpose()?;
    let webhook = raw
        .webhook
        .map(|w| -> Result<WebhookPlan, AlertsConfigError> {
            let template = match w.template.as_deref() {
                None => WebhookTemplate::Generic,
                Some(t) => WebhookTemplate::parse(t)
                    .ok_or_else(|| AlertsConfigError::Template(t.to_string()))?,
            };
            let url = match (w.url, w.url_env) {
                (Some(u), None) => {
                    if !is_http(&u) {
                        return Err(AlertsConfigError::NotHttp {
                            section: ".webhook",
                            key: "url",
                            value: u,
                        });
                    }
                    Ok(u)
                }
                (None, Some(n)) => Err(SecretSource::Env(n)),
                _ => return Err(AlertsConfigError::WebhookUrl),
            };
            Ok(WebhookPlan { url, template })
        })
        .transpose()?;
    Ok(AlertsPlan {
        thresholds,
        calendar,
        evidence_url: raw.evidence_url,
        email,
        webhook,
    })
}
