//! The embedded simulators that `check`, `load` and `probe` use when no target is given:
//! served in-process on a free loopback port for as long as the returned handle lives.

use anyhow::Context;
use simulators::SimState;

/// The running simulators: dropped, they stop.
#[derive(Debug)]
pub struct Embedded {
    pub base_url: String,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for Embedded {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Serves `state` on 127.0.0.1, on a port the system picks.
pub async fn start(state: SimState) -> anyhow::Result<Embedded> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .context("cannot listen on a loopback port for the embedded simulators")?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let app = simulators::app(state);
    let server = tokio::spawn(simulators::serve::serve(
        listener,
        app,
        simulators::serve::ConnectionLimits::default(),
        Default::default(),
        std::future::pending(),
    ));
    Ok(Embedded { base_url, server })
}

/// Stops a background task when dropped (the metrics server of `vigie probe`).
#[derive(Debug)]
pub struct AbortOnDrop<T>(pub tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
