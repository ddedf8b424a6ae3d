//! Two `vigie probe` instances on one PostgreSQL store (a throwaway cluster of Debian's
//! PostgreSQL, started by the test): the targets shared out between them, the one probing the
//! failing API killed with SIGKILL in the middle of the outage, and then: no target left
//! unobserved longer than one interval, one incident, each notification delivered once.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use database::cluster::Cluster;

use crate::support;
use crate::support::smtp::{Sink, subject};

const INTERVAL_MS: i64 = 3000;

/// A probe config on the shared store: three APIs every 3 s, a 1 s lease, incidents after 2
/// failures, resolved after 2 answers, email.
fn config(dir: &Path, store: &str, password: &Path, smtp_port: u16) -> std::path::PathBuf {
    let text = format!(
        r#"[store]
url = "{store}"
password_file = "{password}"
lease_s = 1
[probe]
interval_s = {interval}
timeout_s = 2
[[probes]]
api = "statut-usager"
version = "n"
[[probes]]
api = "recherche-usager"
version = "n"
[[probes]]
api = "diagnostic-individu"
version = "n"
[alerts]
open_after_failures = 2
resolve_after_successes = 2
[alerts.email]
server = "127.0.0.1"
port = {smtp_port}
from = "Vigie <vigie@departement.example.fr>"
to = ["supervision@departement.example.fr"]
"#,
        password = password.display(),
        interval = INTERVAL_MS / 1000,
    );
    let path = dir.join("vigie.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// An instance and what it logged so far.
struct Instance {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Instance {
    fn start(cfg: &Path, sim: &Path, seconds: u64) -> Instance {
        let mut child = support::vigie()
            .args(["probe", "--config"])
            .arg(cfg)
            .arg("--sim-config")
            .arg(sim)
            .args(["--for-seconds", &seconds.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (err, into) = (child.stderr.take().unwrap(), log.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                into.lock().unwrap().push(line);
            }
        });
        Instance { child, log }
    }

    fn logged(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Its last share, if the store is shared by two: does it probe `target`?
    fn probes_now(&self, target: &str) -> Option<bool> {
        let log = self.log.lock().unwrap();
        let last = log.iter().rev().find(|l| l.contains("store shared by"))?;
        last.contains("store shared by 2 instance(s)")
            .then(|| last.contains(target))
    }
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn two_instances_share_the_targets_and_a_sigkill_mid_outage_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = Cluster::shared().unwrap();
    let store = cluster.database("two_instances").unwrap();
    let smtp_port = support::free_port();
    let sink = Sink::start(smtp_port, &dir.path().join("mail"), &[]);
    let cfg = config(
        dir.path(),
        &store.to_string(),
        cluster.password_file(),
        smtp_port,
    );
    let start = support::now_ms();
    let (from, to) = (start + 8_000, start + 26_000);
    let sim = dir.path().join("sim.toml");
    std::fs::write(
        &sim,
        format!(
            "[[faults]]\napi = \"statut-usager\"\nversion = \"n\"\noutages = [{{ from_ms = {from}, to_ms = {to} }}]\n"
        ),
    )
    .unwrap();
    let mut a = Instance::start(&cfg, &sim, 40);
    let mut b = Instance::start(&cfg, &sim, 40);
    let failing = "statut-usager/v2/recuperer-contrat";
    wait_until(
        "both instances to share the store",
        Duration::from_secs(20),
        || a.probes_now(failing).is_some() && b.probes_now(failing).is_some(),
    );
    // Each probes part of the targets, one of them the failing one.
    assert_ne!(
        a.probes_now(failing),
        b.probes_now(failing),
        "{}\n{}",
        a.logged(),
        b.logged()
    );
    // Mid-outage, once the incident is open, the instance probing the failing API dies.
    wait_until("the incident to open", Duration::from_secs(30), || {
        a.logged().contains("incident #1 opened") || b.logged().contains("incident #1 opened")
    });
    std::thread::sleep(Duration::from_millis(1500));
    assert!(support::now_ms() < to - 6_000, "killed mid-outage");
    let (killed, survivor) = if a.probes_now(failing) == Some(true) {
        (&mut a, &mut b)
    } else {
        (&mut b, &mut a)
    };
    killed.child.kill().unwrap(); // SIGKILL
    killed.child.wait().unwrap();
    let killed_at = support::now_ms();
    let status = survivor.child.wait().unwrap();
    let survivor_log = survivor.logged();
    // 1: it stopped as asked and saw failures (the outage).
    assert_eq!(status.code(), Some(1), "{survivor_log}");
    assert!(
        survivor_log.contains("store shared by 1 instance(s)"),
        "it took the targets over: {survivor_log}"
    );
    assert!(
        survivor_log.contains("incident #1 resolved"),
        "{survivor_log}"
    );

    // No target unobserved longer than one interval, before, across and after the kill.
    let records = harness::store::Store::open_at(&store).unwrap();
    let mut by_target: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
    records
        .scan(0, i64::MAX, |r| {
            by_target
                .entry(r.target.clone())
                .or_default()
                .push(r.scheduled_ms)
        })
        .unwrap();
    assert!(by_target.len() >= 3, "{by_target:?}");
    for (target, times) in &by_target {
        for w in times.windows(2) {
            let unobserved = w[1] - (w[0] + INTERVAL_MS);
            assert!(
                unobserved <= INTERVAL_MS,
                "{target}: {unobserved} ms unobserved after {} (killed at {killed_at})",
                w[0]
            );
        }
        assert!(
            *times.last().unwrap() > killed_at + 5_000,
            "{target} probed after the kill"
        );
    }

    // One incident, and each of its notifications delivered once.
    let list = support::vigie()
        .args(["incidents", "list", "--all", "--json", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    let incidents: serde_json::Value = serde_json::from_slice(&list.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&list.stderr)));
    let incidents = incidents.as_array().unwrap();
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(incidents[0]["state"], "resolved");
    let subjects: Vec<String> = sink.mails().iter().map(|(_, m)| subject(m)).collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(subjects[0].starts_with("[vigie] OPENED #1"), "{subjects:?}");
    assert!(
        subjects[1].starts_with("[vigie] RESOLVED #1"),
        "{subjects:?}"
    );
}
