//! Why a load test does not start or cannot be judged.

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(
        "the target {0} is not on this machine: add --allow-remote and a rate cap (--rate N \
         requests/s) agreed with the platform's owner, or drop --target to load the embedded \
         simulators"
    )]
    RemoteNeedsFlags(String),
    #[error("--rate must be at least 1 request/s")]
    BadRate,
    #[error("the contracts do not describe the journey: {0}")]
    Contracts(String),
    #[error("no people to search for: the data set's sample is empty (vigie dataset --sample N)")]
    NoPeople,
    #[error("goose refused the load test: {0}")]
    Goose(String),
}
