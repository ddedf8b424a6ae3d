//! The HTTP client of a check: tokens per realm and scope set (cached until shortly before
//! they expire), and every call made politely (see `politeness`). Nothing it logs or returns
//! holds a token, a secret or a person's identifier.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Semaphore;

use crate::client::credentials::Credentials;
use crate::client::politeness::{Politeness, retry_after};
use crate::client::target::Target;

/// One HTTP call to make.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: reqwest::Method,
    /// Path and query, from `/partenaire/...`.
    pub path: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Value>,
    /// A write: never retried after a timeout or a dropped connection.
    pub write: bool,
}

/// What came back.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// `None` for an empty body.
    pub body: Option<Value>,
    /// The body was not JSON: its first bytes' description, never its content.
    pub unreadable: Option<String>,
    /// From the start of the last attempt to the end of the body.
    pub elapsed: Duration,
    pub attempts: u32,
    pub throttled: u32,
}

/// Why a call has no reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    #[error("no answer within {0:?} (timeout)")]
    Timeout(Duration),
    #[error("cannot reach the target: {0}")]
    Unreachable(String),
    #[error("the target's name does not resolve (DNS)")]
    NameResolution,
    #[error("still throttled (429) after {0} answers; retry later or lower --rate")]
    Throttled(u32),
    #[error("token refused by the platform ({status}): {error}")]
    Token { status: u16, error: String },
}

#[derive(Debug, Clone)]
struct CachedToken {
    header: String,
    until: Instant,
}

/// Totals of the client, for the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    pub calls: u64,
    pub throttled: u64,
    pub retries: u64,
    pub tokens: u64,
}

#[derive(Debug)]
pub struct ApiClient {
    http: reqwest::Client,
    target: Target,
    credentials: Credentials,
    polite: Politeness,
    permits: Semaphore,
    next_slot: tokio::sync::Mutex<Instant>,
    tokens: Mutex<HashMap<(String, String), CachedToken>>,
    token_lock: tokio::sync::Mutex<()>,
    stats: Mutex<ClientStats>,
}

