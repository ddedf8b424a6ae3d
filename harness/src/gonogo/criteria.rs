//! The criteria of a go/no-go (Annex 2 §7) and what each says, from the evidence gathered:
//! met, not met, or not evidenced — never guessed.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Met,
    NotMet,
    NotEvidenced,
}

/// What each criterion weighs in the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Weight {
    /// Not met → NO-GO.
    Blocking,
    /// Not met → GO WITH RESERVATIONS.
    Reserving,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    /// Stable id: `contract-candidate`, `contract-previous`, `consumer-breaking`, `notice`,
    /// `n-1-window`, `load`, `availability`.
    pub id: &'static str,
    pub title: &'static str,
    pub weight: Weight,
    pub status: Status,
    /// What was found, in words (figures, dates, counts; no personal data).
    pub detail: String,
}

/// The evidence a go/no-go is decided on; `None` where it was not gathered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Contract check of the candidate: (calls, failed calls).
    pub check_candidate: Option<(u64, u64)>,
    /// Contract check of the previous version.
    pub check_previous: Option<(u64, u64)>,
    /// Breaking changes previous → candidate, and how many touch the consumer's fields
    /// (`None` without a consumer file).
    pub breaking: Option<usize>,
    pub breaking_for_consumer: Option<usize>,
    /// Days from the announcement to production.
    pub notice_days: Option<i64>,
    /// A major or contract change (3 months' notice) rather than a minor one (5 days).
    pub major: bool,
    /// Months the previous version is kept after the candidate's production (`None`: its
    /// sunset is not announced; the convention caps it at 6).
    pub previous_kept_months: Option<u32>,
    /// Load run against the candidate: (passed, share under 1 s, worst API).
    pub load: Option<(bool, f64, String)>,
    /// Probe window on the candidate: (availability, incidents).
    pub availability: Option<(f64, usize)>,
}

pub const MINOR_NOTICE_DAYS: i64 = 5;
pub const MAJOR_NOTICE_DAYS: i64 = 90;
pub const N1_MAX_MONTHS: u32 = 6;

fn c(
    id: &'static str,
    title: &'static str,
    weight: Weight,
    status: Status,
    detail: String,
) -> Criterion {
    Criterion {
        id,
        title,
        weight,
        status,
        detail,
    }
}

