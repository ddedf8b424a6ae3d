//! The monthly SLA report on a month whose faults are known: figures exact to the
//! millisecond, month boundaries in Paris time, DST, a 31-day month, and golden files.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use harness::probe::{ProbeOutcome, ProbeRecord};
use harness::sla::month::Verdict;
use harness::sla::paris;
use harness::sla::report::{self, MonthReport};
use harness::store::Store;
use harness::store::records::RunRow;

use crate::support;

const MIN: i64 = 60_000;
const HOUR: i64 = 3_600_000;

fn rec(api: &str, at: i64, interval: i64, outcome: ProbeOutcome, duration: f64) -> ProbeRecord {
    let (version, op) = match api {
        "statut-usager" => ("v2", "recuperer-contrat"),
        _ => ("v2", "rechercher-usager-par-date-naissance-et-nir"),
    };
    ProbeRecord {
        target: format!("{api}/{version}/{op}"),
        api: api.into(),
        version: version.into(),
        operation: op.into(),
        scheduled_ms: at,
        started_ms: at + 2,
        duration_ms: duration,
        interval_ms: interval,
        status: match outcome {
            ProbeOutcome::Down | ProbeOutcome::PartnerSide => None,
            _ => Some(200),
        },
        outcome,
        violations: Vec::new(),
        evidence: None,
    }
}

/// March 2026 (31 days, summer time from the 29th): statut-usager probed every minute of the
/// month; down 10 March 10:00–10:30 UTC; partner side 12 March 08:00–08:10 UTC; every 10th
/// answer takes 1.5 s, the others 200 ms. recherche-usager only on the 1st, all fine.
fn march(store: &mut Store) -> (u64, u64) {
    let (from, to) = paris::month_bounds(2026, 3);
    let outage = (
        from + 9 * 24 * HOUR + 11 * HOUR,
        from + 9 * 24 * HOUR + 11 * HOUR + 30 * MIN,
    );
    let partner = (
        from + 11 * 24 * HOUR + 9 * HOUR,
        from + 11 * 24 * HOUR + 9 * HOUR + 10 * MIN,
    );
    // Two runs: one started before the month (still running on the 1st), one restarted on
    // the 15th with another profile; a run of April is not this month's.
    for (at, profile) in [
        (from - 2 * 24 * HOUR, "convention"),
        (from + 14 * 24 * HOUR, "strict"),
        (to + HOUR, "publisher"),
    ] {
        store
            .record_run(&RunRow {
                started_ms: at,
                contract_profile: profile.into(),
                source: "embedded simulators (http://127.0.0.1:8080)".into(),
                unstored: 0,
            })
            .unwrap();
    }
    // The second run lost 7 records to a store that refused writes.
    store.add_unstored(from + 14 * 24 * HOUR, 7).unwrap();
    let mut batch = Vec::new();
    let (mut answered, mut fast) = (0, 0);
    let mut i = 0;
    let mut at = from;
    while at < to {
        let outcome = if (outage.0..outage.1).contains(&at) {
            ProbeOutcome::Down
        } else if (partner.0..partner.1).contains(&at) {
            ProbeOutcome::PartnerSide
        } else if i % 10 == 0 {
            ProbeOutcome::Slow
        } else {
            ProbeOutcome::Up
        };
        let duration = if outcome == ProbeOutcome::Slow {
            1500.0
        } else {
            200.0
        };
        if !matches!(outcome, ProbeOutcome::Down | ProbeOutcome::PartnerSide) {
            answered += 1;
            if duration < 1000.0 {
                fast += 1;
            }
        }
        batch.push(rec("statut-usager", at, MIN, outcome, duration));
        if batch.len() == 5000 {
            store.append(&batch).unwrap();
            batch.clear();
        }
        at += MIN;
        i += 1;
    }
    // recherche-usager: the first day only, every 10 minutes.
    let mut at = from;
    while at < from + 24 * HOUR {
        batch.push(rec(
            "recherche-usager",
            at,
            10 * MIN,
            ProbeOutcome::Up,
            300.0,
        ));
        at += 10 * MIN;
    }
    // A probe of February whose interval runs into March: its last 30 s count.
    batch.push(rec(
        "recherche-usager",
        from - 9 * MIN - 30_000,
        10 * MIN,
        ProbeOutcome::Up,
        300.0,
    ));
    // And one in April, not counted.
    batch.push(rec(
        "recherche-usager",
        to,
        10 * MIN,
        ProbeOutcome::Down,
        0.0,
    ));
    store.append(&batch).unwrap();
    (answered, fast)
}

