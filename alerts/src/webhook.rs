//! A JSON webhook: a generic body (the message's facts), the `{"text": …}` body that
//! Mattermost and Slack incoming webhooks take, or Alertmanager's webhook body. The `Idempotency-Key` header carries the
//! message's key.

use std::time::Duration;

use serde_json::json;

use crate::message::Message;
use crate::notifier::{Delivery, DeliveryError, Notifier};

/// The body's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookTemplate {
    /// `{"key", "event", "subject", "text", "incident": {…}}`.
    Generic,
    /// `{"text": "subject\n\ntext"}` (Mattermost, Slack and compatible).
    Chat,
    /// Alertmanager's own webhook body (version 4): for receivers written for Alertmanager.
    Alertmanager,
}

impl WebhookTemplate {
    pub fn parse(text: &str) -> Option<WebhookTemplate> {
        match text {
            "generic" => Some(WebhookTemplate::Generic),
            "mattermost" | "slack" => Some(WebhookTemplate::Chat),
            "alertmanager" => Some(WebhookTemplate::Alertmanager),
            _ => None,
        }
    }

    /// The body of a message.
    pub fn body(self, m: &Message) -> serde_json::Value {
        match self {
            WebhookTemplate::Generic => {
                let mut v = m.facts.clone();
                if let Some(o) = v.as_object_mut() {
                    o.insert("subject".into(), json!(m.subject));
                    o.insert("text".into(), json!(m.text));
                }
                v
            }
            WebhookTemplate::Chat => json!({ "text": format!("**{}**\n\n{}", m.subject, m.text) }),
            WebhookTemplate::Alertmanager => alertmanager(m),
        }
    }
}

/// An incident as one Alertmanager alert: firing until it is resolved, labelled by incident,
/// kind, API and version, the message as its annotations.
fn alertmanager(m: &Message) -> serde_json::Value {
    let i = &m.facts["incident"];
    let resolved = matches!(m.event.as_str(), "resolved" | "closed");
    let status = if resolved { "resolved" } else { "firing" };
    let kind = i["kind"].as_str().unwrap_or_default();
    let labels = json!({
        "alertname": "VigieIncident",
        "incident": m.incident.to_string(),
        "kind": kind,
        "api": i["api"],
        "version": i["version"],
        "severity": if kind == "applicative" { "ticket" } else { "page" },
    });
    // Stable per incident, whatever the event (Alertmanager's 16 hex digits).
    let instance = m.key.split('-').next().unwrap_or_default();
    let fingerprint = format!("{:016x}", fnv1a(&format!("{instance}-{}", m.incident)));
    let ends = if resolved {
        i["resolved"].clone()
    } else {
        json!("0001-01-01T00:00:00Z")
    };
    json!({
        "version": "4",
        "groupKey": format!("{{}}:{{incident=\"{}\"}}", m.incident),
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "vigie",
        "groupLabels": {"incident": m.incident.to_string()},
        "commonLabels": labels,
        "commonAnnotations": {"summary": m.subject, "description": m.text},
        "externalURL": "",
        "alerts": [{
            "status": status,
            "labels": labels,
            "annotations": {"summary": m.subject, "description": m.text, "event": m.event},
            "startsAt": i["since"],
            "endsAt": ends,
            "generatorURL": "",
            "fingerprint": fingerprint,
        }],
    })
}

/// FNV-1a, 64 bits: a stable fingerprint, not a secret.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Posts notifications to a URL.
#[derive(Debug)]
pub struct WebhookNotifier {
    url: String,
    template: WebhookTemplate,
    client: reqwest::Client,
}

impl WebhookNotifier {
    pub fn new(
        url: &str,
        template: WebhookTemplate,
        timeout: Duration,
    ) -> Result<WebhookNotifier, reqwest::Error> {
        Ok(WebhookNotifier {
            url: url.into(),
            template,
            client: reqwest::Client::builder()
                .timeout(timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()?,
        })
    }
}

impl Notifier for WebhookNotifier {
    fn channel(&self) -> &str {
        "webhook"
    }

    fn deliver<'a>(&'a self, message: &'a Message) -> Delivery<'a> {
        Box::pin(async move {
            let failed = |reason: String| DeliveryError::Failed {
                channel: "webhook".into(),
                reason,
            };
            let body = serde_json::to_vec(&self.template.body(message))
                .map_err(|e| failed(e.to_string()))?;
            let reply = self
                .client
                .post(&self.url)
                .header("content-type", "application/json")
                .header("idempotency-key", &message.key)
                .body(body)
                .send()
                .await
                // The URL may hold a token: say what failed without it.
                .map_err(|e| failed(describe(&e)))?;
            if reply.status().is_success() {
                Ok(())
            } else {
                Err(failed(format!("the receiver answered {}", reply.status())))
            }
        })
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer in time".into()
    } else if e.is_connect() {
        "cannot connect to the receiver".into()
    } else {
        "the request failed".into()
    }
}
