//! Incidents and notifications end to end: `vigie probe` against its embedded simulators with
//! an injected outage, a real SMTP server on 127.0.0.1 (Python aiosmtpd, installed by
//! `.ci/run`) and a real HTTP webhook receiver; the SMTP server down then back; a `kill -9`
//! with notifications pending; the `vigie incidents` commands.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use crate::support;
use crate::support::smtp::{Sink, subject};

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The text of a mail's body, quoted-printable decoded (soft line breaks joined).
fn body_text(mail: &str) -> String {
    let body = mail
        .split_once("\r\n\r\n")
        .or_else(|| mail.split_once("\n\n"))
        .map_or(mail, |(_, b)| b);
    let joined = body.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'=' && i + 2 < bytes.len())
            .then(|| u8::from_str_radix(&joined[i + 1..i + 3], 16).ok())
            .flatten();
        if let Some(b) = hex {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// A webhook receiver on 127.0.0.1: records (Idempotency-Key header, JSON body).
struct Hook {
    url: String,
    seen: Arc<Mutex<Vec<(String, serde_json::Value)>>>,
    _thread: std::thread::JoinHandle<()>,
}

impl Hook {
    fn start() -> Hook {
        let seen: Arc<Mutex<Vec<(String, serde_json::Value)>>> = Arc::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let store = seen.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let app = axum::Router::new().route(
                    "/hook",
                    axum::routing::post(
                        move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                            let store = store.clone();
                            async move {
                                let key = headers
                                    .get("idempotency-key")
                                    .and_then(|v| v.to_str().ok())
                                    .unwrap_or_default()
                                    .to_string();
                                let v = serde_json::from_slice(&body)
                                    .unwrap_or(serde_json::Value::Null);
                                store.lock().unwrap().push((key, v));
                                "ok"
                            }
                        },
                    ),
                );
                let l = tokio::net::TcpListener::from_std(listener).unwrap();
                // Stops with the test process; bounded by the test's own run.
                let _ = axum::serve(l, app).await;
            });
        });
        Hook {
            url,
            seen,
            _thread: thread,
        }
    }

    fn bodies(&self) -> Vec<(String, serde_json::Value)> {
        self.seen.lock().unwrap().clone()
    }
}

