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

/// Where the SMTP password comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    Env(String),
    File(PathBuf),
}

impl SecretSource {
    /// Reads it, or says what to set.
    pub fn read(&self, what: &str) -> Result<Secret, String> {
        match self {
            SecretSource::Env(name) => std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .map(Secret::new)
                .ok_or_else(|| format!("{name} is not set: export the {what}")),
            SecretSource::File(path) => std::fs::read_to_string(path)
                .map(|t| Secret::new(t.trim_end_matches(['\n', '\r'])))
                .map_err(|e| format!("cannot read the {what} from {}: {e}", path.display())),
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
}

impl EmailPlan {
    /// The settings, with the secrets read.
    pub fn settings(&self) -> Result<EmailSettings, String> {
        let login = match (&self.username, &self.password) {
            (Some(u), Some(p)) => Some((
                u.read("SMTP user name")?.expose().to_string(),
                p.read("SMTP password")?,
            )),
            _ => None,
        };
        let ca_pem = match &self.ca_file {
            Some(f) => Some(std::fs::read(f).map_err(|e| {
                format!(
                    "cannot read the relay's CA certificate {}: {e}",
                    f.display()
                )
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
    pub fn url(&self) -> Result<String, String> {
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

fn count(name: &str, v: Option<u32>, default: u32) -> Result<u32, String> {
    match v {
        Some(0) => Err(format!("[alerts] {name} = 0: give at least 1")),
        Some(n) => Ok(n),
        None => Ok(default),
    }
}

fn share(name: &str, v: Option<f64>, default: f64) -> Result<f64, String> {
    match v {
        Some(s) if !(s > 0.0 && s <= 1.0) => {
            Err(format!("[alerts] {name} = {s}: a share between 0 and 1"))
        }
        Some(s) => Ok(s),
        None => Ok(default),
    }
}

pub(crate) fn validate(raw: Option<RawAlerts>, base: &Path) -> Result<AlertsPlan, String> {
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
    let (open, close) = hours.split_once('-').ok_or_else(|| {
        format!("[alerts] business_hours = {hours:?}: write opening-closing, e.g. \"09:00-17:00\"")
    })?;
    let calendar = BusinessCalendar::new(open, close, &raw.extra_holidays)
        .map_err(|e| format!("[alerts] {e}"))?;
    if let Some(u) = &raw.evidence_url
        && !(u.starts_with("http://") || u.starts_with("https://"))
    {
        return Err(format!(
            "[alerts] evidence_url = {u:?} is not an http(s) URL"
        ));
    }
    let email = raw
        .email
        .map(|e| -> Result<EmailPlan, String> {
            let security = match e.security.as_deref() {
                None => SmtpSecurity::None,
                Some(s) => SmtpSecurity::parse(s).ok_or_else(|| {
                    format!("[alerts.email] security = {s:?}: use none, starttls or tls")
                })?,
            };
            let port = e.port.unwrap_or(match security {
                SmtpSecurity::None => 25,
                SmtpSecurity::StartTls => 587,
                SmtpSecurity::Tls => 465,
            });
            let password = match (e.password_env, e.password_file) {
                (Some(_), Some(_)) => {
                    return Err("[alerts.email] gives both password_env and password_file: keep one".into());
                }
                (Some(n), None) => Some(SecretSource::Env(n)),
                (None, Some(f)) => Some(SecretSource::File(base.join(f))),
                (None, None) => None,
            };
            let username = e.username_env.map(SecretSource::Env);
            if username.is_some() != password.is_some() {
                return Err("[alerts.email] authentication needs both username_env and password_env (or password_file)".into());
            }
            if e.to.is_empty() {
                return Err("[alerts.email] to = []: give at least one recipient".into());
            }
            for a in std::iter::once(&e.from).chain(&e.to) {
                if !alerts::email::is_address(a) {
                    return Err(format!("[alerts.email] {a:?} is not an email address"));
                }
            }
            if e.ca_file.is_some() && security == SmtpSecurity::None {
                return Err("[alerts.email] ca_file needs security = \"starttls\" or \"tls\"".into());
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
            })
        })
        .transpose()?;
    let webhook = raw
        .webhook
        .map(|w| -> Result<WebhookPlan, String> {
            let template = match w.template.as_deref() {
                None => WebhookTemplate::Generic,
                Some(t) => WebhookTemplate::parse(t).ok_or_else(|| {
                    format!("[alerts.webhook] template = {t:?}: use generic, mattermost or slack")
                })?,
            };
            let url = match (w.url, w.url_env) {
                (Some(u), None) => {
                    if !(u.starts_with("http://") || u.starts_with("https://")) {
                        return Err(format!(
                            "[alerts.webhook] url = {u:?} is not an http(s) URL"
                        ));
                    }
                    Ok(u)
                }
                (None, Some(n)) => Err(SecretSource::Env(n)),
                _ => return Err("[alerts.webhook] needs url or url_env (one of them)".into()),
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
