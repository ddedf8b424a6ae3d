//! The embedded simulators that `check`, `load`, `probe`, `gonogo` and `qualify` use when no
//! target is given, served in-process on a free loopback port for as long as the handle
//! lives. The only door from the commands to the `simulators` crate: built without the
//! `embedded` feature (`cargo build --no-default-features`, a production probe that only
//! ever watches the real platform), `vigie` has no mock server in it and these commands ask
//! for a target instead.

use std::path::Path;
use std::sync::Arc;

use domain::clock::Clock;
use domain::dataset::{Dataset, Input};

use crate::client::credentials::Credentials;

#[cfg(feature = "embedded")]
mod served {
    use super::*;
    use anyhow::Context;
    use simulators::config::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Secret};
    use simulators::{SimConfig, SimState};

    /// The configuration of the simulators: the TOML file if given, `people` and `seed` if
    /// given, the admin token from `VIGIE_SIM_ADMIN_TOKEN`.
    pub fn config(
        file: Option<&Path>,
        people: Option<u64>,
        seed: Option<u64>,
        now_ms: i64,
    ) -> anyhow::Result<SimConfig> {
        let env = |v: &str| std::env::var(v).ok();
        let mut c = match file {
            Some(p) => SimConfig::load(p, now_ms, &env)?,
            None => SimConfig::default(),
        };
        if let Some(p) = people {
            anyhow::ensure!(
                (1..=simulators::CAPACITY).contains(&p),
                "--people must be between 1 and {}",
                simulators::CAPACITY
            );
            c.people = p;
        }
        if let Some(s) = seed {
            c.seed = s;
        }
        if c.admin_token.is_none() {
            c.admin_token = std::env::var("VIGIE_SIM_ADMIN_TOKEN")
                .ok()
                .filter(|t| !t.is_empty())
                .map(Secret::new);
        }
        Ok(c)
    }

    /// The running simulators: dropped, they stop.
    #[derive(Debug)]
    pub struct Embedded {
        pub base_url: String,
        /// What they are, for every report made on them: `embedded simulators (seed …,
        /// … people, fault profile …)`.
        pub label: String,
        state: SimState,
        server: tokio::task::JoinHandle<std::io::Result<()>>,
    }

    impl Drop for Embedded {
        fn drop(&mut self) {
            self.server.abort();
        }
    }

    impl Embedded {
        /// Serves the simulators of `sim_config` (a TOML file; none: the defaults) on
        /// 127.0.0.1, on a port the system picks. `secret` keys the identifiers they hand out.
        pub async fn start(
            sim_config: Option<&Path>,
            clock: Arc<dyn Clock>,
            secret: &[u8],
        ) -> anyhow::Result<Embedded> {
            let config = config(sim_config, None, None, clock.now_ms())?;
            let label = format!(
                "{} (seed {}, {} people, fault profile {})",
                crate::provenance::SIMULATED,
                config.seed,
                config.people,
                sim_config.map_or_else(|| "none".to_string(), |p| p.display().to_string())
            );
            let state = SimState::new(config, clock, secret)?;
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
                .await
                .context("cannot listen on a loopback port for the embedded simulators")?;
            let base_url = format!("http://{}", listener.local_addr()?);
            let server = tokio::spawn(simulators::serve::serve(
                listener,
                simulators::app(state.clone()),
                simulators::serve::ConnectionLimits::default(),
                Default::default(),
                std::future::pending(),
            ));
            Ok(Embedded {
                base_url,
                label,
                state,
                server,
            })
        }

        /// The data set of their population.
        pub fn dataset(&self) -> Dataset {
            simulators::dataset::build(&self.state)
        }

        /// `n` people spread over the population, for load runs.
        pub fn sample(&self, n: u64) -> Vec<Input> {
            simulators::dataset::sample(&self.state, n)
        }

        /// The demo client's credentials, when the simulators' configuration keeps it.
        pub fn demo_credentials(&self) -> Option<Credentials> {
            self.state
                .config
                .clients
                .iter()
                .any(|c| c.id == DEMO_CLIENT_ID)
                .then(|| Credentials::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET))
        }
    }
}

#[cfg(not(feature = "embedded"))]
mod served {
    use super::*;

    /// Why a command cannot serve the simulators in this build.
    pub const WITHOUT: &str = "this vigie was built without the embedded simulators (--no-default-features): \
     give a target (--target URL or --preset NAME, or a [target] section in the probe config), \
     or build with the default features";

    /// Never made in this build: [`Embedded::start`] says what to do instead.
    #[derive(Debug)]
    pub struct Embedded {
        pub base_url: String,
        pub label: String,
        never: std::convert::Infallible,
    }

    impl Embedded {
        pub async fn start(
            _sim_config: Option<&Path>,
            _clock: Arc<dyn Clock>,
            _secret: &[u8],
        ) -> anyhow::Result<Embedded> {
            anyhow::bail!(WITHOUT)
        }

        pub fn dataset(&self) -> Dataset {
            match self.never {}
        }

        pub fn sample(&self, _n: u64) -> Vec<Input> {
            match self.never {}
        }

        pub fn demo_credentials(&self) -> Option<Credentials> {
            match self.never {}
        }
    }
}

pub use served::*;

/// Stops a background task when dropped (the metrics server of `vigie probe`).
#[derive(Debug)]
pub struct AbortOnDrop<T>(pub tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
