//! `vigie check` end to end: the binary against its embedded simulators on loopback, with
//! and without injected faults. Every run is bounded (a 14-case data set, 6 s timeouts).

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support;

struct Run {
    code: i32,
    stdout: String,
    json: Value,
    junit: String,
    markdown: String,
}

fn vigie(dir: &Path, args: &[&str]) -> Output {
    support::vigie()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn check(extra: &[&str], config: Option<&str>) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = vec![
        "check".into(),
        "--json".into(),
        "r.json".into(),
        "--junit".into(),
        "r.xml".into(),
        "--markdown".into(),
        "r.md".into(),
    ];
    if let Some(toml) = config {
        std::fs::write(dir.path().join("sim.toml"), toml).unwrap();
        args.push("--sim-config".into());
        args.push("sim.toml".into());
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = vigie(dir.path(), &refs);
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap_or_default();
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(
        dir.path().join("r.json").exists(),
        "no JSON report; stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    Run {
        code: o.status.code().unwrap(),
        json: serde_json::from_str(&read("r.json")).unwrap(),
        junit: read("r.xml"),
        markdown: read("r.md"),
        stdout,
    }
}

fn schema_validates(report: &Value) {
    support::assert_follows_schema("harness/schemas/check-report.schema.json", report);
}

fn failed(r: &Run) -> Vec<&Value> {
    r.json["calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] != "pass")
        .collect()
}

#[test]
fn a_clean_run_passes_and_writes_every_report() {
    let r = check(&[], None);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("verdict: PASS"), "{}", r.stdout);
    schema_validates(&r.json);
    let t = &r.json["totals"];
    assert_eq!(t["fail"], 0);
    assert_eq!(t["error"], 0);
    assert!(t["calls"].as_u64().unwrap() > 200, "{t}");
    // Every API in both versions, reads and the write round-trips.
    let calls = r.json["calls"].as_array().unwrap();
    for (api, version) in [
        ("recherche-usager", "v1"),
        ("recherche-usager", "v2"),
        ("statut-usager", "v1"),
        ("statut-usager", "v2"),
        ("diagnostic-individu", "v1"),
        ("diagnostic-individu", "v4"),
        ("metiers-recherches", "v1"),
        ("metiers-recherches", "v2"),
        ("creation-entreprise", "v1"),
        ("creation-entreprise", "v2"),
    ] {
        assert!(
            calls
                .iter()
                .any(|c| c["api"] == api && c["version"] == version),
            "{api} {version} not called"
        );
    }
    for write in ["enregistrer-pouvoir-agir", "enregistrer-contraintes"] {
        assert!(
            calls
                .iter()
                .any(|c| c["operation"] == write && c["verdict"] == "pass"),
            "{write}"
        );
    }
    // JUnit: one testcase per call, no failure.
    assert!(r.junit.starts_with("<?xml"));
    assert_eq!(r.junit.matches("<testcase ").count(), calls.len());
    assert!(!r.junit.contains("<failure") && !r.junit.contains("<error"));
    assert!(
        r.markdown.starts_with("# Contract check — ✅ pass"),
        "{}",
        r.markdown
    );
}

fn defect(kind: &str, version: &str) -> String {
    format!(
        "[[faults]]\napi = \"statut-usager\"\nversion = \"{version}\"\ndefect = {{ kind = \"{kind}\", share = 1.0 }}\n"
    )
}

#[test]
fn each_injected_data_defect_fails_with_its_pointer_and_field() {
    // (defect, pointer or mismatch expected, words of the field's description)
    let cases = [
        ("missing-field", "n-1", "/dateInscription12", "inscription"),
        ("wrong-type", "n", "/m_contrat/m_statut", "statut"),
        ("incoherent-category", "n", "categorie", ""),
    ];
    for (kind, version, at, words) in cases {
        let r = check(
            &[
                "--version",
                version,
                "--api",
                "statut-usager",
                "--no-writes",
            ],
            Some(&defect(kind, version)),
        );
        assert_eq!(r.code, 1, "{kind}: {}", r.stdout);
        schema_validates(&r.json);
        let bad = failed(&r);
        assert!(!bad.is_empty(), "{kind}");
        for c in &bad {
            assert_eq!(
                c["api"], "statut-usager",
                "{kind}: only the damaged API fails"
            );
            assert_eq!(c["verdict"], "fail");
        }
        let c = bad[0];
        if kind == "incoherent-category" {
            let m = &c["mismatches"];
            assert!(
                m.as_array().unwrap().iter().any(|m| m["what"]
                    .as_str()
                    .unwrap()
                    .starts_with("categorie")
                    && m["found"] == "4"),
                "{kind}: {c}"
            );
        } else {
            let v = c["violations"].as_array().unwrap();
            let hit = v
                .iter()
                .find(|v| {
                    v["pointer"] == at || v["expected"].as_str().unwrap_or("").contains("m_statut")
                })
                .unwrap_or_else(|| panic!("{kind}: {c}"));
            let description = hit["field"]["description"]
                .as_str()
                .unwrap_or("")
                .to_lowercase();
            assert!(
                description.contains(words),
                "{kind}: the violation says what the field means: {hit}"
            );
        }
        assert!(r.stdout.contains("✗ statut-usager v"), "{}", r.stdout);
        assert!(r.junit.contains("<failure type=\"contract\""));
    }
}

#[test]
fn n_minus_1_passes_and_shows_its_drift_when_held_to_n() {
    let r = check(&["--version", "n-1"], None);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.json["versions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v.as_str().unwrap().ends_with("(n-1)"))
    );

    let r = check(
        &["--version", "n-1", "--expect-version", "n", "--no-writes"],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    schema_validates(&r.json);
    // Answers recognised as v1-shaped.
    let shaped: Vec<&Value> = failed(&r)
        .into_iter()
        .filter(|c| c["matches_version"] == "v1")
        .collect();
    assert!(!shaped.is_empty(), "{}", r.stdout);
    assert!(r.stdout.contains("a v1-shaped answer"));
    // The drift: v1 fields the v2 contract does not know, e.g. statutDE on Statut usager.
    let ops = r.json["drift"]["operations"].as_array().unwrap();
    let statut = ops.iter().find(|o| o["api"] == "statut-usager").unwrap();
    assert!(
        statut["unknown_fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "/statutDE"),
        "{statut}"
    );
    assert!(r.markdown.contains("`/statutDE`"));
}

#[test]
fn a_429_storm_is_ridden_out() {
    // Every client: 20 calls/s, bursts of 4; the check sends 8 people at a time.
    let r = check(
        &["--version", "n", "--api", "statut-usager", "--no-writes"],
        Some("[rate_limit]\nper_second = 20.0\nburst = 4\n"),
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    let t = &r.json["totals"];
    assert!(
        t["throttled"].as_u64().unwrap() > 0,
        "no 429 was provoked: {t}"
    );
    assert_eq!(t["fail"], 0);
    assert_eq!(t["error"], 0);
    assert!(t["requests"].as_u64().unwrap() > t["calls"].as_u64().unwrap());
}

#[test]
fn no_personal_data_nor_secret_in_any_output() {
    let dir = tempfile::tempdir().unwrap();
    // The data set the embedded simulators use is the default one: its NIRs and birth dates
    // are what must not leak.
    let o = vigie(dir.path(), &["dataset", "--out", "d.json"]);
    assert!(o.status.success());
    let dataset: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("d.json")).unwrap()).unwrap();
    let r = check(&[], None);
    let outputs = [
        r.stdout.as_str(),
        &r.json.to_string(),
        &r.junit,
        &r.markdown,
    ];
    for case in dataset["cases"].as_array().unwrap() {
        let nir = case["nir"].as_str().unwrap();
        let birth = case["dateNaissance"].as_str().unwrap();
        for out in outputs {
            assert!(!out.contains(nir), "a NIR leaked");
            assert!(
                nir.len() < 13 || !out.contains(&nir[..13]),
                "a NIR without key leaked"
            );
            assert!(!out.contains(birth), "a birth date leaked");
        }
    }
    for out in outputs {
        assert!(
            !out.contains("vigie-demo-secret"),
            "the client secret leaked"
        );
        assert!(!out.contains("Bearer "), "a token leaked");
        assert!(
            !out.contains("eyJ2ZXJz") && !out.contains("ewogICJ2ZXJz"),
            "a jeton usager leaked"
        );
        // An idRci is `<uuid>#<base64>`: in a path it is URL-encoded (`%23`).
        assert!(!out.contains("%23"), "an encoded idRci leaked");
        let b = out.as_bytes();
        assert!(
            (1..b.len()).all(|i| b[i] != b'#' || !b[i - 1].is_ascii_hexdigit()),
            "an idRci leaked"
        );
    }
}

#[test]
fn remote_targets_need_credentials_and_a_data_set() {
    let dir = tempfile::tempdir().unwrap();
    let o = support::vigie()
        .current_dir(dir.path())
        .env_remove("VIGIE_CLIENT_ID")
        .env_remove("VIGIE_CLIENT_SECRET")
        .args(["check", "--target", "http://127.0.0.1:9"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("VIGIE_CLIENT_ID is not set"));
    let o = support::vigie()
        .current_dir(dir.path())
        .env("VIGIE_CLIENT_ID", "x")
        .env("VIGIE_CLIENT_SECRET", "y")
        .args(["check", "--target", "http://127.0.0.1:9"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--dataset FILE is required"));
    // Reachable data set, unreachable platform: exit 2, said plainly.
    let o = vigie(dir.path(), &["dataset", "--out", "d.json"]);
    assert!(o.status.success());
    let with_credentials = |args: &[&str]| {
        support::vigie()
            .current_dir(dir.path())
            .env("VIGIE_CLIENT_ID", "x")
            .env("VIGIE_CLIENT_SECRET", "y")
            .args(args)
            .output()
            .unwrap()
    };
    let o = with_credentials(&[
        "check",
        "--target",
        "http://127.0.0.1:9",
        "--dataset",
        "d.json",
        "--timeout",
        "1",
        "--version",
        "n",
        "--api",
        "statut-usager",
        "--rate",
        "0",
        "--junit",
        "r.xml",
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("cannot reach the target"), "{stdout}");
    // Harness trouble is an <error> in JUnit, never a <failure>.
    let junit = std::fs::read_to_string(dir.path().join("r.xml")).unwrap();
    assert!(junit.contains("<error type=\"harness\"") && !junit.contains("<failure"));
    // Userinfo that makes a remote host look like loopback (it used to turn writes on
    // without --allow-writes): refused before any request, the part before `@` masked.
    let o = with_credentials(&[
        "check",
        "--target",
        "http://127.0.0.1:9@api.example.invalid",
        "--dataset",
        "d.json",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("credentials never go in a URL") && !err.contains("127.0.0.1:9@"),
        "{err}"
    );
}

#[test]
fn a_server_error_never_passes_even_with_a_documented_error_body() {
    // Every call to Diagnostic individu n answers 500 with the platform's error body.
    let r = check(
        &["--version", "n", "--api", "diagnostic-individu"],
        Some(
            "[[faults]]\napi = \"diagnostic-individu\"\nversion = \"n\"\nerrors = { share = 1.0, status = 500 }\n",
        ),
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    let calls = r.json["calls"].as_array().unwrap();
    let errors: Vec<&Value> = calls.iter().filter(|c| c["status"] == 500).collect();
    assert!(!errors.is_empty(), "no 500 was provoked");
    for c in &errors {
        assert_eq!(c["verdict"], "fail", "{c}");
        assert!(
            c["mismatches"][0]["what"]
                .as_str()
                .unwrap()
                .contains("server error never passes"),
            "{c}"
        );
    }
    assert_eq!(r.json["contract_profile"], "convention");
    schema_validates(&r.json);
}

#[test]
fn two_checks_in_a_row_against_one_long_lived_simulate_both_pass() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let o = vigie(dir.path(), &["dataset", "--out", "d.json"]);
    assert!(o.status.success());
    let d: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("d.json")).unwrap()).unwrap();
    let (people, seed) = (d["people"].to_string(), d["seed"].to_string());
    let mut sim = support::vigie()
        .args([
            "simulate", "--port", "0", "--people", &people, "--seed", &seed,
        ])
        .args(["--for-seconds", "120"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(sim.stdout.take().unwrap());
    let mut banner = String::new();
    while !banner.contains("Listening on") {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        banner.push_str(&line);
    }
    let base = banner
        .split("Listening on ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let run = |report: &str| {
        support::vigie()
            .current_dir(dir.path())
            .env("VIGIE_CLIENT_ID", "vigie-demo")
            .env("VIGIE_CLIENT_SECRET", "vigie-demo-secret")
            .args(["check", "--target", &base, "--dataset", "d.json"])
            .args(["--quiet", "--json", report])
            .output()
            .unwrap()
    };
    for report in ["first.json", "second.json"] {
        let o = run(report);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{report}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
        let j: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join(report)).unwrap())
                .unwrap();
        // Writes were made (loopback), and each pouvoir d'agir write was undone.
        let writes = j["calls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["operation"] == "enregistrer-pouvoir-agir")
            .count();
        assert!(writes > 0 && writes % 2 == 0, "{report}: {writes} writes");
    }
    let _ = sim.kill();
    let _ = sim.wait();
}

/// `vigie check` against a hostile loopback target, with every report written; returns the
/// exit code and the texts (stdout, stderr, JSON, JUnit, Markdown).
fn check_hostile(target: &str) -> (Option<i32>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let o = vigie(dir.path(), &["dataset", "--out", "d.json"]);
    assert!(o.status.success());
    let o = support::vigie()
        .current_dir(dir.path())
        .env("VIGIE_CLIENT_ID", "hostile-test")
        .env("VIGIE_CLIENT_SECRET", "s3cret+value/with=signs")
        .args(["check", "--target", target, "--dataset", "d.json"])
        .args(["--version", "n", "--api", "statut-usager", "--rate", "0"])
        .args(["--no-writes", "--timeout", "20"])
        .args(["--json", "r.json", "--junit", "r.xml", "--markdown", "r.md"])
        .output()
        .unwrap();
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap_or_default();
    let texts = vec![
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
        read("r.json"),
        read("r.xml"),
        read("r.md"),
    ];
    (o.status.code(), texts)
}

#[test]
fn a_token_endpoint_echoing_credentials_leaks_nothing_and_floods_nothing() {
    use support::hostile::{Hostile, answer};
    // Every token request answered 400 with the request echoed in `error`, then 2 MB.
    let server = Hostile::answering(|req, conn| {
        let mut error = String::from_utf8_lossy(&req.body).to_string();
        error.push_str(&"x".repeat(2 << 20));
        let body = serde_json::json!({ "error": error }).to_string();
        answer(conn, 400, "application/json", body.as_bytes());
    });
    let (code, texts) = check_hostile(&server.base);
    assert_eq!(code, Some(2), "{}", texts[0]);
    assert!(texts[0].contains("token refused"), "{}", texts[0]);
    for t in &texts {
        for secret in ["s3cret+value/with=signs", "s3cret%2Bvalue%2Fwith%3Dsigns"] {
            assert!(
                !t.contains(secret),
                "the secret leaked: {}",
                &t[..t.len().min(2000)]
            );
        }
        // Bounded: 200 characters of the platform's error, not megabytes.
        assert!(t.len() < 256 * 1024, "{} bytes", t.len());
    }
    assert!(texts[0].contains("client_secret=***"), "{}", texts[0]);
}

#[test]
fn a_huge_answer_is_a_violation_not_a_memory_spike() {
    use support::hostile::{Hostile, answer, endless_json, huge_json};
    // A good token, then 1 GB answers: announced, or endless without a length. Either is
    // read no further than the cap.
    for announced in [true, false] {
        let server = Hostile::answering(move |req, conn| {
            if req.path().starts_with("/connexion/oauth2/access_token") {
                let ok = r#"{"access_token":"t","token_type":"Bearer","expires_in":600}"#;
                answer(conn, 200, "application/json", ok.as_bytes());
            } else if announced {
                huge_json(conn, 200, 1 << 30);
            } else {
                endless_json(conn, 200);
            }
        });
        let (code, texts) = check_hostile(&server.base);
        assert_eq!(code, Some(1), "{}\n{}", texts[0], texts[1]);
        assert!(
            texts[0].contains("an answer larger than 8388608 bytes"),
            "announced {announced}: {}",
            texts[0]
        );
    }
}
