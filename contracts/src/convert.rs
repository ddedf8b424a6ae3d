//! OpenAPI 3.0 / 3.1 schema objects → JSON Schema draft 2020-12.
//!
//! - `$ref`s to `#/components/schemas/*` are inlined (a recursive one goes to `$defs`);
//! - `nullable: true` becomes a `null` member of `type` (and of `enum`);
//! - `example` becomes `examples`;
//! - `allOf: [{$ref}, {description}]` (a reference with a local description) is merged;
//! - a one-member `oneOf`/`anyOf` is unwrapped;
//! - OpenAPI 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers;
//! - `x-*` extensions, `discriminator`, `xml` and `externalDocs` are dropped.

use serde_json::{Map, Value, json};

use crate::ContractsError;

/// Dialect written at the root of every schema file.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Converts schema objects of one OpenAPI document.
#[derive(Debug)]
pub struct Converter<'a> {
    document: &'a Value,
    document_name: String,
    stack: Vec<String>,
    defs: Map<String, Value>,
}

const ANNOTATIONS_ONLY: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
];

impl<'a> Converter<'a> {
    pub fn new(document: &'a Value, document_name: impl Into<String>) -> Self {
        Converter {
            document,
            document_name: document_name.into(),
            stack: Vec::new(),
            defs: Map::new(),
        }
    }

