//! How much of a broken answer the contracts catch. Real simulator answers of every read of
//! both versions, mutated one field at a time (dropped, renamed, set to null where the field
//! is not nullable, given another type; with an unknown field added under `strict`), each
//! mutant checked: the share caught per API and version is printed, and must reach 95 % per
//! version for drops, renames and type changes under the default profile.

#![allow(clippy::unwrap_used)]

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use contracts::Checker;
use contracts::presence::{Presence, Profile};
use contracts::schema_walk;
use serde_json::Value;

use common::harvest::{Harvested, harvest};
use common::*;

/// Fields that the convention, the publisher and the official examples all leave optional
/// (`presence.json` says why for each): a drop (or a rename, which is a drop plus an unknown
/// field) of one of them is not a breaking change the default profile can see. Each pattern
/// (`api version operation path`, matched as a substring) says why. These mutants are shown
/// apart and left out of the score; any other survivor fails the test, so removing one
/// presence rule by hand makes it fail.
const MAY_SURVIVE: &[(&str, &str)] = &[
    (
        "-historisation /",
        "historisation reads are new in v4: absent from the convention's 2023 tables, no official example, no required list",
    ),
    (
        "/agent/type",
        "AgentDto.type is in the schema but in no official example (they show {id, nom, prenom, structure})",
    ),
    (
        "/agentDerniereExplorationBesoin/type",
        "AgentDto.type is in the schema but in no official example",
    ),
    (
        "/impact",
        "an official example of a contrainte leaves `impact` out",
    ),
    (
        "referentiel /",
        "a référentiel read answers per domain: its official examples leave the other domains out",
    ),
    (
        "metiers-recherches v1 recuperer-metiers-recherches /*/",
        "the one 2023 example of a métier recherché leaves its optional criteria (durées, mobilités, salaire) out",
    ),
    (
        "creation-entreprise v1 recuperer-projets /*/mobilit",
        "the 2023 projet CREF shares the métier's mobilités, left out of the 2023 example",
    ),
];

#[derive(Debug, Default, Clone, Copy)]
struct Score {
    caught: usize,
    total: usize,
}

impl Score {
    fn add(&mut self, caught: bool) {
        self.total += 1;
        self.caught += usize::from(caught);
    }
    fn share(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.caught as f64 / self.total as f64
        }
    }
}

const KINDS: [&str; 5] = ["drop", "rename", "null", "type", "unknown (strict)"];

/// Each field instance (JSON pointer) of a body, first occurrence of each field path only.
fn field_pointers(schema: &Value, body: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    walk(body, String::new(), &mut |ptr| {
        let path = schema_walk::field_path(schema, &ptr);
        if seen.insert(path.clone()) {
            out.push((ptr, path));
        }
    });
    out
}

fn walk(v: &Value, ptr: String, f: &mut dyn FnMut(String)) {
    match v {
        Value::Object(m) => {
            for (k, sub) in m {
                let p = format!("{ptr}/{}", schema_walk::escape(k));
                f(p.clone());
                walk(sub, p, f);
            }
        }
        Value::Array(items) => {
            for (i, sub) in items.iter().enumerate() {
                walk(sub, format!("{ptr}/{i}"), f);
            }
        }
        _ => {}
    }
}

fn mutate(body: &Value, ptr: &str, kind: &str) -> Option<Value> {
    let mut m = body.clone();
    let (parent, key) = ptr.rsplit_once('/')?;
    let key = key.replace("~1", "/").replace("~0", "~");
    let obj = m.pointer_mut(parent)?.as_object_mut()?;
    match kind {
        "drop" => {
            obj.shift_remove(&key)?;
        }
        "rename" => {
            let v = obj.shift_remove(&key)?;
            obj.insert(format!("{key}Renomme"), v);
        }
        "null" => {
            let v = obj.get_mut(&key)?;
            if v.is_null() {
                return None;
            }
            *v = Value::Null;
        }
        "type" => {
            let v = obj.get_mut(&key)?;
            *v = match v {
                Value::String(_) => Value::from(12345),
                Value::Number(_) => Value::from("12345"),
                Value::Bool(_) => Value::from("true"),
                Value::Array(_) | Value::Object(_) => Value::from("x"),
                Value::Null => return None,
            };
        }
        _ => return None,
    }
    Some(m)
}

fn with_unknown(body: &Value, ptr: &str) -> Option<Value> {
    let mut m = body.clone();
    let obj = m.pointer_mut(ptr)?.as_object_mut()?;
    obj.insert("champInconnu".into(), Value::from(1));
    Some(m)
}

fn print_row(label: &str, s: &BTreeMap<&str, Score>) {
    let cells: Vec<String> = KINDS
        .iter()
        .map(|k| {
            let x = s.get(k).copied().unwrap_or_default();
            format!("{:>10.1} % {:>5}", 100.0 * x.share(), x.total)
        })
        .collect();
    println!("{label:<28} {}", cells.join(""));
}

