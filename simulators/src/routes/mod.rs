//! One file per API (or platform piece).

pub mod admin;
pub mod diagnostic_v1;
pub mod diagnostic_v4;
pub mod docs;
pub mod profile;
pub mod recherche;
pub mod statut;
pub mod token;

use axum::http::HeaderMap;
use axum::response::Response;

use crate::identifiers::{Jeton, JetonError};
use crate::responses::{self, Family};
use crate::state::SimState;

/// The person named by the `ft-jeton-usager` header (version n).
pub fn person_from_jeton(s: &SimState, headers: &HeaderMap) -> Result<u64, Response> {
    jeton_holder(s, headers, s.now_ms()).map(|j| j.index)
}

/// The verified jeton of the request (see [`person_from_jeton`]), as of `now` (ms).
pub fn jeton_holder(s: &SimState, headers: &HeaderMap, now: i64) -> Result<Jeton, Response> {
    let jeton = headers
        .get("ft-jeton-usager")
        .and_then(|v| v.to_str().ok())
        .ok_or(JetonError::Missing);
    jeton
        .and_then(|j| {
            let holder = s.jetons.get_or_verify(j, || s.keys.parse_jeton(j, now))?;
            if now >= holder.expire {
                return Err(JetonError::Expired);
            }
            Ok(holder)
        })
        .map_err(|e| responses::unauthorized(&e.to_string()))
}

/// The person named by the encrypted id in the path (version n-1).
pub fn person_from_id(s: &SimState, id: &str, family: Family) -> Result<u64, Response> {
    s.keys
        .parse_id_rci(id)
        .ok_or_else(|| responses::bad_request(family, "Identifiant national chiffré invalide"))
}
