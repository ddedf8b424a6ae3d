//! The incident engine, fed by hand with fixed instants.

use alerts::deadline::{DeadlineKind, DeadlineState};
use alerts::incident::Cause;
use alerts::paris::local_text;
use alerts::{
    Acknowledgement, BusinessCalendar, Engine, EngineError, EngineState, EventKind, IncidentKind,
    Observation, State, Thresholds, Verdict,
};

/// Monday 2026-11-30 10:00 Paris (09:00 UTC).
const T0: i64 = 1_796_029_200_000;
const MIN: i64 = 60_000;

/// The thresholds most of these tests were written for: three failures open an outage (the
/// default is two, see `by_default_a_failure_seen_again_opens_the_outage`).
fn engine() -> Engine {
    Engine::new(
        EngineState::default(),
        Thresholds {
            open_after_failures: 3,
            ..Thresholds::default()
        },
        BusinessCalendar::default(),
    )
}

fn obs(target: &str, at: i64, verdict: Verdict, ms: f64) -> Observation {
    let mut parts = target.split('/');
    Observation {
        partner: String::new(),
        target: target.into(),
        api: parts.next().unwrap_or_default().into(),
        major: parts.next().unwrap_or_default().into(),
        at_ms: at,
        duration_ms: ms,
        status: Some(match verdict {
            Verdict::Down => 503,
            _ => 200,
        }),
        verdict,
        violations: if verdict == Verdict::Violation {
            vec!["/m_contrat/m_statut".into()]
        } else {
            vec![]
        },
        data_quality: false,
        evidence: (verdict == Verdict::Down).then(|| "status 503".into()),
    }
}

const STATUT: &str = "statut-usager/v2/rechercher-statut";
const STATUT_OTHER: &str = "statut-usager/v2/autre";
const METIERS: &str = "metiers-recherches/v1/lire";

#[test]
fn an_outage_opens_once_after_three_failures_and_resolves_after_three_answers() {
    let mut e = engine();
    let mut events = Vec::new();
    for k in 0..10 {
        events.extend(e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Down, 6000.0)));
        // Another API, fine all along: no incident of its own.
        events.extend(e.observe(&obs(METIERS, T0 + k * MIN, Verdict::Answered, 100.0)));
    }
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].kind, EventKind::Opened);
    assert_eq!(events[0].at_ms, T0 + 2 * MIN, "opened on the third failure");
    let i = &e.state.incidents[&events[0].incident];
    assert_eq!(i.kind, IncidentKind::Availability);
    assert_eq!(i.cause, Cause::Outage);
    assert_eq!(i.since_ms, T0, "the clocks run from the first failure");
    assert_eq!(i.evidence.failures, 10);
    assert_eq!(i.evidence.classes["status 503"], 10);
    let inform = &i.deadlines[0];
    assert_eq!(
        (inform.kind, inform.due_ms),
        (DeadlineKind::Inform, T0 + 60 * MIN)
    );
    assert_eq!(
        local_text(i.deadlines[1].due_ms),
        "2026-12-01 10:00",
        "8 business hours"
    );

    let mut later = Vec::new();
    for k in 10..13 {
        later.extend(e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Answered, 120.0)));
    }
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].kind, EventKind::Resolved);
    assert_eq!(later[0].at_ms, T0 + 12 * MIN);
    let i = &e.state.incidents[&later[0].incident];
    assert_eq!(i.state, State::Resolved);
    assert_eq!(i.deadlines[1].state, DeadlineState::Met(T0 + 12 * MIN));
    assert_eq!(i.deadlines[0].state, DeadlineState::Moot(T0 + 12 * MIN));
}

#[test]
fn flapping_under_the_threshold_opens_nothing_and_replays_are_ignored() {
    let mut e = engine();
    let mut events = Vec::new();
    for k in 0..30 {
        let v = if k % 3 == 2 {
            Verdict::Answered
        } else {
            Verdict::Down
        };
        events.extend(e.observe(&obs(STATUT, T0 + k * MIN, v, 100.0)));
    }
    assert!(events.is_empty(), "{events:?}");
    // Partner-side failures change no count of Pôle emploi's: once they persist, they open
    // the partner's own incident, nothing else.
    for k in 30..40 {
        events.extend(e.observe(&obs(STATUT, T0 + k * MIN, Verdict::PartnerSide, 0.0)));
    }
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(
        e.state.incidents[&events[0].incident].kind,
        IncidentKind::PartnerSide
    );
    events.clear();
    assert_eq!(e.state.targets[STATUT].fails, 0);
    // A replayed failure (not later than the last seen) is not counted twice.
    e.observe(&obs(STATUT, T0 + 40 * MIN, Verdict::Down, 0.0));
    e.observe(&obs(STATUT, T0 + 40 * MIN, Verdict::Down, 0.0));
    e.observe(&obs(STATUT, T0 + 39 * MIN, Verdict::Down, 0.0));
    assert_eq!(e.state.targets[STATUT].fails, 1);
}

