//! Whether a running `vigie probe` does its job, for a service manager or a load balancer:
//! alive (`/healthz`: it answers) and ready (`/readyz`: the store takes writes, the scheduler
//! keeps its schedule, the outbox is not stuck). Read from the probe's own metrics.

use serde::Serialize;

use super::metrics::ProbeMetrics;

/// Notifications pending longer than this make the outbox stuck (the rule
/// `VigieNotificationsStuck` says the same).
pub const OUTBOX_STUCK_MS: i64 = 15 * 60_000;

/// One check of `/readyz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub ok: bool,
    pub detail: String,
}

/// What `/readyz` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    pub ready: bool,
    pub checks: Vec<Check>,
}

/// Readiness as of `now_ms`, for a run started at `started_ms` that must store a probe at
/// least every `patience_ms` (twice its longest interval plus its timeout, and some slack).
pub fn readiness(
    metrics: &ProbeMetrics,
    now_ms: i64,
    started_ms: i64,
    patience_ms: i64,
) -> Readiness {
    let waiting = metrics.store_waiting();
    let store = Check {
        check: "store",
        ok: waiting == 0,
        detail: if waiting == 0 {
            "takes writes".into()
        } else {
            format!("refuses writes: {waiting} record(s) wait in memory")
        },
    };
    let since = metrics.last_probe_ms().unwrap_or(started_ms);
    let quiet = (now_ms - since).max(0);
    let scheduler = Check {
        check: "scheduler",
        ok: quiet <= patience_ms,
        detail: match metrics.last_probe_ms() {
            Some(_) => format!(
                "last probe stored {} s ago (at most {} s)",
                quiet / 1000,
                patience_ms / 1000
            ),
            None => format!(
                "no probe stored yet, started {} s ago (at most {} s)",
                quiet / 1000,
                patience_ms / 1000
            ),
        },
    };
    let stuck: Vec<String> = metrics
        .pending_since()
        .into_iter()
        .filter(|(_, t)| now_ms - t > OUTBOX_STUCK_MS)
        .map(|(channel, t)| format!("{channel} pending for {} min", (now_ms - t) / 60_000))
        .collect();
    let outbox = Check {
        check: "outbox",
        ok: stuck.is_empty(),
        detail: if stuck.is_empty() {
            "no notification pending for more than 15 min".into()
        } else {
            stuck.join(", ")
        },
    };
    let checks = vec![store, scheduler, outbox];
    Readiness {
        ready: checks.iter().all(|c| c.ok),
        checks,
    }
}

/// How long the scheduler may go without storing a probe: twice the longest interval, plus
/// the timeout, plus 10 s.
pub fn patience_ms(longest_interval: std::time::Duration, timeout: std::time::Duration) -> i64 {
    (2 * longest_interval.as_millis() + timeout.as_millis()) as i64 + 10_000
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::{ProbeOutcome, ProbeRecord};

    fn record(at: i64) -> ProbeRecord {
        ProbeRecord {
            target: "statut-usager/v2/recuperer-contrat".into(),
            api: "statut-usager".into(),
            version: "v2".into(),
            operation: "recuperer-contrat".into(),
            scheduled_ms: at,
            started_ms: at,
            duration_ms: 10.0,
            interval_ms: 60_000,
            status: Some(200),
            outcome: ProbeOutcome::Up,
            violations: Vec::new(),
            evidence: None,
        }
    }

    #[test]
    fn each_check_fails_on_its_own_cause() {
        let m = ProbeMetrics::new(false).unwrap();
        let t0 = 1_800_000_000_000;
        let patience = patience_ms(
            std::time::Duration::from_secs(60),
            std::time::Duration::from_secs(6),
        );
        assert_eq!(patience, 136_000);
        assert!(
            readiness(&m, t0 + 1_000, t0, patience).ready,
            "just started"
        );
        assert!(
            !readiness(&m, t0 + 200_000, t0, patience).ready,
            "nothing stored"
        );
        m.observe(&record(t0 + 150_000));
        let r = readiness(&m, t0 + 200_000, t0, patience);
        assert!(r.ready, "{r:?}");
        m.store_failed(12);
        let r = readiness(&m, t0 + 200_000, t0, patience);
        assert_eq!(
            r.checks
                .iter()
                .filter(|c| !c.ok)
                .map(|c| c.check)
                .collect::<Vec<_>>(),
            ["store"]
        );
        m.store_recovered();
        m.set_pending("email", 1, t0 + 200_000);
        assert!(readiness(&m, t0 + 200_000 + OUTBOX_STUCK_MS, t0, 10 * patience).ready);
        let r = readiness(&m, t0 + 200_001 + OUTBOX_STUCK_MS, t0, 10 * patience);
        assert!(
            !r.ready && r.checks[2].detail.contains("email pending"),
            "{r:?}"
        );
        m.set_pending("email", 0, t0 + 200_001 + OUTBOX_STUCK_MS);
        assert!(readiness(&m, t0 + 200_001 + OUTBOX_STUCK_MS, t0, 10 * patience).ready);
    }
}
