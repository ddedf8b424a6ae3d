//! The differ on the real contracts and, rule by rule, on small synthetic versions.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test
use contracts::ContractStore;
use contracts::change::{Change, ChangeKind};
use contracts::differ::{DiffInput, diff};
use contracts::fields::FieldCatalogue;
use serde_json::{Value, json};

fn real(api: &str, from: &str, to: &str) -> Vec<Change> {
    let store = ContractStore::embedded().unwrap();
    let fields = FieldCatalogue::from_store(store).unwrap();
    let (info, fv, f) = store.resolve(api, from).unwrap();
    let (_, tv, t) = store.resolve(api, to).unwrap();
    diff(DiffInput {
        api: &info.id,
        from_major: &fv.major,
        from: f,
        to_major: &tv.major,
        to: t,
        fields: &fields,
    })
}

#[test]
fn recherche_usager_v1_to_v2_reports_identifiant_to_jeton_usager_as_breaking() {
    let changes = real("recherche-usager", "n-1", "n");
    let rename = changes
        .iter()
        .find(|c| {
            c.kind == ChangeKind::FieldRenamed && c.body == "200" && c.pointer == "/identifiant"
        })
        .unwrap_or_else(|| panic!("no rename in {changes:#?}"));
    assert!(
        rename.detail.contains("/identifiant → /jetonUsager"),
        "{}",
        rename.detail
    );
    assert!(rename.breaking);
    assert_eq!(rename.rule.id, "FIELD-RENAMED");
    // And the route change and the new required pa-* headers.
    assert!(
        changes
            .iter()
            .any(|c| c.kind == ChangeKind::RouteChanged && c.breaking)
    );
    assert!(changes.iter().any(|c| c.kind == ChangeKind::ParameterAdded
        && c.pointer == "pa-identifiant-agent"
        && c.breaking));
}

#[test]
fn statut_renames_reach_into_the_new_envelope() {
    let changes = real("statut-usager", "n-1", "n");
    assert!(
        changes.iter().any(|c| c.kind == ChangeKind::FieldRenamed
            && c.detail.starts_with("/statutDE → /m_contrat/m_statut")),
        "{changes:#?}"
    );
}

#[test]
fn the_diff_of_every_version_with_itself_is_empty() {
    for api in &ContractStore::embedded().unwrap().catalogue().apis {
        for v in &api.versions {
            let changes = real(&api.id, &v.major, &v.major);
            assert!(changes.is_empty(), "{} {}: {changes:#?}", api.id, v.major);
        }
    }
}

// ---- synthetic versions ----

fn version(op: Value, response: Value, request: Option<Value>) -> ContractStore {
    let mut files = vec![(
        "schemas/t/v1/api.json".to_string(),
        json!({
            "api": "t", "version": "v1", "title": "t", "source": "test", "basePath": "/t",
            "operations": [op]
        })
        .to_string(),
    )];
    files.push((
        "schemas/t/v1/op.response.200.json".to_string(),
        response.to_string(),
    ));
    if let Some(r) = request {
        files.push(("schemas/t/v1/op.request.json".to_string(), r.to_string()));
    }
    ContractStore::from_files(files.into_iter()).unwrap()
}

fn op(params: Value, with_request: bool) -> Value {
    let mut o = json!({"id": "op", "method": "GET", "path": "/x", "parameters": params,
        "responses": [{"status": 200, "contentType": "application/json", "schema": "op.response.200.json"}]});
    if with_request {
        o["method"] = json!("POST");
        o["request"] = json!({"contentType": "application/json", "required": true, "schema": "op.request.json"});
    }
    o
}

fn diff_of(a: &ContractStore, b: &ContractStore) -> Vec<Change> {
    let fields = FieldCatalogue::default();
    diff(DiffInput {
        api: "t",
        from_major: "v1",
        from: a.raw("t", "v1").unwrap(),
        to_major: "v1",
        to: b.raw("t", "v1").unwrap(),
        fields: &fields,
    })
}