#[test]
fn a_second_operation_failing_joins_the_open_incident() {
    let mut e = engine();
    let mut opened = 0;
    for k in 0..5 {
        for t in [STATUT, STATUT_OTHER] {
            opened += e
                .observe(&obs(t, T0 + k * MIN, Verdict::Down, 0.0))
                .iter()
                .filter(|ev| ev.kind == EventKind::Opened)
                .count();
        }
    }
    assert_eq!(opened, 1, "one incident per API version");
    let i = e.state.incidents.values().next().unwrap();
    assert_eq!(i.targets.len(), 2);
    // One operation back is not a return to service.
    for k in 5..10 {
        assert!(
            e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Answered, 90.0))
                .is_empty()
        );
    }
    let mut resolved = Vec::new();
    for k in 5..8 {
        resolved.extend(e.observe(&obs(STATUT_OTHER, T0 + k * MIN, Verdict::Answered, 90.0)));
    }
    assert_eq!(resolved.len(), 1);
    assert_eq!(resolved[0].kind, EventKind::Resolved);
}

#[test]
fn a_degradation_opens_when_the_share_under_one_second_falls_under_90_percent() {
    let mut e = engine();
    let mut events = Vec::new();
    // 30 answers, 1 in 5 slow: 80 % under 1 s.
    for k in 0..30 {
        let ms = if k % 5 == 0 { 1500.0 } else { 200.0 };
        events.extend(e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Answered, ms)));
    }
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].at_ms, T0 + 29 * MIN, "when the window is full");
    let i = &e.state.incidents[&events[0].incident];
    assert_eq!(i.cause, Cause::Degradation);
    assert_eq!(i.since_ms, T0, "from the first slow answer of the window");
    assert!((i.evidence.share_fast.unwrap() - 0.8).abs() < 1e-9);
    // Fast again: resolved once the window is back at ≥ 90 %: when it starts after the
    // slow answer of minute 10, at minute 40 (27 of 30 under 1 s).
    let mut later = Vec::new();
    for k in 30..60 {
        later.extend(e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Answered, 200.0)));
    }
    assert_eq!(later.len(), 1, "{later:?}");
    assert_eq!(later[0].kind, EventKind::Resolved);
    assert_eq!(later[0].at_ms, T0 + 40 * MIN);
}

#[test]
fn an_applicative_incident_opens_with_the_whole_run_that_confirmed_it() {
    let mut e = engine();
    let need = Thresholds::default().open_after_violations;
    let mut opened = Vec::new();
    for k in 0..i64::from(need) {
        opened.extend(e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Violation, 100.0)));
    }
    assert_eq!(opened.len(), 1);
    let i = &e.state.incidents[&opened[0].incident];
    // What the OPENED message says: as many failures as it took to open, not one.
    assert_eq!(
        (i.evidence.failures, i.evidence.observations),
        (u64::from(need), u64::from(need))
    );
    assert_eq!(i.evidence.pointers["/m_contrat/m_statut"], u64::from(need));
    assert_eq!(i.evidence.first_failure_ms, Some(T0));
    let text = alerts::message::render("test", &opened[0], i, &Default::default()).text;
    assert!(
        text.contains(&format!("Seen: {need} failures in {need} probes")),
        "{text}"
    );
}

#[test]
fn contract_violations_open_an_applicative_incident_with_their_own_clocks() {
    let mut e = engine();
    let mut events = Vec::new();
    for k in 0..4 {
        let mut o = obs(STATUT, T0 + k * MIN, Verdict::Violation, 100.0);
        if k == 1 {
            o.data_quality = true;
        }
        events.extend(e.observe(&o));
    }
    assert_eq!(events.len(), 1);
    let i = &e.state.incidents[&events[0].incident];
    assert_eq!(i.kind, IncidentKind::Applicative);
    assert_eq!(
        i.cause,
        Cause::DataQuality,
        "the confirming answer broke a data rule"
    );
    assert_eq!(i.deadlines[0].due_ms, T0 + 24 * 60 * MIN);
    assert_eq!(i.deadlines[1].due_ms, T0 + 6 * 24 * 60 * MIN);
    // Every violating answer counts, the two that confirmed it included.
    assert_eq!(i.evidence.pointers["/m_contrat/m_statut"], 4);
    assert_eq!((i.evidence.failures, i.evidence.observations), (4, 4));
    // An outage on top opens its own availability incident; applicative stays open.
    for k in 4..7 {
        e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Down, 0.0));
    }
    assert_eq!(e.state.incidents.len(), 2);
    let mut later = Vec::new();
    for k in 7..10 {
        later.extend(e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Answered, 100.0)));
    }
    assert_eq!(
        later.len(),
        2,
        "both resolved by three good answers: {later:?}"
    );
}

