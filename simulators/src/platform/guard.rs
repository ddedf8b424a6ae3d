//! What stands in front of every API version: the platform's checks (Bearer token, realm,
//! scopes, rate limit, `pa-*` headers of version n), then the injected faults, then the
//! handler, then an injected data defect on its answer.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::Route;
use axum::routing::future::RouteFuture;
use tower::{Layer, Service};

use crate::diagnostic::model::Agent;
use crate::platform::access::{self, Claims, Refusal};
use contracts::catalogue::Era;

use crate::faults::plan::{Decision, DefectKind};
use crate::http::error::{ApiError, Family};
use crate::state::SimState;

/// One API version's guard.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    pub state: SimState,
    pub api: &'static str,
    pub major: &'static str,
    pub era: Era,
    pub realm: &'static str,
    pub scopes: &'static [String],
}

impl Guard {
    pub(crate) fn new(state: &SimState, api: &'static str, major: &'static str) -> Guard {
        // A router is built only for a version of the catalogue; should one ever be missing,
        // its calls are refused (realm `?`), never let through.
        let found = contracts::catalogue::api(api)
            .ok()
            .and_then(|info| info.version(major).ok());
        match found {
            Some(v) => Guard {
                state: state.clone(),
                api,
                major: &v.major,
                era: v.era,
                realm: &v.realm,
                scopes: &v.scopes,
            },
            None => Guard {
                state: state.clone(),
                api,
                major,
                era: Era::Current,
                realm: "?",
                scopes: &[],
            },
        }
    }

    pub(crate) fn family(&self) -> Family {
        Family::of(self.api, self.major)
    }
}

/// Who calls, for the handlers.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub claims: Arc<Claims>,
    pub habilite: bool,
    /// The instant the call was admitted at: one clock read per call.
    pub now_ms: i64,
    /// Version n: the `pa-*` headers were checked (the writes read them again).
    pa: bool,
}

impl Caller {
    /// The agent a write is recorded for: from the `pa-*` headers in version n, the client
    /// otherwise. Built only by the writes, so that reads allocate nothing for it.
    pub(crate) fn agent(&self, s: &SimState, headers: &HeaderMap) -> Agent {
        let text = |name: &HeaderName| {
            headers
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes().trim_ascii()).into_owned())
                .unwrap_or_default()
        };
        if self.pa {
            let [nom, prenom, id] = PA_HEADERS.map(|n| text(&n));
            s.agent(&nom, &prenom, &id)
        } else {
            s.agent("Partenaire", "Agent", &self.claims.client)
        }
    }
}

const PA_HEADERS: [HeaderName; 3] = [
    HeaderName::from_static("pa-nom-agent"),
    HeaderName::from_static("pa-prenom-agent"),
    HeaderName::from_static("pa-identifiant-agent"),
];

/// The `pa-*` headers as the platform checks them: absent → 302, empty → 401, a `|` → 400.
/// The longest `pa-*` header kept (an agent's name or identifier; a write records it).
pub(crate) const MAX_PA_HEADER: usize = 255;

