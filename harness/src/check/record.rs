//! What a check found, as written to every report. Holds no personal data: cases are named
//! by the data set's case name, routes by their template, values only when they are codes.

use contracts::violation::Violation;
use serde::Serialize;

use super::drift::DriftSummary;

/// The verdict of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Conforms to its contract and to the data set's expectation.
    Pass,
    /// A contract violation, or a value other than the data set expects.
    Fail,
    /// No answer to judge: timeout, unreachable, throttled, token refused.
    Error,
}

/// A value the data set expected and what came back (codes and statuses only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    pub what: String,
    pub expected: String,
    pub found: String,
}

/// One call and its verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallRecord {
    /// The data set's case (`S001-certifie` …), or `référentiel` for shared reads.
    pub case: String,
    pub api: String,
    /// The real major (`v1`, `v4` …) and its era (`n`, `n-1`).
    pub version: String,
    pub era: String,
    /// The stable operation id (the same across versions).
    pub operation: String,
    pub method: String,
    /// The path template: never a person's identifier.
    pub route: String,
    /// The contract version the answer was checked against (the route's, unless
    /// `--expect-version` says otherwise).
    pub checked_against: String,
    pub status: Option<u16>,
    pub duration_ms: f64,
    pub attempts: u32,
    pub throttled: u32,
    pub verdict: Verdict,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<Violation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<Mismatch>,
    /// When the answer breaks the contract it was checked against but satisfies another
    /// version's: that version (a v1-shaped answer on a v2 route says `v1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matches_version: Option<String>,
    /// Harness trouble (for `error` verdicts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub calls: u64,
    pub pass: u64,
    pub fail: u64,
    pub error: u64,
    /// HTTP requests sent, retries and 429 answers included.
    pub requests: u64,
    pub throttled: u64,
    pub retries: u64,
}

/// The whole check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// The schema of this document (`harness/schemas/check-report.schema.json`).
    pub schema: &'static str,
    pub vigie_version: &'static str,
    /// Label and API base URL (never credentials).
    pub target: String,
    /// ISO 8601, UTC, from the injected clock.
    pub started_at: String,
    pub duration_ms: f64,
    /// Time spent in the harness itself (validation, comparison, drift), not waiting for
    /// answers.
    pub harness_ms: f64,
    pub versions: Vec<String>,
    /// The contract profile answers were held to (`publisher`, `convention`, `strict`).
    pub contract_profile: contracts::Profile,
    pub cases: u64,
    pub writes: bool,
    pub totals: Totals,
    pub calls: Vec<CallRecord>,
    pub drift: DriftSummary,
    /// Trouble that stopped part of the run (bad target, token refused …).
    pub harness_errors: Vec<String>,
}

pub const SCHEMA_ID: &str = "https://vigie.example/schemas/check-report.schema.json";

impl CheckReport {
    /// Exit code: 2 when the harness could not run, 1 on any failed call, else 0.
    pub fn outcome(&self) -> crate::Outcome {
        if !self.harness_errors.is_empty() || (self.totals.error > 0 && self.totals.pass == 0) {
            crate::Outcome::HarnessError
        } else if self.totals.fail > 0 || self.totals.error > 0 {
            crate::Outcome::Findings
        } else {
            crate::Outcome::Clean
        }
    }

    pub fn failed(&self) -> impl Iterator<Item = &CallRecord> {
        self.calls.iter().filter(|c| c.verdict != Verdict::Pass)
    }
}
