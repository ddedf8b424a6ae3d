//! Test helpers: a simulator on a fixed clock, driven with `oneshot`.

#![allow(dead_code, clippy::unwrap_used)]

pub mod harvest;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use simulators::clock::ManualClock;
use simulators::{SimConfig, SimState};
use tower::ServiceExt;

/// 2026-11-29T10:00:00Z
pub const NOW: i64 = 1_796_896_800_000;

pub struct Sim {
    pub state: SimState,
    pub clock: Arc<ManualClock>,
    pub app: axum::Router,
}

pub fn sim_with(config: SimConfig) -> Sim {
    let clock = Arc::new(ManualClock::at(NOW));
    let state = SimState::new(config, clock.clone(), b"test-instance").unwrap();
    let app = simulators::app(state.clone());
    Sim { state, clock, app }
}

pub fn sim() -> Sim {
    sim_with(SimConfig {
        people: 5_000,
        ..SimConfig::default()
    })
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    pub fn body(&self) -> Option<Value> {
        if self.text.is_empty() {
            None
        } else {
            Some(self.json())
        }
    }
}

impl Sim {
    pub async fn send(&self, req: Request<Body>) -> Answer {
        let r = self.app.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn token(&self, realm: &str, scopes: &str) -> String {
        self.token_as("vigie-demo", realm, scopes).await
    }

    /// A token of another configured client (the demo secret).
    pub async fn token_as(&self, client: &str, realm: &str, scopes: &str) -> String {
        let body = format!(
            "grant_type=client_credentials&client_id={client}&client_secret=vigie-demo-secret&scope={}",
            scopes.replace(' ', "%20")
        );
        let a = self
            .send(
                Request::post(format!("/connexion/oauth2/access_token?realm={realm}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        a.json()["access_token"].as_str().unwrap().to_string()
    }

    /// A token for one API version with its scopes.
    pub async fn token_for(&self, api: &str, version: &str) -> String {
        let info = contracts::catalogue::api(api).unwrap();
        let v = info.version(version).unwrap();
        self.token(&v.realm, &v.scopes.join(" ")).await
    }

    pub fn request(
        &self,
        method: &str,
        uri: &str,
        token: &str,
        n: bool,
    ) -> axum::http::request::Builder {
        let mut b = Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", format!("Bearer {token}"));
        if n {
            b = b
                .header("pa-nom-agent", "Martin")
                .header("pa-prenom-agent", "Henri")
                .header("pa-identifiant-agent", "BATCH");
        }
        b
    }

    pub async fn post_json(&self, uri: &str, token: &str, n: bool, body: &Value) -> Answer {
        let req = self
            .request("POST", uri, token, n)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// A jeton usager for a person, from Recherche usager v2.
    pub async fn jeton_of(&self, index: u64) -> String {
        let p = self.state.person(index);
        let t = self.token_for("recherche-usager", "n").await;
        let body = serde_json::json!({"nir": p.identity.nir15, "dateNaissance": simulators::civil::format_date(p.identity.birth)});
        let a = self
            .post_json(
                "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
                &t,
                true,
                &body,
            )
            .await;
        a.json()["jetonUsager"].as_str().unwrap().to_string()
    }

    /// Index of the first person matching a predicate.
    pub fn find(&self, pred: impl Fn(&simulators::Person) -> bool) -> u64 {
        (0..self.state.config.people)
            .find(|&i| pred(&self.state.person(i)))
            .expect("a person of that kind")
    }
}