fn build(store: &Store) -> MonthReport {
    // A fixed clock: the report says when it was generated, always the same instant here.
    report::build(store, 2026, 3, paris::month_bounds(2026, 4).0 + HOUR).unwrap()
}

#[test]
fn a_known_month_gives_exactly_the_expected_figures() {
    let mut store = Store::in_memory().unwrap();
    let (answered, fast) = march(&mut store);
    let r = build(&store);
    assert_eq!(r.month, "2026-03");
    assert_eq!(r.from_utc, "2026-02-28T23:00:00.000Z");
    assert_eq!(r.to_utc, "2026-03-31T22:00:00.000Z");
    let s = r.apis.iter().find(|f| f.api == "statut-usager").unwrap();
    let month_ms = 743 * HOUR; // 31 days less the hour of the change to summer time
    assert_eq!(s.observed_ms, month_ms);
    assert_eq!(s.unobserved_ms, 0);
    assert_eq!(s.down_ms, 30 * MIN);
    assert_eq!(s.excluded_ms, 10 * MIN);
    let counted = month_ms - 10 * MIN;
    let availability = 1.0 - (30 * MIN) as f64 / counted as f64;
    assert!((s.availability.unwrap() - availability).abs() < 1e-6);
    assert_eq!(s.availability_verdict, Verdict::Met);
    assert_eq!(s.error_budget_ms, (counted as f64 * 0.02).round() as i64);
    assert_eq!(s.error_budget_left_ms, s.error_budget_ms - 30 * MIN);
    assert_eq!((s.answered, s.under_1s), (answered, fast));
    assert_eq!(s.latency_verdict, Verdict::Met, "90 % of answers in 200 ms");
    assert_eq!(s.p50_ms, Some(200.0));
    assert_eq!(s.p99_ms, Some(1500.0));
    assert_eq!(s.over_6s, 0);
    assert_eq!(s.down_intervals.len(), 1);
    assert_eq!(s.down_intervals[0].minutes, 30.0);
    assert_eq!(
        s.down_intervals[0].from_local, "2026-03-10 11:00",
        "10:00 UTC is 11:00 in Paris in winter"
    );
    // Daily: the 10th lost 30 minutes out of 24 h; the 29th has 23 hours and no fault.
    assert_eq!(s.daily.len(), 31);
    let d10 = s.daily[9].availability.unwrap();
    assert!((d10 - (1.0 - 30.0 / 1440.0)).abs() < 1e-6, "{d10}");
    assert_eq!(s.daily[28].availability, Some(1.0));

    // recherche-usager: 30 s of February's last probe, then the first day; the rest of the
    // month unobserved, not counted as down; April's probe not counted.
    let rch = r.apis.iter().find(|f| f.api == "recherche-usager").unwrap();
    assert_eq!(rch.observed_ms, 24 * HOUR + 30_000);
    assert_eq!(rch.unobserved_ms, month_ms - 24 * HOUR - 30_000);
    assert_eq!(rch.down_ms, 0);
    assert_eq!(rch.availability, Some(1.0));
    // A day of 31 observed: figures, but no verdict on the month.
    assert_eq!(s.coverage, Some(1.0));
    assert!((rch.coverage.unwrap() - (24 * HOUR + 30_000) as f64 / month_ms as f64).abs() < 1e-6);
    assert_eq!(rch.availability_verdict, Verdict::InsufficientData);
    assert_eq!(rch.latency_verdict, Verdict::InsufficientData);
    assert_eq!(r.overall.down_ms, 30 * MIN);
    assert_eq!(r.down_intervals.len(), 1);
    assert_eq!(r.contract_profiles, ["convention", "strict"]);
    assert_eq!(r.runs.len(), 2);
    assert_eq!(r.runs[0].started_utc, "2026-02-26T23:00:00.000Z");
    // Gathered from the first probe due in March to the last (February's is not March's).
    let g = r.gathered.as_ref().unwrap();
    assert_eq!(g.first_utc, "2026-02-28T23:00:00.000Z");
    assert_eq!(g.first_local, "2026-03-01 00:00");
    assert_eq!(g.last_utc, "2026-03-31T21:59:00.000Z");
    assert_eq!(g.span_ms, 743 * HOUR - MIN);
    // February holds one probe: the trend shows it, then March.
    let months: Vec<&str> = r.trend.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(months, ["2026-02", "2026-03"]);
}

