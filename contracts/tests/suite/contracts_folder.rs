//! A contracts folder read over the embedded contracts: what it adds and overrides, and a clear
//! refusal, naming what to fix, for every folder that cannot be read as one.

use std::path::Path;

use contracts::ContractStore;
use contracts::catalogue::Origin;

fn embedded() -> &'static ContractStore {
    ContractStore::embedded().unwrap()
}

/// A copy of the embedded statut-usager v2 as `v3` in `dir`.
fn v3(dir: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/statut-usager/v2");
    let to = dir.join("statut-usager/v3");
    std::fs::create_dir_all(&to).unwrap();
    for f in std::fs::read_dir(from).unwrap() {
        let f = f.unwrap().path();
        let text = std::fs::read_to_string(&f)
            .unwrap()
            .replace("\"version\": \"v2\"", "\"version\": \"v3\"")
            .replace("contrat-usager/v2", "contrat-usager/v3");
        // Without the document's access, to show the fallback: called like n, its scopes
        // renamed to the new major.
        let text = if f.ends_with("api.json") {
            let mut m: serde_json::Value = serde_json::from_str(&text).unwrap();
            m.as_object_mut().unwrap().remove("access");
            m.to_string()
        } else {
            text
        };
        std::fs::write(to.join(f.file_name().unwrap()), text).unwrap();
    }
}

fn refused(dir: &Path) -> String {
    embedded().with_folder(dir).unwrap_err().to_string()
}

#[test]
fn a_folder_adds_a_version_with_its_origin_and_leaves_the_aliases() {
    let tmp = tempfile::tempdir().unwrap();
    v3(tmp.path());
    let store = embedded().with_folder(tmp.path()).unwrap();
    let statut = store.catalogue().api("statut-usager").unwrap();
    let v = statut.version("v3").unwrap();
    assert_eq!(v.origin, Origin::Folder(tmp.path().display().to_string()));
    assert_eq!(v.base_path, "/partenaire/contrat-usager/v3");
    // Called like n, its scopes renamed to the new major.
    assert_eq!(v.realm, "/agent");
    assert!(
        v.scopes.contains(&"api_contrat-usagerv3".to_string()),
        "{:?}",
        v.scopes
    );
    assert_eq!(statut.version("n").unwrap().major, "v2");
    assert!(store.raw("statut-usager", "v3").is_some());
    // The embedded store is untouched.
    assert!(embedded().raw("statut-usager", "v3").is_none());
}

#[test]
fn its_catalogue_repoints_n_and_n_minus_1() {
    let tmp = tempfile::tempdir().unwrap();
    v3(tmp.path());
    std::fs::write(
        tmp.path().join("catalogue.json"),
        r#"{"apis": [{"id": "statut-usager", "aliases": {"n": "v3", "n-1": "v2"}}]}"#,
    )
    .unwrap();
    let store = embedded().with_folder(tmp.path()).unwrap();
    let (_, n, _) = store.resolve("statut-usager", "n").unwrap();
    let (_, n1, _) = store.resolve("statut-usager", "n-1").unwrap();
    assert_eq!((n.major.as_str(), n1.major.as_str()), ("v3", "v2"));
}

#[test]
fn every_unreadable_folder_is_refused_with_what_to_fix() {
    // Not a folder.
    let tmp = tempfile::tempdir().unwrap();
    let err = refused(&tmp.path().join("absent"));
    assert!(err.contains("not a folder"), "{err}");

    // A catalogue that is not JSON, or that names what is not there.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("catalogue.json"), "{nope").unwrap();
    let err = refused(tmp.path());
    assert!(
        err.contains("catalogue.json is not valid JSON (line 1"),
        "{err}"
    );
    std::fs::write(
        tmp.path().join("catalogue.json"),
        r#"{"apis": [{"id": "statut-usager", "aliases": {"n": "v7"}}]}"#,
    )
    .unwrap();
    let err = refused(tmp.path());
    assert!(
        err.contains("v7") && err.contains("import it first"),
        "{err}"
    );
    std::fs::write(
        tmp.path().join("catalogue.json"),
        r#"{"apis": [], "extra": 1}"#,
    )
    .unwrap();
    let err = refused(tmp.path());
    assert!(err.contains("unknown field `extra`"), "{err}");

    // A manifest naming a schema file that is missing.
    let tmp = tempfile::tempdir().unwrap();
    v3(tmp.path());
    std::fs::remove_file(
        tmp.path()
            .join("statut-usager/v3/recuperer-contrat.response.200.json"),
    )
    .unwrap();
    let err = refused(tmp.path());
    assert!(
        err.contains("recuperer-contrat.response.200.json, which is missing"),
        "{err}"
    );

    // A file too large to be a contract is not read.
    let tmp = tempfile::tempdir().unwrap();
    v3(tmp.path());
    let big = std::fs::File::create(tmp.path().join("statut-usager/v3/huge.json")).unwrap();
    big.set_len(contracts::store::MAX_FILE_BYTES + 1).unwrap();
    let err = refused(tmp.path());
    assert!(
        err.contains("more than the") && err.contains("huge.json"),
        "{err}"
    );
}

#[test]
fn ids_that_would_name_paths_routes_or_labels_badly_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    v3(tmp.path());
    std::fs::rename(
        tmp.path().join("statut-usager/v3"),
        tmp.path().join("statut-usager/V 3"),
    )
    .unwrap();
    let err = refused(tmp.path());
    assert!(err.contains("`V 3` is not an id"), "{err}");
    let tmp = tempfile::tempdir().unwrap();
    for bad in ["../etc", "a\"b", &"x".repeat(65)] {
        let text = serde_json::json!({"apis": [{"id": bad}]}).to_string();
        std::fs::write(tmp.path().join("catalogue.json"), text).unwrap();
        let err = refused(tmp.path());
        assert!(err.contains("is not an id"), "{bad}: {err}");
    }
}
