//! A stored probe record as the alert engine sees it.

use alerts::{Observation, Verdict};

use crate::probe::record::{ProbeOutcome, ProbeRecord};

use crate::probe::runner::DATA_RULE;

pub fn observation(r: &ProbeRecord) -> Observation {
    Observation {
        partner: crate::probe::record::partner_of(&r.target).to_string(),
        target: r.target.clone(),
        api: r.api.clone(),
        major: r.version.clone(),
        at_ms: r.scheduled_ms,
        duration_ms: r.duration_ms,
        status: r.status,
        verdict: match r.outcome {
            ProbeOutcome::Up | ProbeOutcome::Slow | ProbeOutcome::Exceptional => Verdict::Answered,
            ProbeOutcome::Down => Verdict::Down,
            ProbeOutcome::ContractViolation => Verdict::Violation,
            ProbeOutcome::PartnerSide => Verdict::PartnerSide,
        },
        violations: r.violations.clone(),
        data_quality: r.violations.iter().any(|v| v.contains(DATA_RULE)),
        evidence: r.evidence.clone(),
    }
}
