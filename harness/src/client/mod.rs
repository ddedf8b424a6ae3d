//! The HTTP client shared by `vigie check` and the probes: the target (a preset platform, a
//! URL, or the embedded simulators), the client credentials, tokens per realm and scope set,
//! and every call made politely (rate, retries, `Retry-After`).

pub mod calls;
pub mod credentials;
pub mod politeness;
pub mod target;
