//! `vigie probe`: every configured target on its schedule, records stored durably, metrics
//! served; `--once` for one round.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use contracts::Checker;
use domain::clock::{Clock, SystemClock};
use domain::dataset::{Case, Dataset};

use super::embedded::Embedded;
use crate::Outcome;
use crate::cli::ProbeArgs;
use crate::client::calls::ApiClient;
use crate::client::credentials::Credentials;
use crate::client::politeness::Politeness;
use crate::client::target::Target;
use crate::probe::config::{ProbeConfig, TargetConfig};
use crate::probe::metrics::ProbeMetrics;
use crate::probe::reload;
use crate::probe::runner::Prober;
use crate::probe::scheduler;
use crate::probe::signals::{Signal, Signals};
use crate::store::Store;

pub fn run(args: &ProbeArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    crate::logging::init(args.log_format);
    let config = ProbeConfig::load(&args.config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(probe(args, config, Arc::new(SystemClock), out))
}

/// The person probes read: the first found, certified case of the data set.
fn test_person(d: &Dataset) -> anyhow::Result<Case> {
    d.cases
        .iter()
        .find(|c| c.code_retour == "S001" && c.expect.is_some())
        .cloned()
        .context(
            "the data set has no found person (a case with codeRetour S001 and its expectations)",
        )
}

/// A platform to probe, its credentials (read from the environment now) and its test person;
/// the embedded simulators are started once, on first need, into `server`.
async fn connect(
    target_config: &TargetConfig,
    args: &ProbeArgs,
    clock: &Arc<dyn Clock>,
    server: &mut Option<Embedded>,
) -> anyhow::Result<(Target, Credentials, Case)> {
    Ok(match target_config {
        TargetConfig::Embedded => {
            // One embedded platform for every partner that probes it.
            if server.is_none() {
                *server = Some(
                    Embedded::start(
                        args.sim_config.as_deref(),
                        clock.clone(),
                        &clock.now_ms().to_le_bytes(),
                    )
                    .await?,
                );
            }
            let Some(server) = server.as_ref() else {
                anyhow::bail!("the embedded simulators did not start");
            };
            let person = test_person(&server.dataset())?;
            let credentials = server.demo_credentials().context(
                "the simulators' configuration has no demo client: probe them with a [target] \
                 section and your own credentials, or keep the demo client",
            )?;
            (
                Target::single(&server.base_url, &server.label)?,
                credentials,
                person,
            )
        }
        TargetConfig::Remote {
            target,
            client_id_env,
            client_secret_env,
            dataset,
        } => {
            let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
            let id = env(client_id_env).with_context(|| {
                format!("{client_id_env} is not set: export your application's client id")
            })?;
            let secret = env(client_secret_env).with_context(|| {
                format!("{client_secret_env} is not set: export your application's client secret")
            })?;
            let text = std::fs::read_to_string(dataset)
                .with_context(|| format!("cannot read the data set {}", dataset.display()))?;
            let d: Dataset = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a data set", dataset.display()))?;
            (
                target.clone(),
                Credentials::new(id, secret),
                test_person(&d)?,
            )
        }
    })
}

pub async fn probe(
    args: &ProbeArgs,
    config: ProbeConfig,
    clock: Arc<dyn Clock>,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    // Before anything slow: a SIGTERM during start-up stops cleanly too.
    let mut signals = Signals::install().context("listening to SIGTERM and SIGHUP")?;
    let checker = Arc::new(Checker::active_with(config.contract_profile)?);
    let polite = Politeness {
        concurrency: config.probes.len().max(1),
        rate_per_s: 0.0,
        timeout: config.timeout,
        max_throttled: 0,
        max_wait: Duration::ZERO,
        read_retries: 0,
    };
    let mut server: Option<Embedded> = None;
    // Each partner's platform, credentials and test person ("" with a single partner).
    let mut platforms: BTreeMap<String, (Target, Credentials, Case)> = BTreeMap::new();
    if config.partners.is_empty() {
        platforms.insert(
            String::new(),
            connect(&config.target, args, &clock, &mut server).await?,
        );
    }
    for p in &config.partners {
        let platform = connect(&p.target, args, &clock, &mut server)
            .await
            .with_context(|| format!("partner {}", p.id))?;
        platforms.insert(p.id.clone(), platform);
    }
    // What the records come from, as every report names it.
    let target = platforms
        .iter()
        .map(|(id, (t, _, _))| {
            if id.is_empty() {
                t.to_string()
            } else {
                format!("{id}: {t}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    // One probe per store: a second one would probe twice and notify twice.
    let _lock = match config.store.sqlite_path() {
        Some(path) => Some(crate::store::StoreLock::acquire(
            path,
            &domain::civil::utc_text(clock.now_ms()),
        )?),
        None => None,
    };
    let mut store = Store::open_at(&config.store)?;
    // What this run's records are held to and where they come from, for the month's report.
    let run_started_ms = clock.now_ms();
    store.record_run(&crate::store::records::RunRow {
        started_ms: run_started_ms,
        contract_profile: config.contract_profile.name().to_string(),
        source: target.clone(),
        unstored: 0,
    })?;
    let specs = config
        .probes
        .iter()
        .map(|p| Ok((p.clone(), store.last_scheduled(&p.key())?)))
        .collect::<Result<Vec<_>, crate::store::StoreError>>()?;
    let clients = platforms
        .into_iter()
        .map(|(id, (t, credentials, person))| {
            Ok((
                id,
                (
                    Arc::new(ApiClient::new(t, credentials, polite.clone())?),
                    person,
                ),
            ))
        })
        .collect::<anyhow::Result<BTreeMap<_, _>>>()?;
    let prober_for = |c: &ProbeConfig| {
        Arc::new(
            clients
                .iter()
                .map(|(id, (client, person))| {
                    let prober = Prober::new(
                        client.clone(),
                        checker.clone(),
                        person.clone(),
                        c.network_check.clone(),
                        clock.clone(),
                        c.timeout,
                    );
                    (id.clone(), Arc::new(prober))
                })
                .collect::<scheduler::Probers>(),
        )
    };
    let metrics = Arc::new(ProbeMetrics::new(!config.partners.is_empty())?);
    // How long `/readyz` lets the scheduler go without storing a probe (follows reloads).
    let patience = Arc::new(std::sync::atomic::AtomicI64::new(patience_of(&config)));
    let _metrics_server = match config.metrics {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
                format!("cannot serve the metrics on {addr}: change [metrics] listen")
            })?;
            let app = crate::probe::listener::router(
                metrics.clone(),
                clock.clone(),
                run_started_ms,
                patience.clone(),
                crate::probe::listener::StatusSource {
                    store: config.store.clone(),
                    label: target.to_string(),
                },
            );
            // (The first line tools read: keep it first and in this shape.)
            writeln!(out, "metrics: http://{}/metrics", listener.local_addr()?)?;
            Some(super::embedded::AbortOnDrop(tokio::spawn(async move {
                axum::serve(listener, app).await
            })))
        }
        None => None,
    };
    writeln!(
        out,
        "probing {} ({} targets), records in {}{}{}",
        target,
        specs.len(),
        config.store,
        if config.store.sqlite_path().is_none() && !args.once {
            format!(
                " (targets shared with the other instances on it, lease {} s)",
                config.lease.as_secs()
            )
        } else {
            String::new()
        },
        if args.once { ", one round" } else { "" }
    )?;
    out.flush()?;
    // Incidents: the engine sees each record once it is stored; the outbox is delivered
    // alongside (SMTP password and webhook URL read here, never printed).
    let notifiers = crate::alerting::worker::notifiers(&config.alerts)?;
    let engine = crate::alerting::worker::EngineThread::start(
        &config.store,
        super::incidents::setup(&config, &args.config),
        clock.clone(),
        metrics.clone(),
    )?;
    if !notifiers.is_empty() {
        writeln!(
            out,
            "alerts: {}",
            notifiers
                .iter()
                .map(|n| n.channel())
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    let (deliver_stop, deliver_rx) = tokio::sync::watch::channel(false);
    let deliverer = tokio::spawn(crate::alerting::worker::deliver(
        config.store.clone(),
        notifiers,
        clock.clone(),
        metrics.clone(),
        deliver_rx,
    ));
    let observations = engine.sender();
    let retention = config.retention.as_millis() as i64;
    let (records, done, writer) = scheduler::writer(
        store,
        run_started_ms,
        retention,
        clock.clone(),
        scheduler::WriterLimits::default(),
    );
    let acks = {
        let metrics = metrics.clone();
        tokio::spawn(async move {
            let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
            // Each target's last outcome: a change is logged (not every probe).
            let mut last: BTreeMap<String, &'static str> = BTreeMap::new();
            scheduler::acknowledge(done, metrics, |r| {
                *counts.entry(r.outcome.as_str()).or_default() += 1;
                let now = r.outcome.as_str();
                let before = last.insert(r.target.clone(), now);
                if before != Some(now) {
                    tracing::info!(
                        event = "probe_outcome",
                        target = %r.target,
                        from = before.unwrap_or("none"),
                        to = now,
                        status = r.status,
                        "{}: {} → {now}",
                        r.target,
                        before.unwrap_or("none")
                    );
                }
                let _ = observations.send(crate::alerting::observe::observation(r));
            })
            .await;
            counts
        })
    };
    // On a shared (PostgreSQL) store, the instances alive share the targets out.
    let (shares, _leave) = match config.store.sqlite_path() {
        Some(_) => (None, None),
        None => {
            let me = crate::probe::shares::instance_id(run_started_ms);
            let keys = config.probes.iter().map(|p| p.key()).collect();
            let (rx, leave) = crate::probe::shares::keep(
                Store::open_at(&config.store)?,
                me.clone(),
                run_started_ms,
                config.lease,
                keys,
            )?;
            (Some((me, rx)), Some(leave))
        }
    };
    // Quick re-probes after a failure: to the engine only, never to the store.
    let (confirm_tx, mut confirm_rx) = tokio::sync::mpsc::unbounded_channel();
    let confirmer = {
        let engine_tx = engine.sender();
        tokio::spawn(async move {
            while let Some(r) = confirm_rx.recv().await {
                let _ = engine_tx.send(crate::alerting::observe::observation(&r));
            }
        })
    };
    let stopped_by = schedule(
        config.clone(),
        specs,
        records,
        Around {
            args,
            prober_for: &prober_for,
            clock: &clock,
            signals: &mut signals,
            patience: &patience,
            confirmations: (confirm_tx, config.alerts.thresholds.open_after_failures),
            shares,
        },
    )
    .await;
    // All senders are gone: the writer drains, stores, and ends; then the acknowledgements.
    let (_store, given_up) = writer
        .join()
        .map_err(|_| anyhow::anyhow!("the store writer stopped unexpectedly"))?;
    let counts = acks.await?;
    confirmer.await?;
    // Every stored record observed, then the last notifications delivered.
    let alert_errors = engine.finish();
    let _ = deliver_stop.send(true);
    let delivered = deliverer.await??;
    if delivered.delivered + delivered.failed > 0 {
        writeln!(
            out,
            "notifications: {} delivered, {} attempts failed (retried by the next run)",
            delivered.delivered, delivered.failed
        )?;
    }
    writeln!(
        out,
        "stored: {}",
        counts
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    if given_up > 0 {
        anyhow::bail!(
            "{given_up} probe record(s) could not be stored (the store refused them too long; see the messages above): check the disk and {}",
            config.store
        );
    }
    if let Some(e) = alert_errors.first() {
        anyhow::bail!("{e}");
    }
    if let Some(signal) = stopped_by {
        // A service stopped as asked: its findings are in the store and the reports.
        writeln!(out, "stopped by {signal}")?;
        return Ok(Outcome::Clean);
    }
    Ok(if counts.keys().all(|k| *k == "up" || *k == "slow") {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// What the schedule runs with and answers to, beside its configuration.
struct Around<'a> {
    args: &'a ProbeArgs,
    prober_for: &'a dyn Fn(&ProbeConfig) -> Arc<scheduler::Probers>,
    clock: &'a Arc<dyn Clock>,
    signals: &'a mut Signals,
    /// Read by `/readyz`; follows reloads.
    patience: &'a std::sync::atomic::AtomicI64,
    /// Where quick re-probes go (the engine), and how many failures confirm.
    confirmations: (
        tokio::sync::mpsc::UnboundedSender<crate::probe::ProbeRecord>,
        u32,
    ),
    /// On a shared store: this instance's id and who is alive (the schedule probes its share).
    shares: Option<(
        String,
        tokio::sync::watch::Receiver<crate::probe::shares::Shares>,
    )>,
}

/// How long the scheduler may go without storing a probe before `/readyz` says so.
fn patience_of(config: &ProbeConfig) -> i64 {
    let longest = config
        .probes
        .iter()
        .map(|p| p.interval)
        .max()
        .unwrap_or_default();
    crate::probe::health::patience_ms(longest, config.timeout)
}

/// Runs the schedule until one round is done (`--once`), `--for-seconds` have passed, or a
/// signal stops it (its name is returned); a SIGHUP reads the configuration again and, when it
/// is valid, restarts the schedule with it where each target left off.
async fn schedule(
    mut config: ProbeConfig,
    specs: Vec<(crate::probe::config::ProbeSpec, Option<i64>)>,
    records: tokio::sync::mpsc::UnboundedSender<crate::probe::ProbeRecord>,
    around: Around<'_>,
) -> Option<&'static str> {
    let Around {
        args,
        prober_for,
        clock,
        signals,
        patience,
        confirmations,
        mut shares,
    } = around;
    let deadline = args
        .for_seconds
        .map(|s| tokio::time::Instant::now() + Duration::from_secs(s));
    let mut lasts: BTreeMap<String, i64> = specs
        .iter()
        .filter_map(|(spec, last)| last.map(|l| (spec.key(), l)))
        .collect();
    let mut specs: Vec<_> = specs.into_iter().map(|(spec, _)| spec).collect();
    loop {
        // On a shared store, this instance's share (a one-off round probes every target).
        let share = match &mut shares {
            Some((me, rx)) if !args.once => {
                let s = rx.borrow_and_update().clone();
                for (k, l) in s.lasts {
                    let e = lasts.entry(k).or_insert(l);
                    *e = (*e).max(l);
                }
                let keys: Vec<String> = specs.iter().map(|s| s.key()).collect();
                let mine = crate::probe::shares::mine(&keys, &s.live, me);
                tracing::info!(
                    event = "targets_shared",
                    instance = %me,
                    instances = s.live.len(),
                    probed_here = mine.len(),
                    targets = keys.len(),
                    "store shared by {} instance(s): {} of {} target(s) probed here: {}",
                    s.live.len(),
                    mine.len(),
                    keys.len(),
                    mine.iter().cloned().collect::<Vec<_>>().join(", ")
                );
                Some(mine)
            }
            _ => None,
        };
        let resume = specs
            .iter()
            .filter(|spec| share.as_ref().is_none_or(|m| m.contains(&spec.key())))
            .map(|spec| (spec.clone(), lasts.get(&spec.key()).copied()))
            .collect();
        let (stop, stop_rx) = tokio::sync::watch::channel(false);
        let mut running = tokio::spawn(scheduler::run(
            prober_for(&config),
            resume,
            records.clone(),
            clock.clone(),
            args.once,
            stop_rx,
            config.confirm_interval.map(|every| scheduler::Confirm {
                every,
                after: confirmations.1,
                sink: confirmations.0.clone(),
            }),
        ));
        let until = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(until);
        let shares_changed = async {
            match &mut shares {
                Some((_, rx)) if !args.once => {
                    if rx.changed().await.is_err() {
                        std::future::pending::<()>().await;
                    }
                }
                _ => std::future::pending().await,
            }
        };
        tokio::pin!(shares_changed);
        loop {
            tokio::select! {
                _ = &mut running => return None,
                _ = &mut shares_changed => {
                    // Another instance joined or left: stop, and start again on the new share.
                    let _ = stop.send(true);
                    if let Ok(done) = running.await {
                        lasts.extend(done);
                    }
                    break;
                }
                _ = &mut until => {
                    let _ = stop.send(true);
                    let _ = running.await;
                    return None;
                }
                signal = signals.next() => match signal {
                    Signal::Stop(name) => {
                        tracing::info!(
                            event = "stopping",
                            signal = name,
                            "{name}: stopping (probes in flight finish, records are stored, the outbox is tried once more)"
                        );
                        let _ = stop.send(true);
                        let _ = running.await;
                        return Some(name);
                    }
                    Signal::Reload => match ProbeConfig::load(&args.config) {
                        Err(e) => {
                            // The folder is read once, at start: a version imported since is
                            // not known until a restart.
                            let hint = match (&e, contracts::ContractStore::installed_folder()) {
                                (
                                    crate::probe::config::ConfigError::UnknownApi(..)
                                    | crate::probe::config::ConfigError::UnknownVersion { .. }
                                    | crate::probe::config::ConfigError::UnknownOperation { .. },
                                    Some(dir),
                                ) => format!(
                                    " (the contracts folder {} is read at start: restart vigie probe to use what was imported into it since)",
                                    dir.display()
                                ),
                                _ => String::new(),
                            };
                            tracing::error!(
                                event = "reload_refused",
                                error = %e,
                                "SIGHUP: the configuration is refused, the running one is kept: {e}{hint}"
                            );
                        }
                        Ok(new) => {
                            let reloaded = reload::apply(&config, new);
                            let _ = stop.send(true);
                            if let Ok(done) = running.await {
                                lasts.extend(done);
                            }
                            config = reloaded.config;
                            specs = config.probes.clone();
                            patience.store(patience_of(&config), std::sync::atomic::Ordering::Relaxed);
                            tracing::info!(
                                event = "reloaded",
                                targets = specs.len(),
                                "SIGHUP: configuration reloaded: {} target(s), timeout {} s{}",
                                specs.len(),
                                config.timeout.as_secs_f64(),
                                if reloaded.needs_restart.is_empty() {
                                    String::new()
                                } else {
                                    format!(
                                        "; changes to {} need a restart of vigie probe and are not applied",
                                        reloaded.needs_restart.join(", ")
                                    )
                                }
                            );
                            break;
                        }
                    },
                },
            }
        }
    }
}
