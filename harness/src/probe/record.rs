//! One probe: when it was due, when it ran, how long it took, what came back and what that
//! means for the convention's service levels. No personal data: the route is a template,
//! violations are pointers, evidence is a class of error.

use serde::{Deserialize, Serialize};

/// What a probe says about the API at that moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeOutcome {
    /// Answered within 1 s, as its contract says.
    Up,
    /// Answered as its contract says, in more than 1 s.
    Slow,
    /// Answered in more than 6 s (the convention's bound for a complex request).
    Exceptional,
    /// No usable answer from Pôle emploi: 5xx, timeout, connection refused, gateway refusal.
    Down,
    /// Answered, but the answer breaks its contract or the data-quality rules.
    ContractViolation,
    /// The failure is on the partner's side (own DNS, proxy, credentials or network): not
    /// counted against Pôle emploi's availability.
    PartnerSide,
}

impl ProbeOutcome {
    pub const ALL: [ProbeOutcome; 6] = [
        ProbeOutcome::Up,
        ProbeOutcome::Slow,
        ProbeOutcome::Exceptional,
        ProbeOutcome::Down,
        ProbeOutcome::ContractViolation,
        ProbeOutcome::PartnerSide,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProbeOutcome::Up => "up",
            ProbeOutcome::Slow => "slow",
            ProbeOutcome::Exceptional => "exceptional",
            ProbeOutcome::Down => "down",
            ProbeOutcome::ContractViolation => "contract-violation",
            ProbeOutcome::PartnerSide => "partner-side",
        }
    }

    pub fn parse(s: &str) -> Option<ProbeOutcome> {
        ProbeOutcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Whether the API was available (answered) at that moment.
    pub fn available(self) -> bool {
        !matches!(self, ProbeOutcome::Down | ProbeOutcome::PartnerSide)
    }
}

/// One probe, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeRecord {
    /// `api/version/operation`: what was probed.
    pub target: String,
    pub api: String,
    /// The real major (`v2`).
    pub version: String,
    pub operation: String,
    /// When it was due and when it started (UTC ms): the difference is the scheduler's delay.
    pub scheduled_ms: i64,
    pub started_ms: i64,
    /// How long the call took (token excluded), in ms.
    pub duration_ms: f64,
    /// The probe's interval: the time this record stands for in availability.
    pub interval_ms: i64,
    pub status: Option<u16>,
    pub outcome: ProbeOutcome,
    /// Pointers of the contract violations, and data-quality rules broken.
    pub violations: Vec<String>,
    /// Why a failure is the partner's or Pôle emploi's (a class of error, never a value).
    pub evidence: Option<String>,
}

/// The partner of a target key: `partner/api/major/operation` names one; `api/major/operation`
/// is the deployment's only partner (empty).
pub fn partner_of(key: &str) -> &str {
    let mut parts = key.splitn(4, '/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(p), Some(_), Some(_), Some(_)) => p,
        _ => "",
    }
}
