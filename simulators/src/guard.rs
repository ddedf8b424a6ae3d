//! What stands in front of every API version: the platform's checks (Bearer token, realm,
//! scopes, rate limit, `pa-*` headers of version n), then the injected faults, then the
//! handler, then an injected data defect on its answer.

use axum::extract::{Request, State};
use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::access::{self, Claims, Refusal};
use crate::dossier::Agent;
use crate::responses::{self, Family};
use crate::state::SimState;

/// One API version's guard.
#[derive(Debug, Clone)]
pub struct Guard {
    pub state: SimState,
    pub api: &'static str,
    pub major: &'static str,
    pub era: &'static str,
    pub realm: &'static str,
    pub scopes: &'static [&'static str],
}

impl Guard {
    pub fn new(state: &SimState, api: &'static str, major: &'static str) -> Guard {
        let info = contracts::catalogue::api(api).unwrap_or(&contracts::catalogue::APIS[0]);
        let v = info.version(major).unwrap_or(&info.versions[0]);
        Guard {
            state: state.clone(),
            api: info.id,
            major: v.major,
            era: v.era.alias(),
            realm: v.realm,
            scopes: v.scopes,
        }
    }

    pub fn family(&self) -> Family {
        Family::of(self.api, self.major)
    }
}

/// Who calls, for the handlers.
#[derive(Debug, Clone)]
pub struct Caller {
    pub claims: Arc<Claims>,
    pub habilite: bool,
    /// `pa-nom-agent`, `pa-prenom-agent`, `pa-identifiant-agent` (version n), checked.
    pa: Option<[HeaderValue; 3]>,
}

impl Caller {
    /// The agent a write is recorded for: from the `pa-*` headers in version n, the client
    /// otherwise. Built only by the writes, so that reads allocate nothing for it.
    pub fn agent(&self, s: &SimState) -> Agent {
        let text =
            |v: &HeaderValue| String::from_utf8_lossy(v.as_bytes().trim_ascii()).into_owned();
        match &self.pa {
            Some([nom, prenom, id]) => s.agent(&text(nom), &text(prenom), &text(id)),
            None => s.agent("Partenaire", "Agent", &self.claims.client),
        }
    }
}

const PA_HEADERS: [&str; 3] = ["pa-nom-agent", "pa-prenom-agent", "pa-identifiant-agent"];

/// The `pa-*` headers as the platform checks them: absent → 302, empty → 401, a `|` → 400.
fn pa_headers(g: &Guard, req: &Request) -> Result<[HeaderValue; 3], Response> {
    let one = |name: &str| match req.headers().get(name) {
        None => Err(responses::found_redirect()),
        Some(v) if v.as_bytes().trim_ascii().is_empty() => {
            Err(responses::unauthorized("en-tête pa-* vide"))
        }
        Some(v) if v.as_bytes().contains(&b'|') => Err(responses::bad_request(
            g.family(),
            "le caractère | est interdit dans les en-têtes pa-*",
        )),
        Some(v) => Ok(v.clone()),
    };
    Ok([
        one(PA_HEADERS[0])?,
        one(PA_HEADERS[1])?,
        one(PA_HEADERS[2])?,
    ])
}

pub async fn guard(State(g): State<Guard>, mut req: Request, next: Next) -> Response {
    let s = &g.state;
    let now = s.now_ms();
    let auth = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let claims = match access::check(&s.keys, &s.verified, auth, g.realm, g.scopes, now) {
        Ok(c) => c,
        Err(Refusal::Unauthorized(m)) => return responses::unauthorized(m),
        Err(Refusal::Forbidden(m)) => return responses::forbidden(&m),
    };
    let client = s.config.clients.iter().find(|c| c.id == claims.client);
    if let Some(limit) = client.and_then(|c| c.rate_limit.as_ref())
        && let Err(wait) = s.limiter.take(&claims.client, limit, now)
    {
        return responses::too_many(wait);
    }
    let pa = if g.era == "n" {
        match pa_headers(&g, &req) {
            Ok(pa) => Some(pa),
            Err(r) => return r,
        }
    } else {
        None
    };
    let habilite = client.is_none_or(|c| c.habilite);
    req.extensions_mut().insert(Caller {
        claims,
        habilite,
        pa,
    });

    let decision = {
        let mut draw = s.call_draw("faults");
        match s.faults.read() {
            Ok(plan) => plan.decide(g.api, g.major, g.era, now, &mut draw),
            Err(p) => p.into_inner().decide(g.api, g.major, g.era, now, &mut draw),
        }
    };
    if decision.outage {
        return responses::server_error(g.family(), 503);
    }
    if decision.timeout {
        // Never answer: the caller's timeout ends the call. Bounded so that a server that
        // is shut down does not wait for ever.
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        return responses::server_error(g.family(), 503);
    }
    if let Some(status) = decision.error {
        return responses::server_error(g.family(), status);
    }
    if decision.delay_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(decision.delay_ms)).await;
    }
    let required = match decision.defect {
        Some(crate::faults::DefectKind::MissingField) => {
            required_of(&g, req.method().as_str(), req.uri().path())
        }
        _ => Vec::new(),
    };
    let response = next.run(req).await;
    match decision.defect {
        Some(kind) if response.status() == StatusCode::OK => {
            damage(response, kind, &required).await
        }
        _ => response,
    }
}

/// The required fields of the 200 answer of the operation a request calls.
fn required_of(g: &Guard, method: &str, path: &str) -> Vec<String> {
    let store = g.state.checker.store();
    let Some(loaded) = store.raw(g.api, g.major) else {
        return Vec::new();
    };
    loaded
        .manifest
        .operation_at(method, path)
        .and_then(|op| op.response(200))
        .and_then(|r| r.schema.as_ref())
        .and_then(|file| loaded.schemas.get(file))
        .map(crate::defects::required_pointers)
        .unwrap_or_default()
}

async fn damage(
    response: Response,
    kind: crate::faults::DefectKind,
    required: &[String],
) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return responses::server_error(Family::Backend, 500);
    };
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return (parts, bytes).into_response();
    };
    crate::defects::apply(kind, &mut value, required);
    let body = serde_json::to_vec(&value).unwrap_or_default();
    let mut r = (parts, body).into_response();
    r.headers_mut().remove(header::CONTENT_LENGTH);
    r
}
