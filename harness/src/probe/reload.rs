//! What a SIGHUP changes in a running `vigie probe`: the configuration is read and validated
//! again; the probes (which, at which interval), the timeout, the quick re-probes and the
//! network check take effect
//! at once; what a running probe cannot swap (target, store, contract profile, metrics
//! listener, alerts, partners) is named, and needs a restart.

use super::config::ProbeConfig;

/// The configuration to run with after a reload, and the sections it could not apply.
#[derive(Debug)]
pub struct Reloaded {
    pub config: ProbeConfig,
    pub needs_restart: Vec<&'static str>,
}

/// Applies what can change while running from `new` onto `running`.
pub fn apply(running: &ProbeConfig, new: ProbeConfig) -> Reloaded {
    let mut needs_restart = Vec::new();
    if new.target != running.target {
        needs_restart.push("[target]");
    }
    if new.partners != running.partners {
        // A partner's platform and credentials are set up at start.
        needs_restart.push("[[partners]]");
    }
    if new.store != running.store
        || new.retention != running.retention
        || new.lease != running.lease
    {
        needs_restart.push("[store]");
    }
    if new.contract_profile != running.contract_profile {
        needs_restart.push("[probe] contract_profile");
    }
    if new.metrics != running.metrics {
        needs_restart.push("[metrics]");
    }
    if new.alerts != running.alerts {
        needs_restart.push("[alerts]");
    }
    let config = ProbeConfig {
        probes: new.probes,
        timeout: new.timeout,
        confirm_interval: new.confirm_interval,
        network_check: new.network_check,
        ..running.clone()
    };
    Reloaded {
        config,
        needs_restart,
    }
}