#[test]
fn the_trend_shows_the_months_the_store_holds_up_to_three() {
    // Statut probed every 10 min through four months, down 30 h in the second: each month's
    // figures in the trend are those of its own report.
    let mut store = Store::in_memory().unwrap();
    let (first, _) = paris::month_bounds(2026, 6);
    let (_, last) = paris::month_bounds(2026, 9);
    let (july, _) = paris::month_bounds(2026, 7);
    let batch: Vec<ProbeRecord> = (0..)
        .map(|i| first + i * 10 * MIN)
        .take_while(|at| *at < last)
        .map(|at| {
            let down = at >= july && at < july + 30 * HOUR;
            let outcome = if down {
                ProbeOutcome::Down
            } else {
                ProbeOutcome::Up
            };
            rec("statut-usager", at, 10 * MIN, outcome, 100.0)
        })
        .collect();
    store.append(&batch).unwrap();
    let r = report::build(&store, 2026, 9, last).unwrap();
    let months: Vec<&str> = r.trend.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(
        months,
        ["2026-07", "2026-08", "2026-09"],
        "three months at most"
    );
    for (m, (y, n)) in r.trend.iter().zip([(2026, 7), (2026, 8), (2026, 9)]) {
        let own = report::build(&store, y, n, last).unwrap();
        let p = m.apis.iter().find(|p| p.api == "statut-usager").unwrap();
        assert_eq!(p.availability, own.apis[0].availability, "{}", m.month);
        assert_eq!(p.availability_verdict, own.apis[0].availability_verdict);
        assert_eq!(m.apis.last().unwrap().api, "all");
    }
    let july_point = &r.trend[0].apis[0];
    assert_eq!(
        july_point.availability_verdict,
        Verdict::Missed,
        "30 h down"
    );
    assert_eq!(r.trend[1].apis[0].availability, Some(1.0));
    // June is the first month: its report has no trend. A month after an empty one neither.
    assert!(
        report::build(&store, 2026, 6, last)
            .unwrap()
            .trend
            .is_empty()
    );
    assert!(
        report::build(&store, 2026, 11, last)
            .unwrap()
            .trend
            .is_empty()
    );
    // Rendered: the table and the chart in HTML, the table in Markdown.
    let mut html = Vec::new();
    harness::render::sla::html::write(&r, &mut html).unwrap();
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("<h2>Month on month</h2>"), "{html}");
    assert!(html.contains("aria-label=\"availability month on month\""));
    assert!(
        html.contains("<title>statut-usager 2026-07: "),
        "hover titles"
    );
    let mut md = Vec::new();
    harness::render::sla::markdown::write(&r, &mut md).unwrap();
    let md = String::from_utf8(md).unwrap();
    assert!(md.contains("| month | statut-usager | all |"), "{md}");
    assert!(md.contains("| 2026-07 | "), "{md}");
}