impl ApiClient {
    pub fn new(
        target: Target,
        credentials: Credentials,
        polite: Politeness,
    ) -> Result<ApiClient, CallError> {
        let http = reqwest::Client::builder()
            .timeout(polite.timeout)
            .connect_timeout(polite.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("vigie/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CallError::Unreachable(e.to_string()))?;
        Ok(ApiClient {
            http,
            target,
            credentials,
            permits: Semaphore::new(polite.concurrency.max(1) * 2),
            polite,
            next_slot: tokio::sync::Mutex::new(Instant::now()),
            tokens: Mutex::new(HashMap::new()),
            token_lock: tokio::sync::Mutex::new(()),
            stats: Mutex::new(ClientStats::default()),
        })
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn stats(&self) -> ClientStats {
        self.stats.lock().map(|s| *s).unwrap_or_default()
    }

    fn count(&self, f: impl FnOnce(&mut ClientStats)) {
        if let Ok(mut s) = self.stats.lock() {
            f(&mut s);
        }
    }

    /// `Authorization` header value for a realm and scope set.
    pub async fn bearer(&self, realm: &str, scopes: &[String]) -> Result<String, CallError> {
        let key = (realm.to_string(), scopes.join(" "));
        if let Some(t) = self.cached(&key) {
            return Ok(t);
        }
        let _one_at_a_time = self.token_lock.lock().await;
        if let Some(t) = self.cached(&key) {
            return Ok(t);
        }
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.credentials.client_id.as_str()),
            ("client_secret", self.credentials.secret()),
            ("scope", key.1.as_str()),
        ];
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let url = self.target.token_url(realm);
        let reply = self
            .send(
                || {
                    self.http
                        .post(&url)
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(body.clone())
                },
                false,
            )
            .await?;
        self.count(|s| s.tokens += 1);
        let b = reply.body.unwrap_or(Value::Null);
        let (Some(token), 200) = (b["access_token"].as_str(), reply.status) else {
            // The platform's words, bounded and with the secret masked: a hostile endpoint can
            // echo the request or send megabytes.
            let error = b["error"].as_str().unwrap_or("no access_token");
            return Err(CallError::Token {
                status: reply.status,
                error: contracts::redact::bounded(&self.credentials.scrub(error), MAX_ERROR_TEXT),
            });
        };
        let ttl = b["expires_in"]
            .as_u64()
            .unwrap_or(60)
            .saturating_sub(10)
            .max(1);
        let header = format!("{} {token}", b["token_type"].as_str().unwrap_or("Bearer"));
        if let Ok(mut m) = self.tokens.lock() {
            m.insert(
                key,
                CachedToken {
                    header: header.clone(),
                    until: Instant::now() + Duration::from_secs(ttl),
                },
            );
        }
        Ok(header)
    }

    fn cached(&self, key: &(String, String)) -> Option<String> {
        let m = self.tokens.lock().ok()?;
        m.get(key)
            .filter(|t| t.until > Instant::now())
            .map(|t| t.header.clone())
    }

    /// Makes a call to the APIs.
    pub async fn call(&self, call: &Call, authorization: &str) -> Result<Reply, CallError> {
        let url = format!("{}{}", self.target.api_base, call.path);
        let body = call.body.as_ref().map(Value::to_string);
        self.send(
            || {
                let mut r = self
                    .http
                    .request(call.method.clone(), &url)
                    .header("authorization", authorization)
                    .header("accept", "application/json");
                for (k, v) in &call.headers {
                    r = r.header(*k, v);
                }
                if let Some(b) = &body {
                    r = r.header("content-type", "application/json").body(b.clone());
                }
                r
            },
            call.write,
        )
        .await
    }

    /// Waits for this call's slot: the rate limit, and any pause a 429 asked for.
    async fn pace(&self) {
        let wait = {
            let mut next = self.next_slot.lock().await;
            let now = Instant::now();
            let at = (*next).max(now);
            if let Some(interval) = self.polite.interval() {
                *next = at + interval;
            }
            at - now
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    async fn send(
        &self,
        build: impl Fn() -> reqwest::RequestBuilder,
        write: bool,
    ) -> Result<Reply, CallError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| CallError::Unreachable("the check is shutting down".into()))?;
        let mut attempts = 0;
        let mut throttled = 0;
        let mut failures = 0;
        loop {
            self.pace().await;
            attempts += 1;
            self.count(|s| s.calls += 1);
            let started = Instant::now();
            let sent = build().send().await;
            let response = match sent {
                Ok(r) => r,
                Err(e) => {
                    let err = if e.is_timeout() {
                        CallError::Timeout(self.polite.timeout)
                    } else if is_dns(&e) {
                        CallError::NameResolution
                    } else {
                        CallError::Unreachable(describe(&e))
                    };
                    if !write && failures < self.polite.read_retries {
                        failures += 1;
                        self.count(|s| s.retries += 1);
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        continue;
                    }
                    return Err(err);
                }
            };
            let status = response.status().as_u16();
            if status == 429 {
                throttled += 1;
                self.count(|s| s.throttled += 1);
                let wait = retry_after(
                    response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok()),
                    Duration::from_secs(60),
                );
                if throttled > self.polite.max_throttled || wait > self.polite.max_wait {
                    return Err(CallError::Throttled(throttled));
                }
                // A 429 was not processed: waiting and sending again is safe, even for a write.
                // Every call waits, not only this one: the platform asked the client to pause.
                {
                    let mut next = self.next_slot.lock().await;
                    *next = (*next).max(Instant::now() + wait);
                }
                continue;
            }
            let bytes = match read_capped(response).await {
                Ok(Some(b)) => b,
                Ok(None) => {
                    return Ok(Reply {
                        status,
                        body: None,
                        unreadable: Some(format!(
                            "an answer larger than {MAX_BODY} bytes (not read further)"
                        )),
                        elapsed: started.elapsed(),
                        attempts,
                        throttled,
                    });
                }
                Err(e) if e.is_timeout() => return Err(CallError::Timeout(self.polite.timeout)),
                Err(e) => return Err(CallError::Unreachable(describe(&e))),
            };
            let elapsed = started.elapsed();
            let (body, unreadable) = if bytes.iter().all(u8::is_ascii_whitespace) {
                (None, None)
            } else {
                match serde_json::from_slice::<Value>(&bytes) {
                    Ok(v) => (Some(v), None),
                    Err(_) => (
                        None,
                        Some(format!("{} bytes that are not JSON", bytes.len())),
                    ),
                }
            };
            return Ok(Reply {
                status,
                body,
                unreadable,
                elapsed,
                attempts,
                throttled,
            });
        }
    }
}

/// The largest answer a check or a probe reads (a real dossier is ~20 kB; the largest
/// référentiel a few hundred): past it the answer is a violation, not a memory spike.
pub const MAX_BODY: usize = 8 << 20;
/// The longest text of a target's (a token endpoint's `error`) that reaches a report.
pub const MAX_ERROR_TEXT: usize = 200;

/// Reads a body up to [`MAX_BODY`] bytes; `None` past it (announced or seen).
async fn read_capped(mut response: reqwest::Response) -> Result<Option<Vec<u8>>, reqwest::Error> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY as u64)
    {
        return Ok(None);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_BODY {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// A transport error without the URL (it may hold an identifier in its path).
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_connect() {
        "connection refused or failed"
    } else if e.is_request() {
        "request could not be sent"
    } else if e.is_body() || e.is_decode() {
        "answer cut short"
    } else {
        "transport error"
    };
    kind.to_string()
}

/// Whether an error comes from name resolution (the partner's own DNS).
fn is_dns(e: &reqwest::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        let text = s.to_string().to_ascii_lowercase();
        if text.contains("dns error")
            || text.contains("failed to lookup address")
            || text.contains("name or service not known")
        {
            return true;
        }
        source = s.source();
    }
    false
}

/// `application/x-www-form-urlencoded` value encoding.
fn form_encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding() {
        assert_eq!(form_encode("a b/c+é"), "a+b%2Fc%2B%C3%A9");
    }
}