fn one(changes: &[Change], kind: ChangeKind) -> &Change {
    changes
        .iter()
        .find(|c| c.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} in {changes:#?}"))
}

fn obj(props: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": props, "required": required})
}

#[test]
fn response_rules() {
    let base = obj(
        json!({"a": {"type": "string", "enum": ["X", "Y"]}, "b": {"type": "integer"}, "c": {"type": "string", "format": "date"}}),
        &["a", "b"],
    );
    let a = version(op(json!([]), false), base.clone(), None);

    let cases: Vec<(Value, ChangeKind, bool, &str)> = vec![
        (
            obj(
                json!({"a": {"type": "string", "enum": ["X", "Y"]}, "c": {"type": "string", "format": "date"}}),
                &["a"],
            ),
            ChangeKind::FieldRemoved,
            true,
            "/b",
        ),
        (
            obj(
                json!({"a": {"type": "string", "enum": ["X", "Y"]}, "b": {"type": "integer"}, "c": {"type": "string", "format": "date"}, "d": {"type": "string"}}),
                &["a", "b"],
            ),
            ChangeKind::FieldAdded,
            false,
            "/d",
        ),
        (
            obj(
                json!({"a": {"type": "string", "enum": ["X", "Y"]}, "b": {"type": "string"}, "c": {"type": "string", "format": "date"}}),
                &["a", "b"],
            ),
            ChangeKind::TypeChanged,
            true,
            "/b",
        ),
        (
            obj(
                json!({"a": {"type": "string", "enum": ["X", "Y"]}, "b": {"type": "integer"}, "c": {"type": "string", "format": "date-time"}}),
                &["a", "b"],
            ),
            ChangeKind::FormatChanged,
            true,
            "/c",
        ),
        (
            obj(
                json!({"a": {"type": "string", "enum": ["X", "Y", "Z"]}, "b": {"type": "integer"}, "c": {"type": "string", "format": "date"}}),
                &["a", "b"],
            ),
            ChangeKind::EnumWidened,
            true,
            "/a",
        ),
        (
            obj(
                json!({"a": {"type": "string", "enum": ["X"]}, "b": {"type": "integer"}, "c": {"type": "string", "format": "date"}}),
                &["a", "b"],
            ),
            ChangeKind::EnumNarrowed,
            false,
            "/a",
        ),
        (
            obj(
                json!({"a": {"type": "string", "enum": ["X", "Y"]}, "b": {"type": "integer"}, "c": {"type": "string", "format": "date"}}),
                &["a"],
            ),
            ChangeKind::RequiredRemoved,
            true,
            "/b",
        ),
        (
            obj(
                json!({"a": {"type": "string", "enum": ["X", "Y"]}, "b": {"type": "integer"}, "c": {"type": "string", "format": "date"}}),
                &["a", "b", "c"],
            ),
            ChangeKind::RequiredAdded,
            false,
            "/c",
        ),
        (
            obj(
                json!({"a": {"type": "string", "enum": ["X", "Y"]}, "b": {"type": ["integer", "null"]}, "c": {"type": "string", "format": "date"}}),
                &["a", "b"],
            ),
            ChangeKind::BecameNullable,
            true,
            "/b",
        ),
    ];
    for (to, kind, breaking, pointer) in cases {
        let b = version(op(json!([]), false), to, None);
        let changes = diff_of(&a, &b);
        let c = one(&changes, kind);
        assert_eq!(
            (c.breaking, c.pointer.as_str()),
            (breaking, pointer),
            "{kind:?}: {c:#?}"
        );
        assert_eq!(c.body, "200");
    }
    // And back: nullable → not nullable is fine for a reader.
    let nullable = obj(json!({"b": {"type": ["integer", "null"]}}), &[]);
    let plain = obj(json!({"b": {"type": "integer"}}), &[]);
    let changes = diff_of(
        &version(op(json!([]), false), nullable, None),
        &version(op(json!([]), false), plain, None),
    );
    assert!(!one(&changes, ChangeKind::NoLongerNullable).breaking);
}

#[test]
fn request_rules_are_seen_from_the_sender() {
    let resp = obj(json!({}), &[]);
    let req = obj(json!({"a": {"type": "string", "enum": ["X", "Y"]}}), &["a"]);
    let a = version(op(json!([]), true), resp.clone(), Some(req));
    let cases: Vec<(Value, ChangeKind, bool)> = vec![
        (
            obj(
                json!({"a": {"type": "string", "enum": ["X", "Y"]}, "n": {"type": "string"}}),
                &["a", "n"],
            ),
            ChangeKind::FieldAdded,
            true,
        ),
        (
            obj(
                json!({"a": {"type": "string", "enum": ["X", "Y"]}, "n": {"type": "string"}}),
                &["a"],
            ),
            ChangeKind::FieldAdded,
            false,
        ),
        (
            obj(json!({"a": {"type": "string", "enum": ["X"]}}), &["a"]),
            ChangeKind::EnumNarrowed,
            true,
        ),
        (
            obj(
                json!({"a": {"type": "string", "enum": ["X", "Y", "Z"]}}),
                &["a"],
            ),
            ChangeKind::EnumWidened,
            false,
        ),
        (
            obj(json!({"a": {"type": "string", "enum": ["X", "Y"]}}), &[]),
            ChangeKind::RequiredRemoved,
            false,
        ),
    ];
    for (to, kind, breaking) in cases {
        let b = version(op(json!([]), true), resp.clone(), Some(to));
        let changes = diff_of(&a, &b);
        let c = one(&changes, kind);
        assert_eq!(c.breaking, breaking, "{kind:?}: {c:#?}");
        assert_eq!(c.body, "request");
    }
}

#[test]
fn operation_and_parameter_rules() {
    let resp = obj(json!({}), &[]);
    let h = |name: &str, required: bool| json!({"name": name, "in": "header", "required": required, "schema": {"type": "string"}});
    let a = version(op(json!([h("x-a", false)]), false), resp.clone(), None);
    let b = version(
        op(
            json!([h("x-a", true), h("x-b", true), h("x-c", false)]),
            false,
        ),
        resp.clone(),
        None,
    );
    let changes = diff_of(&a, &b);
    assert!(one(&changes, ChangeKind::ParameterRequiredAdded).breaking);
    let added: Vec<_> = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::ParameterAdded)
        .collect();
    assert_eq!(added.len(), 2);
    assert!(added.iter().any(|c| c.pointer == "x-b" && c.breaking));
    assert!(added.iter().any(|c| c.pointer == "x-c" && !c.breaking));
    let back = diff_of(&b, &a);
    assert!(!one(&back, ChangeKind::ParameterRemoved).breaking);

    // Route change and a removed operation.
    let mut moved = op(json!([h("x-a", false)]), false);
    moved["path"] = json!("/y");
    let c = diff_of(&a, &version(moved, resp.clone(), None));
    assert!(one(&c, ChangeKind::RouteChanged).breaking);
    let mut renamed = op(json!([h("x-a", false)]), false);
    renamed["id"] = json!("other");
    let c = diff_of(&a, &version(renamed, resp, None));
    assert!(one(&c, ChangeKind::OperationRemoved).breaking);
    assert!(!one(&c, ChangeKind::OperationAdded).breaking);
}

