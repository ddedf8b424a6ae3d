//! `vigie load` end to end: goose against the embedded simulators on loopback, bounded in
//! time (a few seconds) and requests; and the guard that keeps it off remote platforms.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support;

fn vigie(dir: &Path, args: &[&str]) -> Output {
    support::vigie()
        .current_dir(dir)
        .env_remove("VIGIE_CLIENT_ID")
        .env_remove("VIGIE_CLIENT_SECRET")
        .args(args)
        .output()
        .unwrap()
}

fn summary(dir: &Path) -> Value {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("s.json")).unwrap()).unwrap();
    support::assert_follows_schema("loadtests/schemas/load-summary.schema.json", &v);
    v
}

/// Goose's reports name requests by route template: no jeton, no NIR, no encrypted id.
fn reports_name_templates(dir: &Path, template: &str) {
    for f in ["goose-report.html", "goose-report.md"] {
        let text = std::fs::read_to_string(dir.join("reports").join(f)).unwrap();
        assert!(text.contains(template), "{f}");
        assert!(
            !text.contains("ewogICJ2ZXJz") && !text.contains("eyJ2ZXJz") && !text.contains("%23"),
            "{f}"
        );
    }
}

#[test]
fn a_run_without_faults_passes_with_goose_reports() {
    let dir = tempfile::tempdir().unwrap();
    let o = vigie(
        dir.path(),
        &[
            "load",
            "--run-time",
            "3",
            "--users",
            "4",
            "--think-ms",
            "0-5",
            "--max-requests",
            "20000",
            "--json",
            "s.json",
            "--report-dir",
            "reports",
        ],
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("verdict: PASS"));
    let s = summary(dir.path());
    assert_eq!(s["passed"], true);
    let apis = s["apis"].as_array().unwrap();
    assert_eq!(
        apis.len(),
        5,
        "every API of the journey is measured: {apis:?}"
    );
    for a in apis {
        assert!(a["calls"].as_u64().unwrap() > 0);
        assert_eq!(a["errors"], 0, "{a}");
    }
    assert!(s["requests"].as_u64().unwrap() <= 20000);
    reports_name_templates(dir.path(), "/partenaire/contrat-usager/v2/contrat");
}

#[test]
fn a_fifth_of_calls_past_one_second_fails_with_the_right_figures() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("slow.toml"),
        "[[faults]]\napi = \"*\"\nversion = \"n\"\nslow = [{ share = 0.2, min_ms = 1100, max_ms = 1300 }]\n",
    )
    .unwrap();
    let o = vigie(
        dir.path(),
        &[
            "load",
            "--run-time",
            "6",
            "--users",
            "40",
            "--think-ms",
            "0-5",
            "--sim-config",
            "slow.toml",
            "--json",
            "s.json",
        ],
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("verdict: FAIL"));
    let s = summary(dir.path());
    let apis = s["apis"].as_array().unwrap();
    let calls: u64 = apis.iter().map(|a| a["calls"].as_u64().unwrap()).sum();
    let under: u64 = apis.iter().map(|a| a["under_1s"].as_u64().unwrap()).sum();
    let share = under as f64 / calls as f64;
    assert!(calls > 300, "too few calls to judge: {calls}");
    assert!(
        (0.72..=0.88).contains(&share),
        "80 % of calls under 1 s expected, measured {share:.3} over {calls}"
    );
    for a in apis {
        assert!(a["share_under_1s"].as_f64().unwrap() < 0.95, "{a}");
        assert!(
            a["p99_ms"].as_f64().unwrap() >= 1000.0,
            "the slowed calls show at p99: {a}"
        );
        assert_eq!(a["over_6s"], 0);
    }
    let failing: Vec<&Value> = apis.iter().filter(|a| a["passed"] == false).collect();
    assert!(!failing.is_empty());
    assert!(
        failing[0]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("% of calls under 1 s, the convention asks 90 %")
    );
}

#[test]
fn a_remote_target_needs_both_flags() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["load", "--target", "https://api-r.ft-qvr.io"],
        vec![
            "load",
            "--target",
            "https://api-r.ft-qvr.io",
            "--allow-remote",
        ],
        vec!["load", "--target", "https://api-r.ft-qvr.io", "--rate", "5"],
    ] {
        let o = vigie(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("add --allow-remote and a rate cap"),
            "{args:?}: {err}"
        );
    }
    // With both, it gets past the guard and asks for credentials (no request was sent).
    let o = vigie(
        dir.path(),
        &[
            "load",
            "--target",
            "https://api-r.ft-qvr.io",
            "--allow-remote",
            "--rate",
            "5",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("VIGIE_CLIENT_ID is not set"));
}

