//! Every API or version of the running contracts that has no simulator of its own (imported
//! into a contracts folder with `vigie contracts import --contracts DIR`), served from its
//! contract alone: behind the same access platform (its realm and scopes, the `pa-*`
//! headers of the current style, `ft-jeton-usager` when the operation declares it), its
//! required parameters and request body checked with the real APIs' 400, answered from the
//! document's own examples where one names what the request asks for, otherwise from data
//! generated from the response schema, deterministic per seed and request.
//!
//! Stateless: a write is checked and answered, not kept (a later read does not see it).

pub(crate) mod generate;
pub(crate) mod pattern;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use contracts::ContractStore;
use contracts::manifest::{Operation, Parameter};
use jsonschema::Validator;
use serde_json::Value;

use crate::api::path::ApiPath;
use crate::http::answer;
use crate::http::error::{ApiError, Family};
use crate::platform::guard::{Caller, guarded};
use crate::population::rng::Draw;
use crate::state::SimState;

/// The longest parameter value accepted (a query or header value, a path segment).
const MAX_PARAM_CHARS: usize = 2048;

/// One operation of an imported version, read from its contract once.
struct Served {
    api: &'static str,
    major: &'static str,
    op: &'static Operation,
    /// Path parameter names, in the template's order (the route names them `p0`, `p1` …).
    path_params: Vec<String>,
    /// Query and header parameters the platform checks, with their compiled schemas.
    checked: Vec<(&'static Parameter, Option<Validator>)>,
    /// The operation takes the person's `ft-jeton-usager`.
    jeton: bool,
    status: StatusCode,
    /// The contract of the answer (the publisher's schema with the presence rules).
    schema: Option<Value>,
    /// The document's examples of the answer that its contract accepts.
    examples: Vec<Value>,
}

/// The routes of every imported version without a simulator of its own, each behind its
/// guard. A route that would collide with a hand-made simulator's is left out.
pub(crate) fn router(s: &SimState) -> Router<SimState> {
    let mut router = Router::new();
    let (Ok(active), Ok(embedded)) = (ContractStore::active(), ContractStore::embedded()) else {
        return router;
    };
    let reserved: Vec<String> = embedded
        .catalogue()
        .apis
        .iter()
        .flat_map(|a| a.versions.iter().map(|v| format!("{}/", v.base_path)))
        .chain(["/connexion/".to_string(), "/openapi".to_string()])
        .collect();
    // A path belongs to one version: another version's route there is left out (merging
    // routers that share a path would not serve both).
    let mut owner: HashMap<String, (&str, &str)> = HashMap::new();
    let mut seen = HashSet::new();
    for api in active.catalogue().business_apis() {
        for v in &api.versions {
            if embedded.raw(&api.id, &v.major).is_some() {
                continue;
            }
            let Some(loaded) = active.raw(&api.id, &v.major) else {
                continue;
            };
            let mut routes = Router::new();
            for op in &loaded.manifest.operations {
                let Some((path, params)) = route_of(&v.base_path, &op.path) else {
                    continue;
                };
                let Some(filter) = method_filter(&op.method) else {
                    continue;
                };
                let mine = (api.id.as_str(), v.major.as_str());
                if reserved.iter().any(|r| path.starts_with(r.as_str()))
                    || *owner.entry(path.clone()).or_insert(mine) != mine
                    || !seen.insert((op.method.clone(), path.clone()))
                {
                    continue;
                }
                let served = Arc::new(Served::new(&api.id, &v.major, loaded, op, params));
                routes = routes.route(
                    &path,
                    on(filter, move |state: State<SimState>, req: Request| {
                        handle(served.clone(), state, req)
                    }),
                );
            }
            router = router.merge(guarded(s, &api.id, &v.major, routes));
        }
    }
    router
}

/// The route of a template under a base path, its parameters renamed `p0`, `p1` … (the
/// document's names may be anything); `None` for a template the router cannot take.
fn route_of(base: &str, template: &str) -> Option<(String, Vec<String>)> {
    let full = format!("{base}{template}");
    if !full.starts_with('/') || full.len() > 1024 {
        return None;
    }
    let mut names = Vec::new();
    let mut out = String::new();
    for (i, seg) in full.split('/').enumerate() {
        if i == 0 {
            continue;
        }
        out.push('/');
        if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if name.is_empty() || name.contains(['{', '}', '*']) {
                return None;
            }
            out.push_str(&format!("{{p{}}}", names.len()));
            names.push(name.to_string());
        } else if seg.contains(['{', '}', '*', ':'])
            || (seg.is_empty() && i + 1 < full.split('/').count())
        {
            return None;
        } else {
            out.push_str(seg);
        }
    }
    Some((out, names))
}

