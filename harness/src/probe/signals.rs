//! What the service manager tells a running `vigie probe`: SIGTERM (systemd, Docker,
//! Kubernetes) and SIGINT stop it cleanly; SIGHUP asks it to read its configuration again.

/// A request from outside the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Stop cleanly (named for the summary: `SIGTERM`, `SIGINT`).
    Stop(&'static str),
    /// Read the configuration again.
    Reload,
}

/// The signals a probe run listens to, installed once at its start.
#[derive(Debug)]
pub struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
}

impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt())?,
                term: signal(SignalKind::terminate())?,
                hangup: signal(SignalKind::hangup())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    /// The next signal received (one that came while nobody waited is not lost).
    pub async fn next(&mut self) -> Signal {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => Signal::Stop("SIGINT"),
                _ = self.term.recv() => Signal::Stop("SIGTERM"),
                _ = self.hangup.recv() => Signal::Reload,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Signal::Stop("Ctrl-C")
        }
    }
}
