//! Contracts as data (issue 19): a new version announced by Pôle emploi goes from its OpenAPI
//! document to a go/no-go with the installed binary, no rebuild; an API outside the
//! convention is imported, simulated, checked and probed with no code written for it.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::io::BufReader;
use std::path::Path;
use std::process::{Output, Stdio};

use serde_json::{Value, json};

use crate::support;

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out: Output = support::vigie()
        .args(args)
        .current_dir(dir)
        .env_remove("VIGIE_CONTRACTS")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// The official statut-usager document made into a "v3": `m_statut` renamed, a required
/// query parameter added, its own base path and scope.
fn statut_v3(dir: &Path) {
    let text =
        std::fs::read_to_string(support::repo().join("contracts/openapi/statut-usager.json"))
            .unwrap()
            .replace("\"m_statut\"", "\"m_statut_usager\"")
            .replace("contrat-usager/v2", "contrat-usager/v3")
            .replace("api_contrat-usagerv2", "api_contrat-usagerv3");
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["info"]["version"] = json!("3.0");
    let get = &mut doc["paths"]["/contrat"]["get"];
    get["parameters"].as_array_mut().unwrap().push(json!({
        "name": "dateReference", "in": "query", "required": true,
        "description": "Date à laquelle le statut est lu (AAAA-MM-JJ).",
        "schema": {"type": "string", "format": "date", "example": "2026-11-30"}
    }));
    std::fs::write(dir.join("statut-v3.json"), doc.to_string()).unwrap();
}

fn probe_config(dir: &Path, name: &str, api: &str, version: &str) {
    std::fs::write(
        dir.join(name),
        format!(
            "[probe]\ninterval_s = 1\ncontracts = \"contracts\"\n\n[store]\npath = \"{name}.sqlite\"\n\n\
             [[probes]]\napi = \"{api}\"\nversion = \"{version}\"\n"
        ),
    )
    .unwrap();
}

