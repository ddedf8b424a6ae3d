//! `vigie incidents list|show|ack|report|close|open|deliver`: the incidents in the store of a probe
//! configuration. Each change is one transaction on the engine's saved state, so these run
//! safely while `vigie probe` does.

use std::io::Write;

use alerts::message::Links;
use alerts::paris::local_text;
use alerts::{Acknowledgement, AlertStore, EngineSetup, IncidentKind};
use anyhow::Context;
use domain::clock::{Clock, SystemClock};

use crate::Outcome;
use crate::alerting::prediagnosis;
use crate::cli::IncidentsCommand;
use crate::probe::config::ProbeConfig;
use crate::store::Store;

/// The engine's settings from a configuration (`path`: the file, for the evidence links).
pub fn setup(config: &ProbeConfig, path: &std::path::Path) -> EngineSetup {
    EngineSetup {
        thresholds: config.alerts.thresholds.clone(),
        calendar: config.alerts.calendar.clone(),
        channels: config.alerts.channels(),
        links: links(config, path),
    }
}

/// Where notifications point for the evidence.
fn links(config: &ProbeConfig, path: &std::path::Path) -> Links {
    Links {
        show_command: format!("vigie incidents show {{id}} --config {}", path.display()),
        evidence_url: config.alerts.evidence_url.clone(),
    }
}

/// `--partner`: one of the configuration's partners (required when it has several, for an
/// incident declared by hand), or none with a single partner.
fn partner_arg(config: &ProbeConfig, given: Option<&str>) -> anyhow::Result<String> {
    let ids = config
        .partners
        .iter()
        .map(|x| x.id.as_str())
        .collect::<Vec<_>>();
    match given {
        None if ids.is_empty() => Ok(String::new()),
        None => anyhow::bail!(
            "the configuration has several partners: give --partner with one of {}",
            ids.join(", ")
        ),
        Some(p) if ids.contains(&p) => Ok(p.to_string()),
        Some(p) if ids.is_empty() => anyhow::bail!(
            "--partner {p}: the configuration has a single partner: leave --partner out"
        ),
        Some(p) => anyhow::bail!(
            "--partner {p}: the configuration has no such partner; use one of {}",
            ids.join(", ")
        ),
    }
}

fn open_store(config: &ProbeConfig) -> anyhow::Result<AlertStore> {
    if let Some(path) = config.store.sqlite_path()
        && !path.exists()
    {
        anyhow::bail!(
            "{} does not exist yet: no probe has run with this configuration (vigie probe --config …)",
            path.display()
        );
    }
    Ok(AlertStore::open_at(&config.store)?)
}

