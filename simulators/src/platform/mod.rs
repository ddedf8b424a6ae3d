//! The emulated access platform in front of every API: the token endpoint, access tokens and
//! their checks (realm, scopes, `pa-*` headers), the rate limit, and the one cache of
//! verified tokens and jetons.

pub(crate) mod access;
pub(crate) mod bounded_map;
pub(crate) mod guard;
pub(crate) mod rate_limit;
pub(crate) mod token;
pub(crate) mod verified;
