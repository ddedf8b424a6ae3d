//! Drift across all the answers of a check: fields that came back and that the contract does
//! not know, fields the contract requires that came back null, and how often each optional
//! field is present. The evidence for an applicative incident, and for a version change
//! nobody announced. Only field paths and counts: never a value.

use std::collections::BTreeMap;

use contracts::schema_walk;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldCount {
    /// Field path, `*` for array items (`/contrats/*/type`).
    pub path: String,
    pub count: u64,
    /// For a required field that came back null: whether its contract allows null (a
    /// "no value" the API chose to send, e.g. `identifiant` of an S002) or not (also a
    /// contract violation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub null_allowed: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Presence {
    pub path: String,
    /// Answers (or enclosing objects) where it held a value other than null.
    pub present: u64,
    pub out_of: u64,
    pub rate: f64,
}

/// The drift of one operation's answers with one status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationDrift {
    pub api: String,
    pub version: String,
    pub operation: String,
    pub status: u16,
    pub answers: u64,
    pub unknown_fields: Vec<FieldCount>,
    pub required_null: Vec<FieldCount>,
    pub optional_presence: Vec<Presence>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DriftSummary {
    pub operations: Vec<OperationDrift>,
}

impl DriftSummary {
    /// Operations with unknown fields, or required fields that came back null where their
    /// contract does not allow it.
    pub fn alarming(&self) -> impl Iterator<Item = &OperationDrift> {
        self.operations.iter().filter(|o| {
            !o.unknown_fields.is_empty()
                || o.required_null
                    .iter()
                    .any(|f| f.null_allowed == Some(false))
        })
    }
}

#[derive(Debug, Default)]
struct Tally {
    answers: u64,
    /// Schema fields: path → (required by its parent, open: an object whose members the
    /// schema does not list, null allowed).
    known: BTreeMap<String, (bool, bool, bool)>,
    /// Objects seen at a path.
    objects: BTreeMap<String, u64>,
    /// Non-null values seen at a path.
    present: BTreeMap<String, u64>,
    unknown: BTreeMap<String, u64>,
    required_null: BTreeMap<String, u64>,
}

/// Collects answers, then sums them up.
#[derive(Debug, Default)]
pub struct DriftCollector {
    tallies: BTreeMap<(String, String, String, u16), Tally>,
}

impl DriftCollector {
    /// One answer with a body, with the schema it is held to.
    pub fn observe(&mut self, key: (&str, &str, &str, u16), schema: &Value, body: &Value) {
        let t = self
            .tallies
            .entry((key.0.into(), key.1.into(), key.2.into(), key.3))
            .or_default();
        if t.known.is_empty() {
            t.known = schema_walk::fields(schema)
                .into_iter()
                .map(|f| {
                    let open = f.schema.get("properties").is_none()
                        && f.schema.get("items").is_none()
                        && f.schema.get("type").is_none_or(|t| t == "object");
                    let nullable = f.schema.get("type").is_some_and(|t| {
                        t == "null" || t.as_array().is_some_and(|a| a.iter().any(|x| x == "null"))
                    });
                    (f.path, (f.required, open, nullable))
                })
                .collect();
        }
        t.answers += 1;
        walk(t, body, "");
    }