    /// Resolves a local `$ref` (`#/components/...`) to the node it names.
    pub fn resolve(&self, reference: &str) -> Result<&'a Value, ContractsError> {
        let pointer = reference
            .strip_prefix('#')
            .ok_or_else(|| ContractsError::BadReference {
                document: self.document_name.clone(),
                reference: reference.to_string(),
                reason: "only references inside the same document (#/...) are supported".into(),
            })?;
        let pointer = pointer.replace("~1", "/").replace("~0", "~");
        let pointer = percent_decode(&pointer);
        let doc: &'a Value = self.document;
        doc.pointer(&pointer)
            .ok_or_else(|| ContractsError::BadReference {
                document: self.document_name.clone(),
                reference: reference.to_string(),
                reason: "nothing at that place".into(),
            })
    }

    /// Follows `$ref` chains of non-schema components (parameters, responses, bodies, examples).
    pub fn deref(&self, node: &'a Value) -> Result<&'a Value, ContractsError> {
        let mut current = node;
        for _ in 0..16 {
            match current.get("$ref").and_then(Value::as_str) {
                Some(r) => current = self.resolve(r)?,
                None => return Ok(current),
            }
        }
        Err(ContractsError::BadReference {
            document: self.document_name.clone(),
            reference: node
                .get("$ref")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            reason: "more than 16 chained references".into(),
        })
    }

    /// Converts a root schema and returns a self-contained 2020-12 document.
    pub fn root(&mut self, schema: &Value, title: &str) -> Result<Value, ContractsError> {
        self.defs.clear();
        let body = self.convert(schema)?;
        let mut root = Map::new();
        root.insert("$schema".into(), json!(DIALECT));
        root.insert("title".into(), json!(title));
        match body {
            Value::Object(m) => {
                for (k, v) in m {
                    if k == "title" {
                        root.insert("x-source-title".into(), v);
                    } else {
                        root.insert(k, v);
                    }
                }
            }
            Value::Bool(true) => {}
            other => {
                root.insert("allOf".into(), json!([other]));
            }
        }
        if !self.defs.is_empty() {
            root.insert(
                "$defs".into(),
                Value::Object(std::mem::take(&mut self.defs)),
            );
        }
        Ok(Value::Object(root))
    }

    /// Converts one schema object.
    pub fn convert(&mut self, schema: &Value) -> Result<Value, ContractsError> {
        let Some(obj) = schema.as_object() else {
            // `true` / `false` schemas (3.1) pass through.
            return Ok(schema.clone());
        };

        if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
            let mut inlined = self.convert_reference(reference)?;
            // OpenAPI 3.1 allows annotations beside `$ref`.
            if let Value::Object(target) = &mut inlined {
                for key in ["description", "title"] {
                    if let Some(v) = obj.get(key) {
                        target.insert(key.into(), v.clone());
                    }
                }
            }
            return Ok(inlined);
        }

        // `allOf: [{$ref}, {description: …}]`: a reference with a local annotation.
        if let Some(Value::Array(parts)) = obj.get("allOf") {
            let refs: Vec<&Value> = parts.iter().filter(|p| p.get("$ref").is_some()).collect();
            let annotations_only = parts.iter().filter(|p| p.get("$ref").is_none()).all(|p| {
                p.as_object()
                    .is_some_and(|m| m.keys().all(|k| ANNOTATIONS_ONLY.contains(&k.as_str())))
            });
            if refs.len() == 1 && annotations_only {
                let mut merged = self.convert(refs[0])?;
                if let Value::Object(target) = &mut merged {
                    for part in parts.iter().filter(|p| p.get("$ref").is_none()) {
                        self.copy_annotations(part, target);
                    }
                    self.copy_annotations(schema, target);
                }
                return Ok(merged);
            }
        }

        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(parts)) = obj.get(key)
                && parts.len() == 1
                && obj
                    .keys()
                    .all(|k| k == key || ANNOTATIONS_ONLY.contains(&k.as_str()))
            {
                let mut single = self.convert(&parts[0])?;
                if let Value::Object(target) = &mut single {
                    self.copy_annotations(schema, target);
                }
                return Ok(single);
            }
        }

        let mut out = Map::new();
        let nullable = obj.get("nullable").and_then(Value::as_bool) == Some(true);
        for (key, value) in obj {
            match key.as_str() {
                k if k.starts_with("x-") => {}
                "nullable" | "discriminator" | "xml" | "externalDocs" => {}
                "example" => {
                    let read = read_example(obj, value);
                    if let Some(a) = out
                        .entry("examples")
                        .or_insert_with(|| json!([]))
                        .as_array_mut()
                    {
                        a.push(read);
                    }
                }
                "examples" => {
                    // 3.1: already an array. Merge with a converted `example`.
                    let list = out.entry("examples").or_insert_with(|| json!([]));
                    if let (Some(a), Some(b)) = (list.as_array_mut(), value.as_array()) {
                        a.extend(b.iter().cloned());
                    }
                }
                "properties" | "patternProperties" | "$defs" | "definitions" => {
                    let mut props = Map::new();
                    if let Some(m) = value.as_object() {
                        for (name, sub) in m {
                            props.insert(name.clone(), self.convert(sub)?);
                        }
                    }
                    let key = if key == "definitions" { "$defs" } else { key };
                    out.insert(key.to_string(), Value::Object(props));
                }
                "items"
                | "additionalProperties"
                | "not"
                | "contains"
                | "propertyNames"
                | "unevaluatedProperties"
                | "unevaluatedItems"
                | "if"
                | "then"
                | "else"
                    if value.is_object() =>
                {
                    out.insert(key.clone(), self.convert(value)?);
                }
                "allOf" | "oneOf" | "anyOf" | "prefixItems" => {
                    let mut parts = Vec::new();
                    if let Some(list) = value.as_array() {
                        for p in list {
                            parts.push(self.convert(p)?);
                        }
                    }
                    out.insert(key.clone(), Value::Array(parts));
                }
                "exclusiveMinimum" | "exclusiveMaximum" if value.is_boolean() => {
                    // 3.0: boolean modifier of minimum/maximum.
                    let bound = if key == "exclusiveMinimum" {
                        "minimum"
                    } else {
                        "maximum"
                    };
                    if value.as_bool() == Some(true)
                        && let Some(b) = obj.get(bound)
                    {
                        out.insert(key.clone(), b.clone());
                    }
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        // A boolean exclusive bound replaces its inclusive twin.
        for (ex, inc) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if obj.get(ex).and_then(Value::as_bool) == Some(true) {
                out.remove(inc);
            }
        }
        if nullable {
            make_nullable(&mut out);
        }
        Ok(Value::Object(out))
    }

    fn copy_annotations(&self, from: &Value, to: &mut Map<String, Value>) {
        let Some(m) = from.as_object() else { return };
        for (k, v) in m {
            match k.as_str() {
                "description" | "title" | "deprecated" | "readOnly" | "writeOnly" => {
                    to.insert(k.clone(), v.clone());
                }
                "example" => {
                    let read = read_example(to, v);
                    to.insert("examples".into(), json!([read]));
                }
                "nullable" if v.as_bool() == Some(true) => make_nullable(to),
                _ => {}
            }
        }
    }

    fn convert_reference(&mut self, reference: &str) -> Result<Value, ContractsError> {
        let name = reference
            .rsplit('/')
            .next()
            .unwrap_or(reference)
            .to_string();
        if self.stack.contains(&name) {
            // Recursive: refer to `$defs` and convert once.
            if !self.defs.contains_key(&name) {
                self.defs.insert(name.clone(), Value::Bool(true));
                let target = self.resolve(reference)?;
                let saved = std::mem::take(&mut self.stack);
                let converted = self.convert(target);
                self.stack = saved;
                self.defs.insert(name.clone(), converted?);
            }
            return Ok(json!({ "$ref": format!("#/$defs/{name}") }));
        }
        let target = self.resolve(reference)?;
        self.stack.push(name);
        let converted = self.convert(target);
        self.stack.pop();
        converted
    }
}

