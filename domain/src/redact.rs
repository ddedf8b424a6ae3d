//! Describes a JSON value without revealing personal data: NIRs, names, birth dates and
//! encrypted identifiers never leave through a violation message.

use serde_json::Value;

/// Longest string shown verbatim, and only when it looks like a code (`S001`, `NON_ABORDEE`).
const MAX_CODE_LEN: usize = 16;

/// A safe description of a value: its type, and its content only for booleans, numbers,
/// null and short upper-case codes.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) if looks_like_code(s) => format!("string \"{s}\""),
        Value::String(s) => format!("string ({} characters, redacted)", s.chars().count()),
        Value::Array(a) => format!("array of {} item(s)", a.len()),
        Value::Object(o) => format!("object with {} field(s)", o.len()),
    }
}

/// Text from outside (a target's error message, a field name it sent) as it may reach a
/// report: control characters replaced by `?`, and cut after `max` characters with the
/// length said (`… (2097152 characters, cut)`).
pub fn bounded(text: &str, max: usize) -> String {
    let clean = |c: char| if c.is_control() { '?' } else { c };
    let total = text.chars().count();
    if total <= max {
        return text.chars().map(clean).collect();
    }
    let mut out: String = text.chars().take(max).map(clean).collect();
    out.push_str(&format!("… ({total} characters, cut)"));
    out
}

/// JSON type name of a value.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A code is upper-case letters, digits, `_` or `-`, and either carries a digit or an
/// underscore (`S001`, `R997`, `NON_ABORDEE`, `2A`) or is three letters at most (`CDI`, `OUI`,
/// `MR`). An upper-case word such as a surname (`DUPONT`) is not a code, nor is a long run of
/// digits (part of a NIR, a date, a phone number).
fn looks_like_code(s: &str) -> bool {
    let charset = s
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-');
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let marked = digits > 0 || s.contains('_');
    !s.is_empty() && s.len() <= MAX_CODE_LEN && charset && (marked || s.len() <= 3) && digits <= 5
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outside_text_is_bounded_and_cleaned() {
        assert_eq!(bounded("invalid_client", 20), "invalid_client");
        assert_eq!(bounded("a\nb\u{1b}[31m", 20), "a?b?[31m");
        let huge = "x".repeat(2 << 20);
        assert_eq!(bounded(&huge, 5), "xxxxx… (2097152 characters, cut)");
        assert_eq!(bounded("éééé", 2), "éé… (4 characters, cut)");
    }

    #[test]
    fn personal_data_is_not_shown() {
        assert_eq!(
            describe(&json!("181036290874034")),
            "string (15 characters, redacted)"
        );
        assert_eq!(
            describe(&json!("1981-03-15")),
            "string (10 characters, redacted)"
        );
        assert_eq!(
            describe(&json!("Dupont")),
            "string (6 characters, redacted)"
        );
        assert_eq!(
            describe(&json!("DUPONT")),
            "string (6 characters, redacted)"
        );
        assert_eq!(describe(&json!("Marie")), "string (5 characters, redacted)");
        assert_eq!(
            describe(&json!("1810362")),
            "string (7 characters, redacted)"
        );
        assert_eq!(
            describe(&json!("e1881749-1334-47b9-8a34-74922528d4ea#LQdE")),
            "string (41 characters, redacted)"
        );
    }

    #[test]
    fn codes_are_shown() {
        assert_eq!(describe(&json!("S001")), "string \"S001\"");
        assert_eq!(describe(&json!("NON_ABORDEE")), "string \"NON_ABORDEE\"");
        assert_eq!(describe(&json!(3)), "number 3");
        assert_eq!(describe(&json!("CDI")), "string \"CDI\"");
        assert_eq!(describe(&json!("2A")), "string \"2A\"");
    }
}
