//! What a check calls, read from the contracts: for each API version, the reads of one
//! person (every `GET` whose only input is the person), the reads of nobody in particular
//! (référentiels), and the write round-trips (write, read back, compare).

use contracts::catalogue::{self, Era};
use contracts::manifest::Operation;
use contracts::store::ContractStore;
use serde_json::{Value, json};

/// One API version in the check.
#[derive(Debug, Clone)]
pub struct VersionPlan {
    pub api: &'static str,
    pub major: &'static str,
    /// `v2 (n)`, or `v3` when no alias names it.
    pub label: String,
    /// How it is called (the access style of its generation).
    pub era: Era,
    pub realm: &'static str,
    pub scopes: &'static [String],
    pub base_path: String,
    /// Reads of one person.
    pub person_reads: Vec<Operation>,
    /// Reads that need no person (référentiels), made once per run.
    pub shared_reads: Vec<Operation>,
    /// Reads that need no person but take documented path values (a référentiel's domain):
    /// one call per documented value, or per documented pair.
    pub enumerated_reads: Vec<EnumeratedRead>,
}

/// One call of a read whose path parameters take documented values.
#[derive(Debug, Clone)]
pub struct EnumeratedRead {
    pub op: Operation,
    /// The operation's path with the values in place (URL-encoded).
    pub path: String,
    /// `domaine=contrainte, sous-domaine=situation`: what the call names, for the report.
    pub values: String,
}

/// Pairs of path values an official document allows where its enums alone would allow
/// more: Diagnostic v4 `recupererSousDomaineReferentiel`, whose `sous-domaine` description
/// says « Pour le domaine contrainte, valeurs possibles: "situation", "objectif". Pour le
/// domaine pouvoir-agir, valeurs possibles: "question", "analyse" ».
const DOCUMENTED_COMBINATIONS: &[(&str, &str, &[&[&str]])] = &[(
    "v4",
    "recuperer-sous-domaine-referentiel",
    &[
        &["contrainte", "situation"],
        &["contrainte", "objectif"],
        &["pouvoir-agir", "question"],
        &["pouvoir-agir", "analyse"],
    ],
)];

/// Every documented call of an operation whose path parameters all have enums.
fn enumerated(major: &str, op: &Operation) -> Vec<EnumeratedRead> {
    let params: Vec<(&str, Vec<&str>)> = op
        .parameters
        .iter()
        .filter(|p| p.location == "path")
        .map(|p| {
            let values = p.schema["enum"]
                .as_array()
                .map(|e| e.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            (p.name.as_str(), values)
        })
        .collect();
    if params.is_empty() || params.iter().any(|(_, v)| v.is_empty()) {
        return Vec::new();
    }
    let combinations: Vec<Vec<&str>> = match DOCUMENTED_COMBINATIONS
        .iter()
        .find(|(m, id, _)| *m == major && *id == op.id)
    {
        Some((_, _, pairs)) => pairs.iter().map(|p| p.to_vec()).collect(),
        None => params.iter().fold(vec![Vec::new()], |acc, (_, values)| {
            acc.iter()
                .flat_map(|prefix| {
                    values.iter().map(move |v| {
                        let mut c = prefix.clone();
                        c.push(*v);
                        c
                    })
                })
                .collect()
        }),
    };
    combinations
        .into_iter()
        .map(|values| {
            let mut path = op.path.clone();
            let mut named = Vec::new();
            for ((name, _), value) in params.iter().zip(&values) {
                path = path.replace(
                    &format!("{{{name}}}"),
                    &contracts::url::encode_segment(value),
                );
                named.push(format!("{name}={value}"));
            }
            EnumeratedRead {
                op: op.clone(),
                path,
                values: named.join(", "),
            }
        })
        .collect()
}

/// A write and how to tell it was applied.
#[derive(Debug, Clone)]
pub struct RoundTrip {
    pub api: &'static str,
    pub major: &'static str,
    pub write: &'static str,
    pub read: &'static str,
    pub body: Value,
    /// An object the read-back must contain, somewhere, with these members.
    pub expect: Value,
    /// The members to write back afterwards, taken from the read made before the write (the
    /// person is left as the check found them); empty when the write is idempotent.
    pub restore: &'static [&'static str],
}

/// Why a plan cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("{0}")]
    Contracts(String),
    #[error("no API matches --api {0:?}: use one of {1}")]
    UnknownApi(String, String),
}

/// Path parameters that name the person (n-1: the encrypted id in the path).
pub const PERSON_PARAMS: &[&str] = &["idRci", "id-national", "idNat"];