#[test]
fn a_field_renamed_in_place_with_its_type_and_values_is_a_rename() {
    let before = obj(
        json!({"statut": {"type": "string", "enum": ["Inscrit", "Radié"]}, "n": {"type": "integer"}}),
        &["statut"],
    );
    let after = obj(
        json!({"statut_usager": {"type": "string", "enum": ["Inscrit", "Radié"]}, "n": {"type": "integer"}}),
        &["statut_usager"],
    );
    let changes = diff_of(
        &version(op(json!([]), false), before.clone(), None),
        &version(op(json!([]), false), after, None),
    );
    let c = one(&changes, ChangeKind::FieldRenamed);
    assert!(c.breaking, "{c:#?}");
    assert_eq!(
        c.detail,
        "/statut → /statut_usager (same place, type and values)"
    );
    assert!(
        !changes.iter().any(|c| c.kind == ChangeKind::FieldAdded),
        "the added field is folded into the rename: {changes:#?}"
    );
    // Two candidates of the same shape: no guess, a removal and two additions.
    let two = obj(
        json!({"x": {"type": "string", "enum": ["Inscrit", "Radié"]}, "y": {"type": "string", "enum": ["Inscrit", "Radié"]}, "n": {"type": "integer"}}),
        &[],
    );
    let changes = diff_of(
        &version(op(json!([]), false), before, None),
        &version(op(json!([]), false), two, None),
    );
    assert!(
        !changes.iter().any(|c| c.kind == ChangeKind::FieldRenamed),
        "{changes:#?}"
    );
    one(&changes, ChangeKind::FieldRemoved);
}
