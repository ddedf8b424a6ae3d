//! What `[metrics] listen` serves: `/` (the live status page), `/metrics` (Prometheus),
//! `/healthz` (alive) and `/readyz` (ready: 200, or 503 with the failing checks), JSON.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use domain::clock::Clock;

use super::health;
use super::metrics::ProbeMetrics;

/// What the status page reads: the probe store and what is probed.
#[derive(Debug, Clone)]
pub struct StatusSource {
    pub store: database::Location,
    /// The target, as every report names it.
    pub label: String,
}

/// The status page, read from the stores now.
async fn status_page(source: StatusSource, clock: Arc<dyn Clock>) -> axum::response::Response {
    let page = tokio::task::spawn_blocking(move || -> anyhow::Result<String> {
        let store = crate::store::Store::open_at(&source.store)?;
        let alerts = alerts::AlertStore::open_at(&source.store)?;
        let status = super::status::read(&store, &alerts, clock.now_ms(), &source.label)?;
        Ok(crate::render::status::html(&status))
    })
    .await;
    match page {
        Ok(Ok(html)) => {
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
        }
        Ok(Err(e)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the status cannot be read now: {e}\n"),
        )
            .into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// The routes, for a run started at `started_ms`; `patience_ms` follows reloads.
pub fn router(
    metrics: Arc<ProbeMetrics>,
    clock: Arc<dyn Clock>,
    started_ms: i64,
    patience_ms: Arc<AtomicI64>,
    source: StatusSource,
) -> axum::Router {
    let (m, c) = (metrics.clone(), clock.clone());
    let page_clock = clock.clone();
    axum::Router::new()
        .route(
            "/",
            get(move || status_page(source.clone(), page_clock.clone())),
        )
        .route(
            "/metrics",
            get(move || {
                let (m, c) = (m.clone(), c.clone());
                async move {
                    m.beat(c.now_ms());
                    (
                        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
                        m.render(),
                    )
                }
            }),
        )
        .route("/healthz", get(|| async { "ok\n" }))
        .route(
            "/readyz",
            get(move || {
                let r = health::readiness(
                    &metrics,
                    clock.now_ms(),
                    started_ms,
                    patience_ms.load(Ordering::Relaxed),
                );
                let status = if r.ready {
                    StatusCode::OK
                } else {
                    StatusCode::SERVICE_UNAVAILABLE
                };
                async move { (status, axum::Json(r)).into_response() }
            }),
        )
}
