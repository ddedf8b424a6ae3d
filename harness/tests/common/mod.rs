//! What several end-to-end tests share.

#![allow(clippy::unwrap_used, dead_code)] // tests: a failed unwrap is a failed test

use std::path::Path;

use serde_json::Value;

/// Asserts that `value` follows the committed schema at `schema` (relative to the
/// repository), naming every error.
pub fn assert_follows_schema(schema: &str, value: &Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let text = std::fs::read_to_string(root.join(schema)).unwrap();
    let schema_value: Value = serde_json::from_str(&text).unwrap();
    let v = contracts::checker::validation_options()
        .build(&schema_value)
        .unwrap();
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "breaks {schema}: {errors:?}");
}
