//! What stands in front of every API version: the platform's checks (Bearer token, realm,
//! scopes, rate limit, `pa-*` headers of version n), then the injected faults, then the
//! handler, then an injected data defect on its answer.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::access::{self, Refusal};
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
    pub client: String,
    pub habilite: bool,
    pub agent: Agent,
}

const PA_HEADERS: [&str; 3] = ["pa-nom-agent", "pa-prenom-agent", "pa-identifiant-agent"];

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
    let mut pa = Vec::new();
    if g.era == "n" {
        for h in PA_HEADERS {
            match req
                .headers()
                .get(h)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
            {
                None => return responses::found_redirect(),
                Some(v) if v.is_empty() => return responses::unauthorized("en-tête pa-* vide"),
                Some(v) if v.contains('|') => {
                    return responses::bad_request(
                        g.family(),
                        "le caractère | est interdit dans les en-têtes pa-*",
                    );
                }
                Some(v) => pa.push(v),
            }
        }
    }
    let agent = match pa.as_slice() {
        [nom, prenom, id] => s.agent(nom, prenom, id),
        _ => s.agent("Partenaire", "Agent", &claims.client),
    };
    req.extensions_mut().insert(Caller {
        client: claims.client.clone(),
        habilite: client.is_none_or(|c| c.habilite),
        agent,
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
    let response = next.run(req).await;
    match decision.defect {
        Some(kind) if response.status() == StatusCode::OK => damage(response, kind).await,
        _ => response,
    }
}

async fn damage(response: Response, kind: crate::faults::DefectKind) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return responses::server_error(Family::Backend, 500);
    };
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return (parts, bytes).into_response();
    };
    crate::defects::apply(kind, &mut value);
    let body = serde_json::to_vec(&value).unwrap_or_default();
    let mut r = (parts, body).into_response();
    r.headers_mut().remove(header::CONTENT_LENGTH);
    r
}
