//! Why a load test does not start or cannot be judged.

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(
        "the target {0} is not on this machine: add --allow-remote and a rate cap (--rate N \
         requests/s) agreed with the platform's owner, or drop --target to load the embedded \
         simulators"
    )]
    RemoteNeedsFlags(String),
    #[error("--target refused: {0}")]
    Target(contracts::url::BaseUrlError),
    #[error("--rate must be at least 1 request/s")]
    BadRate,
    #[error("the contracts do not describe the journey: {0}")]
    Contracts(String),
    #[error("no people to search for: the data set's sample is empty (vigie dataset --sample N)")]
    NoPeople,
    #[error("goose refused the load test: {0}")]
    Goose(String),
    #[error(
        "no answer from {target}: {failures} request(s) failed before any HTTP answer ({last}); \
         check --target, that the platform is up and that this machine can reach it"
    )]
    Unreachable {
        target: String,
        failures: u64,
        /// The last transport error, redacted (no query string, no credentials).
        last: String,
    },
    #[error(
        "the load test did not stop by itself within {0} s (run time + request timeout + \
         shutdown); its requests were abandoned: the target may hold connections open"
    )]
    Overran(u64),
}