#[test]
fn reminders_before_and_escalation_after_each_deadline_once() {
    let mut e = engine();
    for k in 0..3 {
        e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Down, 0.0));
    }
    let id = *e.state.incidents.keys().next().unwrap();
    assert!(e.tick(T0 + 44 * MIN).is_empty());
    let r = e.tick(T0 + 45 * MIN);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].kind, EventKind::Reminder(DeadlineKind::Inform));
    assert!(e.tick(T0 + 50 * MIN).is_empty(), "one reminder");
    let m = e.tick(T0 + 60 * MIN);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].kind, EventKind::Missed(DeadlineKind::Inform));
    assert!(e.tick(T0 + 61 * MIN).is_empty(), "one escalation");
    let i = &e.state.incidents[&id];
    assert!(
        i.timeline.iter().any(|t| t
            .what
            .starts_with("deadline missed: Pôle emploi informs the partner")),
        "{:?}",
        i.timeline
    );
    // Restore: 8 business hours from Monday 10:00 is Tuesday 10:00; reminder at 3/4 of
    // the real time.
    let restore_due = i.deadlines[1].due_ms;
    let events = e.tick(restore_due);
    assert_eq!(
        events.iter().map(|ev| ev.kind).collect::<Vec<_>>(),
        [EventKind::Missed(DeadlineKind::Restore)],
        "the tick at the due time escalates without a late reminder first"
    );
}

#[test]
fn acknowledging_records_what_pole_emploi_did_and_the_partner_report_clock() {
    let mut e = engine();
    for k in 0..3 {
        e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Down, 0.0));
    }
    let id = *e.state.incidents.keys().next().unwrap();
    let ack = Acknowledgement {
        by: "supervision".into(),
        reported_to_pe: true,
        ..Default::default()
    };
    e.acknowledge(id, &ack, T0 + 5 * MIN).unwrap();
    let i = &e.state.incidents[&id];
    assert_eq!(i.state, State::Acknowledged);
    let taken = i
        .deadlines
        .iter()
        .find(|d| d.kind == DeadlineKind::TakeIntoAccount)
        .unwrap();
    assert_eq!(taken.due_ms, T0 + 20 * MIN);
    let missed = e.tick(T0 + 20 * MIN);
    assert_eq!(
        missed[0].kind,
        EventKind::Missed(DeadlineKind::TakeIntoAccount)
    );
    let informed = Acknowledgement {
        by: "supervision".into(),
        pe_informed: true,
        pe_took_charge: true,
        ..Default::default()
    };
    e.acknowledge(id, &informed, T0 + 30 * MIN).unwrap();
    let i = &e.state.incidents[&id];
    assert_eq!(i.deadlines[0].state, DeadlineState::Met(T0 + 30 * MIN));
    assert!(
        e.tick(T0 + 2 * 60 * MIN).is_empty(),
        "nothing left to escalate before restore"
    );
    assert_eq!(
        e.acknowledge(99, &ack, T0).unwrap_err(),
        EngineError::Unknown(99)
    );
}

#[test]
fn closing_needs_a_verified_return_to_service() {
    let mut e = engine();
    for k in 0..3 {
        e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Down, 0.0));
    }
    let id = *e.state.incidents.keys().next().unwrap();
    let err = e.close(id, None, T0 + 4 * MIN).unwrap_err();
    assert!(
        err.to_string().contains("the probes still see it failing"),
        "{err}"
    );
    for k in 3..6 {
        e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Answered, 100.0));
    }
    // Failing again after its resolution: not verified.
    e.observe(&obs(STATUT, T0 + 6 * MIN, Verdict::Down, 0.0));
    let err = e.close(id, None, T0 + 7 * MIN).unwrap_err();
    assert!(
        err.to_string()
            .contains("failed again since its resolution"),
        "{err}"
    );
    e.observe(&obs(STATUT, T0 + 7 * MIN, Verdict::Answered, 100.0));
    e.close(id, None, T0 + 8 * MIN).unwrap();
    assert!(e.state.incidents.is_empty());
    let closed = e.take_closed();
    assert_eq!(closed[0].state, State::Closed);
    // A declared security breach: 48 h, closed with what was verified.
    let ev = e
        .declare(
            IncidentKind::Security,
            "recherche-usager",
            "v2",
            "leaked token",
            T0,
        )
        .unwrap();
    let id = ev[0].incident;
    assert_eq!(
        e.state.incidents[&id].deadlines[0].due_ms,
        T0 + 48 * 60 * MIN
    );
    assert!(e.close(id, None, T0 + MIN).is_err());
    e.close(id, Some("token revoked and rotated"), T0 + MIN)
        .unwrap();
    assert!(
        e.declare(IncidentKind::Security, "x", "v1", "  ", T0)
            .is_err()
    );
}