#[test]
fn a_new_version_goes_from_its_document_to_go_no_go_without_a_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    statut_v3(dir);
    let c = ["--contracts", "contracts"];

    // 1. Import into a contracts folder.
    let (code, out) = run(
        dir,
        &[
            &["contracts", "import", "statut-v3.json"][..],
            &["--api", "statut-usager", "--version", "v3"],
            &c,
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("contracts/statut-usager/v3"), "{out}");
    let (_, list) = run(dir, &[&["contracts", "list"][..], &c].concat());
    assert!(list.contains("v3  [folder "), "{list}");
    assert!(list.contains("v2 (n)  [embedded]"), "{list}");
    // Without the folder, v3 does not exist: the embedded contracts stay the default.
    let diff_v3 = [
        "contracts",
        "diff",
        "statut-usager",
        "--from",
        "n",
        "--to",
        "v3",
    ];
    let (code, out) = run(dir, &diff_v3);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("unknown version `v3`"), "{out}");

    // 2. The diff names the rename and the new required parameter as breaking.
    let (code, diff) = run(dir, &[&diff_v3[..], &c].concat());
    assert_eq!(code, 1, "{diff}");
    assert!(
        diff.contains("BREAKING required query parameter `dateReference` added"),
        "{diff}"
    );
    assert!(
        diff.lines().any(|l| l.contains("BREAKING")
            && l.contains("/m_contrat/m_statut → /m_contrat/m_statut_usager")),
        "{diff}"
    );

    // 3. The simulators serve v3; the check passes against it, and holding v2's answers to
    //    v3's contract fails (m_statut where v3 has m_statut_usager).
    let (code, out) = run(
        dir,
        &[&["check", "--version", "v3", "--quiet"][..], &c].concat(),
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("versions: statut-usager v3\n"), "{out}");
    assert!(out.contains(" 0 fail, 0 error"), "{out}");
    let (code, out) = run(
        dir,
        &[
            &[
                "check",
                "--version",
                "n",
                "--api",
                "statut-usager",
                "--expect-version",
                "v3",
                "--quiet",
            ][..],
            &c,
        ]
        .concat(),
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("m_statut"), "{out}");

    // Evidence of the candidate: check of both versions, a load run, a probe window.
    std::fs::create_dir(dir.join("ev")).unwrap();
    let (code, out) = run(
        dir,
        &[
            &[
                "check",
                "--version",
                "n,v3",
                "--api",
                "statut-usager",
                "--quiet",
                "--json",
                "ev/check.json",
            ][..],
            &c,
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(
        dir,
        &[
            &[
                "load",
                "--version",
                "v3",
                "--scenario",
                "statut-usager",
                "--users",
                "2",
                "--run-time",
                "2",
                "--think-ms",
                "50-100",
                "--json",
                "ev/load.json",
            ][..],
            &c,
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{out}");
    probe_config(dir, "probe.toml", "statut-usager", "v3");
    let (code, out) = run(
        dir,
        &["probe", "--config", "probe.toml", "--for-seconds", "3"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("statut-usager/v3/recuperer-contrat"), "{out}");
    // The month the probes just ran in, in Paris (the report's calendar): near midnight UTC
    // on a month's last day, Paris is already in the next one.
    let month = domain::paris::local_text(support::now_ms())[..7].to_string();
    let (code, out) = run(
        dir,
        &[
            &[
                "report",
                "--store",
                "probe.toml.sqlite",
                "--month",
                &month,
                "--format",
                "json",
                "--out",
                "ev/sla.json",
            ][..],
            &c,
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{out}");

    // 4. NO-GO for a consumer that reads m_statut; GO for one that does not and sends the new
    //    parameter.
    let gonogo = |consumer: &str, out_dir: &str| {
        run(
            dir,
            &[
                &[
                    "gonogo",
                    "--api",
                    "statut-usager",
                    "--candidate",
                    "v3",
                    "--previous",
                    "n",
                ][..],
                &[
                    "--consumer",
                    consumer,
                    "--announced",
                    "2026-08-01",
                    "--production",
                    "2026-11-02",
                ],
                &["--evidence", "ev", "--out", out_dir],
                &c,
            ]
            .concat(),
        )
    };
    let consumer = support::repo().join("examples/consumer.json");
    let (code, out) = gonogo(consumer.to_str().unwrap(), "g1");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("NO-GO") && out.contains("/m_contrat/m_statut"),
        "{out}"
    );
    std::fs::write(
        dir.join("adapted.json"),
        r#"{"apis": {"statut-usager": {"reads": ["dateEffetStatut", "categInscriptionCode"], "sends": ["dateReference"]}}}"#,
    )
    .unwrap();
    let (code, out) = gonogo("adapted.json", "g2");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("statut-usager v3 (previous v2): GO\n"),
        "{out}"
    );
}

#[test]
fn an_api_outside_the_convention_is_simulated_checked_and_probed_with_no_code() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let doc = support::repo().join("examples/openapi/rendez-vous-partenaire.json");
    let c = ["--contracts", "contracts"];
    let (code, out) = run(
        dir,
        &[
            &["contracts", "import", doc.to_str().unwrap()][..],
            &["--api", "rendez-vous-partenaire", "--version", "v1"],
            &c,
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("imported 4 operation(s)"), "{out}");
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("contracts/rendez-vous-partenaire/v1/api.json")).unwrap(),
    )
    .unwrap();
    // The scheme of the document: its realm and scopes, for the platform and the probes.
    assert_eq!(manifest["access"]["realm"], "/agent");
    assert_eq!(
        manifest["access"]["scopes"],
        json!(["api_rendez-vous-partenairev1", "rendezvouspartenaire"])
    );
    // The answer declared `*/*` keeps its schema.
    let list = &manifest["operations"][0];
    assert_eq!(list["id"], "lister-rendez-vous");
    assert!(list["responses"][0]["schema"].is_string(), "{list}");

    let (code, out) = run(
        dir,
        &[
            &["check", "--api", "rendez-vous-partenaire", "--quiet"][..],
            &c,
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("versions: rendez-vous-partenaire v1 (n)"),
        "{out}"
    );
    assert!(out.contains(" 0 fail, 0 error"), "{out}");

    // A diff of every API leaves out the one that has no n-1.
    let (code, out) = run(dir, &[&["contracts", "diff", "--all"][..], &c].concat());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("statut-usager") && !out.contains("rendez-vous"),
        "{out}"
    );

    probe_config(dir, "rdv.toml", "rendez-vous-partenaire", "*");
    let (code, out) = run(
        dir,
        &["probe", "--config", "rdv.toml", "--for-seconds", "3"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("rendez-vous-partenaire/v1/lister-rendez-vous"),
        "{out}"
    );
    assert!(
        out.contains("rendez-vous-partenaire/v1/recuperer-motifs"),
        "{out}"
    );
    assert!(!out.contains(" down"), "{out}");

    // `vigie simulate` lists it with its scopes and serves its document.
    let mut child = support::vigie()
        .args([
            "simulate",
            "--port",
            "0",
            "--for-seconds",
            "20",
            "--contracts",
            "contracts",
        ])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let banner = support::simulate_banner(&mut BufReader::new(child.stdout.take().unwrap()));
    assert!(banner.contains("rendez-vous-partenaire v1"), "{banner}");
    let port = support::banner_port(&banner);
    let addr = format!("127.0.0.1:{port}");
    let (status, index) = support::get(&addr, "/openapi");
    assert_eq!(status, 200);
    let index: Value = serde_json::from_str(&index).unwrap();
    let served = index["apis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["api"] == "rendez-vous-partenaire")
        .unwrap();
    assert_eq!(
        served["scopes"],
        json!(["api_rendez-vous-partenairev1", "rendezvouspartenaire"])
    );
    let (status, _) = support::get(&addr, "/openapi/rendez-vous-partenaire/v1");
    assert_eq!(status, 200);
    // Behind the platform: no token, no answer.
    let (status, _) = support::get(
        &addr,
        "/partenaire/rendez-vous-partenaire/v1/referentiel/motifs",
    );
    assert_eq!(status, 401);
    // With a token, hostile requests get the API's answer (never a 5xx), good ones theirs.
    let form = "grant_type=client_credentials&client_id=vigie-demo&client_secret=vigie-demo-secret&scope=api_rendez-vous-partenairev1%20rendezvouspartenaire";
    let (status, token) = support::request(
        &addr,
        "POST",
        "/connexion/oauth2/access_token?realm=%2Fagent",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form,
    );
    assert_eq!(status, 200, "{token}");
    let token: Value = serde_json::from_str(&token).unwrap();
    let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let agent = [
        ("Authorization", bearer.as_str()),
        ("pa-nom-agent", "Test"),
        ("pa-prenom-agent", "Test"),
        ("pa-identifiant-agent", "BATCH"),
    ];
    let base = "/partenaire/rendez-vous-partenaire/v1";
    let (status, motifs) = support::request(
        &addr,
        "GET",
        &format!("{base}/referentiel/motifs"),
        &agent,
        "",
    );
    assert_eq!(status, 200, "{motifs}");
    assert!(
        motifs.contains("Accompagnement global"),
        "the document's example: {motifs}"
    );
    let long = "x".repeat(5000);
    let with_jeton = [&agent[..], &[("ft-jeton-usager", "forged")]].concat();
    let json = [&with_jeton[..], &[("Content-Type", "application/json")]].concat();
    for (method, path, headers, body, expected) in [
        ("GET", format!("{base}/rendez-vous"), &agent[..], "", 401),
        (
            "GET",
            format!("{base}/rendez-vous"),
            &with_jeton[..],
            "",
            401,
        ),
        (
            "GET",
            format!("{base}/rendez-vous?statut={long}"),
            &with_jeton[..],
            "",
            400,
        ),
        (
            "GET",
            format!("{base}/rendez-vous?statut=INCONNU"),
            &with_jeton[..],
            "",
            400,
        ),
        (
            "GET",
            format!("{base}/rendez-vous/%ff%fe"),
            &with_jeton[..],
            "",
            400,
        ),
        (
            "GET",
            format!("{base}/referentiel/motifs"),
            &agent[..3],
            "",
            302,
        ),
        // The jeton is checked before the body: a forged one is 401 whatever the body.
        (
            "POST",
            format!("{base}/rendez-vous"),
            &json[..],
            "{\"motif\": ",
            401,
        ),
        ("PUT", format!("{base}/rendez-vous"), &json[..], "{}", 405),
    ] {
        let (status, text) = support::request(&addr, method, &path, headers, body);
        assert_eq!(
            status,
            expected,
            "{method} {}: {text}",
            &path[..path.len().min(80)]
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
