//! The decision, from the criteria (documented in the README and tested one criterion at a
//! time):
//! - **NO-GO** when a blocking criterion is not met (the candidate breaks its contract, a
//!   breaking change touches the partner's fields, the notice was too short, the load misses
//!   the SLA);
//! - **GO WITH RESERVATIONS** when none is, but a reserving criterion is not met (the previous
//!   version misbehaves or leaves too soon or too late, the candidate was unavailable or had
//!   incidents during the test window) or any criterion is not evidenced;
//! - **GO** when every criterion is met.

use serde::Serialize;

use super::criteria::{Criterion, Status, Weight};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decision {
    #[serde(rename = "GO")]
    Go,
    #[serde(rename = "GO WITH RESERVATIONS")]
    GoWithReservations,
    #[serde(rename = "NO-GO")]
    NoGo,
}

impl Decision {
    pub fn label(self) -> &'static str {
        match self {
            Decision::Go => "GO",
            Decision::GoWithReservations => "GO WITH RESERVATIONS",
            Decision::NoGo => "NO-GO",
        }
    }

    /// Exit code for CI pipelines: 0 GO, 1 NO-GO, 3 GO WITH RESERVATIONS (2 is reserved for
    /// "vigie could not run").
    pub fn exit_code(self) -> u8 {
        match self {
            Decision::Go => 0,
            Decision::NoGo => 1,
            Decision::GoWithReservations => 3,
        }
    }
}

/// The decision and the criteria that made it.
pub fn decide(criteria: &[Criterion]) -> (Decision, Vec<String>) {
    let not_met = |w: Weight| {
        criteria
            .iter()
            .filter(move |c| c.weight == w && c.status == Status::NotMet)
    };
    let blocking: Vec<String> = not_met(Weight::Blocking)
        .map(|c| format!("{}: {}", c.title, c.detail))
        .collect();
    if !blocking.is_empty() {
        return (Decision::NoGo, blocking);
    }
    let mut reserves: Vec<String> = not_met(Weight::Reserving)
        .map(|c| format!("{}: {}", c.title, c.detail))
        .collect();
    reserves.extend(
        criteria
            .iter()
            .filter(|c| c.status == Status::NotEvidenced)
            .map(|c| format!("not evidenced — {}: {}", c.title, c.detail)),
    );
    if reserves.is_empty() {
        (Decision::Go, Vec::new())
    } else {
        (Decision::GoWithReservations, reserves)
    }
}

#[cfg(test)]
mod tests {
    use super::super::criteria::{Evidence, judge};
    use super::*;

    fn all_good() -> Evidence {
        Evidence {
            check_candidate: Some((120, 0)),
            check_previous: Some((100, 0)),
            breaking: Some(4),
            breaking_for_consumer: Some(0),
            notice_days: Some(120),
            major: true,
            previous_kept_months: Some(6),
            load: Some((true, 0.99, String::new())),
            availability: Some((0.999, 0)),
        }
    }

    fn decision(e: &Evidence) -> Decision {
        decide(&judge(e)).0
    }

    #[test]
    fn everything_met_is_go() {
        assert_eq!(decision(&all_good()), Decision::Go);
    }

    #[test]
    fn each_criterion_failing_alone_turns_the_verdict_as_documented() {
        type Spoil = Box<dyn Fn(&mut Evidence)>;
        let cases: Vec<(&str, Spoil, Decision)> = vec![
            (
                "contract-candidate",
                Box::new(|e| e.check_candidate = Some((120, 3))),
                Decision::NoGo,
            ),
            (
                "contract-previous",
                Box::new(|e| e.check_previous = Some((100, 1))),
                Decision::GoWithReservations,
            ),
            (
                "consumer-breaking",
                Box::new(|e| e.breaking_for_consumer = Some(2)),
                Decision::NoGo,
            ),
            (
                "notice",
                Box::new(|e| e.notice_days = Some(60)),
                Decision::NoGo,
            ),
            (
                "n-1-window",
                Box::new(|e| e.previous_kept_months = Some(9)),
                Decision::GoWithReservations,
            ),
            (
                "load",
                Box::new(|e| e.load = Some((false, 0.8, "statut-usager".into()))),
                Decision::NoGo,
            ),
            (
                "availability",
                Box::new(|e| e.availability = Some((0.95, 2))),
                Decision::GoWithReservations,
            ),
        ];
        for (id, spoil, expected) in cases {
            let mut e = all_good();
            spoil(&mut e);
            let criteria = judge(&e);
            let failing: Vec<&str> = criteria
                .iter()
                .filter(|c| c.status == Status::NotMet)
                .map(|c| c.id)
                .collect();
            assert_eq!(failing, vec![id], "only {id} fails");
            let (d, reasons) = decide(&criteria);
            assert_eq!(d, expected, "{id}");
            assert_eq!(reasons.len(), 1, "{id}: {reasons:?}");
        }
    }

    #[test]
    fn missing_evidence_is_a_reservation_never_a_go() {
        for strip in 0..7 {
            let mut e = all_good();
            match strip {
                0 => e.check_candidate = None,
                1 => e.check_previous = None,
                2 => e.breaking_for_consumer = None,
                3 => e.notice_days = None,
                4 => e.previous_kept_months = None,
                5 => e.load = None,
                _ => e.availability = None,
            }
            let (d, reasons) = decide(&judge(&e));
            assert_eq!(d, Decision::GoWithReservations, "{strip}");
            assert!(reasons[0].starts_with("not evidenced"));
        }
        // A minor change needs 5 days, a major one 3 months.
        let mut e = all_good();
        e.major = false;
        e.notice_days = Some(5);
        assert_eq!(decision(&e), Decision::Go);
        e.notice_days = Some(4);
        assert_eq!(decision(&e), Decision::NoGo);
        // A blocking failure wins over reservations.
        let mut e = all_good();
        e.load = Some((false, 0.5, "x".into()));
        e.availability = None;
        assert_eq!(decision(&e), Decision::NoGo);
        assert_eq!(Decision::GoWithReservations.exit_code(), 3);
    }
}
