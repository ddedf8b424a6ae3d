//! Walks a JSON Schema and lists its fields as paths (`/contrats/*/type/code`), following
//! `properties`, `items`, `allOf`/`anyOf`/`oneOf` and local `$ref`s into `$defs`.

use serde_json::Value;

/// One field of a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldNode<'a> {
    /// Path with `*` for array items; `""` is the root.
    pub path: String,
    pub schema: &'a Value,
    /// Whether the parent object lists this field in `required`.
    pub required: bool,
}

/// Every field of a schema, parents before children, in schema order.
pub fn fields(root: &Value) -> Vec<FieldNode<'_>> {
    let mut out = Vec::new();
    walk(root, root, "", true, &mut out, 0);
    out
}

const MAX_DEPTH: usize = 32;

fn walk<'a>(
    root: &'a Value,
    schema: &'a Value,
    path: &str,
    required: bool,
    out: &mut Vec<FieldNode<'a>>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let schema = follow(root, schema);
    out.push(FieldNode {
        path: path.to_string(),
        schema,
        required,
    });
    for (child, sub, req) in children(root, schema) {
        walk(root, sub, &format!("{path}{child}"), req, out, depth + 1);
    }
}

/// Follows a local `$ref` (`#/$defs/X`).
pub fn follow<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let mut current = schema;
    for _ in 0..8 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with('#') => match root.pointer(&r[1..]) {
                Some(t) => current = t,
                None => return current,
            },
            _ => return current,
        }
    }
    current
}

/// Direct children: (`/name` or `/*`, schema, required).
pub fn children<'a>(root: &'a Value, schema: &'a Value) -> Vec<(String, &'a Value, bool)> {
    let mut out: Vec<(String, &'a Value, bool)> = Vec::new();
    let schema = follow(root, schema);
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            out.push((
                format!("/{}", escape(name)),
                sub,
                required.contains(&name.as_str()),
            ));
        }
    }
    if let Some(items) = schema.get("items")
        && items.is_object()
    {
        out.push(("/*".into(), items, true));
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(parts) = schema.get(key).and_then(Value::as_array) {
            for part in parts {
                for child in children(root, part) {
                    if !out.iter().any(|c| c.0 == child.0) {
                        out.push(child);
                    }
                }
            }
        }
    }
    out
}

/// Escapes a property name for a JSON pointer segment.
pub fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Turns an instance pointer (`/contrats/0/type`) into a field path (`/contrats/*/type`)
/// by replacing array indices, using the schema to tell indices from numeric property names.
pub fn field_path(root: &Value, pointer: &str) -> String {
    let mut schema = root;
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let current = follow(root, schema);
        let kids = children(root, current);
        let as_prop = format!("/{seg}");
        if let Some((_, sub, _)) = kids.iter().find(|(c, _, _)| *c == as_prop) {
            out.push_str(&as_prop);
            schema = sub;
        } else if seg.chars().all(|c| c.is_ascii_digit()) && !seg.is_empty() {
            out.push_str("/*");
            match kids.iter().find(|(c, _, _)| c == "/*") {
                Some((_, sub, _)) => schema = sub,
                None => schema = &Value::Null,
            }
        } else {
            out.push_str(&as_prop);
            schema = &Value::Null;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_nested_fields_with_item_stars() {
        let s = json!({"type": "object", "required": ["a"], "properties": {
            "a": {"type": "array", "items": {"type": "object", "properties": {"b": {"type": "string"}}}}
        }});
        let paths: Vec<String> = fields(&s).into_iter().map(|f| f.path).collect();
        assert_eq!(paths, vec!["", "/a", "/a/*", "/a/*/b"]);
        assert_eq!(field_path(&s, "/a/3/b"), "/a/*/b");
    }

    #[test]
    fn follows_defs() {
        let s = json!({"$ref": "#/$defs/N", "$defs": {"N": {"properties": {"x": {"type": "integer"}}}}});
        let paths: Vec<String> = fields(&s).into_iter().map(|f| f.path).collect();
        assert_eq!(paths, vec!["", "/x"]);
    }
}
