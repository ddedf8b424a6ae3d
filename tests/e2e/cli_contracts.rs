//! `vigie contracts …` through the real binary: exit codes, messages, no panic on bad input.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test
use crate::support;
use std::io::Write;
use std::process::{Output, Stdio};

fn vigie(args: &[&str]) -> Output {
    support::vigie()
        .args(args)
        .current_dir(support::repo())
        .output()
        .expect("run vigie")
}

fn vigie_stdin(args: &[&str], input: &str) -> Output {
    let mut child = support::vigie()
        .args(args)
        .current_dir(support::repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run vigie");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited, not killed")
}

fn assert_clean_error(o: &Output, needle: &str) {
    let (out, err) = text(o);
    assert_eq!(code(o), 2, "stdout: {out}\nstderr: {err}");
    assert!(err.contains(needle), "stderr lacks `{needle}`: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "one message: {err}"
    );
}

#[test]
fn list_shows_every_api_both_versions_and_the_token_endpoint() {
    let o = vigie(&["contracts", "list"]);
    assert_eq!(code(&o), 0);
    let (out, _) = text(&o);
    for needle in [
        "recherche-usager",
        "statut-usager",
        "diagnostic-individu",
        "metiers-recherches",
        "creation-entreprise",
        "v1 (n-1)",
        "v2 (n)",
        "v4 (n)",
        "POST   /usagers/par-datenaissance-et-nir",
        "GET    /individus/{idRci}",
        "realm /agent",
        "POST   /access_token",
    ] {
        assert!(out.contains(needle), "list lacks `{needle}`:\n{out}");
    }
    let o = vigie(&["contracts", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 6);
}

#[test]
fn validate_a_valid_and_an_invalid_body() {
    let ok = r#"{"m_contrat": {"m_statut": "Inscrit", "m_date_effet_statut": "2023-06-28",
        "m_duree_inscription_12": 9, "m_duree_inscription_24": 16, "m_duree_inscription_36": 28,
        "m_motif_inscription_code": "11", "m_motif_inscription_lib": "LICENCIEMENT ECONOMIQUE",
        "m_categ_inscription_code": "1", "m_categ_inscription_lib": "X",
        "m_situation_reg_emp_code": "SAN", "m_situation_reg_emp_lib": "SANS OBJET",
        "m_motif_cloture_code": null, "m_motif_cloture_lib": null}, "m_messageErreur": " "}"#;
    let validate_with = |extra: &[&str], body: &str| {
        let mut args = vec![
            "contracts",
            "validate",
            "--api",
            "statut-usager",
            "--operation",
            "recuperer-contrat",
        ];
        args.extend_from_slice(extra);
        args.push("-");
        vigie_stdin(&args, body)
    };
    let validate =
        |profile: &str, body: &str| validate_with(&["--contract-profile", profile], body);
    let o = validate("convention", ok);
    assert_eq!(code(&o), 0, "{:?}", text(&o));
    // Half the fields gone: the publisher's schema accepts it, the default contract does not,
    // and says which profile it used.
    let partial = r#"{"m_contrat": {"m_statut": "Inscrit", "m_date_effet_statut": "2023-06-28"}, "m_messageErreur": " "}"#;
    assert_eq!(code(&validate("publisher", partial)), 0);
    let o = validate("convention", partial);
    assert_eq!(code(&o), 1, "{:?}", text(&o));
    assert!(
        text(&o).0.contains("contract profile convention"),
        "{:?}",
        text(&o)
    );
    assert!(
        text(&o).0.contains("/m_contrat/m_duree_inscription_12"),
        "{:?}",
        text(&o)
    );
    // An unknown field: drift by default, a failure under strict.
    let extra = ok.replace(
        r#""m_messageErreur""#,
        r#""m_nouveau": 1, "m_messageErreur""#,
    );
    assert_eq!(code(&validate("convention", &extra)), 0);
    assert_eq!(code(&validate("strict", &extra)), 1);

    let bad = r#"{"m_contrat": {"m_statut": "Suspendu", "m_duree_inscription_12": "neuf"}}"#;
    // No --contract-profile: the default.
    let o = validate_with(&[], bad);
    assert_eq!(code(&o), 1);
    let (out, _) = text(&o);
    assert!(
        out.contains("/m_contrat/m_statut: expected one of"),
        "{out}"
    );
    assert!(
        out.contains("statutDE : Statut du DE (Identifié, Inscrit, Cessé, Radié)"),
        "{out}"
    );
    assert!(
        out.contains("/m_contrat/m_duree_inscription_12: expected type integer"),
        "{out}"
    );

    let o = validate_with(&["--format", "json"], bad);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["contractProfile"], "convention");
    let violations = v["violations"].as_array().unwrap();
    let at = |p: &str| violations.iter().find(|x| x["pointer"] == p).unwrap();
    assert_eq!(at("/m_contrat/m_duree_inscription_12")["keyword"], "type");
    assert_eq!(at("/m_contrat/m_statut")["field"]["name"], "statutDE");
    // The fields the body left out are named too (presence rules).
    assert_eq!(at("/m_contrat/m_date_effet_statut")["keyword"], "required");
}