/// Every criterion, judged.
pub fn judge(e: &Evidence) -> Vec<Criterion> {
    let mut out = Vec::new();
    out.push(match e.check_candidate {
        None => c(
            "contract-candidate",
            "The candidate answers as its contract says",
            Weight::Blocking,
            Status::NotEvidenced,
            "no contract check of the candidate".into(),
        ),
        Some((calls, 0)) if calls > 0 => c(
            "contract-candidate",
            "The candidate answers as its contract says",
            Weight::Blocking,
            Status::Met,
            format!("{calls} calls, all conform"),
        ),
        Some((calls, failed)) => c(
            "contract-candidate",
            "The candidate answers as its contract says",
            Weight::Blocking,
            Status::NotMet,
            format!("{failed} of {calls} calls fail"),
        ),
    });
    out.push(match e.check_previous {
        None => c(
            "contract-previous",
            "The previous version still answers as its contract says",
            Weight::Reserving,
            Status::NotEvidenced,
            "no contract check of the previous version".into(),
        ),
        Some((calls, 0)) if calls > 0 => c(
            "contract-previous",
            "The previous version still answers as its contract says",
            Weight::Reserving,
            Status::Met,
            format!("{calls} calls, all conform"),
        ),
        Some((calls, failed)) => c(
            "contract-previous",
            "The previous version still answers as its contract says",
            Weight::Reserving,
            Status::NotMet,
            format!("{failed} of {calls} calls fail"),
        ),
    });
    out.push(match (e.breaking, e.breaking_for_consumer) {
        (None, _) => c(
            "consumer-breaking",
            "No breaking change touches the partner's fields",
            Weight::Blocking,
            Status::NotEvidenced,
            "no diff of the two versions".into(),
        ),
        (Some(b), None) => c(
            "consumer-breaking",
            "No breaking change touches the partner's fields",
            Weight::Blocking,
            Status::NotEvidenced,
            format!("{b} breaking change(s); give --consumer to know which touch the partner"),
        ),
        (Some(b), Some(0)) => c(
            "consumer-breaking",
            "No breaking change touches the partner's fields",
            Weight::Blocking,
            Status::Met,
            format!("{b} breaking change(s), none in the partner's fields"),
        ),
        (Some(b), Some(n)) => c(
            "consumer-breaking",
            "No breaking change touches the partner's fields",
            Weight::Blocking,
            Status::NotMet,
            format!("{n} of {b} breaking change(s) touch the partner's fields"),
        ),
    });
    let need = if e.major {
        MAJOR_NOTICE_DAYS
    } else {
        MINOR_NOTICE_DAYS
    };
    let kind = if e.major {
        "a major or contract change: 3 months"
    } else {
        "a minor change: 5 days"
    };
    out.push(match e.notice_days {
        None => c(
            "notice",
            "The change was announced in time",
            Weight::Blocking,
            Status::NotEvidenced,
            "no announcement date".into(),
        ),
        Some(d) if d >= need => c(
            "notice",
            "The change was announced in time",
            Weight::Blocking,
            Status::Met,
            format!("{d} days' notice; {kind}"),
        ),
        Some(d) => c(
            "notice",
            "The change was announced in time",
            Weight::Blocking,
            Status::NotMet,
            format!("{d} days' notice; {kind}"),
        ),
    });
    out.push(match e.previous_kept_months {
        None => c(
            "n-1-window",
            "The previous version stays online alongside, 6 months at most",
            Weight::Reserving,
            Status::NotEvidenced,
            "the previous version's sunset is not announced".into(),
        ),
        Some(m) if (1..=N1_MAX_MONTHS).contains(&m) => c(
            "n-1-window",
            "The previous version stays online alongside, 6 months at most",
            Weight::Reserving,
            Status::Met,
            format!("kept {m} month(s) after production"),
        ),
        Some(m) => c(
            "n-1-window",
            "The previous version stays online alongside, 6 months at most",
            Weight::Reserving,
            Status::NotMet,
            format!("kept {m} month(s) after production; the convention allows 1 to 6"),
        ),
    });
    out.push(match &e.load {
        None => c(
            "load",
            "At the expected rate, 90 % of calls under 1 s",
            Weight::Blocking,
            Status::NotEvidenced,
            "no load run against the candidate".into(),
        ),
        Some((true, share, _)) => c(
            "load",
            "At the expected rate, 90 % of calls under 1 s",
            Weight::Blocking,
            Status::Met,
            format!("{:.1} % of calls under 1 s", share * 100.0),
        ),
        Some((false, share, worst)) => c(
            "load",
            "At the expected rate, 90 % of calls under 1 s",
            Weight::Blocking,
            Status::NotMet,
            format!(
                "{:.1} % of calls under 1 s overall; {worst} misses the mark",
                share * 100.0
            ),
        ),
    });
    out.push(match e.availability {
        None => c(
            "availability",
            "Available (≥ 98 %) and without incident during the test window",
            Weight::Reserving,
            Status::NotEvidenced,
            "no probe window on the candidate".into(),
        ),
        Some((a, 0)) if a >= 0.98 => c(
            "availability",
            "Available (≥ 98 %) and without incident during the test window",
            Weight::Reserving,
            Status::Met,
            format!("{:.3} % available, no incident", a * 100.0),
        ),
        Some((a, n)) => c(
            "availability",
            "Available (≥ 98 %) and without incident during the test window",
            Weight::Reserving,
            Status::NotMet,
            format!("{:.3} % available, {n} incident(s)", a * 100.0),
        ),
    });
    out
}