#[tokio::test]
async fn the_default_profile_catches_95_percent_of_single_field_mutants() {
    let sim = sim();
    let default = Checker::active().unwrap();
    let strict = Checker::active_with(Profile::Strict).unwrap();
    // Several people per read: the three largest answers of each operation.
    let mut by_op: BTreeMap<(&str, &str, &str), Vec<Harvested>> = BTreeMap::new();
    for a in harvest(&sim, 60).await {
        if a.status == 200 {
            by_op.entry((a.api, a.major, a.op)).or_default().push(a);
        }
    }
    let mut scores: BTreeMap<(String, String), BTreeMap<&str, Score>> = BTreeMap::new();
    let mut era_scores: BTreeMap<&str, BTreeMap<&str, Score>> = BTreeMap::new();
    let mut left_out_survivors = 0usize;
    // Every drop and rename, those left out of the score included.
    let mut raw: BTreeMap<&str, Score> = BTreeMap::new();
    let mut unexplained: BTreeSet<String> = BTreeSet::new();
    for ((api, major, op), mut answers) in by_op {
        answers.sort_by_key(|a| std::cmp::Reverse(a.text.len()));
        answers.dedup_by(|a, b| a.text == b.text);
        let era = contracts::catalogue::api(api)
            .unwrap()
            .version(major)
            .unwrap()
            .era
            .alias();
        let loaded = default.store().raw(api, major).unwrap();
        let file = loaded
            .manifest
            .operation(op)
            .unwrap()
            .response(200)
            .unwrap()
            .schema
            .clone()
            .unwrap();
        let schema = &loaded.schemas[&file];
        let rules = loaded.presence.as_ref().and_then(|p| p.body(op, 200));
        let rule = |path: &str| rules.and_then(|r| r.fields.iter().find(|f| f.path == path));
        for a in answers.iter().take(3) {
            let body = a.body().unwrap();
            assert!(
                default
                    .check_response(api, major, op, 200, Some(&body))
                    .unwrap()
                    .is_empty(),
                "{api} {major} {op}: the unmutated answer must conform"
            );
            for (ptr, path) in field_pointers(schema, &body) {
                let r = rule(&path);
                for kind in KINDS {
                    let mutant = if kind == "unknown (strict)" {
                        if !body.pointer(&ptr).is_some_and(Value::is_object) {
                            continue;
                        }
                        with_unknown(&body, &ptr)
                    } else {
                        // Null only where the field is not nullable.
                        if kind == "null" && r.is_none_or(|r| r.nullable) {
                            continue;
                        }
                        mutate(&body, &ptr, kind)
                    };
                    let Some(mutant) = mutant else { continue };
                    let checker = if kind == "unknown (strict)" {
                        &strict
                    } else {
                        &default
                    };
                    let caught = !checker
                        .check_response(api, major, op, 200, Some(&mutant))
                        .unwrap()
                        .is_empty();
                    let field = format!("{api} {major} {op} {path}");
                    let may_survive = matches!(kind, "drop" | "rename")
                        && r.is_some_and(|r| r.presence == Presence::Optional)
                        && MAY_SURVIVE.iter().any(|(p, _)| field.contains(p));
                    if matches!(kind, "drop" | "rename") {
                        raw.entry(era).or_default().add(caught);
                    }
                    if may_survive {
                        left_out_survivors += usize::from(!caught);
                        continue;
                    }
                    if !caught {
                        unexplained.insert(format!("{field}: {kind}"));
                    }
                    scores
                        .entry((api.to_string(), major.to_string()))
                        .or_default()
                        .entry(kind)
                        .or_default()
                        .add(caught);
                    era_scores
                        .entry(era)
                        .or_default()
                        .entry(kind)
                        .or_default()
                        .add(caught);
                }
            }
        }
    }
    println!(
        "{:<28} {}",
        "api version",
        KINDS.map(|k| format!("{k:>18}")).join("")
    );
    for ((api, major), s) in &scores {
        print_row(&format!("{api} {major}"), s);
    }
    for (era, s) in &era_scores {
        print_row(&format!("version {era}"), s);
    }
    for (era, x) in &raw {
        println!(
            "version {era}: drops and renames caught, counting those left out: {:.1} % ({} of {})",
            100.0 * x.share(),
            x.caught,
            x.total
        );
    }
    println!(
        "left out of the score (optional by every source, see MAY_SURVIVE): {} mutants survived",
        left_out_survivors
    );
    for s in &unexplained {
        println!("  survived: {s}");
    }
    assert!(
        unexplained.is_empty(),
        "mutants that survived without a reason (a presence rule missing?):\n{}",
        unexplained.iter().cloned().collect::<Vec<_>>().join("\n")
    );
    for (era, s) in &era_scores {
        for k in ["drop", "rename", "type"] {
            let x = s[k];
            assert!(
                x.share() >= 0.95,
                "version {era}: {k} caught {:.1} % ({} of {}), below 95 %",
                100.0 * x.share(),
                x.caught,
                x.total
            );
        }
    }
}