/// A probe config: statut-usager n every second, incidents after 2 failures, resolved after
/// 2 answers, email (and a webhook when given).
fn config(dir: &Path, smtp_port: u16, hook: Option<&str>, auth: bool) -> PathBuf {
    let mut text = format!(
        r#"[store]
path = "probes.sqlite"
[probe]
interval_s = 1
timeout_s = 2
[[probes]]
api = "statut-usager"
version = "n"
[alerts]
open_after_failures = 2
resolve_after_successes = 2
evidence_url = "http://127.0.0.1:3000/d/vigie?incident={{id}}"
[alerts.email]
server = "127.0.0.1"
port = {smtp_port}
from = "Vigie <vigie@departement.example.fr>"
to = ["supervision@departement.example.fr"]
"#
    );
    if auth {
        text.push_str("username_env = \"TEST_SMTP_USER\"\npassword_env = \"TEST_SMTP_PASSWORD\"\n");
    }
    if let Some(url) = hook {
        text.push_str(&format!(
            "[alerts.webhook]\nurl = \"{url}\"\ntemplate = \"generic\"\n"
        ));
    }
    let path = dir.join("vigie.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Simulators whose statut-usager n is out from `from` to `to` (epoch ms).
fn outage(dir: &Path, from: i64, to: i64) -> PathBuf {
    let path = dir.join("sim.toml");
    std::fs::write(
        &path,
        format!(
            "[[faults]]\napi = \"statut-usager\"\nversion = \"n\"\noutages = [{{ from_ms = {from}, to_ms = {to} }}]\n"
        ),
    )
    .unwrap();
    path
}

fn probe(cfg: &Path, sim: &Path, seconds: u64) -> Command {
    let mut c = support::vigie();
    c.args(["probe", "--config"])
        .arg(cfg)
        .arg("--sim-config")
        .arg(sim)
        .args(["--for-seconds", &seconds.to_string()])
        .env("TEST_SMTP_USER", "vigie-relay")
        .env("TEST_SMTP_PASSWORD", "Sm7p-pa55word-never-printed");
    c
}

/// Serves the metrics (and the status page) of the probe configuration on a free port.
fn with_metrics(cfg: &Path) {
    let text = std::fs::read_to_string(cfg).unwrap().replace(
        "[alerts]\n",
        "[metrics]\nlisten = \"127.0.0.1:0\"\n[alerts]\n",
    );
    std::fs::write(cfg, text).unwrap();
}

/// The address of the metrics listener, from the first line `vigie probe` prints.
fn listener_of(child: &mut Child) -> String {
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    std::thread::spawn(move || for _ in out.lines() {});
    first
        .trim()
        .strip_prefix("metrics: http://")
        .and_then(|a| a.strip_suffix("/metrics"))
        .unwrap_or_else(|| panic!("{first}"))
        .to_string()
}

/// `vigie incidents open --kind security` on statut-usager; what it printed.
fn declare_breach(cfg: &Path, summary: &str) -> String {
    let o = support::vigie()
        .args(["incidents", "open", "--kind", "security"])
        .args(["--api", "statut-usager", "--summary", summary, "--config"])
        .arg(cfg)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn incidents_json(cfg: &Path) -> serde_json::Value {
    let o = support::vigie()
        .args(["incidents", "list", "--all", "--json", "--config"])
        .arg(cfg)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// No secret and no token; and, with `digits`, no NIR-like run of 13 to 15 digits (the
/// outputs written for people carry none; the SQLite file holds epoch milliseconds).
fn assert_clean_of(what: &str, text: &str, digits: bool) {
    for needle in [
        "Sm7p-pa55word-never-printed",
        simulators::config::DEMO_CLIENT_SECRET,
        "Bearer",
        "ft-jeton",
        "access_token",
    ] {
        assert!(!text.contains(needle), "{what} contains {needle:?}");
    }
    if digits {
        let nir = text
            .split(|c: char| !c.is_ascii_digit())
            .find(|run| (13..=15).contains(&run.len()));
        assert!(nir.is_none(), "{what} holds a NIR-like number {nir:?}");
    }
}

fn assert_clean(what: &str, text: &str) {
    assert_clean_of(what, text, true);
}

#[test]
fn an_outage_sends_one_email_and_one_webhook_then_one_resolution_each() {
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let sink = Sink::start(
        port,
        &dir.path().join("mail"),
        &[
            ("SINK_USER", "vigie-relay"),
            ("SINK_PASSWORD", "Sm7p-pa55word-never-printed"),
        ],
    );
    let hook = Hook::start();
    let cfg = config(dir.path(), port, Some(&hook.url), true);
    let from = support::now_ms() + 3000;
    let sim = outage(dir.path(), from, from + 5000);
    let o = probe(&cfg, &sim, 14).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.code().is_some(), "{stderr}");
    assert!(stdout.contains("alerts: email, webhook"), "{stdout}");
    assert!(stderr.contains("incident #1 opened"), "{stderr}");
    assert!(stderr.contains("incident #1 resolved"), "{stderr}");

    let mails = sink.mails();
    let subjects: Vec<String> = mails.iter().map(|(_, m)| subject(m)).collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(
        subjects[0].starts_with("[vigie] OPENED #1: availability incident on statut-usager v2"),
        "{subjects:?}"
    );
    assert!(
        subjects[1].starts_with("[vigie] RESOLVED #1"),
        "{subjects:?}"
    );
    let opened = &mails[0].1;
    assert!(opened.contains("Message-ID: <"), "{opened}");
    assert!(opened.contains("-1-opened@vigie>"), "{opened}");
    assert!(opened.contains("statut-usager/v2/recuperer-contrat"));
    assert!(
        opened.contains("within 1 h"),
        "the deadline that runs: {opened}"
    );
    assert!(
        opened.contains("vigie incidents show 1 --config"),
        "{opened}"
    );
    assert!(
        opened.contains("incident=3D1") || opened.contains("incident=1"),
        "{opened}"
    );
    // From the outage's start to the email in the server: the figure BENCHMARKS.md reports.
    let delay = mails[0].0 - from;
    eprintln!("time to email: {delay} ms (probe interval 1 s, 2 failures to confirm)");
    assert!(delay > 0);

    let bodies = hook.bodies();
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert_eq!(bodies[0].1["event"], "opened");
    assert_eq!(bodies[1].1["event"], "resolved");
    for (key, body) in &bodies {
        assert_eq!(
            body["key"].as_str(),
            Some(key.as_str()),
            "Idempotency-Key = key"
        );
        assert_eq!(body["incident"]["api"], "statut-usager");
        assert_eq!(body["incident"]["version"], "v2");
    }
    assert_eq!(bodies[0].1["incident"]["errors"]["status 503"], 2);

    for (what, text) in [
        ("stdout", stdout.clone()),
        ("stderr", stderr.clone()),
        (
            "mail",
            mails.iter().map(|(_, m)| m.clone()).collect::<String>(),
        ),
        ("webhook", serde_json::to_string(&bodies).unwrap()),
    ] {
        assert_clean(what, &text);
    }
    let store = std::fs::read(dir.path().join("probes.sqlite")).unwrap();
    assert_clean_of("store", &String::from_utf8_lossy(&store), false);

    // The incident commands on the same store.
    let list = incidents_json(&cfg);
    assert_eq!(list[0]["state"], "resolved");
    assert_eq!(list[0]["kind"], "availability");
    let run = |args: &[&str]| {
        let o = support::vigie()
            .args(["incidents"])
            .args(args)
            .arg("--config")
            .arg(&cfg)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let (code, show, _) = run(&["show", "1"]);
    assert_eq!(code, Some(0));
    assert!(
        show.contains("email") && show.contains("delivered"),
        "{show}"
    );
    assert!(show.contains("webhook"), "{show}");
    let (code, _, _) = run(&["ack", "1", "--by", "supervision", "--pe-informed"]);
    assert_eq!(code, Some(0));
    let report = dir.path().join("prediag.md");
    let (code, _, _) = run(&["report", "1", "--out", report.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    let md = std::fs::read_to_string(&report).unwrap();
    for part in [
        "# Pre-diagnosis — incident #1",
        "| API and version | statut-usager v2 |",
        "## Timeline (Paris time)",
        "## Evidence",
        "status 503",
        "## What was checked on the partner's side",
        "No failure on the partner's side",
        "Return to service tested",
        "| Pôle emploi informs the partner | 1 h |",
        "acknowledged by supervision",
    ] {
        assert!(md.contains(part), "{part:?} missing:\n{md}");
    }
    assert_clean("pre-diagnosis", &md);
    let (code, out, _) = run(&["close", "1"]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(incidents_json(&cfg)[0]["state"], "closed");
    let (code, _, err) = run(&["close", "7"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no incident #7"), "{err}");
    // A declared breach: 48 h to communicate; closing needs what was verified.
    let (code, out, _) = run(&[
        "open",
        "--kind",
        "security",
        "--api",
        "recherche-usager",
        "--version",
        "n",
        "--summary",
        "client secret exposed in a CI log",
    ]);
    assert_eq!(code, Some(0), "{out}");
    let (code, _, err) = run(&["close", "2"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--verified"), "{err}");
    let (code, _, _) = run(&[
        "close",
        "2",
        "--verified",
        "secret rotated, old one refused",
    ]);
    assert_eq!(code, Some(0));
}

#[test]
fn the_smtp_server_down_during_the_outage_then_back_still_gets_exactly_one_email() {
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let cfg = config(dir.path(), port, None, false);
    let from = support::now_ms() + 2000;
    let sim = outage(dir.path(), from, from + 3000);
    let child = probe(&cfg, &sim, 22)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // No SMTP server until both notifications failed at least once.
    let store = dir.path().join("probes.sqlite");
    wait_until("the resolution", Duration::from_secs(30), || {
        store.exists() && {
            let v = incidents_json(&cfg);
            v.as_array()
                .is_some_and(|a| a.iter().any(|i| i["state"] == "resolved"))
        }
    });
    std::thread::sleep(Duration::from_secs(1));
    let o = support::vigie()
        .args(["incidents", "show", "1", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    let show = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        show.contains("pending after"),
        "failed attempts are recorded: {show}"
    );
    let sink = Sink::start(port, &dir.path().join("mail"), &[]);
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success() || o.status.code() == Some(1));
    let subjects: Vec<String> = sink.mails().iter().map(|(_, m)| subject(m)).collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(subjects[0].contains("OPENED #1"), "{subjects:?}");
    assert!(subjects[1].contains("RESOLVED #1"), "{subjects:?}");
}

#[test]
fn a_kill_9_with_notifications_pending_loses_none_and_sends_each_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let cfg = config(dir.path(), port, None, false);
    with_metrics(&cfg);
    let from = support::now_ms() + 1500;
    // An outage that lasts past the kill.
    let sim = outage(dir.path(), from, from + 60_000);
    let mut child = probe(&cfg, &sim, 60)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let addr = listener_of(&mut child);
    let lines = crate::probe::stderr_lines(&mut child);
    crate::probe::wait_for_line(&lines, "incident #1 opened", Duration::from_secs(60));
    // The metrics say it, and promtool reads them.
    let mut metrics = String::new();
    wait_until(
        "the metrics of the incident",
        Duration::from_secs(10),
        || {
            metrics = support::scrape(&addr);
            metrics.contains("vigie_notifications_pending{channel=\"email\"} 1")
        },
    );
    assert!(
        metrics.contains(
            "vigie_incidents_open{api=\"statut-usager\",kind=\"availability\",version=\"v2\"} 1"
        ),
        "{metrics}"
    );
    support::assert_promtool_accepts(&metrics);
    // The event is committed with its notification: kill now, SMTP never reached.
    child.kill().unwrap();
    child.wait().unwrap();
    let sink = Sink::start(port, &dir.path().join("mail"), &[]);
    assert!(sink.mails().is_empty());
    // Restart on healthy simulators: the pending email goes out, the probes resolve it.
    let healthy = dir.path().join("healthy.toml");
    std::fs::write(&healthy, "").unwrap();
    let o = probe(&cfg, &healthy, 5).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("incident #1 resolved"), "{stderr}");
    let subjects: Vec<String> = sink.mails().iter().map(|(_, m)| subject(m)).collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(subjects[0].contains("OPENED #1"), "{subjects:?}");
    assert!(subjects[1].contains("RESOLVED #1"), "{subjects:?}");
    // A third run sends nothing again.
    let o = probe(&cfg, &healthy, 2).output().unwrap();
    assert!(o.status.code().is_some());
    assert_eq!(sink.mails().len(), 2);
}

/// A CA and a certificate for 127.0.0.1 signed by it (openssl), as an internal relay has.
fn relay_certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let o = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=Vigie test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "relay.key",
        "-out",
        "relay.csr",
    ]);
    std::fs::write(
        dir.join("relay.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "relay.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-out",
        "relay.pem",
        "-extfile",
        "relay.ext",
    ]);
    (
        dir.join("ca.pem"),
        dir.join("relay.pem"),
        dir.join("relay.key"),
    )
}

#[test]
fn starttls_with_the_relays_own_ca_and_authentication() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = relay_certificates(dir.path());
    let port = support::free_port();
    let sink = Sink::start(
        port,
        &dir.path().join("mail"),
        &[
            ("SINK_USER", "vigie-relay"),
            ("SINK_PASSWORD", "Sm7p-pa55word-never-printed"),
            ("SINK_TLS_CERT", cert.to_str().unwrap()),
            ("SINK_TLS_KEY", key.to_str().unwrap()),
        ],
    );
    let cfg = config(dir.path(), port, None, true);
    let text = std::fs::read_to_string(&cfg).unwrap().replace(
        "[alerts.email]\n",
        &format!(
            "[alerts.email]\nsecurity = \"starttls\"\nca_file = \"{}\"\n",
            ca.display()
        ),
    );
    std::fs::write(&cfg, text).unwrap();
    let healthy = dir.path().join("healthy.toml");
    std::fs::write(&healthy, "").unwrap();
    let declare = |summary: &str| {
        declare_breach(&cfg, summary);
    };
    // A declared breach: its notification goes out with the next probe run, over STARTTLS.
    declare("client secret exposed in a CI log");
    let o = probe(&cfg, &healthy, 2).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    let subjects: Vec<String> = sink.mails().iter().map(|(_, m)| subject(m)).collect();
    assert_eq!(subjects.len(), 1, "{subjects:?} {stderr}");
    assert!(
        subjects[0].starts_with("[vigie] OPENED #1: security incident on statut-usager v2"),
        "{subjects:?}"
    );
    assert!(
        sink.mails()[0].1.contains("communicated within 48 h"),
        "{}",
        sink.mails()[0].1
    );
    // Without the relay's CA the certificate is refused: nothing sent, the message waits.
    let text = std::fs::read_to_string(&cfg).unwrap();
    let without = text
        .lines()
        .filter(|l| !l.starts_with("ca_file"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&cfg, without).unwrap();
    declare("a second one");
    let o = probe(&cfg, &healthy, 2).output().unwrap();
    assert!(o.status.code().is_some());
    assert_eq!(sink.mails().len(), 1);
    let show = support::vigie()
        .args(["incidents", "show", "2", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    let show = String::from_utf8_lossy(&show.stdout).to_string();
    assert!(show.contains("pending after"), "{show}");
    assert_clean("incident", &show);
}

#[test]
fn sigterm_during_an_outage_exits_0_and_delivers_the_pending_email() {
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let cfg = config(dir.path(), port, None, false);
    let sink = Sink::start(port, &dir.path().join("mail"), &[]);
    let from = support::now_ms() + 1500;
    let sim = outage(dir.path(), from, from + 60_000);
    let mut child = probe(&cfg, &sim, 60)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = crate::probe::stderr_lines(&mut child);
    crate::probe::wait_for_line(&lines, "incident #1 opened", Duration::from_secs(60));
    // What systemd sends to stop a service, right after the incident opened.
    crate::probe::signal(&child, "TERM");
    let status = child.wait().unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    assert_eq!(status.code(), Some(0), "{out}");
    assert!(out.contains("stopped by SIGTERM"), "{out}");
    // The email went out (at once, or in the last try of the outbox before exiting).
    let subjects: Vec<String> = sink.mails().iter().map(|(_, m)| subject(m)).collect();
    assert_eq!(subjects.len(), 1, "{subjects:?}");
    assert!(subjects[0].contains("OPENED #1"), "{subjects:?}");
    // And the incident is in the store, still open (the outage goes on).
    let incidents = incidents_json(&cfg);
    assert_eq!(incidents.as_array().unwrap().len(), 1, "{incidents}");
}

/// A security breach declared by hand: sent within seconds by the `vigie probe` running on the
/// store; with none running, `vigie incidents deliver` sends it, once.
#[test]
fn incidents_declared_by_hand_go_out_with_or_without_a_running_probe() {
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let cfg = config(dir.path(), port, None, false);
    let sink = Sink::start(port, &dir.path().join("mail"), &[]);
    let declare = |summary: &str| declare_breach(&cfg, summary);
    let deliver = || {
        let o = support::vigie()
            .args(["incidents", "deliver", "--config"])
            .arg(&cfg)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    // No probe runs: nothing goes out until asked.
    let said = declare("Accès anormal constaté dans nos journaux");
    assert!(said.contains("vigie incidents deliver"), "{said}");
    std::thread::sleep(Duration::from_millis(500));
    assert!(sink.mails().is_empty());
    let said = deliver();
    assert!(said.contains("1 delivered, 0 failed"), "{said}");
    assert_eq!(sink.mails().len(), 1);
    assert!(subject(&sink.mails()[0].1).contains("OPENED #1"));
    assert!(deliver().contains("0 delivered"), "sent once");
    // A probe runs on the store: it sends a new declaration within seconds, and `deliver`
    // leaves it to it.
    let healthy = dir.path().join("healthy.toml");
    std::fs::write(&healthy, "").unwrap();
    let mut child = probe(&cfg, &healthy, 60)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("probing") {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "vigie stopped early");
    }
    declare("Second accès anormal");
    wait_until("the second email", Duration::from_secs(10), || {
        sink.mails().len() == 2
    });
    assert!(subject(&sink.mails()[1].1).contains("OPENED #2"));
    assert!(deliver().contains("delivers the outbox itself"));
    crate::probe::signal(&child, "TERM");
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert_eq!(sink.mails().len(), 2, "each sent once");
}

/// The log of `vigie probe --log-format json`: one JSON object per line, each with its Paris
/// timestamp (offset included), level and `event`; the outage's state changes are there
/// (outcome, incident, notification), and nothing personal or secret. `RUST_LOG=warn` keeps
/// the warnings only.
#[test]
fn the_json_log_has_one_event_per_state_change_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let cfg = config(dir.path(), port, None, true);
    let sink = Sink::start(
        port,
        &dir.path().join("mail"),
        &[
            ("SINK_USER", "vigie-relay"),
            ("SINK_PASSWORD", "Sm7p-pa55word-never-printed"),
        ],
    );
    let from = support::now_ms() + 1500;
    let sim = outage(dir.path(), from, from + 60_000);
    let o = probe(&cfg, &sim, 7)
        .args(["--log-format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert_clean("the log", &stderr);
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    for e in &events {
        let at = e["timestamp"].as_str().unwrap();
        assert!(
            at.len() == 29 && (at.ends_with("+01:00") || at.ends_with("+02:00")),
            "{at}"
        );
        assert!(e["level"].is_string() && e["event"].is_string(), "{e}");
    }
    let find = |event: &str, key: &str, value: &str| {
        events
            .iter()
            .find(|e| e["event"] == event && e[key] == value)
            .unwrap_or_else(|| panic!("no {event} with {key} = {value}: {stderr}"))
    };
    find("probe_outcome", "to", "down");
    let opened = find("incident", "change", "opened");
    assert_eq!(opened["api"], "statut-usager");
    assert_eq!(opened["level"], "WARN");
    find("notification_delivered", "channel", "email");
    assert!(!sink.mails().is_empty());
    // Warnings only.
    let o = probe(&cfg, &sim, 3)
        .args(["--log-format", "json"])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    for l in stderr.lines() {
        let e: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_ne!(e["level"], "INFO", "{l}");
    }
}

/// Credentials the platform refuses: the probes are blind. One partner-side incident (not one
/// per API), one email telling the partner's team what to fix, and Pôle emploi's availability
/// untouched (the time is excluded, nothing is down).
#[test]
fn refused_credentials_open_one_partner_side_incident_that_says_what_to_fix() {
    let (mut sim, base) = crate::probe::simulate();
    let dir = tempfile::tempdir().unwrap();
    crate::probe::dataset_in(dir.path());
    let port = support::free_port();
    let sink = Sink::start(port, &dir.path().join("mail"), &[]);
    let cfg = dir.path().join("vigie.toml");
    std::fs::write(
        &cfg,
        format!(
            r#"[target]
base_url = "{base}"
dataset = "d.json"
client_id_env = "PARTNER_ID"
client_secret_env = "PARTNER_SECRET"
[store]
path = "probes.sqlite"
[probe]
interval_s = 1
[[probes]]
api = "statut-usager"
version = "n"
[[probes]]
api = "recherche-usager"
version = "n"
[alerts]
open_after_failures = 2
[alerts.email]
server = "127.0.0.1"
port = {port}
from = "Vigie <vigie@departement.example.fr>"
to = ["supervision@departement.example.fr"]
"#
        ),
    )
    .unwrap();
    let o = support::vigie()
        .args(["probe", "--for-seconds", "5", "--config"])
        .arg(&cfg)
        .env("PARTNER_ID", "vigie-demo")
        .env("PARTNER_SECRET", "an-expired-secret")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    sim.kill().unwrap();
    sim.wait().unwrap();
    assert_clean("the log", &stderr);
    assert!(!stderr.contains("an-expired-secret"));
    let incidents = incidents_json(&cfg);
    let list = incidents.as_array().unwrap();
    assert_eq!(list.len(), 1, "one for every API: {incidents}");
    assert_eq!(list[0]["kind"], "partner-side", "{incidents}");
    let mails = sink.mails();
    assert_eq!(mails.len(), 1, "{stderr}");
    assert!(
        subject(&mails[0].1).contains("OPENED #1: partner-side incident"),
        "{}",
        mails[0].1
    );
    let mail = &body_text(&mails[0].1);
    assert!(
        mail.contains(
            "What to fix: the token endpoint refuses our credentials: renew the client secret"
        ),
        "{mail}"
    );
    assert!(mail.contains("Not counted against Pôle emploi"), "{mail}");
    // Pôle emploi's month: nothing down, the blind time excluded.
    let o = support::vigie()
        .args(["report", "--format", "json", "--month"])
        .arg(crate::probe::current_month())
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)));
    for api in report["apis"].as_array().unwrap() {
        assert_eq!(api["down_ms"], 0, "{api}");
        assert!(api["excluded_ms"].as_i64().unwrap() > 0, "{api}");
    }
}

/// The live status page (`/` on the metrics listener) during an outage: the API down first,
/// the open incident with its running 1 h clock; self-contained, refreshing, for a phone. In
/// a real browser when one is installed (Chromium): its DOM holds the sparklines, and its
/// screenshot is kept in `target/status-page.png` to look at.
#[test]
fn the_status_page_shows_the_outage_and_its_running_clock() {
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let cfg = config(dir.path(), port, None, false);
    with_metrics(&cfg);
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("api = \"statut-usager\"\n", "api = \"*\"\n"),
    )
    .unwrap();
    let from = support::now_ms() + 1500;
    let sim = outage(dir.path(), from, from + 60_000);
    let mut child = probe(&cfg, &sim, 60)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let addr = listener_of(&mut child);
    let mut page = String::new();
    wait_until(
        "the incident on the status page",
        Duration::from_secs(20),
        || {
            let (status, body) = support::get(&addr, "/");
            page = body;
            status == 200 && page.contains("#1 availability incident on statut-usager v2")
        },
    );
    crate::probe::signal(&child, "TERM");
    child.wait().unwrap();
    for needle in [
        "<meta http-equiv=\"refresh\" content=\"15\">",
        "<meta name=\"viewport\"",
        "vigie — something is wrong",
        "Pôle emploi informs the partner within 1 h: due",
        " min left</b>",
        "aria-label=\"last 24 hours of statut-usager v2\"",
    ] {
        assert!(page.contains(needle), "{needle}: {page}");
    }
    // The API down comes first.
    let first_card = page.split("<section class=\"card\">").nth(1).unwrap();
    assert!(
        first_card.starts_with(
            "<h2>statut-usager v2 <span class=\"state\" style=\"background:#c62828\">down"
        ),
        "{first_card}"
    );
    for needle in ["<script", "<link", "<img", "src="] {
        assert!(!page.contains(needle), "{needle}");
    }
    assert_clean("the status page", &page);
    // In a real browser, when there is one.
    let browser = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok());
    if let Some(browser) = browser {
        let file = dir.path().join("status.html");
        std::fs::write(&file, &page).unwrap();
        let url = format!("file://{}", file.display());
        let shot = support::repo().join("target/status-page.png");
        let headless = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--proxy-server=127.0.0.1:9",
        ];
        let dom = Command::new(browser)
            .args(headless)
            .args(["--dump-dom", &url])
            .output()
            .unwrap();
        let dom = String::from_utf8_lossy(&dom.stdout);
        assert!(dom.matches("<svg").count() >= 5, "{dom}");
        let o = Command::new(browser)
            .args(headless)
            .arg(format!("--screenshot={}", shot.display()))
            .args(["--window-size=420,1200", &url])
            .output()
            .unwrap();
        assert!(o.status.success() && shot.exists());
    } else {
        // CI installs it (.ci/run): there, a missing browser is a failure, not a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must check the status page in Chromium: install Debian's chromium"
        );
        eprintln!("no Chromium here: the status page is checked as HTML only");
    }
}

/// Quick re-probes: with a 20 s grid, a failure is probed again every second, so the outage
/// is confirmed (3 failures) about 2 s after the grid first sees it instead of 40 s later; the
/// re-probes reach the engine only, the store keeps the grid.
#[test]
fn a_failure_is_confirmed_by_quick_re_probes_not_by_the_grid() {
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let cfg = config(dir.path(), port, None, false);
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace(
            "interval_s = 1\n",
            "interval_s = 20\nconfirm_interval_s = 1\n",
        )
        .replace("open_after_failures = 2\n", "open_after_failures = 3\n");
    std::fs::write(&cfg, text).unwrap();
    let sink = Sink::start(port, &dir.path().join("mail"), &[]);
    let from = support::now_ms() + 4_000;
    let sim = outage(dir.path(), from, from + 120_000);
    let mut child = probe(&cfg, &sim, 60)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = crate::probe::stderr_lines(&mut child);
    crate::probe::wait_for_line(&lines, "incident #1 opened", Duration::from_secs(60));
    let opened_after = support::now_ms() - from;
    crate::probe::signal(&child, "TERM");
    assert_eq!(child.wait().unwrap().code(), Some(0));
    // The grid's second probe (within 20 s of the outage) fails, then two re-probes 1 s apart.
    assert!(
        opened_after < 30_000,
        "opened {opened_after} ms after the outage began: the grid alone needs 40 s more"
    );
    wait_until("the email", Duration::from_secs(10), || {
        !sink.mails().is_empty()
    });
    // The store holds the grid only: every due time 20 s apart.
    let store = harness::store::Store::open(&dir.path().join("probes.sqlite")).unwrap();
    let mut due = Vec::new();
    store
        .scan(0, i64::MAX, |r| due.push(r.scheduled_ms))
        .unwrap();
    assert!(due.len() >= 2, "{due:?}");
    assert!(due.windows(2).all(|w| w[1] - w[0] == 20_000), "{due:?}");
}
