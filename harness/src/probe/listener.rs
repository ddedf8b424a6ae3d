//! What `[metrics] listen` serves: `/metrics` (Prometheus), `/healthz` (alive) and `/readyz`
//! (ready: 200, or 503 with the failing checks), JSON.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use domain::clock::Clock;

use super::health;
use super::metrics::ProbeMetrics;

/// The routes, for a run started at `started_ms`; `patience_ms` follows reloads.
pub fn router(
    metrics: Arc<ProbeMetrics>,
    clock: Arc<dyn Clock>,
    started_ms: i64,
    patience_ms: Arc<AtomicI64>,
) -> axum::Router {
    let (m, c) = (metrics.clone(), clock.clone());
    axum::Router::new()
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
