//! The answers that are not refusals: a view written by serde with the APIs' media type,
//! 200 without a body, 204. Refusals are [`crate::http::error::ApiError`].

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::http::error::{ApiError, Family};

/// A JSON answer: a view struct or a value, written by serde.
pub(crate) fn json<T: serde::Serialize>(status: StatusCode, body: T) -> Response {
    json_in(status, &body, 512)
}

/// [`json`] into a buffer that starts with `room` bytes (a dossier is 20–67 kB: starting
/// small, the buffer would be copied at each doubling).
fn json_in<T: serde::Serialize>(status: StatusCode, body: &T, room: usize) -> Response {
    match json_bytes(body, room) {
        Ok(bytes) => {
            let mut r = (status, bytes).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json;charset=UTF-8"),
            );
            r
        }
        // Only a Serialize impl can fail here, and ours do not: never a truncated 200.
        Err(_) => ApiError::Server(Family::Backend, 500).into_response(),
    }
}

/// A view written by serde into `room` bytes to start with.
pub(crate) fn json_bytes<T: serde::Serialize>(
    body: &T,
    room: usize,
) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(room);
    serde_json::to_writer(&mut out, body)?;
    Ok(out)
}

pub(crate) fn ok<T: serde::Serialize>(body: T) -> Response {
    json(StatusCode::OK, body)
}

/// 200 with a large view (see [`json_in`]).
pub(crate) fn ok_large<T: serde::Serialize>(body: &T, room: usize) -> Response {
    json_in(StatusCode::OK, body, room)
}

/// 200 with the view, or 204 when there is nothing to send.
pub(crate) fn ok_or_no_content<T: serde::Serialize>(body: Option<T>) -> Response {
    match body {
        Some(b) => ok(b),
        None => no_content(),
    }
}

pub(crate) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// 200 without a body (the writes of v1 and v4).
pub(crate) fn ok_empty() -> Response {
    StatusCode::OK.into_response()
}
