//! Serving the simulators on a TCP listener, bounded: a connection that does not send a
//! complete request head within the header timeout is closed (slow clients, and idle
//! keep-alive connections between requests alike), and beyond a connection limit new
//! connections are closed at once instead of piling up until the process runs out of file
//! descriptors and stops answering everyone. `axum::serve` offers neither.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// The bounds of a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Time to receive a whole request head, from the connection's start or from the end of
    /// the previous answer (an idle keep-alive connection is closed after it).
    pub header_timeout: Duration,
    /// Connections served at once; more are closed on arrival.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    /// 10 s for a request head; connections up to the process's descriptor limit less 64
    /// (for the store, the logs and the admin port), between 64 and 10 000.
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            header_timeout: Duration::from_secs(10),
            max_connections: descriptor_limit()
                .map_or(960, |n| n.saturating_sub(64) as usize)
                .clamp(64, 10_000),
        }
    }
}

/// The soft limit of open files of this process (`/proc/self/limits`), if it says.
fn descriptor_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// What a server did with the connections it was offered.
#[derive(Debug, Default)]
pub struct ConnectionCounts {
    pub accepted: AtomicU64,
    /// Closed on arrival: the limit was reached.
    pub refused: AtomicU64,
}

/// Serves `app` on `listener` until `shutdown` resolves; connections still open then are
/// dropped.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    counts: Arc<ConnectionCounts>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of descriptors, or a connection reset before it was accepted: the
                // listener itself is fine; breathe and go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        while connections.try_join_next().is_some() {}
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            counts.refused.fetch_add(1, Ordering::Relaxed);
            drop(stream);
            continue;
        };
        counts.accepted.fetch_add(1, Ordering::Relaxed);
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        connections.spawn(async move {
            let _permit = permit;
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .keep_alive(true);
            // An error here is the client's (reset, timeout, garbage): nothing to report.
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}
