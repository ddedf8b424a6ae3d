//! Our JSON summary of a load run, the one the go/no-go report reads
//! (`loadtests/schemas/load-summary.schema.json`). Route templates and figures only.

use serde::Serialize;

use crate::passmark::ApiFigures;

pub const SCHEMA_ID: &str = "https://vigie.example/schemas/load-summary.schema.json";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadSummary {
    pub schema: &'static str,
    pub vigie_version: &'static str,
    /// API base URL (never credentials).
    pub target: String,
    /// What the target is, for people: the platform's URL, or the embedded simulators with
    /// their seed and fault profile.
    pub source: String,
    pub era: String,
    pub mix: String,
    pub users: usize,
    /// When the run started (RFC 3339, UTC), from the caller's clock; `None` when the caller
    /// did not say.
    pub started_at: Option<String>,
    pub run_time_s: f64,
    /// How long goose ran, from the first user's start.
    pub duration_s: f64,
    pub requests: u64,
    pub requests_per_s: f64,
    pub max_requests: u64,
    pub rate_cap: Option<usize>,
    pub think_ms: [u64; 2],
    pub target_share_under_1s: f64,
    pub error_ceiling: f64,
    pub coordinated_omission: String,
    pub apis: Vec<ApiFigures>,
    pub passed: bool,
    /// Goose's own reports (HTML, Markdown), when asked for.
    pub goose_reports: Vec<String>,
}