#[test]
fn validate_a_204_and_a_request() {
    let o = vigie_stdin(
        &[
            "contracts",
            "validate",
            "--api",
            "statut-usager",
            "--operation",
            "recuperer-contrat",
            "--status",
            "204",
            "-",
        ],
        "",
    );
    assert_eq!(code(&o), 0, "{:?}", text(&o));
    let o = vigie_stdin(
        &[
            "contracts",
            "validate",
            "--api",
            "recherche-usager",
            "--version",
            "n-1",
            "--operation",
            "rechercher-usager-par-date-naissance-et-nir",
            "--request",
            "-",
        ],
        r#"{"nir": "181036290874034", "dateNaissance": "1981-03-15"}"#,
    );
    assert_eq!(code(&o), 0, "{:?}", text(&o));
}

#[test]
fn bad_input_gets_one_clear_message_and_exit_2() {
    let body = r#"{"a": 1}"#;
    assert_clean_error(
        &vigie_stdin(
            &[
                "contracts",
                "validate",
                "--api",
                "nope",
                "--operation",
                "x",
                "-",
            ],
            body,
        ),
        "unknown API `nope`: use one of recherche-usager",
    );
    assert_clean_error(
        &vigie_stdin(
            &[
                "contracts",
                "validate",
                "--api",
                "statut-usager",
                "--version",
                "v7",
                "--operation",
                "x",
                "-",
            ],
            body,
        ),
        "unknown version `v7` of statut-usager: use one of v1 (n-1), v2 (n)",
    );
    assert_clean_error(
        &vigie_stdin(
            &[
                "contracts",
                "validate",
                "--api",
                "statut-usager",
                "--operation",
                "x",
                "-",
            ],
            body,
        ),
        "unknown operation `x` in statut-usager v2: use one of recuperer-contrat",
    );
    assert_clean_error(
        &vigie_stdin(
            &[
                "contracts",
                "validate",
                "--api",
                "statut-usager",
                "--operation",
                "recuperer-contrat",
                "--status",
                "418",
                "-",
            ],
            body,
        ),
        "documents no status 418: use one of 200, 204, 500",
    );
    assert_clean_error(
        &vigie_stdin(
            &[
                "contracts",
                "validate",
                "--api",
                "statut-usager",
                "--operation",
                "recuperer-contrat",
                "-",
            ],
            "<html>502 Bad Gateway</html>",
        ),
        "standard input is not valid JSON (line 1, column 1)",
    );
    assert_clean_error(
        &vigie(&[
            "contracts",
            "validate",
            "--api",
            "statut-usager",
            "--operation",
            "recuperer-contrat",
            "/no/such/file.json",
        ]),
        "cannot read /no/such/file.json",
    );
    assert_clean_error(&vigie(&["contracts", "diff", "nope"]), "unknown API `nope`");
    assert_clean_error(
        &vigie(&["contracts", "diff", "statut-usager", "--from", "v9"]),
        "unknown version `v9`",
    );
}

#[test]
fn import_rejects_malformed_documents_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "broken.json",
            "{\"openapi\": \"3.0.3\", \"paths\": {",
            "broken.json is not valid JSON",
        ),
        (
            "swagger.json",
            r#"{"swagger": "2.0", "paths": {}}"#,
            "swagger.json is not an OpenAPI 3.0/3.1 document: it has no `openapi` field",
        ),
        (
            "v4.json",
            r#"{"openapi": "4.0.0", "paths": {}}"#,
            "version 4.0.0 is not supported",
        ),
        (
            "empty.json",
            r#"{"openapi": "3.1.0", "paths": {}}"#,
            "it documents no operation",
        ),
        (
            "dangling.json",
            r##"{"openapi": "3.0.3", "paths": {"/x": {"get": {"operationId": "lire", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Absent"}}}}}}}}}"##,
            "cannot resolve `$ref: #/components/schemas/Absent`",
        ),
    ];
    for (name, content, needle) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        let out = dir.path().join("out");
        assert_clean_error(
            &vigie(&[
                "contracts",
                "import",
                p.to_str().unwrap(),
                "--api",
                "x",
                "--version",
                "v1",
                "--out",
                out.to_str().unwrap(),
            ]),
            needle,
        );
        assert!(
            !out.join("x").exists(),
            "{name}: nothing may be written on error"
        );
    }
}

