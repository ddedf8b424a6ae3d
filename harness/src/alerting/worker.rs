//! The alert side of `vigie probe`: a thread that feeds the engine with stored records (one
//! transaction per batch, reminders and escalations checked every second), and a task that
//! delivers the outbox. At start, records stored while no engine saw them (a crash between
//! the two) are replayed, so no incident is missed.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alerts::dispatch::{self, Pass};
use alerts::notifier::Notifier;
use alerts::{AlertStore, EngineSetup, Event, Observation};
use anyhow::Context;
use domain::clock::Clock;

use super::config::AlertsPlan;
use crate::probe::metrics::ProbeMetrics;
use crate::store::Store;

/// The unresolved incidents into the metrics.
fn gauge(store: &AlertStore, metrics: &ProbeMetrics) {
    if let Ok(list) = store.incidents(false) {
        let mut open = std::collections::BTreeMap::new();
        for i in list.iter().filter(|i| i.unresolved()) {
            *open
                .entry((
                    i.partner.clone(),
                    i.kind.as_str().to_string(),
                    i.api.clone(),
                    i.major.clone(),
                ))
                .or_insert(0) += 1;
        }
        metrics.set_incidents(&open);
    }
}

/// What the engine thread says happened, for the terminal.
/// Logs an incident's event: one line, its title (API, version, cause; no personal data).
fn log_event(e: &Event, store: &AlertStore) {
    let incident = store.incident(e.incident).ok().flatten();
    let title = incident.as_ref().map(|i| i.title()).unwrap_or_default();
    let change = e.kind.name();
    tracing::warn!(
        event = "incident",
        incident = e.incident,
        change = %change,
        api = incident.as_ref().map(|i| i.api.clone()).unwrap_or_default(),
        version = incident.as_ref().map(|i| i.major.clone()).unwrap_or_default(),
        "incident #{} {change}: {title}",
        e.incident
    );
}

/// The engine thread.
#[derive(Debug)]
pub struct EngineThread {
    tx: Sender<Observation>,
    handle: std::thread::JoinHandle<Vec<String>>,
}

impl EngineThread {
    /// Opens the alert store next to the probe records, replays what the engine has not
    /// seen, and starts.
    pub fn start(
        location: &database::Location,
        setup: EngineSetup,
        clock: Arc<dyn Clock>,
        metrics: Arc<ProbeMetrics>,
    ) -> anyhow::Result<EngineThread> {
        let mut store = AlertStore::open_at(location)?;
        let probes = Store::open_at(location)?;
        let now = clock.now_ms();
        let mut replay_error = None;
        let events = store.transact(&setup, now, |engine| {
            let known: Vec<(String, i64)> = engine
                .state
                .targets
                .iter()
                .filter_map(|(k, s)| s.last_ms.map(|l| (k.clone(), l)))
                .collect();
            let mut events = Vec::new();
            if let Some(from) = known.iter().map(|(_, l)| *l).min() {
                let mut missed = Vec::new();
                // Targets the engine never saw start fresh: no alert for old history.
                let scanned = probes.scan(from + 1, now + 1, |r| {
                    if known.iter().any(|(k, _)| *k == r.target) {
                        missed.push(super::observe::observation(&r));
                    }
                });
                // A store that cannot be read: nothing replayed, and `vigie probe` stops
                // with the reason below rather than miss incidents silently.
                match scanned {
                    Ok(_) => {
                        for o in &missed {
                            events.extend(engine.observe(o));
                        }
                    }
                    Err(e) => replay_error = Some(e),
                }
            }
            events.extend(engine.tick(now));
            Ok(events)
        })?;
        if let Some(e) = replay_error {
            return Err(
                anyhow::Error::new(e).context("replaying the records no alert engine has seen yet")
            );
        }
        for e in &events {
            log_event(e, &store);
        }
        gauge(&store, &metrics);
        let (tx, rx) = channel();
        let handle = std::thread::spawn(move || run(store, setup, clock, metrics, rx));
        Ok(EngineThread { tx, handle })
    }

    /// A sender of observations (stored records only).
    pub fn sender(&self) -> Sender<Observation> {
        self.tx.clone()
    }

