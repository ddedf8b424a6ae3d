//! The transactions of a partner's journey: a token per realm and scope set (cached until
//! shortly before it expires, as a real client does), the search of a person, then that
//! person's reads. Every request is named by its route template; every answer is tallied per
//! API, exactly, for the pass mark.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use contracts::catalogue::Era;
use goose::prelude::*;
use serde_json::Value;

use crate::plan::LoadPlan;
use crate::routes::Route;

/// Exact counts of one API's calls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub calls: u64,
    pub under_1s: u64,
    pub over_6s: u64,
    pub errors: u64,
}

/// What every user shares.
#[derive(Debug)]
pub struct Shared {
    pub plan: LoadPlan,
    pub search: Route,
    requests: AtomicU64,
    /// Requests that got an HTTP answer (any status), and those that got none.
    answered: AtomicU64,
    transport_failures: AtomicU64,
    /// What the last transport failure was, as a class (never the error's text).
    last_failure: Mutex<&'static str>,
    next_person: AtomicUsize,
    tallies: Mutex<BTreeMap<String, Tally>>,
}

/// One user's session: its tokens and the person it works on.
#[derive(Debug, Clone, Default)]
struct Session {
    tokens: HashMap<String, (String, Instant)>,
    /// The jeton (n) or the encrypted id (n-1) of the person found.
    person: Option<String>,
}

const TOKEN_NAME: &str = "plateforme POST /connexion/oauth2/access_token";

impl Shared {
    pub fn new(plan: LoadPlan, search: Route) -> Shared {
        Shared {
            plan,
            search,
            requests: AtomicU64::new(0),
            answered: AtomicU64::new(0),
            transport_failures: AtomicU64::new(0),
            last_failure: Mutex::new("none"),
            next_person: AtomicUsize::new(0),
            tallies: Mutex::new(BTreeMap::new()),
        }
    }

    pub fn tallies(&self) -> BTreeMap<String, Tally> {
        self.tallies.lock().map(|t| t.clone()).unwrap_or_default()
    }

    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Requests answered over HTTP, requests that got no answer, and the last failure's class.
    pub fn transport(&self) -> (u64, u64, &'static str) {
        (
            self.answered.load(Ordering::Relaxed),
            self.transport_failures.load(Ordering::Relaxed),
            self.last_failure.lock().map(|l| *l).unwrap_or("unknown"),
        )
    }

    /// Counts whether a request got an HTTP answer.
    fn observe(&self, response: &Result<reqwest::Response, reqwest::Error>) {
        match response {
            Ok(_) => {
                self.answered.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                self.transport_failures.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut l) = self.last_failure.lock() {
                    *l = failure_class(e);
                }
            }
        }
    }

    /// Takes one request from the budget; `false` once it is spent.
    fn budget(&self) -> bool {
        self.requests.fetch_add(1, Ordering::Relaxed) < self.plan.max_requests
    }

    fn tally(&self, api: &str, elapsed_ms: u64, error: bool) {
        if let Ok(mut t) = self.tallies.lock() {
            let e = t.entry(api.to_string()).or_default();
            e.calls += 1;
            if elapsed_ms < 1000 {
                e.under_1s += 1;
            }
            if elapsed_ms > 6000 {
                e.over_6s += 1;
            }
            if error {
                e.errors += 1;
            }
        }
    }
}

/// A transport failure as a class: the error's own text carries the URL (and could carry
/// whatever a hostile target sent), so it never reaches an output.
fn failure_class(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "request timed out"
    } else if e.is_connect() {
        "connection refused or host unreachable"
    } else {
        "connection failed"
    }
}

/// The largest answer body a load test reads (token and search answers are a few hundred
/// bytes); a larger one counts as a failed call and is not kept.
pub const BODY_CAP: usize = 1 << 20;

/// Reads a JSON answer of at most [`BODY_CAP`] bytes; `Null` when larger, cut or not JSON.
async fn capped_json(response: Result<reqwest::Response, reqwest::Error>) -> Value {
    let Ok(mut r) = response else {
        return Value::Null;
    };
    if r.content_length().is_some_and(|n| n > BODY_CAP as u64) {
        return Value::Null;
    }
    let mut body = Vec::new();
    loop {
        match r.chunk().await {
            Ok(Some(c)) if body.len() + c.len() <= BODY_CAP => body.extend_from_slice(&c),
            Ok(None) => break,
            _ => return Value::Null,
        }
    }
    serde_json::from_slice(&body).unwrap_or(Value::Null)
}

fn failed(what: &str) -> Box<TransactionError> {
    Box::new(TransactionError::Custom(what.to_string()))
}

/// Once the request budget is spent, a user idles until the run ends.
async fn spent() -> TransactionResult {
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(())
}

