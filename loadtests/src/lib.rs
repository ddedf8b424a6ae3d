//! Load-test scenarios of a partner's real journey (goose).
//!
//! Not built yet: this crate is filled by the load-tests issue. It exports nothing, so no
//! caller can mistake it for a working load test.