#[test]
fn userinfo_cannot_pass_a_remote_host_for_loopback() {
    let dir = tempfile::tempdir().unwrap();
    // Loopback before the `@`, a remote host after: it used to run unthrottled, secret sent.
    let silent = support::hostile::Hostile::silent();
    let sneaky = format!("http://{}@api.example.invalid", &silent.base[7..]);
    let o = load_against(dir.path(), &sneaky, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("credentials never go in a URL"), "{err}");
    assert!(
        !err.contains("127.0.0.1"),
        "the part before @ is masked: {err}"
    );
}

#[test]
fn n_minus_1_and_every_scenario_run_too() {
    let dir = tempfile::tempdir().unwrap();
    let o = vigie(
        dir.path(),
        &[
            "load",
            "--version",
            "n-1",
            "--scenario",
            "all",
            "--run-time",
            "2",
            "--users",
            "6",
            "--think-ms",
            "0-5",
            "--json",
            "s.json",
            "--report-dir",
            "reports",
        ],
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let s = summary(dir.path());
    assert_eq!(s["era"], "n-1");
    // n-1 puts the encrypted id in the path: the reports still show only the template.
    reports_name_templates(dir.path(), "/partenaire/contrat-usager/v1/contrat/{idNat}");
    assert_eq!(s["apis"].as_array().unwrap().len(), 5);
    let o = vigie(
        dir.path(),
        &["load", "--scenario", "nope", "--run-time", "1"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("use journey, all, or one of"));
}

/// `vigie load` against a loopback target with credentials and a data set. A watchdog kills
/// it if it has not stopped by itself after a minute (it used to hang until SIGKILL): that is
/// a failure, not a measurement.
fn load_against(dir: &Path, target: &str, extra: &[&str]) -> Output {
    let data = dir.join("ds.json");
    if !data.exists() {
        let o = vigie(
            dir,
            &["dataset", "--sample", "3", "--out", data.to_str().unwrap()],
        );
        assert!(o.status.success());
    }
    let mut child = support::vigie()
        .current_dir(dir)
        .env("VIGIE_CLIENT_ID", "load-test")
        .env("VIGIE_CLIENT_SECRET", "not-a-secret")
        .args(["load", "--target", target, "--dataset"])
        .arg(&data)
        .args(["--run-time", "2", "--users", "2", "--timeout", "2"])
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let watchdog = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > watchdog {
            child.kill().unwrap();
            panic!("vigie load against {target} did not stop by itself");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_target_that_never_answers_ends_the_run_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let closed = format!("http://127.0.0.1:{}", support::hostile::closed_port());
    let silent = support::hostile::Hostile::silent();
    for (target, why) in [
        (closed.as_str(), "connection refused or host unreachable"),
        (silent.base.as_str(), "request timed out"),
    ] {
        let o = load_against(dir.path(), target, &[]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{target}: {err}");
        assert!(
            err.contains(&format!("no answer from {target}")) && err.contains(why),
            "{target}: {err}"
        );
    }
}

#[test]
fn a_fault_that_never_answers_on_the_simulators_ends_in_time() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sim.toml"),
        "[[faults]]\napi = \"statut-usager\"\nversion = \"n\"\ntimeouts = 1.0\n",
    )
    .unwrap();
    let o = vigie(
        dir.path(),
        &[
            "load",
            "--sim-config",
            "sim.toml",
            "--run-time",
            "2",
            "--users",
            "2",
            "--timeout",
            "1",
            "--think-ms",
            "0-10",
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("| statut-usager |")
            && l.contains("100.00 %")
            && l.ends_with("FAIL |")),
        "{out}"
    );
}

#[test]
fn hostile_answers_neither_leak_credentials_nor_flood_the_output() {
    use support::hostile::{Hostile, answer, huge_json};
    let dir = tempfile::tempdir().unwrap();
    // A token endpoint that echoes the request (client_secret included) in a 4 MB answer.
    let server = Hostile::answering(|req, conn| {
        if req.path().starts_with("/connexion/oauth2/access_token") {
            let mut body = b"{\"error\":\"".to_vec();
            body.extend_from_slice(&req.body);
            body.extend(std::iter::repeat_n(b'x', 4 << 20));
            body.extend_from_slice(b"\"}");
            answer(conn, 400, "application/json", &body);
        } else {
            huge_json(conn, 200, 8 << 20);
        }
    });
    let o = load_against(dir.path(), &server.base, &[]);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.code() == Some(1), "{out}\n{err}");
    for text in [&out, &err] {
        assert!(!text.contains("not-a-secret"), "{text}");
        assert!(text.len() < 64 * 1024, "{} bytes", text.len());
    }
}
