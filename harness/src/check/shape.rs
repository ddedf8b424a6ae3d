//! Which version an answer is shaped like. Validating is not enough: a contract that
//! requires nothing and allows any member accepts every object. An answer is shaped like a
//! version when it validates against that version's contract *and* the fields it carries
//! are the ones that contract names.

use std::collections::BTreeSet;

use contracts::schema_walk;
use serde_json::Value;

/// The share of the answer's fields (paths, `*` for array items) its contract names, from 0
/// to 1; `None` when the answer has no field at all.
pub fn named_share(schema: &Value, body: &Value) -> Option<f64> {
    let known: BTreeSet<String> = schema_walk::fields(schema)
        .into_iter()
        .map(|f| f.path)
        .collect();
    let mut seen = Vec::new();
    paths(body, "", &mut seen, 0);
    if seen.is_empty() {
        return None;
    }
    let named = seen.iter().filter(|p| known.contains(p.as_str())).count();
    Some(named as f64 / seen.len() as f64)
}

/// Whether an answer valid against `schema` is shaped like it (90 % of its fields named).
pub fn shaped_like(schema: &Value, body: &Value) -> bool {
    named_share(schema, body).is_some_and(|s| s >= 0.9)
}

fn paths(v: &Value, at: &str, out: &mut Vec<String>, depth: usize) {
    if depth > 16 {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = format!("{at}/{}", schema_walk::escape(k));
                if !out.contains(&p) {
                    out.push(p.clone());
                }
                paths(child, &p, out, depth + 1);
            }
        }
        Value::Array(a) => {
            for item in a {
                paths(item, &format!("{at}/*"), out, depth + 1);
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
    fn an_open_contract_does_not_claim_every_answer() {
        let v2 = json!({"type": "object", "properties": {"m_contrat": {"type": "object", "properties": {"m_statut": {"type": "string"}}}}});
        assert!(shaped_like(
            &v2,
            &json!({"m_contrat": {"m_statut": "Inscrit"}})
        ));
        assert!(!shaped_like(
            &v2,
            &json!({"statutDE": "Inscrit", "dateEffetStatut": "2020-01-01"})
        ));
        assert_eq!(named_share(&v2, &json!({})), None);
    }
}