#[test]
fn import_handles_another_document_of_the_same_publisher() {
    // An OpenAPI 3.1 document in the publisher's style: refs through allOf with a description,
    // path-level parameters, a parameter $ref, an array response, a 204.
    let doc = r##"{
      "openapi": "3.1.0",
      "info": {"title": "Orientation usager", "version": "1.2.0"},
      "servers": [{"url": "https://api.francetravail.io/partenaire/orientation-usager/v1"}],
      "paths": {"/orientations/{idOrientation}": {
        "parameters": [{"$ref": "#/components/parameters/Jeton"}],
        "get": {"operationId": "recupererOrientationV1",
          "parameters": [{"name": "idOrientation", "in": "path", "required": true, "schema": {"type": "string"}}],
          "responses": {
            "200": {"description": "ok", "content": {"application/json;charset=UTF-8": {
              "schema": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Orientation"}, {"description": "Une orientation"}]}},
              "examples": {"un": {"value": [{"code": "PRO", "date": null}]}}}}},
            "204": {"description": "aucune"}}}}},
      "components": {
        "parameters": {"Jeton": {"name": "ft-jeton-usager", "in": "header", "required": true, "schema": {"type": "string"}}},
        "schemas": {"Orientation": {"type": "object", "required": ["code"], "properties": {
          "code": {"type": "string", "enum": ["PRO", "SOCIALE"]}, "date": {"type": "string", "format": "date"}}}}}
    }"##;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("orientation.json");
    std::fs::write(&p, doc).unwrap();
    let out = dir.path().join("schemas");
    let o = vigie(&[
        "contracts",
        "import",
        p.to_str().unwrap(),
        "--api",
        "orientation-usager",
        "--version",
        "v1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{:?}", text(&o));
    let (stdout, _) = text(&o);
    assert!(
        stdout.contains("/*/date: the official example «un» carries null"),
        "{stdout}"
    );
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("orientation-usager/v1/api.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["basePath"], "/partenaire/orientation-usager/v1");
    let op = &manifest["operations"][0];
    assert_eq!(op["id"], "recuperer-orientation");
    assert_eq!(op["parameters"][0]["name"], "ft-jeton-usager");
    assert_eq!(op["responses"][1]["status"], 204);
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            out.join("orientation-usager/v1/recuperer-orientation.response.200.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(schema["items"]["description"], "Une orientation");
    assert_eq!(
        schema["items"]["properties"]["date"]["type"],
        serde_json::json!(["string", "null"])
    );
    // --check against what was just written.
    let o = vigie(&[
        "contracts",
        "import",
        p.to_str().unwrap(),
        "--api",
        "orientation-usager",
        "--version",
        "v1",
        "--out",
        out.to_str().unwrap(),
        "--check",
    ]);
    assert_eq!(code(&o), 0, "{:?}", text(&o));
}

#[test]
fn import_keeps_any_json_media_type_and_records_publisher_defects() {
    // The main read answers `*/*` (its schema must not be dropped), one example leaves out a
    // required field (a defect, never a widened schema), another carries "0" in an integer
    // enum (accepted with its type, so that the example validates).
    let doc = r##"{
      "openapi": "3.0.3",
      "info": {"title": "Sanctions RSA", "version": "1.0"},
      "paths": {"/sanctions": {"get": {"operationId": "lireSanctions",
        "responses": {"200": {"description": "ok", "content": {"*/*": {
          "schema": {"type": "object", "required": ["code", "etat"], "properties": {
            "code": {"type": "string"}, "etat": {"type": "integer", "enum": [0, 1]}}},
          "examples": {"complet": {"value": {"code": "A", "etat": "0"}},
                       "sans-etat": {"value": {"code": "B"}}}}}}}}}}
    }"##;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sanctions.json");
    std::fs::write(&p, doc).unwrap();
    let out = dir.path().join("schemas");
    let o = vigie(&[
        "contracts",
        "import",
        p.to_str().unwrap(),
        "--api",
        "sanctions-rsa",
        "--version",
        "v1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{:?}", text(&o));
    let (stdout, _) = text(&o);
    assert!(
        stdout.contains("publisher defect lire-sanctions 200: the official example «sans-etat» does not follow the publisher's own schema (\"etat\" is a required property at /)"),
        "{stdout}"
    );
    assert!(stdout.contains("and the type string with it"), "{stdout}");
    let dir_v1 = out.join("sanctions-rsa/v1");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir_v1.join("api.json")).unwrap()).unwrap();
    let r = &manifest["operations"][0]["responses"][0];
    assert_eq!(r["contentType"], "*/*");
    assert_eq!(r["defects"].as_array().unwrap().len(), 1, "{r}");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir_v1.join("lire-sanctions.response.200.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(schema["required"], serde_json::json!(["code", "etat"]));
    assert_eq!(
        schema["examples"],
        serde_json::json!([{"code": "A", "etat": "0"}])
    );
    // Every example the contract holds validates against it (the defective one is out).
    let validator = contracts::checker::validation_options()
        .build(&schema)
        .unwrap();
    for example in schema["examples"].as_array().unwrap() {
        assert!(validator.is_valid(example), "{example}");
    }
}

