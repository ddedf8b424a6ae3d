//! `vigie simulate` and `vigie dataset` through the real binary.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use crate::support;
use std::io::{BufReader, Read, Write};
use std::process::Stdio;

#[test]
fn simulate_starts_with_zero_configuration_prints_how_to_call_and_stops_by_itself() {
    let mut child = support::vigie()
        .args([
            "simulate",
            "--port",
            "0",
            "--people",
            "5000",
            "--for-seconds",
            "20",
            "--config",
            "examples/simulate.toml",
        ])
        .current_dir(support::repo())
        .env("VIGIE_SIM_PARTNER_SECRET", "ne-jamais-afficher-42")
        .env("VIGIE_SIM_ADMIN_TOKEN", "admin-ne-jamais-afficher")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let banner = support::simulate_banner(&mut out);
    for needle in [
        "Listening on http://127.0.0.1:",
        "client_id=vigie-demo",
        "realm=%2Fagent",
        "par-datenaissance-et-nir",
        "diagnostic-individu  v4   n",
        "metiers-recherches   v1   n-1",
        "Admin (faults at run time): http://127.0.0.1:",
    ] {
        assert!(
            banner.contains(needle),
            "banner lacks `{needle}`:\n{banner}"
        );
    }
    assert!(
        !banner.contains("ne-jamais-afficher"),
        "a secret was printed"
    );
    let port = support::banner_port(&banner);
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let body = "grant_type=client_credentials&client_id=cd-partenaire&client_secret=ne-jamais-afficher-42&scope=api_contrat-usagerv1";
    write!(s, "POST /connexion/oauth2/access_token?realm=%2Fpartenaire HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"access_token\""));
    child.kill().unwrap();
    child.wait().unwrap();
    let mut rest = String::new();
    let _ = out.read_to_string(&mut rest);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        !format!("{rest}{err}").contains("ne-jamais-afficher"),
        "a secret reached the output"
    );
}

#[test]
fn a_bad_simulate_configuration_says_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sim.toml");
    std::fs::write(&p, "[[faults]]\napi = \"statut\"\n").unwrap();
    let o = support::vigie()
        .args(["simulate", "--port", "0", "--config", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("fault rule 1: unknown API `statut`"), "{err}");
    let o = support::vigie()
        .args([
            "simulate",
            "--port",
            "0",
            "--config",
            "examples/simulate.toml",
        ])
        .current_dir(support::repo())
        .env_remove("VIGIE_SIM_PARTNER_SECRET")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("environment variable VIGIE_SIM_PARTNER_SECRET is not set")
    );
}

#[test]
fn dataset_writes_the_cases() {
    let o = support::vigie().args(["dataset"]).output().unwrap();
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(support::repo().join("simulators/dataset/default.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        v, committed,
        "the default data set of the binary is the committed one"
    );
}