    /// Stops once every observation sent is in the store; returns the errors met.
    pub fn finish(self) -> Vec<String> {
        drop(self.tx);
        self.handle
            .join()
            .unwrap_or_else(|_| vec!["the alert engine stopped unexpectedly".into()])
    }
}

fn run(
    mut store: AlertStore,
    setup: EngineSetup,
    clock: Arc<dyn Clock>,
    metrics: Arc<ProbeMetrics>,
    rx: Receiver<Observation>,
) -> Vec<String> {
    let mut pending: Vec<Observation> = Vec::new();
    let mut errors = Vec::new();
    let mut open = true;
    while open || !pending.is_empty() {
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(o) => {
                pending.push(o);
                while let Ok(more) = rx.try_recv() {
                    pending.push(more);
                    if pending.len() >= 1000 {
                        break;
                    }
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => open = false,
        }
        let now = clock.now_ms();
        let batch = pending.clone();
        match store.transact(&setup, now, |engine| {
            let mut events = Vec::new();
            for o in &batch {
                events.extend(engine.observe(o));
            }
            events.extend(engine.tick(now));
            Ok(events)
        }) {
            Ok(events) => {
                pending.clear();
                for e in &events {
                    log_event(e, &store);
                }
                if !events.is_empty() || !batch.is_empty() {
                    gauge(&store, &metrics);
                }
            }
            // Kept for the next pass: nothing observed is dropped.
            Err(e) => {
                let text = e.to_string();
                if errors.last() != Some(&text) {
                    tracing::error!(event = "alerts_error", error = %text, "alerts: {text} (will retry)");
                    errors.push(text);
                }
                if !open {
                    break;
                }
            }
        }
    }
    errors
}

/// The notifiers of the configuration, secrets read now.
pub fn notifiers(plan: &AlertsPlan) -> anyhow::Result<Vec<Arc<dyn Notifier>>> {
    let mut out: Vec<Arc<dyn Notifier>> = Vec::new();
    if let Some(e) = &plan.email {
        let settings = e.settings()?;
        out.push(Arc::new(alerts::email::EmailNotifier::new(&settings)?));
    }
    if let Some(w) = &plan.webhook {
        let url = w.url()?;
        out.push(Arc::new(
            alerts::webhook::WebhookNotifier::new(&url, w.template, Duration::from_secs(10))
                .context("building the webhook client")?,
        ));
    }
    Ok(out)
}

/// Delivers the outbox until `stop`, then tries every pending message once more.
pub async fn deliver(
    location: database::Location,
    notifiers: Vec<Arc<dyn Notifier>>,
    clock: Arc<dyn Clock>,
    metrics: Arc<ProbeMetrics>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<Pass> {
    let store = Arc::new(Mutex::new(AlertStore::open_at(&location)?));
    let mut total = Pass::default();
    let mut last_error = String::new();
    loop {
        let stopping = *stop.borrow();
        match dispatch::deliver_due(&store, &notifiers, || clock.now_ms(), stopping).await {
            Ok(p) => {
                total.delivered += p.delivered;
                total.failed += p.failed;
                for a in &p.attempts {
                    match (&a.error, a.retry_at_ms) {
                        (None, _) => tracing::info!(
                            event = "notification_delivered",
                            channel = %a.channel,
                            key = %a.key,
                            incident = a.incident,
                            "notification {} delivered by {}",
                            a.key,
                            a.channel
                        ),
                        (Some(error), retry) => tracing::warn!(
                            event = "notification_failed",
                            channel = %a.channel,
                            key = %a.key,
                            incident = a.incident,
                            error = %error,
                            retry_at = %retry.map(crate::logging::stamp).unwrap_or_default(),
                            "notification {} refused by {}: {error}; tried again at {}",
                            a.key,
                            a.channel,
                            retry.map(crate::logging::stamp).unwrap_or_default()
                        ),
                    }
                }
                let s = dispatch::lock(&store);
                for n in &notifiers {
                    if let Ok(k) = s.pending(n.channel()) {
                        metrics.set_pending(n.channel(), k, clock.now_ms());
                    }
                }
            }
            Err(e) => {
                let text = e.to_string();
                if text != last_error {
                    tracing::error!(event = "alerts_error", error = %text, "alerts: {text} (will retry)");
                    last_error = text;
                }
            }
        }
        if stopping {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
            _ = stop.changed() => {}
        }
    }
    Ok(total)
}
