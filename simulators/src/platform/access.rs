//! The emulated access platform: OAuth2 client credentials per realm, scopes per API and
//! version, stateless signed access tokens, and their checks on every API call.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::config::Client;
use crate::population::identifiers::Keys;

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    #[serde(rename = "c")]
    pub client: String,
    #[serde(rename = "r")]
    pub realm: String,
    #[serde(rename = "s")]
    pub scopes: Vec<String>,
    #[serde(rename = "e")]
    pub expires_ms: i64,
}

/// An OAuth2 error of the token endpoint (HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuthError {
    pub error: &'static str,
    pub description: String,
}

/// Every scope the platform knows, with the realm it belongs to.
pub(crate) fn known_scopes() -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for api in contracts::catalogue::business_apis() {
        for v in &api.versions {
            for s in &v.scopes {
                if !out.contains(&(s.as_str(), v.realm.as_str())) {
                    out.push((s.as_str(), v.realm.as_str()));
                }
            }
        }
    }
    out
}

/// Issues a token for a client-credentials request.
pub(crate) fn issue(
    keys: &Keys,
    clients: &[Client],
    realm: Option<&str>,
    form: &std::collections::HashMap<String, String>,
    now_ms: i64,
    lifetime_s: u64,
) -> Result<(String, Claims), OAuthError> {
    let grant = form
        .get("grant_type")
        .map(String::as_str)
        .unwrap_or_default();
    if grant != "client_credentials" {
        return Err(OAuthError {
            error: "unsupported_grant_type",
            description: format!("Grant type is not supported: {grant}"),
        });
    }
    let id = form
        .get("client_id")
        .map(String::as_str)
        .unwrap_or_default();
    let secret = form
        .get("client_secret")
        .map(String::as_str)
        .unwrap_or_default();
    let client = clients.iter().find(|c| c.id == id);
    if !client.is_some_and(|c| c.secret.matches(secret)) {
        return Err(OAuthError {
            error: "invalid_client",
            description: "Client authentication failed".into(),
        });
    }
    // The platform's two realms, and any other a version of the catalogue is called in.
    let known = known_scopes();
    let realm = match realm {
        Some(r) if r == "/partenaire" || r == "/agent" || known.iter().any(|(_, k)| *k == r) => {
            r.to_string()
        }
        _ => {
            return Err(OAuthError {
                error: "invalid_request",
                description: "Invalid realm: use realm=/partenaire or realm=/agent".into(),
            });
        }
    };
    let asked: Vec<String> = form
        .get("scope")
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    if asked.is_empty() {
        return Err(OAuthError {
            error: "invalid_scope",
            description: "Unknown/invalid scope(s): []".into(),
        });
    }
    let app_scope = format!("application_{id}");
    let subscribed = client.map_or(&[][..], |c| c.extra_scopes.as_slice());
    let bad: Vec<&String> = asked
        .iter()
        .filter(|s| {
            **s != app_scope
                && !subscribed.contains(s)
                && !known.iter().any(|(k, r)| k == s && *r == realm)
        })
        .collect();
    if !bad.is_empty() {
        let list = bad
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(OAuthError {
            error: "invalid_scope",
            description: format!("Unknown/invalid scope(s): [{list}]"),
        });
    }
    let claims = Claims {
        client: id.to_string(),
        realm,
        scopes: asked,
        expires_ms: now_ms + (lifetime_s as i64) * 1000,
    };
    Ok((encode(keys, &claims), claims))
}

fn encode(keys: &Keys, claims: &Claims) -> String {
    let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let tag = URL_SAFE_NO_PAD.encode(keys.sign(body.as_bytes()));
    format!("{body}.{tag}")
}

/// Why an API call is refused by the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// 401: no token, a forged one, an expired one.
    Unauthorized(&'static str),
    /// 403: the token lacks this API's scopes, or is of the other realm.
    Forbidden(String),
}

/// Tokens already verified (see `verified`).
pub(crate) type VerifiedTokens = crate::platform::verified::Verified<std::sync::Arc<Claims>>;

/// Checks the `Authorization` header of a call to an API version.
pub(crate) fn check(
    keys: &Keys,
    cache: &VerifiedTokens,
    header: Option<&str>,
    realm: &str,
    scopes: &[String],
    now_ms: i64,
) -> Result<std::sync::Arc<Claims>, Refusal> {
    let token = header
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .ok_or(Refusal::Unauthorized("Bearer token absent"))?
        .trim();
    let claims = cache.get_or_verify(token, || verify(keys, token).map(std::sync::Arc::new))?;
    if now_ms >= claims.expires_ms {
        return Err(Refusal::Unauthorized("Bearer token expiré"));
    }
    if claims.realm != realm {
        return Err(Refusal::Forbidden(format!(
            "token of realm {} used on an API of realm {realm}",
            claims.realm
        )));
    }
    let missing: Vec<&str> = scopes
        .iter()
        .filter(|s| !claims.scopes.contains(s))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(Refusal::Forbidden(format!(
            "missing scope(s): {}",
            missing.join(" ")
        )));
    }
    Ok(claims)
}

/// The claims of a genuine token (signature checked).
fn verify(keys: &Keys, token: &str) -> Result<Claims, Refusal> {
    let (body, tag) = token
        .split_once('.')
        .ok_or(Refusal::Unauthorized("Bearer token invalide"))?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| Refusal::Unauthorized("Bearer token invalide"))?;
    if !keys.verify(body.as_bytes(), &tag) {
        return Err(Refusal::Unauthorized("Bearer token invalide"));
    }
    URL_SAFE_NO_PAD
        .decode(body)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(Refusal::Unauthorized("Bearer token invalide"))
}