pub fn run(cmd: IncidentsCommand, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let clock = SystemClock;
    match cmd {
        IncidentsCommand::List(a) => {
            let config = ProbeConfig::load(&a.config)?;
            let store = open_store(&config)?;
            let mut incidents = store.incidents(a.all)?;
            if a.partner.is_some() {
                let p = partner_arg(&config, a.partner.as_deref())?;
                incidents.retain(|i| i.partner == p);
            }
            if a.json {
                serde_json::to_writer_pretty(&mut *out, &incidents)?;
                writeln!(out)?;
                return Ok(Outcome::Clean);
            }
            if incidents.is_empty() {
                writeln!(out, "no incident{}", if a.all { "" } else { " open" })?;
                return Ok(Outcome::Clean);
            }
            writeln!(
                out,
                "{:>4}  {:<12}  {:<12}  {:<26}  {:<16}  next deadline",
                "#", "state", "kind", "api version", "since (Paris)"
            )?;
            for i in &incidents {
                let next = i
                    .deadlines
                    .iter()
                    .filter(|d| d.pending())
                    .min_by_key(|d| d.due_ms)
                    .map(|d| {
                        let late = if d.due_ms <= clock.now_ms() {
                            " MISSED"
                        } else {
                            ""
                        };
                        format!("{} by {}{late}", d.kind.as_str(), local_text(d.due_ms))
                    })
                    .unwrap_or_else(|| "-".into());
                writeln!(
                    out,
                    "{:>4}  {:<12}  {:<12}  {:<26}  {:<16}  {next}",
                    i.id,
                    i.state.as_str(),
                    i.kind.as_str(),
                    if i.partner.is_empty() {
                        format!("{} {}", i.api, i.major)
                    } else {
                        format!("{} {} ({})", i.api, i.major, i.partner)
                    },
                    local_text(i.since_ms),
                )?;
            }
            Ok(Outcome::Clean)
        }
        IncidentsCommand::Show(a) => {
            let config = ProbeConfig::load(&a.config)?;
            let store = open_store(&config)?;
            let i = store.incident(a.id)?.with_context(|| {
                format!("no incident #{}: see vigie incidents list --all", a.id)
            })?;
            if a.json {
                serde_json::to_writer_pretty(&mut *out, &i)?;
                writeln!(out)?;
                return Ok(Outcome::Clean);
            }
            writeln!(out, "#{} {}", i.id, i.title())?;
            writeln!(out, "state: {}", i.state.as_str())?;
            if let Some(by) = &i.acknowledged_by {
                writeln!(out, "acknowledged by: {by}")?;
            }
            writeln!(
                out,
                "operations: {}",
                i.targets.iter().cloned().collect::<Vec<_>>().join(", ")
            )?;
            writeln!(out, "since: {} (Paris)", local_text(i.since_ms))?;
            writeln!(
                out,
                "evidence: {} failures in {} probes",
                i.evidence.failures, i.evidence.observations
            )?;
            for (c, n) in &i.evidence.classes {
                writeln!(out, "  {c} ×{n}")?;
            }
            for (p, n) in &i.evidence.pointers {
                writeln!(out, "  {p} ×{n}")?;
            }
            writeln!(out, "deadlines:")?;
            for d in &i.deadlines {
                writeln!(
                    out,
                    "  {} within {}: due {} — {}",
                    d.kind.describe(),
                    d.rule,
                    local_text(d.due_ms),
                    d.state.describe(d.due_ms)
                )?;
            }
            writeln!(out, "timeline:")?;
            for e in &i.timeline {
                writeln!(out, "  {}  {}", local_text(e.at_ms), e.what)?;
            }
            let sent = store.outbox(Some(i.id))?;
            if !sent.is_empty() {
                writeln!(out, "notifications:")?;
                for m in sent {
                    let state = match (m.delivered_ms, &m.last_error) {
                        (Some(at), _) => format!("delivered {}", local_text(at)),
                        (None, Some(e)) => format!("pending after {} attempts: {e}", m.attempts),
                        (None, None) => "pending".into(),
                    };
                    writeln!(out, "  {} {} — {state}", m.channel, m.key)?;
                }
            }
            Ok(Outcome::Clean)
        }
        IncidentsCommand::Ack(a) => {
            let config = ProbeConfig::load(&a.config)?;
            let mut store = open_store(&config)?;
            let ack = Acknowledgement {
                by: a.by.clone(),
                note: a.note.clone(),
                reported_to_pe: a.reported_to_pe,
                pe_took_charge: a.pe_took_charge,
                pe_informed: a.pe_informed,
                breach_communicated: a.breach_communicated,
            };
            let now = clock.now_ms();
            store.transact(&setup(&config, &a.config), now, |e| {
                e.acknowledge(a.id, &ack, now)
            })?;
            writeln!(out, "incident #{} acknowledged by {}", a.id, a.by)?;
            Ok(Outcome::Clean)
        }
        IncidentsCommand::Report(a) => {
            let config = ProbeConfig::load(&a.config)?;
            let store = open_store(&config)?;
            let i = store.incident(a.id)?.with_context(|| {
                format!("no incident #{}: see vigie incidents list --all", a.id)
            })?;
            let probes = Store::open_at(&config.store)?;
            let md = prediagnosis::draft(&i, &probes, clock.now_ms())?;
            match &a.out {
                Some(path) => {
                    std::fs::write(path, &md)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    writeln!(
                        out,
                        "pre-diagnosis of incident #{} written to {}",
                        i.id,
                        path.display()
                    )?;
                }
                None => write!(out, "{md}")?,
            }
            Ok(Outcome::Clean)
        }
        IncidentsCommand::Close(a) => {
            let config = ProbeConfig::load(&a.config)?;
            let mut store = open_store(&config)?;
            let now = clock.now_ms();
            store.transact(&setup(&config, &a.config), now, |e| {
                e.close(a.id, a.verified.as_deref(), now)
            })?;
            writeln!(out, "incident #{} closed", a.id)?;
            Ok(Outcome::Clean)
        }
        IncidentsCommand::Open(a) => {
            let config = ProbeConfig::load(&a.config)?;
            let kind = IncidentKind::parse(&a.kind)
                .filter(|k| *k != IncidentKind::PartnerSide)
                .with_context(|| {
                    format!(
                        "--kind {:?}: use availability, applicative or security (partner-side incidents are opened by the probes)",
                        a.kind
                    )
                })?;
            let api = contracts::catalogue::api(&a.api).map_err(|e| anyhow::anyhow!("{e}"))?;
            let major = &api
                .version(&a.version)
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .major;
            let partner = partner_arg(&config, a.partner.as_deref())?;
            let mut store = AlertStore::open_at(&config.store)?;
            let now = clock.now_ms();
            let events = store.transact(&setup(&config, &a.config), now, |e| {
                let events = e.declare(kind, &api.id, major, &a.summary, now)?;
                let declared = events.first().map(|ev| ev.incident);
                if let Some(i) = declared.and_then(|id| e.state.incidents.get_mut(&id)) {
                    i.partner = partner.clone();
                }
                Ok(events)
            })?;
            let id = events.first().map(|e| e.incident).unwrap_or_default();
            writeln!(
                out,
                "incident #{id} opened ({} on {} {major}); a `vigie probe` running on this store sends its notifications within a second (otherwise: vigie incidents deliver)",
                kind.as_str(),
                api.id
            )?;
            Ok(Outcome::Clean)
        }
        IncidentsCommand::Deliver(a) => {
            let config = ProbeConfig::load(&a.config)?;
            deliver(&config, &clock, out)
        }
    }
}

