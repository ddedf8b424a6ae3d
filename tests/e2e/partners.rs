//! Two partners in one deployment (`[[partners]]`): one `vigie probe` probes both with their
//! own probe lists; an outage of the API only one of them probes opens that partner's
//! incident, mailed to its own recipients; each partner's report holds its own evidence only,
//! and the summary shows both.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::path::Path;

use crate::support;
use crate::support::smtp::{Sink, subject};

fn config(dir: &Path, smtp_port: u16) -> std::path::PathBuf {
    let text = format!(
        r#"[store]
path = "probes.sqlite"
[probe]
interval_s = 1
timeout_s = 2
[alerts]
open_after_failures = 2
resolve_after_successes = 2
[alerts.email]
server = "127.0.0.1"
port = {smtp_port}
from = "Vigie <vigie@editeur.example.fr>"
to = ["exploitation@editeur.example.fr"]

[[partners]]
id = "d974"
name = "La Réunion"
recipients = ["supervision@cg974.example.fr"]
[[partners.probes]]
api = "statut-usager"
version = "n"

[[partners]]
id = "d971"
name = "Guadeloupe"
[[partners.probes]]
api = "recherche-usager"
version = "n"
"#
    );
    let path = dir.join("vigie.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn vigie(args: &[&str], cfg: &Path) -> std::process::Output {
    support::vigie()
        .args(args)
        .arg("--config")
        .arg(cfg)
        .output()
        .unwrap()
}

#[test]
fn two_partners_are_probed_reported_and_alerted_apart() {
    let dir = tempfile::tempdir().unwrap();
    let smtp_port = support::free_port();
    let sink = Sink::start(smtp_port, &dir.path().join("mail"), &[]);
    let cfg = config(dir.path(), smtp_port);
    let from = support::now_ms() + 3000;
    let sim = dir.path().join("sim.toml");
    std::fs::write(
        &sim,
        format!(
            "[[faults]]\napi = \"statut-usager\"\nversion = \"n\"\noutages = [{{ from_ms = {from}, to_ms = {} }}]\n",
            from + 6000
        ),
    )
    .unwrap();
    let o = support::vigie()
        .args(["probe", "--config"])
        .arg(&cfg)
        .arg("--sim-config")
        .arg(&sim)
        .args(["--for-seconds", "15"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.code().is_some(), "{stderr}");
    assert!(stderr.contains("incident #1 opened"), "{stderr}");

    // Records under each partner's own keys.
    let store = harness::store::Store::open(&dir.path().join("probes.sqlite")).unwrap();
    let keys: Vec<String> = store
        .targets()
        .unwrap()
        .into_iter()
        .map(|t| t.key)
        .collect();
    assert_eq!(
        keys.iter()
            .filter(|k| k.starts_with("d974/statut-usager/v2/"))
            .count(),
        1,
        "{keys:?}"
    );
    assert!(
        keys.iter()
            .any(|k| k.starts_with("d971/recherche-usager/v2/")),
        "{keys:?}"
    );
    assert!(
        keys.iter()
            .all(|k| k.starts_with("d974/") || k.starts_with("d971/")),
        "{keys:?}"
    );

    // One incident, d974's; none for d971.
    let list = |partner: &str| -> Vec<serde_json::Value> {
        let o = vigie(
            &["incidents", "list", "--all", "--json", "--partner", partner],
            &cfg,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice::<serde_json::Value>(&o.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let d974 = list("d974");
    assert_eq!(d974.len(), 1, "{d974:?}");
    assert_eq!(d974[0]["partner"], "d974");
    assert_eq!(d974[0]["api"], "statut-usager");
    assert!(list("d971").is_empty());
    let unknown = vigie(&["incidents", "list", "--partner", "d972"], &cfg);
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("use one of d974, d971"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );

    // The emails go to d974's recipients, named in the subject.
    let mails = sink.mails();
    assert!(!mails.is_empty());
    for (_, m) in &mails {
        assert!(subject(m).starts_with("[vigie d974] "), "{}", subject(m));
        assert!(m.contains("supervision@cg974.example.fr"), "{m}");
        assert!(!m.contains("exploitation@editeur.example.fr"), "{m}");
    }

    // Each partner's report: its API only, its down time only.
    let report = |partner: &str| -> serde_json::Value {
        let o = vigie(
            &[
                "report",
                "--month",
                &month(),
                "--format",
                "json",
                "--partner",
                partner,
            ],
            &cfg,
        );
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let apis = |r: &serde_json::Value| -> Vec<String> {
        r["apis"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["api"].as_str().unwrap().to_string())
            .collect()
    };
    let r974 = report("d974");
    let r971 = report("d971");
    assert_eq!(r974["partner"], "d974");
    assert_eq!(apis(&r974), ["statut-usager"]);
    assert_eq!(apis(&r971), ["recherche-usager"]);
    assert!(r974["overall"]["down_ms"].as_i64().unwrap() > 0, "{r974}");
    assert_eq!(r971["overall"]["down_ms"], 0, "{r971}");
    assert!(r971["down_intervals"].as_array().unwrap().is_empty());
    // Without --partner, the report says which to give; the summary shows both.
    let bare = vigie(&["report", "--month", &month()], &cfg);
    assert_eq!(bare.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bare.stderr).contains("--partner all"),
        "{}",
        String::from_utf8_lossy(&bare.stderr)
    );
    // An incident declared by hand names its partner (required with several).
    let declare = |extra: &[&str]| {
        let mut args = vec![
            "incidents",
            "open",
            "--kind",
            "security",
            "--api",
            "recherche-usager",
            "--summary",
            "compte de service compromis",
        ];
        args.extend_from_slice(extra);
        vigie(&args, &cfg)
    };
    let bare = declare(&[]);
    assert!(
        String::from_utf8_lossy(&bare.stderr).contains("give --partner with one of d974, d971"),
        "{}",
        String::from_utf8_lossy(&bare.stderr)
    );
    assert!(declare(&["--partner", "d971"]).status.success());
    let d971 = list("d971");
    assert_eq!(d971.len(), 1, "{d971:?}");
    assert_eq!(d971[0]["kind"], "security");
    assert_eq!(list("d974").len(), 1);
    let all = vigie(&["report", "--month", &month(), "--partner", "all"], &cfg);
    let text = String::from_utf8_lossy(&all.stdout);
    assert!(text.contains("| d974 | statut-usager |"), "{text}");
    assert!(text.contains("| d971 | recherche-usager |"), "{text}");
    assert!(!text.contains("| d971 | statut-usager |"), "{text}");
}

/// The Paris month the probes ran in.
fn month() -> String {
    harness::sla::paris::local_text(support::now_ms())[..7].to_string()
}
