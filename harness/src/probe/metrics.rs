//! The Prometheus exposition of the probes: per API, version and operation, probes by
//! outcome and a latency histogram with buckets at the convention's 1 s and 6 s, and the
//! scheduler's lateness. Labels are templates and codes only.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

use super::record::ProbeRecord;

#[derive(Debug, Clone)]
pub struct ProbeMetrics {
    registry: Registry,
    partnered: bool,
    probes: IntCounterVec,
    duration: HistogramVec,
    lateness: HistogramVec,
    incidents: IntGaugeVec,
    pending: IntGaugeVec,
    store_failures: prometheus::IntCounter,
    store_waiting: prometheus::IntGauge,
    unstored: prometheus::IntCounter,
    heartbeat: prometheus::Gauge,
    last_probe: prometheus::Gauge,
    /// Channel → since when (clock ms) it has had messages pending; what `/readyz` reads.
    pending_since: std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<String, i64>>>,
}

/// Latency buckets (seconds): 1 and 6 are the convention's bounds.
pub const DURATION_BUCKETS: [f64; 9] = [0.1, 0.25, 0.5, 0.75, 1.0, 2.0, 4.0, 6.0, 10.0];

impl ProbeMetrics {
    /// `partnered`: a deployment of several partners (`[[partners]]`), whose series carry a
    /// `partner` label first.
    pub fn new(partnered: bool) -> Result<ProbeMetrics, prometheus::Error> {
        let registry = Registry::new();
        let with_partner = |l: &[&'static str]| -> Vec<&'static str> {
            partnered
                .then_some("partner")
                .into_iter()
                .chain(l.iter().copied())
                .collect()
        };
        let labels = with_partner(&["api", "version", "operation"]);
        let probes = IntCounterVec::new(
            Opts::new(
                "vigie_probes_total",
                "Probes made, by outcome (up, slow, exceptional, down, contract-violation, partner-side).",
            ),
            &with_partner(&["api", "version", "operation", "outcome"]),
        )?;
        let duration = HistogramVec::new(
            HistogramOpts::new(
                "vigie_probe_duration_seconds",
                "Duration of the answered probes (token excluded).",
            )
            .buckets(DURATION_BUCKETS.to_vec()),
            &labels,
        )?;
        let lateness = HistogramVec::new(
            HistogramOpts::new(
                "vigie_probe_start_lateness_seconds",
                "How late a probe started after it was due.",
            )
            .buckets(vec![0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0]),
            &[],
        )?;
        let incidents = IntGaugeVec::new(
            Opts::new(
                "vigie_incidents_open",
                "Incidents waiting for their return to service, by kind (availability, applicative, security).",
            ),
            &with_partner(&["kind", "api", "version"]),
        )?;
        let pending = IntGaugeVec::new(
            Opts::new(
                "vigie_notifications_pending",
                "Notifications in the outbox not yet accepted by their channel.",
            ),
            &["channel"],
        )?;
        let store_failures = prometheus::IntCounter::new(
            "vigie_store_write_failures_total",
            "Writes of probe records the store refused (each retried).",
        )?;
        let store_waiting = prometheus::IntGauge::new(
            "vigie_store_waiting_records",
            "Probe records waiting in memory for the store to take them.",
        )?;
        let unstored = prometheus::IntCounter::new(
            "vigie_probes_unstored_total",
            "Probe records given up because the store refused them too long.",
        )?;
        let heartbeat = prometheus::Gauge::new(
            "vigie_heartbeat_timestamp_seconds",
            "When vigie probe last answered a scrape (Unix time): absent, vigie probe is not running.",
        )?;
        let last_probe = prometheus::Gauge::new(
            "vigie_last_probe_timestamp_seconds",
            "When the last stored probe started (Unix time): stale, the scheduler or the store is stuck.",
        )?;
        registry.register(Box::new(heartbeat.clone()))?;
        registry.register(Box::new(last_probe.clone()))?;
        registry.register(Box::new(store_failures.clone()))?;
        registry.register(Box::new(store_waiting.clone()))?;
        registry.register(Box::new(unstored.clone()))?;
        registry.register(Box::new(incidents.clone()))?;
        registry.register(Box::new(pending.clone()))?;
        registry.register(Box::new(probes.clone()))?;
        registry.register(Box::new(duration.clone()))?;
        registry.register(Box::new(lateness.clone()))?;
        Ok(ProbeMetrics {
            registry,
            partnered,
            probes,
            duration,
            lateness,
            incidents,
            pending,
            store_failures,
            store_waiting,
            unstored,
            heartbeat,
            last_probe,
            pending_since: Default::default(),
        })
    }

    /// Counts a probe once it is stored.
    pub fn observe(&self, r: &ProbeRecord) {
        let partner = super::record::partner_of(&r.target);
        let l = self.labelled(
            partner,
            &[r.api.as_str(), r.version.as_str(), r.operation.as_str()],
        );
        let mut with_outcome = l.clone();
        with_outcome.push(r.outcome.as_str());
        self.probes.with_label_values(&with_outcome).inc();
        if r.status.is_some() {
            self.duration
                .with_label_values(&l)
                .observe(r.duration_ms / 1000.0);
        }
        if r.started_ms as f64 / 1000.0 > self.last_probe.get() {
            self.last_probe.set(r.started_ms as f64 / 1000.0);
        }
        let late = (r.started_ms - r.scheduled_ms).max(0) as f64 / 1000.0;
        self.lateness
            .with_label_values(&[] as &[&str])
            .observe(late);
    }

    /// A refused write, with the records now waiting.
    pub fn store_failed(&self, waiting: usize) {
        self.store_failures.inc();
        self.store_waiting.set(waiting as i64);
    }

    /// The store takes writes again: nothing waits.
    pub fn store_recovered(&self) {
        self.store_waiting.set(0);
    }

    /// Records given up.
    pub fn unstored(&self, n: u64) {
        self.unstored.inc_by(n);
    }

    /// Label values, the partner first in a deployment of several.
    fn labelled<'a>(&self, partner: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
        self.partnered
            .then_some(partner)
            .into_iter()
            .chain(rest.iter().copied())
            .collect()
    }

