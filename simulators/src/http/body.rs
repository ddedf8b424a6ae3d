//! Reading a JSON request body the way the real APIs refuse bad ones: a size limit, the
//! content type, JSON syntax, then the contract of the operation. Every refusal is a 400 in
//! the API's own error shape, never a 500.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::http::error::{ApiError, Family};
use crate::state::SimState;

/// Reads and checks the body of `operation` of `api` `major`.
pub(crate) async fn read(
    s: &SimState,
    headers: &HeaderMap,
    body: Body,
    api: &str,
    major: &str,
    operation: &str,
) -> Result<Value, Response> {
    let bytes = bytes_of(s, headers, body, Family::of(api, major)).await?;
    checked(s, &bytes, api, major, operation)
}

/// [`read`] into a type whose successful parse implies the operation's contract (its fields
/// of the contract's types, the required ones present, no other constraint): the common
/// case then skips the JSON tree and the schema; any other body takes [`read`]'s path and
/// gets the very same refusal.
pub(crate) async fn read_as<T: DeserializeOwned>(
    s: &SimState,
    headers: &HeaderMap,
    body: Body,
    api: &str,
    major: &str,
    operation: &str,
) -> Result<T, Response> {
    let family = Family::of(api, major);
    let bytes = bytes_of(s, headers, body, family).await?;
    // A body this small cannot hold an over-long string: the typed parse is enough.
    if bytes.len() <= MAX_STRING_CHARS
        && let Ok(t) = serde_json::from_slice::<T>(&bytes)
    {
        return Ok(t);
    }
    let value = checked(s, &bytes, api, major, operation)?;
    serde_json::from_value(value).map_err(|_| {
        ApiError::bad_request(family, "corps de requête JSON illisible").into_response()
    })
}

/// The content type and the size limit.
async fn bytes_of(
    s: &SimState,
    headers: &HeaderMap,
    body: Body,
    family: Family,
) -> Result<Bytes, Response> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !is_json(ct) {
        return Err(
            ApiError::bad_request(family, "Content-Type application/json attendu").into_response(),
        );
    }
    axum::body::to_bytes(body, s.config.max_body_bytes)
        .await
        .map_err(|_| {
            ApiError::bad_request(family, "corps de requête trop volumineux").into_response()
        })
}

/// The longest string a body may carry where its contract sets no `maxLength` (the contract's
/// own bounds are checked with it): names, labels and codes are far shorter, and every string
/// a write keeps costs memory for as long as the simulators run.
pub const MAX_STRING_CHARS: usize = 1000;

/// The pointer of the first string longer than [`MAX_STRING_CHARS`], if any.
fn over_long(v: &Value, at: &mut String) -> Option<String> {
    match v {
        Value::String(s) if s.chars().count() > MAX_STRING_CHARS => Some(if at.is_empty() {
            "/".into()
        } else {
            at.clone()
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, x)| {
            let len = at.len();
            at.push_str(&format!("/{i}"));
            let found = over_long(x, at);
            at.truncate(len);
            found
        }),
        Value::Object(m) => m.iter().find_map(|(k, x)| {
            let len = at.len();
            // The key comes from the request: shown bounded.
            at.push('/');
            at.extend(k.chars().take(64));
            let found = over_long(x, at);
            at.truncate(len);
            found
        }),
        _ => None,
    }
}

/// Whether a Content-Type is exactly `application/json`, parameters aside
/// (`application/json; charset=utf-8`); `application/jsonx` or `application/json-seq` is not.
fn is_json(content_type: &[u8]) -> bool {
    let essence = content_type
        .split(|b| *b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii();
    essence.eq_ignore_ascii_case(b"application/json")
}

/// JSON syntax, then the contract of the operation.
fn checked(
    s: &SimState,
    bytes: &[u8],
    api: &str,
    major: &str,
    operation: &str,
) -> Result<Value, Response> {
    let family = Family::of(api, major);
    let value: Value = serde_json::from_slice(bytes).map_err(|_| {
        ApiError::bad_request(family, "corps de requête JSON illisible").into_response()
    })?;
    if let Some(at) = over_long(&value, &mut String::new()) {
        return Err(ApiError::bad_request(
            family,
            &format!("{at} : {MAX_STRING_CHARS} caractères au plus"),
        )
        .into_response());
    }
    let violations = s
        .checker
        .check_request(api, major, operation, &value)
        .map_err(|_| ApiError::Server(family, 500).into_response())?;
    if let Some(v) = violations.first() {
        let at = if v.pointer.is_empty() {
            "/"
        } else {
            &v.pointer
        };
        return Err(
            ApiError::bad_request(family, &format!("{at} : attendu {}", v.expected))
                .into_response(),
        );
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_long_strings_are_found_wherever_they_are() {
        let long = "x".repeat(MAX_STRING_CHARS + 1);
        let ok = "é".repeat(MAX_STRING_CHARS);
        assert_eq!(
            over_long(
                &serde_json::json!({"a": [1, {"b": ok}]}),
                &mut String::new()
            ),
            None
        );
        assert_eq!(
            over_long(
                &serde_json::json!({"a": [1, {"b": long}]}),
                &mut String::new()
            ),
            Some("/a/1/b".into())
        );
    }

    #[test]
    fn only_the_json_media_type_is_json() {
        for ok in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            " application/json ;charset=UTF-8",
        ] {
            assert!(is_json(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "application/jsonx",
            "application/json-seq",
            "application/json5; charset=utf-8",
            "text/json",
            "",
        ] {
            assert!(!is_json(bad.as_bytes()), "{bad}");
        }
    }
}