#[test]
fn with_a_60_s_interval_an_outage_is_confirmed_within_three_minutes_of_its_start() {
    // The outage starts at every second of the probe's minute: the first failing probe comes
    // at most 60 s later, the third (the confirmation) 120 s after that.
    let mut worst = 0;
    for phase in 0..60 {
        let mut e = engine();
        let start = T0 + phase * 1000;
        let mut opened = None;
        for k in 0..10 {
            let at = T0 + k * MIN;
            let v = if at >= start {
                Verdict::Down
            } else {
                Verdict::Answered
            };
            if let Some(ev) = e.observe(&obs(STATUT, at, v, 100.0)).first() {
                opened = Some(ev.at_ms);
                break;
            }
        }
        let delay = opened.unwrap() - start;
        assert!(delay <= 3 * MIN, "phase {phase}: {delay} ms");
        worst = worst.max(delay);
    }
    assert_eq!(
        worst,
        3 * MIN - 1000,
        "the outage starting just after a probe"
    );
}

#[test]
fn by_default_a_failure_seen_again_opens_the_outage() {
    // The probes' defaults: a 60 s grid, and a failing operation probed again 10 s after a
    // failure. The outage starts at every second of the probe's minute: the grid sees it at
    // most 60 s later, the re-probe confirms it 10 s after that.
    let mut delays = Vec::new();
    for phase in 0..60 {
        let mut e = Engine::new(
            EngineState::default(),
            Thresholds::default(),
            BusinessCalendar::default(),
        );
        let start = T0 + phase * 1000;
        let verdict = |at: i64| {
            if at >= start {
                Verdict::Down
            } else {
                Verdict::Answered
            }
        };
        let mut opened = None;
        'grid: for k in 0..5 {
            let at = T0 + k * MIN;
            let mut probes = vec![at];
            if verdict(at) == Verdict::Down {
                probes.push(at + 10_000);
            }
            for at in probes {
                if let Some(ev) = e.observe(&obs(STATUT, at, verdict(at), 100.0)).first() {
                    opened = Some(ev.at_ms);
                    break 'grid;
                }
            }
        }
        delays.push(opened.unwrap() - start);
    }
    let worst = *delays.iter().max().unwrap();
    let mean = delays.iter().sum::<i64>() / delays.len() as i64;
    assert_eq!(worst, MIN + 10_000 - 1000, "just after a probe: 70 s");
    assert_eq!(mean, 39_500, "on average over the minute: 30 s + 10 s");
    // One failure alone opens nothing.
    let mut e = Engine::new(
        EngineState::default(),
        Thresholds::default(),
        BusinessCalendar::default(),
    );
    assert!(e.observe(&obs(STATUT, T0, Verdict::Down, 100.0)).is_empty());
    assert!(
        e.observe(&obs(STATUT, T0 + 10_000, Verdict::Answered, 100.0))
            .is_empty()
    );
}

#[test]
fn the_partners_side_failing_opens_one_incident_for_every_api_without_deadlines() {
    let mut e = engine();
    let mut events = Vec::new();
    let refused = |target: &str, at: i64| {
        let mut o = obs(target, at, Verdict::PartnerSide, 50.0);
        o.status = None;
        o.evidence = Some("the partner's credentials were refused (401 invalid_client)".into());
        o
    };
    for k in 0..5 {
        events.extend(e.observe(&refused(STATUT, T0 + k * MIN)));
        events.extend(e.observe(&refused(METIERS, T0 + k * MIN)));
    }
    assert_eq!(events.len(), 1, "one incident, not one per API: {events:?}");
    let i = &e.state.incidents[&events[0].incident];
    assert_eq!(i.kind, IncidentKind::PartnerSide);
    assert_eq!(i.cause, Cause::PartnerFailure);
    assert!(i.deadlines.is_empty(), "no deadline of the convention runs");
    assert_eq!(i.targets.len(), 2, "{:?}", i.targets);
    assert_eq!(i.since_ms, T0);
    assert!(
        i.evidence
            .classes
            .keys()
            .any(|c| c.contains("credentials were refused"))
    );
    // Nothing of Pôle emploi's opened, and a tick starts no clock.
    assert!(e.tick(T0 + 10 * 60 * MIN).is_empty());
    // The secret renewed: the probes answer again on both; resolved once both agree.
    let mut after = Vec::new();
    for k in 5..8 {
        after.extend(e.observe(&obs(STATUT, T0 + k * MIN, Verdict::Answered, 100.0)));
    }
    assert!(
        after.is_empty(),
        "metiers still fails on our side: {after:?}"
    );
    for k in 5..8 {
        after.extend(e.observe(&obs(METIERS, T0 + k * MIN, Verdict::Answered, 100.0)));
    }
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(after[0].kind, EventKind::Resolved);
}
