//! The go/no-go: golden reports for a fixed set of evidence (one per decision), the schema,
//! and `vigie gonogo` end to end on the embedded simulators.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use domain::civil::Date;
use harness::gonogo::criteria::{Evidence, Notice};
use harness::gonogo::decision::Decision;
use harness::gonogo::report;

use crate::support;

fn evidence() -> Evidence {
    Evidence {
        check_candidate: Some((120, 0)),
        check_previous: Some((100, 0)),
        breaking: Some(18),
        breaking_for_consumer: Some(0),
        consumer_changes: Vec::new(),
        notice: Some(Notice {
            announced: d(2026, 8, 1),
            production: d(2026, 11, 1),
        }),
        major: true,
        previous_kept_months: Some(6),
        load: Some((true, 0.995, String::new())),
        availability: Some((0.999, 0)),
    }
}

fn golden(name: &str, r: &report::GoNoGo) {
    let root = support::repo();
    let mut md = Vec::new();
    harness::render::gonogo::markdown::write(r, &mut md).unwrap();
    let mut html = Vec::new();
    harness::render::gonogo::html::write(r, &mut html).unwrap();
    let json = serde_json::to_string_pretty(r).unwrap() + "\n";
    for (ext, got) in [
        ("md", String::from_utf8(md).unwrap()),
        ("html", String::from_utf8(html).unwrap()),
        ("json", json.clone()),
    ] {
        let path = root.join("tests/golden").join(format!("{name}.{ext}"));
        if std::env::var_os("VIGIE_BLESS").is_some() {
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{name}.{ext} missing: VIGIE_BLESS=1 once"));
        assert_eq!(got, want, "{name}.{ext} changed: check, then VIGIE_BLESS=1");
    }
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    support::assert_follows_schema("harness/schemas/gonogo-report.schema.json", &value);
}

fn d(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

fn build(e: &Evidence) -> report::GoNoGo {
    report::build(
        "statut-usager",
        "v2",
        "v1",
        e.notice.map(|n| n.announced),
        e.notice.map(|n| n.production),
        None,
        e,
        vec!["check.json".into(), "load.json".into()],
        "2026-11-29T12:00:00.000Z".into(),
    )
}

#[test]
fn golden_reports_for_each_decision() {
    let go = build(&evidence());
    assert_eq!(go.decision, Decision::Go);
    assert_eq!(
        go.previous_sunset.as_deref(),
        Some("2027-05-01"),
        "6 months after production"
    );
    golden("gonogo-go", &go);

    let mut e = evidence();
    e.breaking_for_consumer = Some(2);
    let nogo = build(&e);
    assert_eq!(nogo.decision, Decision::NoGo);
    assert_eq!(nogo.reasons, vec!["No breaking change touches the partner's fields: 2 of 18 breaking change(s) touch the partner's fields".to_string()]);
    golden("gonogo-nogo", &nogo);

    let mut e = evidence();
    e.availability = Some((0.95, 3));
    let reserved = build(&e);
    assert_eq!(reserved.decision, Decision::GoWithReservations);
    golden("gonogo-reservations", &reserved);

    // No announcement: the notice is not evidenced, so nothing can be decided.
    let mut e = evidence();
    e.notice = None;
    let incomplete = build(&e);
    assert_eq!(incomplete.decision, Decision::Incomplete);
    assert_eq!(
        incomplete.reasons,
        vec!["not evidenced — The change was announced in time: no announcement date: give --announced and --production".to_string()]
    );
    golden("gonogo-incomplete", &incomplete);
}

#[test]
fn vigie_gonogo_runs_the_checks_and_decides() {
    let dir = tempfile::tempdir().unwrap();
    let o = support::vigie()
        .current_dir(dir.path())
        .args([
            "gonogo",
            "--api",
            "statut-usager",
            "--announced",
            "2026-01-05",
            "--production",
            "2026-01-08",
            "--out",
            "out",
        ])
        .arg("--consumer")
        .arg(support::repo().join("examples/consumer.json"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    // n-1 → n breaks the example consumer's fields and the 3 days' notice is too short for a
    // contract change: NO-GO, exit 1, both reasons said.
    assert_eq!(
        o.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("statut-usager v2 (previous v1): NO-GO"),
        "{stdout}"
    );
    assert!(stdout.contains("3 days' notice"), "{stdout}");
    // The consumer's fields the breaking changes touch are named, not only counted.
    assert!(stdout.contains("touch the partner's fields: "), "{stdout}");
    assert!(
        stdout.contains("m_statut") || stdout.contains("statutDE"),
        "{stdout}"
    );
    let r: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/gonogo-statut-usager.json")).unwrap(),
    )
    .unwrap();
    let status = |id: &str| {
        r["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("contract-candidate"), "met");
    assert_eq!(status("notice"), "not-met");
    assert_eq!(status("load"), "not-evidenced");
    assert!(dir.path().join("out/gonogo-statut-usager.html").exists());
    assert!(dir.path().join("out/check-statut-usager.json").exists());
}

#[test]
fn vigie_gonogo_without_an_announcement_is_incomplete_with_its_own_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let o = support::vigie()
        .current_dir(dir.path())
        .args(["gonogo", "--api", "statut-usager", "--out", "out"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    // The checks pass, but the notice, the consumer's fields and the load are not evidenced:
    // no GO of any kind, exit 4, and what to give is said.
    assert_eq!(
        o.status.code(),
        Some(4),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("statut-usager v2 (previous v1): INCOMPLETE"),
        "{stdout}"
    );
    let r: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/gonogo-statut-usager.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(r["decision"], "INCOMPLETE");
    let reasons = r["reasons"].to_string();
    for flag in ["--announced", "--consumer", "load.json"] {
        assert!(reasons.contains(flag), "{flag} in {reasons}");
    }
}