    pub fn summary(&self) -> DriftSummary {
        let operations = self
            .tallies
            .iter()
            .map(|((api, version, operation, status), t)| {
                let list = |m: &BTreeMap<String, u64>, nulls: bool| {
                    m.iter()
                        .map(|(path, count)| FieldCount {
                            path: path.clone(),
                            count: *count,
                            null_allowed: nulls.then(|| t.known.get(path).is_some_and(|k| k.2)),
                        })
                        .collect()
                };
                let optional_presence = t
                    .known
                    .iter()
                    .filter(|(path, (required, _, _))| !*required && !path.is_empty())
                    .filter_map(|(path, _)| {
                        let parent = parent_of(path);
                        let out_of = *t.objects.get(parent)?;
                        let present = t.present.get(path).copied().unwrap_or(0);
                        Some(Presence {
                            path: path.clone(),
                            present,
                            out_of,
                            rate: round3(present as f64 / out_of as f64),
                        })
                    })
                    .collect();
                OperationDrift {
                    api: api.clone(),
                    version: version.clone(),
                    operation: operation.clone(),
                    status: *status,
                    answers: t.answers,
                    unknown_fields: list(&t.unknown, false),
                    required_null: list(&t.required_null, true),
                    optional_presence,
                }
            })
            .collect();
        DriftSummary { operations }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn parent_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Whether a path or one of its ancestors is a schema field that allows anything below it
/// (an object without `properties`): its children are not "unknown".
fn open_ancestor(t: &Tally, path: &str) -> bool {
    let mut p = parent_of(path);
    loop {
        if let Some((_, open, _)) = t.known.get(p) {
            return *open;
        }
        if p.is_empty() {
            return false;
        }
        p = parent_of(p);
    }
}

/// Distinct unknown field paths a drift lists per operation, and the longest path shown.
const MAX_UNKNOWN: usize = 200;
const MAX_UNKNOWN_PATH: usize = 200;

fn walk(t: &mut Tally, v: &Value, path: &str) {
    match v {
        Value::Object(m) => {
            *t.objects.entry(path.to_string()).or_default() += 1;
            for (k, child) in m {
                let p = format!("{path}/{}", schema_walk::escape(k));
                match t.known.get(&p).map(|k| k.0) {
                    None => {
                        if !open_ancestor(t, &p) {
                            // Names from the answer: each bounded, and so is their number.
                            let mut shown = contracts::redact::bounded(&p, MAX_UNKNOWN_PATH);
                            if t.unknown.len() >= MAX_UNKNOWN && !t.unknown.contains_key(&shown) {
                                shown = "(more unknown fields, not listed)".into();
                            }
                            *t.unknown.entry(shown).or_default() += 1;
                        }
                        // Below an unknown field, everything is unknown: counted once.
                        continue;
                    }
                    Some(required) => {
                        if child.is_null() {
                            if required {
                                *t.required_null.entry(p.clone()).or_default() += 1;
                            }
                        } else {
                            *t.present.entry(p.clone()).or_default() += 1;
                        }
                    }
                }
                walk(t, child, &p);
            }
        }
        Value::Array(a) => {
            let p = format!("{path}/*");
            for item in a {
                walk(t, item, &p);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_from_a_hostile_answer_are_bounded() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let mut body = serde_json::Map::new();
        body.insert("k".repeat(1 << 20), json!(1));
        for i in 0..1000 {
            body.insert(format!("f{i}"), json!(i));
        }
        let mut d = DriftCollector::default();
        d.observe(("api", "v2", "op", 200), &schema, &Value::Object(body));
        let s = d.summary();
        let unknown = &s.operations[0].unknown_fields;
        assert_eq!(unknown.len(), MAX_UNKNOWN + 1);
        assert!(unknown.iter().all(|f| f.path.chars().count() < 300));
        let more = unknown
            .iter()
            .find(|f| f.path == "(more unknown fields, not listed)")
            .unwrap();
        assert_eq!(more.count, 1001 - MAX_UNKNOWN as u64);
    }

    #[test]
    fn unknown_null_and_presence() {
        let schema = json!({"type": "object", "required": ["a"], "properties": {
            "a": {"type": ["string", "null"]},
            "b": {"type": "string"},
            "l": {"type": "array", "items": {"type": "object", "properties": {"c": {"type": "string"}}}}
        }});
        let mut d = DriftCollector::default();
        let k = ("api", "v2", "op", 200);
        d.observe(
            k,
            &schema,
            &json!({"a": null, "b": "x", "l": [{"c": "1"}, {"z": 2}], "new": {"deep": 1}}),
        );
        d.observe(k, &schema, &json!({"a": "y"}));
        let s = d.summary();
        let o = &s.operations[0];
        assert_eq!(o.answers, 2);
        let paths = |v: &[FieldCount]| {
            v.iter()
                .map(|f| (f.path.clone(), f.count))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            paths(&o.unknown_fields),
            vec![("/l/*/z".to_string(), 1), ("/new".to_string(), 1)]
        );
        assert_eq!(paths(&o.required_null), vec![("/a".to_string(), 1)]);
        assert_eq!(o.required_null[0].null_allowed, Some(true));
        let b = o.optional_presence.iter().find(|p| p.path == "/b").unwrap();
        assert_eq!((b.present, b.out_of), (1, 2));
        let c = o
            .optional_presence
            .iter()
            .find(|p| p.path == "/l/*/c")
            .unwrap();
        assert_eq!((c.present, c.out_of, c.rate), (1, 2, 0.5));
        assert_eq!(s.alarming().count(), 1);
    }
}