/// Reads an `example` as the value it stands for. Publishers' tools often store an object
/// example as JSON *text* (a string holding `{…}`) and a number as a string (`"9"`); an
/// example whose schema is an object, array, integer or number is parsed when it is such a
/// string. Anything else is kept as written.
pub fn read_example(schema: &Map<String, Value>, example: &Value) -> Value {
    let Value::String(text) = example else {
        return example.clone();
    };
    let wants = |t: &str| match schema.get("type") {
        Some(Value::String(d)) => d == t,
        Some(Value::Array(ds)) => ds.iter().any(|d| d == t),
        _ => false,
    };
    let structured = wants("object")
        || wants("array")
        || schema.contains_key("properties")
        || schema.contains_key("items")
        || schema.contains_key("allOf");
    let numeric = wants("integer") || wants("number");
    if !(structured || numeric) {
        return example.clone();
    }
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(v @ (Value::Object(_) | Value::Array(_))) if structured => v,
        Ok(v @ Value::Number(_)) if numeric => v,
        _ => example.clone(),
    }
}

/// Lets `null` through a schema: adds it to `type` and to `enum`.
pub fn make_nullable(schema: &mut Map<String, Value>) {
    match schema.get_mut("type") {
        Some(Value::String(t)) if t != "null" => {
            let t = t.clone();
            schema.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(types)) if !types.iter().any(|t| t == "null") => {
            types.push(json!("null"));
        }
        _ => {}
    }
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && !values.iter().any(Value::is_null)
    {
        values.push(Value::Null);
    }
}

/// `true` when the schema already lets `null` through.
pub fn allows_null(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        _ => true,
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "Agent": {"type": "object", "properties": {"nom": {"type": "string", "nullable": true}}, "x-stoplight": {"id": "x"}},
                "Node": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/Node"}}}
            }}
        })
    }

    #[test]
    fn nullable_and_example_become_2020_12() {
        let d = doc();
        let mut c = Converter::new(&d, "t");
        let out = c
            .convert(
                &json!({"type": "string", "nullable": true, "enum": ["O", "N"], "example": "O"}),
            )
            .unwrap();
        assert_eq!(
            out,
            json!({"type": ["string", "null"], "enum": ["O", "N", null], "examples": ["O"]})
        );
    }

    #[test]
    fn reference_with_local_description_is_merged_and_extensions_dropped() {
        let d = doc();
        let mut c = Converter::new(&d, "t");
        let out = c
            .convert(&json!({"allOf": [{"$ref": "#/components/schemas/Agent"}, {"description": "Agent."}]}))
            .unwrap();
        assert_eq!(
            out,
            json!({"type": "object", "properties": {"nom": {"type": ["string", "null"]}}, "description": "Agent."})
        );
    }

    #[test]
    fn recursion_goes_to_defs() {
        let d = doc();
        let mut c = Converter::new(&d, "t");
        let out = c
            .root(&json!({"$ref": "#/components/schemas/Node"}), "node")
            .unwrap();
        assert_eq!(out["properties"]["child"], json!({"$ref": "#/$defs/Node"}));
        assert!(out["$defs"]["Node"]["properties"]["child"].is_object());
    }

    #[test]
    fn dangling_reference_is_an_error_not_a_panic() {
        let d = doc();
        let mut c = Converter::new(&d, "t.json");
        let err = c
            .convert(&json!({"$ref": "#/components/schemas/Missing"}))
            .unwrap_err();
        assert!(err.to_string().contains("#/components/schemas/Missing"));
    }

    #[test]
    fn boolean_exclusive_minimum_becomes_a_number() {
        let d = doc();
        let mut c = Converter::new(&d, "t");
        let out = c
            .convert(&json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true}))
            .unwrap();
        assert_eq!(out, json!({"type": "integer", "exclusiveMinimum": 0}));
    }
}