#[test]
fn import_check_confirms_the_committed_n_contracts() {
    let o = vigie(&[
        "contracts",
        "import",
        "contracts/openapi/statut-usager.json",
        "--api",
        "statut-usager",
        "--version",
        "n",
        "--check",
    ]);
    assert_eq!(code(&o), 0, "{:?}", text(&o));
}

#[test]
fn diff_exit_codes_formats_and_consumer() {
    let o = vigie(&["contracts", "diff", "recherche-usager"]);
    assert_eq!(code(&o), 1);
    let (out, _) = text(&o);
    assert!(
        out.contains("BREAKING [200] /identifiant → /jetonUsager"),
        "{out}"
    );

    let o = vigie(&[
        "contracts",
        "diff",
        "statut-usager",
        "--from",
        "n",
        "--to",
        "n",
    ]);
    assert_eq!(code(&o), 0);
    assert!(text(&o).0.contains("0 change(s), 0 breaking"));

    let o = vigie(&["contracts", "diff", "--all", "--format", "json"]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["apis"].as_array().unwrap().len(), 5);
    assert!(v["breaking"].as_u64().unwrap() > 0);

    let o = vigie(&[
        "contracts",
        "diff",
        "recherche-usager",
        "--format",
        "markdown",
    ]);
    let (md, _) = text(&o);
    assert!(md.starts_with("# Contract changes"), "{md}");
    assert!(
        md.contains(
            "| `rechercher-usager-par-date-naissance-et-nir` | 200 | /identifiant → /jetonUsager"
        ),
        "{md}"
    );

    // A consumer that reads none of the métiers fields is not affected by their breaking changes.
    let o = vigie(&[
        "contracts",
        "diff",
        "metiers-recherches",
        "--consumer",
        "examples/consumer.json",
    ]);
    assert_eq!(code(&o), 0, "{:?}", text(&o));
    assert!(text(&o).0.contains("0 affecting the consumer"));
    let o = vigie(&[
        "contracts",
        "diff",
        "recherche-usager",
        "--consumer",
        "examples/consumer.json",
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        text(&o)
            .0
            .contains("/identifiant → /jetonUsager (convention field «Identifiant»)")
    );
}

#[test]
fn a_bad_consumer_file_says_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.json");
    std::fs::write(
        &p,
        r#"{"apis": {"statut-usager": {"reads": ["statutDemandeur"]}}}"#,
    )
    .unwrap();
    assert_clean_error(
        &vigie(&[
            "contracts",
            "diff",
            "statut-usager",
            "--consumer",
            p.to_str().unwrap(),
        ]),
        "`statutDemandeur` is neither a field path (starting with /), a convention field of statut-usager",
    );
    std::fs::write(&p, r#"{"apis": {"statut": {}}}"#).unwrap();
    assert_clean_error(
        &vigie(&[
            "contracts",
            "diff",
            "statut-usager",
            "--consumer",
            p.to_str().unwrap(),
        ]),
        "unknown API `statut`",
    );
}

#[test]
fn fields_lists_convention_descriptions() {
    let o = vigie(&[
        "contracts",
        "fields",
        "--api",
        "creation-entreprise",
        "--version",
        "n",
    ]);
    assert_eq!(code(&o), 0);
    let (out, _) = text(&o);
    assert!(
        out.contains(
            "projetCref.typecrefcreation — Indique s'il s'agit d'un projet de création d'entreprise"
        ),
        "{out}"
    );
}
