//! Data defects applied to a 200 body, for applicative incidents.

use serde_json::Value;

use crate::faults::plan::DefectKind;

/// Applies a defect; returns `false` when the body offers nothing to damage. `required`:
/// pointers of the fields the answer's contract requires, the first present one is the one
/// a missing-field defect removes (else the first leaf).
pub(crate) fn apply(kind: DefectKind, body: &mut Value, required: &[String]) -> bool {
    match kind {
        DefectKind::MissingField => remove_required(body, required) || remove_first_leaf(body),
        DefectKind::WrongType => first_string_to_number(body),
        DefectKind::IncoherentCategory => incoherent_category(body),
    }
}

fn remove_required(body: &mut Value, required: &[String]) -> bool {
    for pointer in required {
        let Some((parent, name)) = pointer.rsplit_once('/') else {
            continue;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        if let Some(Value::Object(m)) = body.pointer_mut(parent)
            && m.remove(&name).is_some()
        {
            return true;
        }
    }
    false
}

/// Pointers of the required fields of a schema, outside arrays, parents first.
pub(crate) fn required_pointers(schema: &Value) -> Vec<String> {
    let fields = contracts::schema_walk::fields(schema);
    let mut out: Vec<String> = Vec::new();
    for f in &fields {
        if f.required && !f.path.is_empty() && !f.path.contains("/*") {
            // Only when every ancestor is required too, so that the field is there to remove.
            let ancestors_required = fields
                .iter()
                .filter(|a| !a.path.is_empty() && f.path.starts_with(&format!("{}/", a.path)))
                .all(|a| a.required);
            if ancestors_required {
                out.push(f.path.clone());
            }
        }
    }
    out
}

fn remove_first_leaf(v: &mut Value) -> bool {
    match v {
        Value::Object(m) => {
            let leaf = m
                .iter()
                .find(|(_, x)| !x.is_object() && !x.is_array())
                .map(|(k, _)| k.clone());
            if let Some(k) = leaf {
                m.remove(&k);
                return true;
            }
            m.values_mut().any(remove_first_leaf)
        }
        Value::Array(a) => a.iter_mut().any(remove_first_leaf),
        _ => false,
    }
}

fn first_string_to_number(v: &mut Value) -> bool {
    match v {
        Value::String(_) => {
            *v = Value::from(42);
            true
        }
        Value::Object(m) => m.values_mut().any(first_string_to_number),
        Value::Array(a) => a.iter_mut().any(first_string_to_number),
        _ => false,
    }
}

/// An RSA beneficiary in category 4 with the label of category 1: both incoherent.
fn incoherent_category(v: &mut Value) -> bool {
    let target = if v.get("m_contrat").is_some() {
        &mut v["m_contrat"]
    } else {
        v
    };
    for key in ["m_categ_inscription_code", "categInscriptionCode"] {
        if let Some(x) = target.get_mut(key) {
            *x = Value::from("4");
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_defect() {
        let mut b = json!({"m_contrat": {"m_statut": "Inscrit", "m_categ_inscription_code": "1"}, "m_messageErreur": " "});
        assert!(apply(DefectKind::IncoherentCategory, &mut b, &[]));
        assert_eq!(b["m_contrat"]["m_categ_inscription_code"], "4");
        assert!(apply(DefectKind::MissingField, &mut b, &[]));
        assert!(b.get("m_messageErreur").is_none());
        let mut b = json!({"m_contrat": {"m_statut": "Inscrit"}});
        assert!(apply(DefectKind::WrongType, &mut b, &[]));
        assert_eq!(b["m_contrat"]["m_statut"], 42);
        assert!(!apply(
            DefectKind::IncoherentCategory,
            &mut json!({"codeRetour": "S001"}),
            &[]
        ));
    }

    #[test]
    fn a_missing_field_is_a_required_one_when_the_contract_requires_some() {
        let schema = json!({"type": "object", "required": ["idNat", "statutDE"], "properties": {
            "idNat": {"type": "string"}, "statutDE": {"type": "string"}, "x": {"type": "string"}}});
        let required = required_pointers(&schema);
        assert_eq!(
            required,
            vec!["/idNat".to_string(), "/statutDE".to_string()]
        );
        let mut b = json!({"x": "1", "statutDE": "Inscrit"});
        assert!(apply(DefectKind::MissingField, &mut b, &required));
        assert_eq!(b, json!({"x": "1"}));
    }
}