#[test]
fn under_90_percent_of_the_month_observed_there_is_no_verdict_unless_the_miss_is_certain() {
    let (from, to) = paris::month_bounds(2026, 10);
    let month = to - from;
    // (hours observed from the 1st, hours down among them) → verdict.
    for (hours, down_hours, expected) in [
        (24, 0, Verdict::InsufficientData),
        (24, 12, Verdict::InsufficientData),
        // More down than 2 % of the whole month (14.9 h): missed, whatever comes next.
        (24, 16, Verdict::Missed),
        // 90 % of the month observed: a verdict.
        (745 * 9 / 10 + 1, 0, Verdict::Met),
        (745 * 9 / 10 + 1, 16, Verdict::Missed),
    ] {
        let mut store = Store::in_memory().unwrap();
        let batch: Vec<ProbeRecord> = (0..hours * 6)
            .map(|i| {
                let outcome = if i < down_hours * 6 {
                    ProbeOutcome::Down
                } else {
                    ProbeOutcome::Up
                };
                rec(
                    "statut-usager",
                    from + i * 10 * MIN,
                    10 * MIN,
                    outcome,
                    100.0,
                )
            })
            .collect();
        store.append(&batch).unwrap();
        let r = report::build(&store, 2026, 10, to).unwrap();
        let f = &r.apis[0];
        let coverage = (hours * HOUR) as f64 / month as f64;
        assert!((f.coverage.unwrap() - coverage).abs() < 1e-6, "{hours} h");
        assert_eq!(
            f.availability_verdict, expected,
            "{hours} h observed, {down_hours} h down"
        );
    }
}

#[test]
fn october_has_745_hours_and_an_empty_month_has_no_data() {
    let mut store = Store::in_memory().unwrap();
    let (from, to) = paris::month_bounds(2026, 10);
    assert_eq!(to - from, 745 * HOUR);
    let batch: Vec<ProbeRecord> = (0..(745 * 6))
        .map(|i| {
            rec(
                "statut-usager",
                from + i * 10 * MIN,
                10 * MIN,
                ProbeOutcome::Up,
                100.0,
            )
        })
        .collect();
    store.append(&batch).unwrap();
    let r = report::build(&store, 2026, 10, to).unwrap();
    assert_eq!(r.apis[0].observed_ms, 745 * HOUR);
    assert_eq!(r.apis[0].daily.len(), 31);
    let r = report::build(&store, 2026, 11, to).unwrap();
    assert!(r.apis.is_empty());
    assert_eq!(r.overall.availability_verdict, Verdict::NoData);
}