/// Which APIs and versions a check covers: `versions` are aliases (`n`, `n-1`) or majors
/// (`v3`); an API without an alias, or without a major when every API is asked for, is left
/// out; none at all is an error.
pub fn plan(
    store: &ContractStore,
    apis: Option<&str>,
    versions: &[&str],
) -> Result<Vec<VersionPlan>, PlanError> {
    let mut out = Vec::new();
    let wanted: Vec<&catalogue::ApiInfo> = match apis {
        Some(id) => vec![catalogue::api(id).map_err(|_| {
            PlanError::UnknownApi(
                id.to_string(),
                catalogue::business_apis()
                    .map(|a| a.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })?],
        None => catalogue::business_apis().collect(),
    };
    for api in wanted {
        for given in versions {
            let v = match api.version(given) {
                Ok(v) => v,
                // An API without the version is left out of a check of every API, and of
                // `all` (n-1 and n) when it has only one of them.
                Err(_) if apis.is_none() || matches!(*given, "n" | "n-1") => continue,
                Err(e) => return Err(PlanError::Contracts(e.to_string())),
            };
            if out
                .iter()
                .any(|p: &VersionPlan| p.api == api.id && p.major == v.major)
            {
                continue;
            }
            let loaded = store.raw(&api.id, &v.major).ok_or_else(|| {
                PlanError::Contracts(format!("no contract for {} {}", api.id, v.major))
            })?;
            let m = &loaded.manifest;
            let mut person_reads = Vec::new();
            let mut shared_reads = Vec::new();
            let mut enumerated_reads = Vec::new();
            for op in &m.operations {
                if op.method != "GET" || op.write {
                    continue;
                }
                let required_inputs: Vec<&str> = op
                    .parameters
                    .iter()
                    .filter(|p| {
                        p.required
                            && (p.location == "path"
                                || (p.location == "query" && p.documented_value().is_none()))
                    })
                    .map(|p| p.name.as_str())
                    .collect();
                let in_path: Vec<&str> = op
                    .parameters
                    .iter()
                    .filter(|p| p.location == "path")
                    .map(|p| p.name.as_str())
                    .collect();
                let by_person_path = !in_path.is_empty()
                    && in_path.iter().all(|p| PERSON_PARAMS.contains(p))
                    && required_inputs.iter().all(|p| PERSON_PARAMS.contains(p));
                let by_jeton = op
                    .parameters
                    .iter()
                    .any(|p| p.name.eq_ignore_ascii_case("ft-jeton-usager"));
                if by_person_path || (by_jeton && in_path.is_empty() && required_inputs.is_empty())
                {
                    person_reads.push(op.clone());
                } else if !by_jeton && in_path.is_empty() && required_inputs.is_empty() {
                    shared_reads.push(op.clone());
                } else if !by_jeton && in_path.iter().all(|p| !PERSON_PARAMS.contains(p)) {
                    enumerated_reads.extend(enumerated(&v.major, op));
                }
            }
            out.push(VersionPlan {
                api: &api.id,
                major: &v.major,
                label: v.label(),
                era: v.era,
                realm: &v.realm,
                scopes: &v.scopes,
                base_path: m.base_path.clone(),
                person_reads,
                shared_reads,
                enumerated_reads,
            });
        }
    }
    if out.is_empty() {
        return Err(PlanError::Contracts(format!(
            "no API has version {}: see `vigie contracts list`",
            versions.join(", ")
        )));
    }
    Ok(out)
}

/// The write round-trips of a version (`today` as `AAAA-MM-JJ`, for exploration dates).
pub fn round_trips(api: &str, major: &str, today: &str) -> Vec<RoundTrip> {
    match (api, major) {
        ("diagnostic-individu", "v4") => vec![RoundTrip {
            api: "diagnostic-individu",
            major: "v4",
            write: "enregistrer-pouvoir-agir",
            read: "recuperer-pouvoir-agir",
            body: json!({"confiance": "NON", "accompagnement": "OUI"}),
            expect: json!({"confiance": "NON", "accompagnement": "OUI"}),
            restore: &["confiance", "accompagnement"],
        }],
        ("diagnostic-individu", "v1") => vec![RoundTrip {
            api: "diagnostic-individu",
            major: "v1",
            write: "enregistrer-contraintes",
            read: "recuperer-contraintes-individu",
            body: json!({
                "dateExploration": format!("{today}T10:00:00.000+00:00"),
                "idConseiller": "VIGIE001",
                "contraintes": [{"code": "27", "valeur": "CLOTUREE",
                                 "objectifs": [{"code": "8", "valeur": "REALISE"}]}]
            }),
            // The v1 contraintes resource names a contrainte by a numeric `id`.
            expect: json!({"id": 27, "valeur": "CLOTUREE"}),
            // Idempotent: a second run writes the same contrainte again (v1 has no way back).
            restore: &[],
        }],
        _ => Vec::new(),
    }
}

/// The first object, at any depth, holding every one of `keys`: the members to write back.
pub fn restore_body(before: &Value, keys: &[&str]) -> Option<Value> {
    match before {
        Value::Object(m) => {
            if keys.iter().all(|k| m.get(*k).is_some_and(|v| !v.is_null())) {
                let picked: serde_json::Map<String, Value> = keys
                    .iter()
                    .map(|k| ((*k).to_string(), m[*k].clone()))
                    .collect();
                return Some(Value::Object(picked));
            }
            m.values().find_map(|v| restore_body(v, keys))
        }
        Value::Array(a) => a.iter().find_map(|v| restore_body(v, keys)),
        _ => None,
    }
}

/// Whether `haystack` holds, at any depth, an object with every member of `needle`.
pub fn contains_object(haystack: &Value, needle: &Value) -> bool {
    let Some(want) = needle.as_object() else {
        return false;
    };
    match haystack {
        Value::Object(m) => {
            want.iter().all(|(k, v)| m.get(k) == Some(v))
                || m.values().any(|x| contains_object(x, needle))
        }
        Value::Array(a) => a.iter().any(|x| contains_object(x, needle)),
        _ => false,
    }
}

/// The operation's path with the person's id (URL-encoded) in place of its parameter.
/// The path of a call (n-1: the person's id in it), with every required query parameter
/// the contract documents a value of.
pub fn person_path(base: &str, op: &Operation, id: Option<&str>) -> String {
    let mut path = format!("{base}{}", op.path);
    if let Some(id) = id {
        for p in PERSON_PARAMS {
            path = path.replace(&format!("{{{p}}}"), &contracts::url::encode_segment(id));
        }
    }
    path.push_str(&op.required_query());
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_version_has_person_reads() {
        let store = ContractStore::active().unwrap();
        let p = plan(store, None, &["n-1", "n"]).unwrap();
        assert_eq!(p.len(), 10);
        for v in p.iter().filter(|v| v.api != "recherche-usager") {
            assert!(!v.person_reads.is_empty(), "{} {}", v.api, v.major);
        }
        let d4 = p.iter().find(|v| v.major == "v4").unwrap();
        let ids: Vec<&str> = d4.person_reads.iter().map(|o| o.id.as_str()).collect();
        assert!(ids.contains(&"recuperer-dossier-individu"), "{ids:?}");
        assert!(
            d4.shared_reads
                .iter()
                .any(|o| o.id == "recuperer-referentiel")
        );
        // Every documented value of a référentiel's path, and only the documented pairs.
        let calls: Vec<&str> = d4
            .enumerated_reads
            .iter()
            .map(|r| r.path.as_str())
            .collect();
        assert_eq!(
            calls,
            [
                "/referentiel/besoin",
                "/referentiel/contrainte",
                "/referentiel/pouvoir-agir",
                "/referentiel/contrainte/situation",
                "/referentiel/contrainte/objectif",
                "/referentiel/pouvoir-agir/question",
                "/referentiel/pouvoir-agir/analyse",
            ]
        );
        let e = plan(store, Some("nope"), &["n"]).unwrap_err();
        assert!(e.to_string().contains("statut-usager"));
        let e = plan(store, None, &["v9"]).unwrap_err();
        assert!(e.to_string().contains("no API has version v9"), "{e}");
        let only_v4 = plan(store, None, &["v4"]).unwrap();
        assert_eq!(only_v4.len(), 1);
        assert_eq!(only_v4[0].api, "diagnostic-individu");
    }

    #[test]
    fn restore_picks_the_previous_members() {
        let before = json!({"pouvoirAgir": {"confiance": "OUI", "accompagnement": "NON", "x": 1}});
        assert_eq!(
            restore_body(&before, &["confiance", "accompagnement"]),
            Some(json!({"confiance": "OUI", "accompagnement": "NON"}))
        );
        assert_eq!(
            restore_body(&json!({"confiance": null}), &["confiance"]),
            None
        );
    }

    #[test]
    fn contains_and_encode() {
        let v = json!({"a": [{"code": "27", "valeur": "CLOTUREE", "x": 1}]});
        assert!(contains_object(
            &v,
            &json!({"code": "27", "valeur": "CLOTUREE"})
        ));
        assert!(!contains_object(
            &v,
            &json!({"code": "27", "valeur": "OUVERTE"})
        ));
    }
}