/// Sends every pending notification once, unless a `vigie probe` holds the SQLite store (it
/// delivers them itself). On PostgreSQL each message is claimed before it is sent, so this
/// and running instances never send one twice.
fn deliver(
    config: &ProbeConfig,
    clock: &dyn Clock,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let lock = config.store.sqlite_path().map(|path| {
        crate::store::StoreLock::acquire(path, &domain::civil::utc_text(clock.now_ms()))
    });
    let _lock = match lock.transpose() {
        Ok(lock) => lock,
        Err(crate::store::LockError::Held { holder, .. }) => {
            writeln!(
                out,
                "vigie probe (pid {} on {}) runs on this store and delivers the outbox itself within a second: nothing to do",
                holder.pid, holder.host
            )?;
            return Ok(Outcome::Clean);
        }
        Err(e) => return Err(e.into()),
    };
    let notifiers = crate::alerting::worker::notifiers(&config.alerts)?;
    if notifiers.is_empty() {
        anyhow::bail!(
            "the configuration has no notification channel ([alerts.email], [alerts.webhook]): nothing can be delivered"
        );
    }
    let store = std::sync::Arc::new(std::sync::Mutex::new(AlertStore::open_at(&config.store)?));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let pass = runtime.block_on(alerts::dispatch::deliver_due(
        &store,
        &notifiers,
        || clock.now_ms(),
        true,
    ))?;
    let s = alerts::dispatch::lock(&store);
    let pending: Vec<String> = notifiers
        .iter()
        .map(|n| Ok(format!("{} {}", s.pending(n.channel())?, n.channel())))
        .collect::<Result<_, alerts::AlertStoreError>>()?;
    writeln!(
        out,
        "notifications: {} delivered, {} failed; still pending: {}",
        pass.delivered,
        pass.failed,
        pending.join(", ")
    )?;
    Ok(if pass.failed > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
