//! A JSON webhook: a generic body (the message's facts), or the `{"text": …}` body that
//! Mattermost and Slack incoming webhooks take. The `Idempotency-Key` header carries the
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
}

impl WebhookTemplate {
    pub fn parse(text: &str) -> Option<WebhookTemplate> {
        match text {
            "generic" => Some(WebhookTemplate::Generic),
            "mattermost" | "slack" => Some(WebhookTemplate::Chat),
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
        }
    }
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
