//! What a notification says: what broke, since when, which deadline runs, where the evidence
//! is; the webhook bodies.

#![allow(clippy::unwrap_used)]

use alerts::deadline::DeadlineKind;
use alerts::message::{Links, render};
use alerts::webhook::WebhookTemplate;
use alerts::{
    BusinessCalendar, Engine, EngineState, Event, EventKind, Observation, Thresholds, Verdict,
};

/// Friday 2026-12-04 16:30 Paris.
const T0: i64 = 1_796_398_200_000;
const MIN: i64 = 60_000;

fn opened() -> (Engine, u64) {
    let mut e = Engine::new(
        EngineState::default(),
        Thresholds {
            open_after_failures: 3,
            ..Thresholds::default()
        },
        BusinessCalendar::default(),
    );
    for k in 0..3 {
        e.observe(&Observation {
            partner: String::new(),
            target: "diagnostic-individu/v4/recuperer-dossier-individu".into(),
            api: "diagnostic-individu".into(),
            major: "v4".into(),
            at_ms: T0 + k * MIN,
            duration_ms: 6000.0,
            status: None,
            verdict: Verdict::Down,
            violations: vec![],
            data_quality: false,
            evidence: Some("timeout".into()),
        });
    }
    let id = *e.state.incidents.keys().next().unwrap();
    (e, id)
}

fn links() -> Links {
    Links {
        show_command: "vigie incidents show {id} --config /etc/vigie.toml".into(),
        evidence_url: Some("https://grafana.example.fr/d/vigie?incident={id}".into()),
    }
}

#[test]
fn the_opening_says_what_since_when_which_deadline_and_where_the_evidence_is() {
    let (e, id) = opened();
    let i = &e.state.incidents[&id];
    let m = render(
        "abc",
        &Event {
            incident: id,
            kind: EventKind::Opened,
            at_ms: T0 + 2 * MIN,
        },
        i,
        &links(),
    );
    assert_eq!(m.key, "abc-1-opened");
    assert_eq!(
        m.subject,
        "[vigie] OPENED #1: availability incident on diagnostic-individu v4: no usable answer (outage)"
    );
    for part in [
        "What broke: diagnostic-individu v4, no usable answer (outage) (availability).",
        "Operations: diagnostic-individu/v4/recuperer-dossier-individu.",
        "Since: 2026-12-04 16:30 (Paris, UTC+01:00), confirmed 2026-12-04 16:32.",
        "Seen: 3 failures in 3 probes; timeout ×3.",
        "- Pôle emploi informs the partner within 1 h: due 2026-12-04 17:30 (Paris, UTC+01:00), running",
        // Friday 16:30 + 8 business hours: 30 min on Friday, 7 h 30 on Monday.
        "- return to service within 1 day (8 business hours): due 2026-12-07 16:30 (Paris, UTC+01:00), running",
        "Evidence: vigie incidents show 1 --config /etc/vigie.toml",
        "Evidence: https://grafana.example.fr/d/vigie?incident=1",
    ] {
        assert!(m.text.contains(part), "{part:?} missing:\n{}", m.text);
    }
    assert_eq!(m.facts["incident"]["errors"]["timeout"], 3);
    // Webhook times carry their offset (RFC 3339); the text says Paris time with its offset.
    assert_eq!(
        m.facts["incident"]["deadlines"][0]["due"],
        "2026-12-04T17:30:00+01:00"
    );
    assert!(
        m.facts["at"].as_str().unwrap().ends_with("+01:00"),
        "{}",
        m.facts
    );
    assert_eq!(
        alerts::paris::rfc3339(1_782_986_400_000),
        "2026-07-02T12:00:00+02:00"
    );
    // The hour that repeats when summer time ends (25 October 2026): told apart by the offset.
    assert_eq!(
        alerts::paris::rfc3339(1_792_888_200_000),
        "2026-10-25T02:30:00+02:00"
    );
    assert_eq!(
        alerts::paris::rfc3339(1_792_891_800_000),
        "2026-10-25T02:30:00+01:00"
    );
}

#[test]
fn reminders_and_escalations_name_their_deadline() {
    let (mut e, id) = opened();
    let reminder = e.tick(T0 + 45 * MIN);
    let missed = e.tick(T0 + 60 * MIN);
    let i = &e.state.incidents[&id];
    let r = render("abc", &reminder[0], i, &links());
    assert_eq!(reminder[0].kind, EventKind::Reminder(DeadlineKind::Inform));
    assert!(
        r.subject.starts_with(
            "[vigie] REMINDER #1: Pôle emploi informs the partner due 2026-12-04 17:30"
        ),
        "{}",
        r.subject
    );
    assert_eq!(r.key, "abc-1-reminder-inform");
    let m = render("abc", &missed[0], i, &links());
    assert!(
        m.subject
            .starts_with("[vigie] ESCALATION #1: deadline missed, Pôle emploi informs the partner"),
        "{}",
        m.subject
    );
    assert!(
        m.text
            .contains("within 1 h: due 2026-12-04 17:30 (Paris, UTC+01:00), MISSED"),
        "{}",
        m.text
    );
}

#[test]
fn webhook_bodies() {
    let (e, id) = opened();
    let m = render(
        "abc",
        &Event {
            incident: id,
            kind: EventKind::Opened,
            at_ms: T0,
        },
        &e.state.incidents[&id],
        &links(),
    );
    let chat = WebhookTemplate::parse("mattermost").unwrap().body(&m);
    let text = chat["text"].as_str().unwrap();
    assert!(text.starts_with("**[vigie] OPENED #1"), "{text}");
    assert_eq!(chat.as_object().unwrap().len(), 1, "only text: {chat}");
    assert_eq!(WebhookTemplate::parse("slack"), Some(WebhookTemplate::Chat));
    let generic = WebhookTemplate::Generic.body(&m);
    assert_eq!(generic["key"], "abc-1-opened");
    assert_eq!(generic["event"], "opened");
    assert_eq!(generic["incident"]["api"], "diagnostic-individu");
    assert!(generic["text"].as_str().unwrap().contains("What broke"));
    assert_eq!(WebhookTemplate::parse("teams"), None);
    // Alertmanager's body: one firing alert per incident, then resolved, same fingerprint.
    let am = WebhookTemplate::parse("alertmanager").unwrap().body(&m);
    assert_eq!(am["version"], "4");
    assert_eq!(am["status"], "firing");
    let alert = &am["alerts"][0];
    assert_eq!(alert["labels"]["alertname"], "VigieIncident");
    assert_eq!(alert["labels"]["incident"], "1");
    assert_eq!(alert["labels"]["api"], "diagnostic-individu");
    assert_eq!(alert["labels"]["severity"], "page");
    assert_eq!(alert["startsAt"], "2026-12-04T16:30:00+01:00");
    assert_eq!(alert["endsAt"], "0001-01-01T00:00:00Z");
    assert!(
        alert["annotations"]["summary"]
            .as_str()
            .unwrap()
            .contains("OPENED #1")
    );
    let mut resolved = m.clone();
    resolved.event = "resolved".into();
    resolved.facts["incident"]["resolved"] = serde_json::json!("2026-12-04T18:00:00+01:00");
    let am2 = WebhookTemplate::Alertmanager.body(&resolved);
    assert_eq!(am2["status"], "resolved");
    assert_eq!(am2["alerts"][0]["endsAt"], "2026-12-04T18:00:00+01:00");
    assert_eq!(am2["alerts"][0]["fingerprint"], alert["fingerprint"]);
    assert_eq!(alert["fingerprint"].as_str().unwrap().len(), 16);
}