fn pa_headers(g: &Guard, headers: &HeaderMap) -> Result<(), Response> {
    for name in &PA_HEADERS {
        match headers.get(name) {
            None => return Err(ApiError::AgentHeadersMissing.into_response()),
            Some(v) if v.as_bytes().trim_ascii().is_empty() => {
                return Err(ApiError::Unauthorized("en-tête pa-* vide".to_string()).into_response());
            }
            Some(v) if v.len() > MAX_PA_HEADER => {
                return Err(ApiError::bad_request(
                    g.family(),
                    "en-tête pa-* trop long (255 octets au plus)",
                )
                .into_response());
            }
            Some(v) if v.as_bytes().contains(&b'|') => {
                return Err(ApiError::bad_request(
                    g.family(),
                    "le caractère | est interdit dans les en-têtes pa-*",
                )
                .into_response());
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// What the guard makes of a call before the handler runs.
enum Admission {
    /// Refused by the platform or by an injected fault: this is the answer.
    Answered(Response),
    /// Straight to the handler.
    Through,
    /// To the handler after a delay, or with a data defect on its answer.
    Altered(Decision),
}

/// The platform's checks and the fault draw; the caller is put in the request for the
/// handler. Synchronous: only an altered call needs a future of its own.
fn admit(g: &Guard, req: &mut Request) -> Admission {
    let s = &g.state;
    let now = s.now_ms();
    let auth = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let claims = match access::check(&s.keys, &s.verified, auth, g.realm, g.scopes, now) {
        Ok(c) => c,
        Err(Refusal::Unauthorized(m)) => {
            return Admission::Answered(ApiError::Unauthorized(m.to_string()).into_response());
        }
        Err(Refusal::Forbidden(m)) => {
            return Admission::Answered(ApiError::Forbidden(m.to_string()).into_response());
        }
    };
    let client = s.config.clients.iter().find(|c| c.id == claims.client);
    if let Some(limit) = client.and_then(|c| c.rate_limit.as_ref())
        && let Err(wait) = s.limiter.take(&claims.client, limit, now)
    {
        return Admission::Answered(ApiError::TooMany(wait).into_response());
    }
    let pa = g.era == Era::Current;
    if pa && let Err(r) = pa_headers(g, req.headers()) {
        return Admission::Answered(r);
    }
    let habilite = client.is_none_or(|c| c.habilite);
    req.extensions_mut().insert(Caller {
        claims,
        habilite,
        now_ms: now,
        pa,
    });
    let decision = s.fault_decision(g.api, g.major, g.era, now);
    if decision.outage {
        return Admission::Answered(ApiError::Server(g.family(), 503).into_response());
    }
    if let Some(status) = decision.error.filter(|_| !decision.timeout) {
        return Admission::Answered(ApiError::Server(g.family(), status).into_response());
    }
    if decision.timeout || decision.delay_ms > 0 || decision.defect.is_some() {
        Admission::Altered(decision)
    } else {
        Admission::Through
    }
}

/// A call whose fault draw asks for a timeout, a delay or a data defect.
async fn altered(g: Arc<Guard>, mut route: Route, req: Request, decision: Decision) -> Response {
    if decision.timeout {
        // Never answer: the caller's timeout ends the call. Bounded so that a server that
        // is shut down does not wait for ever.
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        return ApiError::Server(g.family(), 503).into_response();
    }
    if decision.delay_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(decision.delay_ms)).await;
    }
    let required = match decision.defect {
        Some(DefectKind::MissingField) => required_of(&g, req.method().as_str(), req.uri().path()),
        _ => Vec::new(),
    };
    let Ok(response) = route.call(req).await;
    match decision.defect {
        Some(kind) if response.status() == StatusCode::OK => {
            damage(response, kind, &required).await
        }
        _ => response,
    }
}

/// The guard of one API version, as a layer of its routes.
#[derive(Debug, Clone)]
pub(crate) struct GuardLayer(Arc<Guard>);

impl GuardLayer {
    pub(crate) fn new(state: &SimState, api: &'static str, major: &'static str) -> GuardLayer {
        GuardLayer(Arc::new(Guard::new(state, api, major)))
    }
}

/// `routes` of one API version behind its guard.
pub(crate) fn guarded(
    state: &SimState,
    api: &'static str,
    major: &'static str,
    routes: axum::Router<SimState>,
) -> axum::Router<SimState> {
    routes.route_layer(GuardLayer::new(state, api, major))
}

impl Layer<Route> for GuardLayer {
    type Service = GuardService;
    fn layer(&self, route: Route) -> GuardService {
        GuardService {
            guard: self.0.clone(),
            route,
        }
    }
}

/// A route behind its guard.
#[derive(Debug, Clone)]
pub(crate) struct GuardService {
    guard: Arc<Guard>,
    route: Route,
}

impl Service<Request> for GuardService {
    type Response = Response;
    type Error = Infallible;
    type Future = GuardFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Service::<Request>::poll_ready(&mut self.route, cx)
    }

    fn call(&mut self, mut req: Request) -> GuardFuture {
        match admit(&self.guard, &mut req) {
            Admission::Answered(r) => GuardFuture::Ready { response: Some(r) },
            Admission::Through => GuardFuture::Route {
                future: self.route.call(req),
            },
            Admission::Altered(d) => GuardFuture::Altered {
                future: Box::pin(altered(self.guard.clone(), self.route.clone(), req, d)),
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// The answer of a guarded route: the guard's own, the handler's, or an altered one.
    #[project = GuardFutureProj]
    pub enum GuardFuture {
        Ready { response: Option<Response> },
        Route { #[pin] future: RouteFuture<Infallible> },
        Altered { future: Pin<Box<dyn Future<Output = Response> + Send>> },
    }
}

impl Future for GuardFuture {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            GuardFutureProj::Ready { response } => Poll::Ready(Ok(response
                .take()
                .unwrap_or_else(|| ApiError::Server(Family::Backend, 500).into_response()))),
            GuardFutureProj::Route { future } => future.poll(cx),
            GuardFutureProj::Altered { future } => future.as_mut().poll(cx).map(Ok),
        }
    }
}

/// The fields a missing-field defect may remove from the 200 answer of the operation a request
/// calls, in order of preference: first the keys the contract requires present though possibly
/// null (`pouvoirAgir`, `autonomieNumerique`, `m_motif_cloture_code`: the absent-vs-null case real
/// clients crashed on, issue "fidelity" §2), then the publisher's required fields.
fn required_of(g: &Guard, method: &str, path: &str) -> Vec<String> {
    let store = g.state.checker.store();
    let Some(loaded) = store.raw(g.api, g.major) else {
        return Vec::new();
    };
    let Some(op) = loaded.manifest.operation_at(method, path) else {
        return Vec::new();
    };
    let mut out: Vec<String> = loaded
        .presence
        .as_ref()
        .and_then(|p| p.body(&op.id, 200))
        .map(|rules| {
            rules
                .fields
                .iter()
                .filter(|r| {
                    r.presence == contracts::presence::Presence::Required
                        && r.nullable
                        && !r.path.contains("/*")
                })
                .map(|r| r.path.clone())
                .collect()
        })
        .unwrap_or_default();
    out.extend(
        op.response(200)
            .and_then(|r| r.schema.as_ref())
            .and_then(|file| loaded.schemas.get(file))
            .map(crate::faults::defects::required_pointers)
            .unwrap_or_default(),
    );
    out
}

async fn damage(response: Response, kind: DefectKind, required: &[String]) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return ApiError::Server(Family::Backend, 500).into_response();
    };
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return (parts, bytes).into_response();
    };
    crate::faults::defects::apply(kind, &mut value, required);
    let body = serde_json::to_vec(&value).unwrap_or_default();
    let mut r = (parts, body).into_response();
    r.headers_mut().remove(header::CONTENT_LENGTH);
    r
}