async fn bearer(
    user: &mut GooseUser,
    shared: &Shared,
    route: &Route,
) -> Result<String, Box<TransactionError>> {
    let key = format!("{} {}", route.realm, route.scopes);
    if user.get_session_data::<Session>().is_none() {
        user.set_session_data(Session::default());
    }
    if let Some((h, until)) = user
        .get_session_data::<Session>()
        .and_then(|s| s.tokens.get(&key))
        && *until > Instant::now()
    {
        return Ok(h.clone());
    }
    if !shared.budget() {
        return Err(failed("request budget spent"));
    }
    let path = format!(
        "/connexion/oauth2/access_token?realm={}",
        route.realm.replace('/', "%2F")
    );
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", shared.plan.client_id.as_str()),
        ("client_secret", shared.plan.client_secret.as_str()),
        ("scope", route.scopes.as_str()),
    ];
    let rb = user
        .get_request_builder(&GooseMethod::Post, &path)?
        .form(&form);
    let req = GooseRequest::builder()
        .method(GooseMethod::Post)
        .path(path.as_str())
        .name(TOKEN_NAME)
        .set_request_builder(rb)
        .build();
    let g = user.request(req).await?;
    shared.observe(&g.response);
    let body = capped_json(g.response).await;
    let Some(token) = body["access_token"].as_str() else {
        return Err(failed("token refused"));
    };
    let ttl = body["expires_in"]
        .as_u64()
        .unwrap_or(60)
        .saturating_sub(10)
        .max(1);
    let header = format!("Bearer {token}");
    if let Some(s) = user.get_session_data_mut::<Session>() {
        s.tokens.insert(
            key,
            (header.clone(), Instant::now() + Duration::from_secs(ttl)),
        );
    }
    Ok(header)
}

fn pa(rb: reqwest::RequestBuilder, era: Era) -> reqwest::RequestBuilder {
    match era {
        Era::Current => rb
            .header("pa-nom-agent", "Charge")
            .header("pa-prenom-agent", "Vigie")
            .header("pa-identifiant-agent", "BATCH"),
        Era::Previous => rb,
    }
}

/// Searches the next person of the data set; keeps their jeton or encrypted id.
pub async fn search(user: &mut GooseUser, shared: Arc<Shared>) -> TransactionResult {
    let route = &shared.search;
    let auth = match bearer(user, &shared, route).await {
        Ok(a) => a,
        Err(_) if shared.requests() >= shared.plan.max_requests => return spent().await,
        Err(e) => return Err(e),
    };
    if !shared.budget() {
        return spent().await;
    }
    let people = &shared.plan.people;
    let p = &people[shared.next_person.fetch_add(1, Ordering::Relaxed) % people.len()];
    let body = serde_json::json!({"nir": p.nir, "dateNaissance": p.date_naissance});
    let rb = user
        .get_request_builder(&GooseMethod::Post, &route.template)?
        .header("authorization", auth)
        .json(&body);
    let rb = pa(rb, shared.plan.era);
    let req = GooseRequest::builder()
        .method(GooseMethod::Post)
        .path(route.template.as_str())
        .name(route.name.as_str())
        .set_request_builder(rb)
        .build();
    let mut g = user.request(req).await?;
    let ms = g.request.response_time;
    shared.observe(&g.response);
    let answer = capped_json(g.response).await;
    let key = if shared.plan.era == Era::Current {
        "jetonUsager"
    } else {
        "identifiant"
    };
    let id = answer[key].as_str().map(str::to_string);
    let ok = g.request.success && id.is_some();
    shared.tally(route.api, ms, !ok);
    if g.request.success && id.is_none() {
        return user.set_failure("no person found", &mut g.request, None, None);
    }
    if let Some(s) = user.get_session_data_mut::<Session>() {
        s.person = id;
    }
    Ok(())
}

/// One read of the person found (skipped until a search found someone).
pub async fn read(
    user: &mut GooseUser,
    shared: Arc<Shared>,
    route: Arc<Route>,
) -> TransactionResult {
    let Some(person) = user
        .get_session_data::<Session>()
        .and_then(|s| s.person.clone())
    else {
        return Ok(());
    };
    let auth = match bearer(user, &shared, &route).await {
        Ok(a) => a,
        Err(_) if shared.requests() >= shared.plan.max_requests => return spent().await,
        Err(e) => return Err(e),
    };
    if !shared.budget() {
        return spent().await;
    }
    let path = match shared.plan.era {
        Era::Previous => route.path(Some(&person)),
        Era::Current => route.template.clone(),
    };
    let mut rb = user
        .get_request_builder(&GooseMethod::Get, &path)?
        .header("authorization", auth);
    if shared.plan.era == Era::Current {
        rb = rb.header("ft-jeton-usager", person);
    }
    let rb = pa(rb, shared.plan.era);
    let req = GooseRequest::builder()
        .method(GooseMethod::Get)
        .path(path.as_str())
        .name(route.name.as_str())
        .set_request_builder(rb)
        .build();
    let g = user.request(req).await?;
    shared.observe(&g.response);
    shared.tally(route.api, g.request.response_time, !g.request.success);
    Ok(())
}
