//! The decision, from the criteria (documented in the README and tested one criterion at a
//! time):
//! - **NO-GO** when a blocking criterion is not met (the candidate breaks its contract, a
//!   breaking change touches the partner's fields, the notice was too short, the load misses
//!   the SLA);
//! - **INCOMPLETE** when none is, but a blocking criterion is not evidenced: the decision
//!   cannot be taken, and the reasons say which evidence or flag is missing;
//! - **GO WITH RESERVATIONS** when every blocking criterion is met but a reserving one is not
//!   met or not evidenced (the previous version misbehaves or leaves too soon or too late, the
//!   candidate was unavailable or had incidents during the test window);
//! - **GO** when every criterion is met.

use serde::Serialize;

use super::criteria::{Criterion, Status, Weight};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decision {
    #[serde(rename = "GO")]
    Go,
    #[serde(rename = "GO WITH RESERVATIONS")]
    GoWithReservations,
    #[serde(rename = "INCOMPLETE")]
    Incomplete,
    #[serde(rename = "NO-GO")]
    NoGo,
}

impl Decision {
    pub fn label(self) -> &'static str {
        match self {
            Decision::Go => "GO",
            Decision::GoWithReservations => "GO WITH RESERVATIONS",
            Decision::Incomplete => "INCOMPLETE",
            Decision::NoGo => "NO-GO",
        }
    }

    /// Exit code for CI pipelines: 0 GO, 1 NO-GO, 3 GO WITH RESERVATIONS, 4 INCOMPLETE (2 is
    /// reserved for "vigie could not run").
    pub fn exit_code(self) -> u8 {
        match self {
            Decision::Go => 0,
            Decision::NoGo => 1,
            Decision::GoWithReservations => 3,
            Decision::Incomplete => 4,
        }
    }
}

/// The decision and the criteria that made it, each said in one sentence.
pub fn decide(criteria: &[Criterion]) -> (Decision, Vec<String>) {
    let with = |w: Weight, s: Status| {
        criteria
            .iter()
            .filter(move |c| c.weight == w && c.status == s)
    };
    let blocking: Vec<String> = with(Weight::Blocking, Status::NotMet)
        .map(|c| format!("{}: {}", c.title, c.detail))
        .collect();
    if !blocking.is_empty() {
        return (Decision::NoGo, blocking);
    }
    let missing: Vec<String> = with(Weight::Blocking, Status::NotEvidenced)
        .map(|c| format!("not evidenced — {}: {}", c.title, c.detail))
        .collect();
    if !missing.is_empty() {
        return (Decision::Incomplete, missing);
    }
    let mut reserves: Vec<String> = with(Weight::Reserving, Status::NotMet)
        .map(|c| format!("{}: {}", c.title, c.detail))
        .collect();
    reserves.extend(
        with(Weight::Reserving, Status::NotEvidenced)
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
    use super::super::criteria::{Evidence, Notice, judge};
    use super::*;
    use domain::civil::Date;

    fn all_good() -> Evidence {
        Evidence {
            check_candidate: Some((120, 0)),
            check_previous: Some((100, 0)),
            breaking: Some(4),
            breaking_for_consumer: Some(0),
            consumer_changes: Vec::new(),
            notice: Some(Notice {
                announced: Date {
                    year: 2026,
                    month: 5,
                    day: 2,
                },
                production: Date {
                    year: 2026,
                    month: 9,
                    day: 1,
                },
            }),
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
                Box::new(|e| {
                    // 2 May → 1 August is 91 days but not 3 calendar months.
                    e.notice = e.notice.map(|n| Notice {
                        production: Date {
                            year: 2026,
                            month: 8,
                            day: 1,
                        },
                        ..n
                    })
                }),
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
    fn missing_evidence_is_never_a_go() {
        // A blocking criterion not evidenced: INCOMPLETE, naming what to give.
        for strip in 0..4 {
            let mut e = all_good();
            let flag = match strip {
                0 => {
                    e.check_candidate = None;
                    "--evidence DIR with its check.json"
                }
                1 => {
                    e.breaking_for_consumer = None;
                    "give --consumer"
                }
                2 => {
                    e.notice = None;
                    "give --announced and --production"
                }
                _ => {
                    e.load = None;
                    "load.json"
                }
            };
            let (d, reasons) = decide(&judge(&e));
            assert_eq!(d, Decision::Incomplete, "{strip}");
            assert_eq!(reasons.len(), 1, "{reasons:?}");
            assert!(
                reasons[0].starts_with("not evidenced") && reasons[0].contains(flag),
                "{reasons:?}"
            );
        }
        // A reserving one: GO WITH RESERVATIONS.
        for strip in 0..3 {
            let mut e = all_good();
            match strip {
                0 => e.check_previous = None,
                1 => e.previous_kept_months = None,
                _ => e.availability = None,
            }
            let (d, reasons) = decide(&judge(&e));
            assert_eq!(d, Decision::GoWithReservations, "{strip}");
            assert!(reasons[0].starts_with("not evidenced"));
        }
        // A blocking failure wins over missing evidence.
        let mut e = all_good();
        e.load = Some((false, 0.5, "x".into()));
        e.notice = None;
        assert_eq!(decision(&e), Decision::NoGo);
        assert_eq!(Decision::GoWithReservations.exit_code(), 3);
        assert_eq!(Decision::Incomplete.exit_code(), 4);
    }

    #[test]
    fn notice_is_counted_in_calendar_months_for_a_major_change_and_in_days_for_a_minor_one() {
        let d = |year, month, day| Date { year, month, day };
        let notice = |a: Date, p: Date, major: bool| {
            let mut e = all_good();
            e.notice = Some(Notice {
                announced: a,
                production: p,
            });
            e.major = major;
            decision(&e)
        };
        // 3 calendar months, whatever the number of days.
        assert_eq!(
            notice(d(2026, 5, 2), d(2026, 8, 1), true),
            Decision::NoGo,
            "91 days"
        );
        assert_eq!(notice(d(2026, 5, 2), d(2026, 8, 2), true), Decision::Go);
        assert_eq!(
            notice(d(2026, 11, 30), d(2027, 2, 28), true),
            Decision::Go,
            "30 Nov + 3 months is 28 Feb"
        );
        assert_eq!(
            notice(d(2026, 11, 30), d(2027, 2, 27), true),
            Decision::NoGo
        );
        assert_eq!(
            notice(d(2027, 11, 30), d(2028, 2, 29), true),
            Decision::Go,
            "leap year"
        );
        assert_eq!(
            notice(d(2026, 1, 31), d(2026, 4, 30), true),
            Decision::Go,
            "31 Jan + 3 months is 30 Apr"
        );
        assert_eq!(notice(d(2026, 1, 31), d(2026, 4, 29), true), Decision::NoGo);
        // A minor change needs 5 days.
        assert_eq!(
            notice(d(2026, 2, 24), d(2026, 3, 1), false),
            Decision::Go,
            "across the end of February"
        );
        assert_eq!(
            notice(d(2026, 2, 24), d(2026, 2, 28), false),
            Decision::NoGo
        );
    }
}
