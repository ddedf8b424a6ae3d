//! `vigie probe`, `vigie config check`, the metrics and the store, end to end: the binary
//! against its embedded simulators on loopback, with injected faults, a `kill -9`, a restart.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support;

use harness::probe::ProbeOutcome;
use harness::probe::config::{ConfigError, ProbeConfig};
use harness::store::Store;

#[test]
fn every_config_rule_says_what_to_fix() {
    let dir = support::repo().join("tests/fixtures/config");
    let cases: &[(&str, &str)] = &[
        (
            "no-probe.toml",
            "[[probes]] is empty: add at least one, e.g. api = \"statut-usager\", version = \"n\"",
        ),
        (
            "unknown-api.toml",
            "[[probes]] api = \"statut\" is not an API: use one of recherche-usager, statut-usager, diagnostic-individu, metiers-recherches, creation-entreprise, or \"*\"",
        ),
        (
            "unknown-version.toml",
            "[[probes]] version = \"v3\" is not a version of statut-usager: use n, n-1, v1, v2 or \"*\"",
        ),
        (
            "unknown-operation.toml",
            "[[probes]] operation = \"supprimer\" is not a read of statut-usager v2 that a probe can make: use one of recuperer-contrat, or \"*\"",
        ),
        (
            "interval.toml",
            "interval_s = 0: a probe interval is between 1 and 86400 seconds",
        ),
        (
            "timeout.toml",
            "[probe] timeout_s = 600: between 1 and 120 seconds (the convention's bound for a complex request is 6)",
        ),
        (
            "retention.toml",
            "[store] retention_days = 0: keep at least one day (the monthly report needs 31)",
        ),
        (
            "preset.toml",
            "[target] preset = \"ft-qualif\" is unknown: use ft-prod, ft-recette, pe-prod-2023 or pe-recette-2023",
        ),
        (
            "preset-and-url.toml",
            "[target] gives both preset and base_url: keep one",
        ),
        (
            "no-dataset.toml",
            "[target] dataset is required for a remote target: the platform's test people, as `vigie dataset` writes them",
        ),
        (
            "listen.toml",
            "[metrics] listen = \"localhost\" is not an address: use e.g. \"127.0.0.1:9464\"",
        ),
        (
            "network-check.toml",
            "[probe] network_check: \"intranet\" is not an http(s) URL with a host: give scheme and host, e.g. https://api-r.ft-qvr.io",
        ),
        (
            "store-path-and-url.toml",
            "[store] gives both path (a SQLite file) and url (a PostgreSQL database): keep one",
        ),
        (
            "store-password-in-url.toml",
            "[store] url holds a password: remove it from the URL and give password_env (a variable's name) or password_file instead, so that it is never printed",
        ),
        (
            "store-password-without-url.toml",
            "[store] password_env / password_file go with url (PostgreSQL): a SQLite file has no password",
        ),
        (
            "store-lease.toml",
            "[store] lease_s = 0: between 1 and 300 seconds (how soon the other instances take the targets of one that stopped answering)",
        ),
        (
            "store-url.toml",
            "[store] url = \"mysql…\" is not a PostgreSQL URL (it does not start with postgres://): write postgres://USER@HOST:PORT/DATABASE",
        ),
        (
            "partner-id.toml",
            "[[partners]] id = \"La Réunion\": use 1 to 32 lowercase letters, digits or dashes (e.g. \"d974\"): it prefixes the partner's records and names it in --partner",
        ),
        (
            "partner-no-probe.toml",
            "[[partners]] \"d974\" has no probes: give its [[partners.probes]], or top-level [[probes]] for every partner",
        ),
        (
            "partner-recipients.toml",
            "[[partners]] \"d974\" recipients: give at least one address, and an [alerts.email] section to send through",
        ),
        (
            "partner-twice.toml",
            "[[partners]] id = \"d974\" is given twice: each partner needs its own id",
        ),
        (
            "alerts-threshold.toml",
            "[alerts] open_after_failures = 0: give at least 1",
        ),
        (
            "alerts-hours.toml",
            "[alerts] business hours \"9h\" are not HH:MM (for example 09:00)",
        ),
        (
            "alerts-holiday.toml",
            "[alerts] \"24/12/2026\" is not a date AAAA-MM-JJ: fix extra_holidays",
        ),
        (
            "alerts-security.toml",
            "[alerts.email] security = \"ssl\": use none, starttls or tls",
        ),
        (
            "alerts-address.toml",
            "[alerts.email] \"team at example.fr\" is not an email address",
        ),
        (
            "alerts-auth.toml",
            "[alerts.email] authentication needs both username_env and password_env (or password_file)",
        ),
        (
            "alerts-ca-file.toml",
            "[alerts.email] ca_file needs security = \"starttls\" or \"tls\"",
        ),
        (
            "alerts-template.toml",
            "[alerts.webhook] template = \"teams\": use generic, mattermost, slack or alertmanager",
        ),
        (
            "alerts-webhook-url.toml",
            "[alerts.webhook] needs url or url_env (one of them)",
        ),
    ];
    for (file, message) in cases {
        let e = ProbeConfig::load(&dir.join(file)).unwrap_err();
        assert_eq!(e.to_string(), *message, "{file}");
    }
    let e = ProbeConfig::load(&dir.join("unknown-key.toml")).unwrap_err();
    assert!(matches!(e, ConfigError::Toml { .. }));
    assert!(e.to_string().contains("unknown field `intervall_s`, expected one of `api`, `version`, `operation`, `interval_s`"), "{e}");
    // A password in the file is refused: it must come from the environment or a file.
    let e = ProbeConfig::load(&dir.join("alerts-password-inline.toml")).unwrap_err();
    assert!(e.to_string().contains("unknown field `password`"), "{e}");
    assert!(!e.to_string().contains("hunter2"), "{e}");
    // The CLI says the same, exit 2.
    let o = support::vigie()
        .args(["config", "check"])
        .arg(dir.join("no-probe.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("[[probes]] is empty"));
}

#[test]
fn the_example_config_is_valid() {
    let c = ProbeConfig::load(&support::repo().join("examples/vigie.toml")).unwrap();
    assert_eq!(c.probes.len(), 10);
    assert!(c.metrics.is_some());
    let o = support::vigie()
        .args(["config", "check"])
        .arg(support::repo().join("examples/vigie.toml"))
        .output()
        .unwrap();
    assert!(o.status.success());
}

fn config(dir: &Path, probes: &str, extra: &str) -> std::path::PathBuf {
    let p = dir.join("vigie.toml");
    std::fs::write(
        &p,
        format!("{extra}\n[store]\npath = \"probes.sqlite\"\n{probes}"),
    )
    .unwrap();
    p
}

#[test]
fn one_round_against_faulty_simulators_records_each_outcome() {
    let dir = tempfile::tempdir().unwrap();
    // Held to the strict profile: the simulators' answers have no unknown field, and the
    // report must say which profile its figures were measured with.
    let cfg = config(
        dir.path(),
        "[[probes]]\napi = \"*\"\nversion = \"n\"\n",
        "[probe]\ncontract_profile = \"strict\"\n",
    );
    std::fs::write(
        dir.path().join("sim.toml"),
        "[[faults]]\napi = \"statut-usager\"\nversion = \"n\"\nerrors = { share = 1.0, status = 503 }\n\
         [[faults]]\napi = \"creation-entreprise\"\nversion = \"n\"\nslow = [{ share = 1.0, min_ms = 1100, max_ms = 1200 }]\n\
         [[faults]]\napi = \"metiers-recherches\"\nversion = \"n\"\ndefect = { kind = \"wrong-type\", share = 1.0 }\n",
    )
    .unwrap();
    let o = support::vigie()
        .arg("probe")
        .arg("--config")
        .arg(&cfg)
        .arg("--once")
        .arg("--sim-config")
        .arg(dir.path().join("sim.toml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let store = Store::open(&dir.path().join("probes.sqlite")).unwrap();
    let mut by_api: std::collections::BTreeMap<String, Vec<ProbeOutcome>> = Default::default();
    let mut records = Vec::new();
    store.scan(0, i64::MAX, |r| records.push(r)).unwrap();
    for r in &records {
        by_api.entry(r.api.clone()).or_default().push(r.outcome);
        assert!(r.started_ms >= r.scheduled_ms);
        // No personal data: templates, pointers and classes of error only.
        let text = format!("{r:?}");
        assert!(
            !text.contains("%23") && !text.contains("ewogICJ2ZXJz"),
            "{text}"
        );
    }
    for (api, expected) in [
        ("statut-usager", ProbeOutcome::Down),
        ("creation-entreprise", ProbeOutcome::Slow),
        ("metiers-recherches", ProbeOutcome::ContractViolation),
        ("recherche-usager", ProbeOutcome::Up),
    ] {
        assert!(
            by_api[api].iter().all(|o| *o == expected),
            "{api}: {by_api:?}"
        );
    }
    let down = records.iter().find(|r| r.api == "statut-usager").unwrap();
    assert_eq!(down.evidence.as_deref(), Some("status 503"));
    let bad = records
        .iter()
        .find(|r| r.api == "metiers-recherches")
        .unwrap();
    assert!(!bad.violations.is_empty());
    // The report of the month says the same.
    let report = |format: &str| {
        support::vigie()
            .args(["report", "--format", format, "--month"])
            .arg(current_month())
            .arg("--store")
            .arg(dir.path().join("probes.sqlite"))
            .output()
            .unwrap()
    };
    let o = report("json");
    // Seconds of a month observed: no verdict on it, whatever was seen (insufficient data is
    // not a finding).
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let statut = r["apis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["api"] == "statut-usager")
        .unwrap();
    assert_eq!(statut["availability"], 0.0);
    assert_eq!(statut["availability_verdict"], "insufficient-data");
    assert!(statut["coverage"].as_f64().unwrap() < 0.01, "{statut}");
    let cref = r["apis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["api"] == "creation-entreprise")
        .unwrap();
    assert_eq!(cref["share_under_1s"], 0.0);
    assert_eq!(cref["availability"], 1.0);
    assert_eq!(r["contract_profiles"], serde_json::json!(["strict"]));
    let runs = r["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    // The simulators, with their seed and fault profile, then where they listened.
    let source = runs[0]["source"].as_str().unwrap();
    assert!(
        source.starts_with("embedded simulators (seed ")
            && source.contains("fault profile ")
            && source.contains(") (http://127.0.0.1:"),
        "{runs:?}"
    );
    let o = report("markdown");
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(
        md.contains(
            "Answers held to the contract profile strict; 1 probe run(s) from embedded simulators"
        ),
        "{md}"
    );
}

pub fn current_month() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let local = harness::sla::paris::local_text(now);
    local[..7].to_string()
}

/// Starts `vigie probe` and returns it with the address of its metrics.
fn start(cfg: &Path) -> (std::process::Child, String) {
    let mut child = support::vigie()
        .arg("probe")
        .arg("--config")
        .arg(cfg)
        .arg("--for-seconds")
        .arg("30")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .strip_prefix("metrics: http://")
        .unwrap()
        .trim_end_matches("/metrics")
        .to_string();
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

fn probes_counted(metrics: &str) -> u64 {
    metrics
        .lines()
        .filter(|l| l.starts_with("vigie_probes_total{"))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum()
}

#[test]
fn metrics_pass_promtool_and_kill_9_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        "[[probes]]\napi = \"*\"\nversion = \"*\"\ninterval_s = 1\n",
        "[metrics]\nlisten = \"127.0.0.1:0\"\n",
    );
    let (mut child, addr) = start(&cfg);
    // Wait until some rounds are stored.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut text = support::scrape(&addr);
    while probes_counted(&text) < 60 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        text = support::scrape(&addr);
    }
    // promtool reads the exposition as Prometheus would.
    support::assert_promtool_accepts(&text);
    assert!(text.contains("vigie_probe_duration_seconds_bucket{api=\"statut-usager\",operation=\"recuperer-contrat\",version=\"v2\",le=\"1\"}"));
    assert!(text.contains("le=\"6\""));
    // Acknowledged: counted in the metrics only once on disk. Kill -9 right after reading.
    let acknowledged = probes_counted(&support::scrape(&addr));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let path = dir.path().join("probes.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    let store = Store::open(&path).unwrap();
    let stored = store.count().unwrap();
    assert!(
        stored >= acknowledged,
        "{stored} stored < {acknowledged} acknowledged"
    );
    let before: Vec<(String, Option<i64>)> = store
        .targets()
        .unwrap()
        .into_iter()
        .map(|t| {
            let l = store.last_scheduled(&t.key).unwrap();
            (t.key, l)
        })
        .collect();
    drop(store);
    // A restart resumes each target after its last record.
    let o = support::vigie()
        .arg("probe")
        .arg("--config")
        .arg(&cfg)
        .arg("--for-seconds")
        .arg("2")
        .output()
        .unwrap();
    assert!(
        o.status.code().is_some(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let store = Store::open(&path).unwrap();
    assert!(store.count().unwrap() > stored);
    for (key, last) in before {
        let mut dues = Vec::new();
        store
            .scan(0, i64::MAX, |r| {
                if r.target == key {
                    dues.push(r.scheduled_ms)
                }
            })
            .unwrap();
        dues.sort_unstable();
        dues.dedup();
        let last = last.unwrap();
        // After the restart, due times continue the same grid: last + k × 1 s.
        for d in dues.iter().filter(|d| **d > last) {
            assert_eq!(
                (d - last) % 1000,
                0,
                "{key}: {d} is not on the grid of {last}"
            );
        }
    }
}

#[test]
fn the_committed_rules_are_vigie_rules_and_pass_promtool() {
    let committed =
        std::fs::read_to_string(support::repo().join("rules/vigie-sla.rules.yml")).unwrap();
    let o = support::vigie().arg("rules").output().unwrap();
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        committed,
        "rules/vigie-sla.rules.yml is stale: vigie rules --out rules/vigie-sla.rules.yml"
    );
    for args in [
        vec!["check", "rules", "vigie-sla.rules.yml"],
        vec!["test", "rules", "vigie-sla.test.yml"],
    ] {
        let o = Command::new("promtool")
            .args(&args)
            .current_dir(support::repo().join("rules"))
            .output()
            .expect("promtool is needed (Debian package prometheus; .ci/run installs it)");
        assert!(
            o.status.success(),
            "promtool {args:?}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// Starts `vigie simulate` on a free port; returns it and its base URL.
pub fn simulate() -> (std::process::Child, String) {
    let mut child = support::vigie()
        .args(["simulate", "--port", "0", "--for-seconds", "30"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let l = lines.next().unwrap().unwrap();
        if let Some(rest) = l.strip_prefix("Listening on ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

/// Writes the simulators' data set as `d.json` in `dir` (what a `[target]` config names).
pub fn dataset_in(dir: &Path) {
    assert!(
        support::vigie()
            .current_dir(dir)
            .args(["dataset", "--out", "d.json"])
            .status()
            .unwrap()
            .success()
    );
}

#[test]
fn refused_credentials_are_the_partners_side_and_excluded() {
    let (mut sim, base) = simulate();
    let dir = tempfile::tempdir().unwrap();
    dataset_in(dir.path());
    let cfg = config(
        dir.path(),
        "[[probes]]\napi = \"statut-usager\"\nversion = \"*\"\n",
        &format!(
            "[target]\nbase_url = \"{base}\"\ndataset = \"d.json\"\nclient_id_env = \"PARTNER_ID\"\nclient_secret_env = \"PARTNER_SECRET\"\n"
        ),
    );
    // Right credentials: up.
    let o = support::vigie()
        .arg("probe")
        .arg("--config")
        .arg(&cfg)
        .arg("--once")
        .env("PARTNER_ID", "vigie-demo")
        .env("PARTNER_SECRET", "vigie-demo-secret")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // Wrong secret: the partner's own credentials, not Pôle emploi's availability.
    let o = support::vigie()
        .arg("probe")
        .arg("--config")
        .arg(&cfg)
        .arg("--once")
        .env("PARTNER_ID", "vigie-demo")
        .env("PARTNER_SECRET", "not-the-secret")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    sim.kill().unwrap();
    sim.wait().unwrap();
    let store = Store::open(&dir.path().join("probes.sqlite")).unwrap();
    let mut records = Vec::new();
    store.scan(0, i64::MAX, |r| records.push(r)).unwrap();
    assert_eq!(records.len(), 4);
    let refused: Vec<_> = records
        .iter()
        .filter(|r| r.outcome == ProbeOutcome::PartnerSide)
        .collect();
    assert_eq!(refused.len(), 2, "{records:?}");
    for r in &refused {
        assert!(
            r.evidence
                .as_deref()
                .unwrap()
                .contains("credentials were refused"),
            "{r:?}"
        );
        let text = format!("{r:?}");
        assert!(!text.contains("not-the-secret") && !text.contains("vigie-demo-secret"));
    }
    // The report counts that time as excluded, not down.
    let o = support::vigie()
        .args(["report", "--format", "json", "--month"])
        .arg(current_month())
        .arg("--store")
        .arg(dir.path().join("probes.sqlite"))
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let statut = &r["apis"][0];
    assert_eq!(statut["down_ms"], 0);
    assert_eq!(statut["excluded_ms"], 2 * 60_000);
    assert_eq!(statut["availability"], 1.0);
}

#[test]
fn config_check_names_secrets_without_printing_them() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("vigie.toml");
    std::fs::write(
        &cfg,
        "[[probes]]\napi = \"statut-usager\"\nversion = \"n\"\n\
         [alerts.email]\nserver = \"127.0.0.1\"\nusername_env = \"U\"\npassword_env = \"SMTP_PW\"\n\
         from = \"vigie@example.fr\"\nto = [\"team@example.fr\"]\n\
         [alerts.webhook]\nurl = \"https://chat.example.fr/hooks/s3cr3tt0ken\"\ntemplate = \"slack\"\n",
    )
    .unwrap();
    let o = support::vigie()
        .args(["config", "check"])
        .arg(&cfg)
        .env("SMTP_PW", "pa55-in-env")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{text}");
    assert!(text.contains("password $SMTP_PW"), "{text}");
    assert!(
        text.contains("webhook: https://chat.example.fr/…"),
        "{text}"
    );
    assert!(
        !text.contains("s3cr3tt0ken") && !text.contains("pa55-in-env"),
        "{text}"
    );
}

/// Starts `vigie probe` on `cfg` for `seconds` and waits for its "probing" line.
fn probing(
    cfg: &Path,
    seconds: u64,
) -> (
    std::process::Child,
    std::io::Lines<BufReader<std::process::ChildStdout>>,
) {
    let mut child = support::vigie()
        .arg("probe")
        .arg("--config")
        .arg(cfg)
        .arg("--for-seconds")
        .arg(seconds.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("probing"), "{first}");
    (child, lines)
}

/// Another connection holds the store's write lock for longer than a write waits (5 s): the
/// records wait in memory, the operator is told at once, and once the lock is gone every
/// slot of every target is stored — no hole. (It used to drop the whole batch for good.)
#[test]
fn a_store_locked_for_seconds_loses_no_slot() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        "[[probes]]\napi = \"statut-usager\"\nversion = \"n\"\ninterval_s = 1\n",
        "",
    );
    let (child, lines) = probing(&cfg, 12);
    let store = dir.path().join("probes.sqlite");
    // Wait for a first record, then hold the write lock for 7 s.
    let began = Instant::now();
    while Store::open(&store).unwrap().count().unwrap() == 0 {
        assert!(began.elapsed() < Duration::from_secs(30), "no first record");
        std::thread::sleep(Duration::from_millis(100));
    }
    let locker = rusqlite::Connection::open(&store).unwrap();
    locker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    std::thread::sleep(Duration::from_secs(7));
    locker.execute_batch("COMMIT").unwrap();
    let o = child.wait_with_output().unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{rest:?}\n{stderr}");
    assert!(
        stderr.contains("probe record(s) wait in memory, retried until the store takes them")
            && stderr.contains("store: writing again"),
        "{stderr}"
    );
    let mut due = Vec::new();
    Store::open(&store)
        .unwrap()
        .scan(0, i64::MAX, |r| due.push(r.scheduled_ms))
        .unwrap();
    assert!(due.len() >= 10, "{} records", due.len());
    assert!(
        due.windows(2).all(|w| w[1] - w[0] == 1000),
        "a slot is missing: {due:?}"
    );
}

/// A second `vigie probe` on the same store exits 2 naming the first (it used to run beside
/// it, every notification sent twice); once the first is killed, the store is free again.
#[test]
fn a_second_probe_on_one_store_is_refused_naming_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        "[[probes]]\napi = \"statut-usager\"\nversion = \"n\"\ninterval_s = 5\n",
        "",
    );
    let (mut first, _lines) = probing(&cfg, 60);
    let second = support::vigie()
        .arg("probe")
        .arg("--config")
        .arg(&cfg)
        .arg("--once")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{err}");
    assert!(
        err.contains("another vigie probe already writes to the store")
            && err.contains(&format!("(pid {} on ", first.id())),
        "{err}"
    );
    // kill -9: the operating system releases the lock with the process.
    first.kill().unwrap();
    first.wait().unwrap();
    let third = support::vigie()
        .arg("probe")
        .arg("--config")
        .arg(&cfg)
        .arg("--once")
        .output()
        .unwrap();
    assert_eq!(
        third.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&third.stderr)
    );
}

/// Sends a signal to a child process (the `kill` of procps).
pub fn signal(child: &std::process::Child, name: &str) {
    let ok = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{name}");
}

/// The stderr lines of a child, as they come (drained, so the child never blocks on a full
/// pipe).
pub fn stderr_lines(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let err = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in err.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

/// Waits for a stderr line containing `needle` (`limit` at most), returning the lines before it.
pub fn wait_for_line(
    lines: &std::sync::mpsc::Receiver<String>,
    needle: &str,
    limit: Duration,
) -> Vec<String> {
    let mut seen = Vec::new();
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(l) if l.contains(needle) => return seen,
            Ok(l) => seen.push(l),
            Err(_) => panic!("no line with {needle:?} on stderr; saw {seen:?}"),
        }
    }
}

/// Due times of a target's stored records, oldest first (none while `vigie probe` has not
/// created its store: opened read-only, never created here).
fn due_times(dir: &Path, key: &str) -> Vec<i64> {
    let Ok(conn) = rusqlite::Connection::open_with_flags(
        dir.join("probes.sqlite"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    ) else {
        return Vec::new();
    };
    let Ok(mut st) = conn.prepare(
        "SELECT p.scheduled_ms FROM probes p JOIN targets t ON t.id = p.target_id
         WHERE t.key = ?1 ORDER BY p.scheduled_ms",
    ) else {
        return Vec::new();
    };
    st.query_map([key], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn sighup_reloads_the_intervals_refuses_a_bad_config_and_sigterm_stops_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let probes = "[[probes]]\napi = \"statut-usager\"\nversion = \"n\"\ninterval_s = 1\n";
    let cfg = config(dir.path(), probes, "");
    let mut child = support::vigie()
        .args(["probe", "--config"])
        .arg(&cfg)
        .args(["--for-seconds", "60"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stderr_lines(&mut child);
    let key = "statut-usager/v2/recuperer-contrat";
    let wait = |what: &str, done: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !done() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    wait("three records at 1 s", &|| {
        due_times(dir.path(), key).len() >= 3
    });
    // A bad configuration: refused with the reason, the probe goes on as it was.
    std::fs::write(
        &cfg,
        "[store]\npath = \"probes.sqlite\"\n[[probes]]\napi = \"nope\"\n",
    )
    .unwrap();
    signal(&child, "HUP");
    wait_for_line(
        &lines,
        "the configuration is refused, the running one is kept",
        Duration::from_secs(20),
    );
    let before = due_times(dir.path(), key).len();
    wait("probes after the refusal", &|| {
        due_times(dir.path(), key).len() >= before + 2
    });
    // A good one: every 3 s from now on, without a restart.
    config(
        dir.path(),
        &probes.replace("interval_s = 1", "interval_s = 3"),
        "",
    );
    signal(&child, "HUP");
    wait_for_line(
        &lines,
        "SIGHUP: configuration reloaded: 1 target(s)",
        Duration::from_secs(20),
    );
    let reloaded_at = *due_times(dir.path(), key).last().unwrap();
    wait("three records at 3 s", &|| {
        due_times(dir.path(), key)
            .iter()
            .filter(|t| **t > reloaded_at)
            .count()
            >= 3
    });
    signal(&child, "TERM");
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "a service stopped by SIGTERM exits 0"
    );
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    assert!(out.contains("stopped by SIGTERM"), "{out}");
    assert!(out.contains("stored: "), "the summary: {out}");
    let times = due_times(dir.path(), key);
    let steps: Vec<i64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    // (due time, step to the next): before the reload every 1 s, after it every 3 s.
    let pairs = times.windows(2).map(|w| (w[0], w[1] - w[0]));
    let old: Vec<i64> = pairs
        .clone()
        .filter(|(at, _)| *at < reloaded_at)
        .map(|p| p.1)
        .collect();
    let new: Vec<i64> = pairs
        .filter(|(at, _)| *at >= reloaded_at)
        .map(|p| p.1)
        .collect();
    assert!(old.iter().all(|s| *s == 1000), "{steps:?}");
    assert!(
        new.len() >= 3 && new.iter().all(|s| *s == 3000),
        "{steps:?}"
    );
}

/// `/healthz` says the process answers; `/readyz` says whether it does its job, and which
/// check fails: here the store, while another connection holds its write lock.
#[test]
fn healthz_and_readyz_say_alive_and_ready_or_which_check_fails() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        "[[probes]]\napi = \"statut-usager\"\nversion = \"n\"\ninterval_s = 1\n",
        "[metrics]\nlisten = \"127.0.0.1:0\"\n",
    );
    let (mut child, addr) = start(&cfg);
    let store = dir.path().join("probes.sqlite");
    let began = Instant::now();
    while due_times(dir.path(), "statut-usager/v2/recuperer-contrat").is_empty() {
        assert!(began.elapsed() < Duration::from_secs(30), "no first record");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(support::get(&addr, "/healthz"), (200, "ok\n".to_string()));
    let ready = |want: u16| {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let (status, body) = support::get(&addr, "/readyz");
            if status == want {
                return serde_json::from_str::<serde_json::Value>(&body).unwrap();
            }
            assert!(Instant::now() < deadline, "/readyz stays {status}: {body}");
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    let r = ready(200);
    assert_eq!(r["ready"], true, "{r}");
    let names: Vec<&str> = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["store", "scheduler", "outbox"]);
    // The store refuses writes: not ready, and the store check says why.
    let locker = rusqlite::Connection::open(&store).unwrap();
    locker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let r = ready(503);
    assert_eq!(r["checks"][0]["ok"], false, "{r}");
    assert!(
        r["checks"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("refuses writes"),
        "{r}"
    );
    locker.execute_batch("COMMIT").unwrap();
    ready(200);
    // The heartbeat and the last probe's time, for the dead man's switch rules.
    let text = support::scrape(&addr);
    assert!(
        text.contains("vigie_heartbeat_timestamp_seconds "),
        "{text}"
    );
    assert!(
        text.contains("vigie_last_probe_timestamp_seconds "),
        "{text}"
    );
    support::assert_promtool_accepts(&text);
    signal(&child, "TERM");
    assert_eq!(child.wait().unwrap().code(), Some(0));
}