    /// The incidents not resolved yet: (partner, kind, api, version) → count.
    pub fn set_incidents(
        &self,
        open: &std::collections::BTreeMap<(String, String, String, String), i64>,
    ) {
        self.incidents.reset();
        for ((partner, kind, api, version), n) in open {
            self.incidents
                .with_label_values(&self.labelled(partner, &[kind, api, version]))
                .set(*n);
        }
    }

    /// Notifications waiting in the outbox, per channel, as of `now_ms`.
    pub fn set_pending(&self, channel: &str, n: i64, now_ms: i64) {
        self.pending.with_label_values(&[channel]).set(n);
        let mut since = self
            .pending_since
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if n > 0 {
            since.entry(channel.to_string()).or_insert(now_ms);
        } else {
            since.remove(channel);
        }
    }

    /// Since when each channel has had notifications pending (clock ms), oldest first.
    pub fn pending_since(&self) -> Vec<(String, i64)> {
        let since = self
            .pending_since
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut v: Vec<(String, i64)> = since.iter().map(|(c, t)| (c.clone(), *t)).collect();
        v.sort_by_key(|(_, t)| *t);
        v
    }

    /// Records waiting for the store to take them.
    pub fn store_waiting(&self) -> i64 {
        self.store_waiting.get()
    }

    /// When the last stored probe started (clock ms), if any.
    pub fn last_probe_ms(&self) -> Option<i64> {
        let s = self.last_probe.get();
        (s > 0.0).then_some((s * 1000.0) as i64)
    }

    /// The process answers: the heartbeat a dead man's switch watches.
    pub fn beat(&self, now_ms: i64) {
        self.heartbeat.set(now_ms as f64 / 1000.0);
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buf);
        String::from_utf8(buf).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::ProbeOutcome;

    fn record(target: &str) -> ProbeRecord {
        ProbeRecord {
            target: target.into(),
            api: "statut-usager".into(),
            version: "v2".into(),
            operation: "recuperer-contrat".into(),
            scheduled_ms: 0,
            started_ms: 1,
            duration_ms: 120.0,
            interval_ms: 60_000,
            status: Some(200),
            outcome: ProbeOutcome::Up,
            violations: vec![],
            evidence: None,
        }
    }

    #[test]
    fn series_carry_the_partner_only_in_a_deployment_of_several() {
        let m = ProbeMetrics::new(true).unwrap();
        m.observe(&record("d974/statut-usager/v2/recuperer-contrat"));
        m.observe(&record("d971/statut-usager/v2/recuperer-contrat"));
        let text = m.render();
        assert!(
            text.contains(r#"vigie_probes_total{api="statut-usager",operation="recuperer-contrat",outcome="up",partner="d974",version="v2"} 1"#),
            "{text}"
        );
        assert!(text.contains(r#"partner="d971""#), "{text}");
        let single = ProbeMetrics::new(false).unwrap();
        single.observe(&record("statut-usager/v2/recuperer-contrat"));
        assert!(!single.render().contains("partner="));
    }
}