fn method_filter(method: &str) -> Option<MethodFilter> {
    Some(match method {
        "GET" => MethodFilter::GET,
        "POST" => MethodFilter::POST,
        "PUT" => MethodFilter::PUT,
        "PATCH" => MethodFilter::PATCH,
        "DELETE" => MethodFilter::DELETE,
        _ => return None,
    })
}

impl Served {
    fn new(
        api: &'static str,
        major: &'static str,
        loaded: &'static contracts::store::LoadedVersion,
        op: &'static Operation,
        path_params: Vec<String>,
    ) -> Served {
        let checked = op
            .parameters
            .iter()
            .filter(|p| matches!(p.location.as_str(), "query" | "header" | "path"))
            .filter(|p| !is_platform_header(&p.name))
            .map(|p| (p, contracts::checker::compile(&p.schema, &p.name).ok()))
            .collect();
        let response = op
            .responses
            .iter()
            .filter(|r| (200..300).contains(&r.status))
            .min_by_key(|r| (r.status != 200, r.status));
        let status = response
            .and_then(|r| StatusCode::from_u16(r.status).ok())
            .unwrap_or(StatusCode::OK);
        let schema = response.and_then(|r| {
            let file = r.schema.as_ref()?;
            let rules = loaded
                .presence
                .as_ref()
                .and_then(|p| p.body(&op.id, r.status));
            Some(contracts::presence::apply(
                loaded.schemas.get(file)?,
                rules,
                contracts::Profile::Convention,
            ))
        });
        let examples = schema
            .as_ref()
            .and_then(|s| {
                let v = contracts::checker::compile(s, &op.id).ok()?;
                let all = s.get("examples")?.as_array()?;
                Some(all.iter().filter(|e| v.is_valid(e)).cloned().collect())
            })
            .unwrap_or_default();
        Served {
            api,
            major,
            op,
            path_params,
            checked,
            jeton: op
                .parameters
                .iter()
                .any(|p| p.location == "header" && p.name.eq_ignore_ascii_case("ft-jeton-usager")),
            status,
            schema,
            examples,
        }
    }

    fn family(&self) -> Family {
        Family::of(self.api, self.major)
    }
}

/// Headers the guard checks itself.
fn is_platform_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization" || n == "ft-jeton-usager" || n.starts_with("pa-")
}

async fn handle(served: Arc<Served>, State(s): State<SimState>, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    let Some(caller) = parts.extensions.get::<Caller>().cloned() else {
        return ApiError::Server(served.family(), 500).into_response();
    };
    let path: Vec<(String, String)> =
        match <ApiPath<Vec<(String, String)>> as axum::extract::FromRequestParts<SimState>>::from_request_parts(&mut parts, &s).await {
            Ok(ApiPath(p)) => p,
            Err(r) => return r,
        };
    let query: Vec<(String, String)> = match Query::try_from_uri(&parts.uri) {
        Ok(Query(q)) => q,
        Err(_) => {
            return ApiError::bad_request(served.family(), "paramètres de requête illisibles")
                .into_response();
        }
    };
    let mut inputs: Vec<String> = Vec::new();
    for (name, value) in &path {
        let i: usize = name.trim_start_matches('p').parse().unwrap_or(usize::MAX);
        if let Some(real) = served.path_params.get(i) {
            inputs.push(format!("{real}={value}"));
        }
    }
    if let Err(r) = check_parameters(&served, &parts.headers, &path, &query) {
        return r;
    }
    let mut sorted = query.clone();
    sorted.sort();
    inputs.extend(sorted.iter().map(|(k, v)| format!("{k}={v}")));
    let person = if served.jeton {
        match crate::api::person_from_jeton(&s, &caller, &parts.headers) {
            Ok(i) => i,
            Err(r) => return r,
        }
    } else {
        0
    };
    let sent = match &served.op.request {
        Some(_) => {
            match crate::http::body::read(
                &s,
                &parts.headers,
                body,
                served.api,
                served.major,
                &served.op.id,
            )
            .await
            {
                Ok(v) => Some(v),
                Err(r) => return r,
            }
        }
        None => None,
    };
    if let Some(v) = &sent {
        inputs.push(v.to_string());
    }
    let named: Vec<(String, String)> = path
        .iter()
        .filter_map(|(k, v)| {
            let i: usize = k.trim_start_matches('p').parse().ok()?;
            Some((served.path_params.get(i)?.clone(), v.clone()))
        })
        .chain(query.iter().cloned())
        .collect();
    answer(&served, s.config.seed, person, &inputs, &named)
}

