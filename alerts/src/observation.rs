//! What the engine is fed: one probe's result, with no personal data (a target key, a
//! status, pointers, a class of error).

use serde::{Deserialize, Serialize};

/// What a probe says, as far as incidents go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Answered as its contract says (fast or slow: the duration tells).
    Answered,
    /// No usable answer from Pôle emploi (5xx, timeout, refused connection).
    Down,
    /// Answered, but the answer breaks its contract or a data-quality rule.
    Violation,
    /// The partner's own failure (DNS, proxy, credentials, quota): neither a failure nor a
    /// recovery of Pôle emploi's service, so it changes no count.
    PartnerSide,
}

/// One observation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The partner probed for (`[[partners]] id`), empty when the deployment has one.
    #[serde(default)]
    pub partner: String,
    /// `api/major/operation` (`partner/api/major/operation` for a partner).
    pub target: String,
    pub api: String,
    /// The real major (`v2`) and the convention's name of the version (`n`, `n-1`).
    pub major: String,
    /// When the probe was due (UTC ms): observations of a target are taken in this order and
    /// a replayed one (not later than the last seen) is ignored.
    pub at_ms: i64,
    pub duration_ms: f64,
    pub status: Option<u16>,
    pub verdict: Verdict,
    /// Contract pointers (`/m_contrat/m_statut`) and data-quality rules broken.
    pub violations: Vec<String>,
    /// Whether a broken rule is about the data (completeness, coherence, quality) rather than
    /// the shape of the answer.
    pub data_quality: bool,
    /// A class of error (`timeout`, `status 503`), never a value.
    pub evidence: Option<String>,
}

impl Observation {
    /// The scope incidents are deduplicated on: one API version (of one partner).
    pub fn scope(&self) -> String {
        if self.partner.is_empty() {
            format!("{}/{}", self.api, self.major)
        } else {
            format!("{}/{}/{}", self.partner, self.api, self.major)
        }
    }

    /// Answered within 1 s (the convention's performance bound).
    pub fn fast(&self) -> bool {
        self.duration_ms <= 1000.0
    }
}