#[test]
fn reports_match_their_golden_files_and_schema() {
    let mut store = Store::in_memory().unwrap();
    march(&mut store);
    let r = build(&store);
    let root = support::repo();
    let mut md = Vec::new();
    harness::render::sla::markdown::write(&r, &mut md).unwrap();
    let mut html = Vec::new();
    harness::render::sla::html::write(&r, &mut html).unwrap();
    let json = serde_json::to_string_pretty(&r).unwrap() + "\n";
    for (name, got) in [
        ("sla-2026-03.md", String::from_utf8(md).unwrap()),
        ("sla-2026-03.html", String::from_utf8(html).unwrap()),
        ("sla-2026-03.json", json.clone()),
    ] {
        let path = root.join("tests/golden").join(name);
        if std::env::var_os("VIGIE_BLESS").is_some() {
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{name} missing: run with VIGIE_BLESS=1 once"));
        assert_eq!(
            got, want,
            "{name} changed: check the diff, then VIGIE_BLESS=1 to accept"
        );
    }
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    support::assert_follows_schema("harness/schemas/sla-report.schema.json", &value);
}

#[test]
fn the_html_report_needs_no_network() {
    let mut store = Store::in_memory().unwrap();
    march(&mut store);
    let r = build(&store);
    let mut html = Vec::new();
    harness::render::sla::html::write(&r, &mut html).unwrap();
    let html = String::from_utf8(html).unwrap();
    // Two charts per API and two for all of them together, drawn inline, and the trend's
    // (February holds a probe).
    assert!(!r.trend.is_empty());
    assert_eq!(html.matches("<svg ").count(), 2 * (r.apis.len() + 1) + 1);
    assert_eq!(
        html.matches("<svg ").count(),
        html.matches("</svg>").count()
    );
    // Nothing to fetch: no script, no stylesheet link, no image, no URL but SVG's namespace.
    for needle in ["<script", "<link", "<img", "src=", "href="] {
        assert!(!html.contains(needle), "{needle}");
    }
    // (The probed target is named as text, in the paragraph on what the month was measured
    // with, under the SIMULATED banner, never fetched.)
    assert!(html.contains("id=\"provenance\""));
    assert_eq!(html.matches("http://127.0.0.1:8080").count(), 1);
    assert_eq!(
        html.matches("http").count(),
        html.matches("http://www.w3.org/2000/svg").count() + 1
    );
    assert!(html.contains("98 %") && html.contains(">1 s<"));
}

#[test]
fn a_bad_day_is_drawn_plainly_against_a_zero_based_axis_with_its_date() {
    // October 2026, probed every 10 minutes; the 7th down from 00:00 to 05:45 Paris time
    // (76 % of the day); the 20th not observed at all.
    let mut store = Store::in_memory().unwrap();
    let (from, to) = paris::month_bounds(2026, 10);
    let bad = (
        from + 6 * 24 * HOUR,
        from + 6 * 24 * HOUR + 5 * HOUR + 45 * MIN,
    );
    let hole = (from + 19 * 24 * HOUR, from + 20 * 24 * HOUR);
    let batch: Vec<ProbeRecord> = (0..(745 * 6))
        .map(|i| from + i * 10 * MIN)
        .filter(|at| !(hole.0..hole.1).contains(at))
        .map(|at| {
            let outcome = if (bad.0..bad.1).contains(&at) {
                ProbeOutcome::Down
            } else {
                ProbeOutcome::Up
            };
            rec("statut-usager", at, 10 * MIN, outcome, 100.0)
        })
        .collect();
    store.append(&batch).unwrap();
    let r = report::build(&store, 2026, 10, to).unwrap();
    let mut html = Vec::new();
    harness::render::sla::html::write(&r, &mut html).unwrap();
    let html = String::from_utf8(html).unwrap();
    if let Some(path) = std::env::var_os("VIGIE_KEEP_HTML") {
        std::fs::write(path, &html).unwrap();
    }
    // The 7th: a red bar about three quarters of the axis high, titled with its date.
    let title = "<title>2026-10-07 75.694 %</title>"; // the last down probe counts to the next
    let at = html.find(title).expect("the 7th's bar");
    let rect = &html[html[..at].rfind("<rect").unwrap()..at];
    assert!(rect.contains("fill=\"#c62828\""), "{rect}");
    let height: f64 = rect
        .split("height=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(height > 70.0, "a 76 % day is no hairline: {rect}");
    // The 20th: said not observed, never a bar that reads 0 %.
    assert!(html.contains("<title>2026-10-20 not observed</title>"));
    // Dates under the bars, counts on the histogram.
    assert!(html.contains(">15</text>") && html.contains(">31</text>"));
    assert!(html.contains("call(s)</title>"));
}

#[test]
fn the_report_from_the_rollups_is_the_report_from_every_record() {
    // Random records over three months (both sides of two month ends, a change of summer
    // time): intervals from 1 s to 2 h, overlapping or leaving gaps, every outcome, some
    // without a status, replays. Each month's report from the rollups equals the one every
    // record gives.
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let mut store = Store::in_memory().unwrap();
    let (start, _) = paris::month_bounds(2026, 9);
    let (_, end) = paris::month_bounds(2026, 11);
    for api in ["statut-usager", "recherche-usager"] {
        let mut at = start - 2 * HOUR;
        let mut batch = Vec::new();
        while at < end + HOUR {
            let interval = 1_000 + next(2 * HOUR as u64) as i64;
            let outcome = ProbeOutcome::ALL[next(ProbeOutcome::ALL.len() as u64) as usize];
            let mut r = rec(api, at, interval, outcome, next(3_000) as f64);
            if next(10) == 0 {
                r.status = None;
            }
            batch.push(r);
            // Mostly the interval, sometimes a gap, sometimes an overlap.
            at += match next(4) {
                0 => interval + next(3 * HOUR as u64) as i64,
                1 => interval / 2 + 1,
                _ => interval,
            };
        }
        store.append(&batch).unwrap();
        store.append(&batch[..batch.len() / 3]).unwrap(); // replays
    }
    for month in [9, 10, 11] {
        // Every figure of the report (from the rollups and the down records) is the one
        // every record gives: sums, days, classes, percentiles, violations, down intervals.
        let r = report::build(&store, 2026, month, end).unwrap();
        let (apis, overall) = report::figures_from_records(&store, 2026, month).unwrap();
        assert_eq!(r.apis, apis, "2026-{month:02}");
        assert_eq!(r.overall, overall, "2026-{month:02}");
        for f in &r.apis {
            assert!(
                f.probes > 50
                    && f.down_ms > 0
                    && !f.down_intervals.is_empty()
                    && f.p90_ms.is_some(),
                "a test that can fail: {f:?}"
            );
        }
    }
    // And the trend of November shows September and October as their own reports do.
    let r = report::build(&store, 2026, 11, end).unwrap();
    assert_eq!(r.trend.len(), 3);
    for (m, month) in r.trend.iter().zip([9, 10, 11]) {
        let own = report::build(&store, 2026, month, end).unwrap();
        for f in own.apis.iter().chain(std::iter::once(&own.overall)) {
            let p = m.apis.iter().find(|p| p.api == f.api).unwrap();
            assert_eq!(
                (p.coverage, p.availability, p.share_under_1s),
                (f.coverage, f.availability, f.share_under_1s),
                "{} {}",
                m.month,
                f.api
            );
            assert_eq!(
                (p.availability_verdict, p.latency_verdict),
                (f.availability_verdict, f.latency_verdict)
            );
        }
    }
}

/// `vigie store copy`: the known month in a SQLite store, copied into an empty PostgreSQL
/// database, gives the same report there, figure for figure; a second copy is refused, as is
/// a copy into a SQLite configuration.
#[test]
fn a_sqlite_store_copied_into_postgresql_gives_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("probes.sqlite");
    {
        let mut store = Store::open(&file).unwrap();
        march(&mut store);
    }
    let cluster = database::cluster::Cluster::shared().unwrap();
    let pg = cluster.database("copy").unwrap();
    let cfg = dir.path().join("vigie.toml");
    std::fs::write(
        &cfg,
        format!(
            "[store]\nurl = \"{pg}\"\npassword_file = \"{}\"\n[[probes]]\napi = \"statut-usager\"\nversion = \"n\"\n",
            cluster.password_file().display()
        ),
    )
    .unwrap();
    let copy = || {
        support::vigie()
            .args(["store", "copy", "--from"])
            .arg(&file)
            .arg("--config")
            .arg(&cfg)
            .output()
            .unwrap()
    };
    let o = copy();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("copied") && !stdout.contains("password"),
        "{stdout}"
    );
    let sqlite = build(&Store::open(&file).unwrap());
    let postgres = build(&Store::open_at(&pg).unwrap());
    assert_eq!(
        serde_json::to_value(&sqlite).unwrap(),
        serde_json::to_value(&postgres).unwrap()
    );
    let again = copy();
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already holds records"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    std::fs::write(
        &cfg,
        "[[probes]]\napi = \"statut-usager\"\nversion = \"n\"\n",
    )
    .unwrap();
    let sqlite_config = copy();
    assert!(
        String::from_utf8_lossy(&sqlite_config.stderr).contains("not PostgreSQL"),
        "{}",
        String::from_utf8_lossy(&sqlite_config.stderr)
    );
}