/// Required parameters present, every value within its schema; else the API's 400.
fn check_parameters(
    served: &Served,
    headers: &HeaderMap,
    path: &[(String, String)],
    query: &[(String, String)],
) -> Result<(), Response> {
    let refuse = |m: String| Err(ApiError::bad_request(served.family(), &m).into_response());
    for (p, validator) in &served.checked {
        let value: Option<String> = match p.location.as_str() {
            "query" => query
                .iter()
                .find(|(k, _)| *k == p.name)
                .map(|(_, v)| v.clone()),
            "header" => headers
                .get(p.name.as_str())
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            _ => served
                .path_params
                .iter()
                .position(|n| *n == p.name)
                .and_then(|i| path.iter().find(|(k, _)| *k == format!("p{i}")))
                .map(|(_, v)| v.clone()),
        };
        let Some(value) = value else {
            if p.required {
                return refuse(format!("paramètre obligatoire absent : {}", p.name));
            }
            continue;
        };
        if value.chars().count() > MAX_PARAM_CHARS {
            return refuse(format!("paramètre {} trop long", p.name));
        }
        if let Some(v) = validator
            && !v.is_valid(&typed(&p.schema, &value))
        {
            return refuse(format!("paramètre {} invalide", p.name));
        }
    }
    Ok(())
}

/// A parameter's text as the JSON value its schema describes (`3` for an integer).
fn typed(schema: &Value, text: &str) -> Value {
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or(""),
        _ => "",
    };
    match ty {
        "integer" | "number" => serde_json::from_str::<serde_json::Number>(text)
            .map(Value::Number)
            .unwrap_or_else(|_| Value::String(text.to_string())),
        "boolean" => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_string()),
        },
        _ => Value::String(text.to_string()),
    }
}

/// The documented success: an example that names a value of the request, else one drawn
/// from the schema for this request.
fn answer(
    served: &Served,
    seed: u64,
    person: u64,
    inputs: &[String],
    named: &[(String, String)],
) -> Response {
    let Some(schema) = &served.schema else {
        return served.status.into_response();
    };
    if served.status == StatusCode::NO_CONTENT {
        return answer::no_content();
    }
    let asked: Vec<&str> = named
        .iter()
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
        .collect();
    let example = if asked.is_empty() {
        served.examples.first()
    } else {
        served.examples.iter().find(|e| names_any(e, &asked))
    };
    let body = match example {
        Some(e) => e.clone(),
        None => {
            let topic = format!(
                "{} {} {} {}",
                served.api,
                served.major,
                served.op.id,
                inputs.join("&")
            );
            generate::value(schema, schema, &mut Draw::new(seed, person, &topic), named)
        }
    };
    answer::json(served.status, body)
}

/// Whether a string or number of `v` equals one of `asked`.
fn names_any(v: &Value, asked: &[&str]) -> bool {
    match v {
        Value::String(s) => asked.contains(&s.as_str()),
        Value::Number(n) => asked.contains(&n.to_string().as_str()),
        Value::Array(a) => a.iter().any(|x| names_any(x, asked)),
        Value::Object(m) => m.values().any(|x| names_any(x, asked)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_become_routes_with_positional_parameters() {
        let (path, _) =
            route_of("/partenaire/rdv/v1", "/usagers/{idUsager}/rendez-vous/{id}").unwrap();
        assert_eq!(path, "/partenaire/rdv/v1/usagers/{p0}/rendez-vous/{p1}");
        assert!(route_of("/x", "/a/file.{ext}").is_none());
        assert!(route_of("/x", "/a/{*rest}").is_none());
        assert!(route_of("/x", "/a//b").is_none());
        assert!(route_of("x", "/a").is_none());
    }

    #[test]
    fn parameters_are_read_as_their_schema_types() {
        assert_eq!(
            typed(&serde_json::json!({"type": "integer"}), "3"),
            serde_json::json!(3)
        );
        assert_eq!(
            typed(&serde_json::json!({"type": "integer"}), "x"),
            serde_json::json!("x")
        );
        assert_eq!(
            typed(&serde_json::json!({"type": ["boolean", "null"]}), "true"),
            serde_json::json!(true)
        );
    }
}
