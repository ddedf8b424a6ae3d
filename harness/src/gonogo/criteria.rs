//! The criteria of a go/no-go (Annex 2 §7) and what each says, from the evidence gathered:
//! met, not met, or not evidenced — never guessed.

use domain::civil::{Date, add_months, civil_from_days, days_from_civil, format_date};

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
    /// Not met → NO-GO; not evidenced → INCOMPLETE.
    Blocking,
    /// Not met or not evidenced → GO WITH RESERVATIONS.
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
    /// The breaking changes that touch the consumer's fields, each as `operation field:
    /// what changed` (named in the criterion's detail).
    pub consumer_changes: Vec<String>,
    /// When the change was announced and when it goes to production.
    pub notice: Option<Notice>,
    /// A major or contract change (3 months' notice) rather than a minor one (5 days).
    pub major: bool,
    /// Months the previous version is kept after the candidate's production (`None`: its
    /// sunset is not announced; the convention caps it at 6).
    pub previous_kept_months: Option<u32>,
    /// Load run against the candidate: (passed, share under 1 s, worst API).
    pub load: Option<(bool, f64, String)>,
    /// Probe window on the candidate: (availability, down intervals measured).
    pub availability: Option<(f64, usize)>,
}

/// The announcement and the production of a change (convention §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    pub announced: Date,
    pub production: Date,
}

impl Notice {
    /// Days from the announcement to production.
    pub fn days(self) -> i64 {
        days_from_civil(self.production) - days_from_civil(self.announced)
    }

    /// The earliest production the rule allows: 5 days after the announcement for a minor
    /// change, 3 calendar months for a major or contract one.
    pub fn earliest_production(self, major: bool) -> Date {
        if major {
            add_months(self.announced, MAJOR_NOTICE_MONTHS)
        } else {
            civil_from_days(days_from_civil(self.announced) + MINOR_NOTICE_DAYS)
        }
    }
}

pub const MINOR_NOTICE_DAYS: i64 = 5;
/// Calendar months (announced 2 May, production 1 August is not 3 months).
pub const MAJOR_NOTICE_MONTHS: u32 = 3;
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
            "no contract check of the candidate: give --evidence DIR with its check.json, or no --evidence to run the checks now".into(),
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
            if e.consumer_changes.is_empty() {
                format!("{n} of {b} breaking change(s) touch the partner's fields")
            } else {
                let shown: Vec<&str> = e
                    .consumer_changes
                    .iter()
                    .take(10)
                    .map(String::as_str)
                    .collect();
                let more = e.consumer_changes.len().saturating_sub(shown.len());
                format!(
                    "{n} of {b} breaking change(s) touch the partner's fields: {}{}",
                    shown.join("; "),
                    if more > 0 {
                        format!("; and {more} more (diff.md)")
                    } else {
                        String::new()
                    }
                )
            },
        ),
    });
    let kind = if e.major {
        "a major or contract change needs 3 calendar months"
    } else {
        "a minor change needs 5 days"
    };
    out.push(match e.notice {
        None => c(
            "notice",
            "The change was announced in time",
            Weight::Blocking,
            Status::NotEvidenced,
            "no announcement date: give --announced and --production".into(),
        ),
        Some(n) => {
            let earliest = n.earliest_production(e.major);
            let detail = format!(
                "{} days' notice ({} → {}); {kind}, production on {} at the earliest",
                n.days(),
                format_date(n.announced),
                format_date(n.production),
                format_date(earliest)
            );
            let status = if n.production >= earliest {
                Status::Met
            } else {
                Status::NotMet
            };
            c(
                "notice",
                "The change was announced in time",
                Weight::Blocking,
                status,
                detail,
            )
        }
    });
    out.push(match e.previous_kept_months {
        None => c(
            "n-1-window",
            "The previous version stays online alongside, 6 months at most",
            Weight::Reserving,
            Status::NotEvidenced,
            "the previous version's sunset is not announced: give --previous-until".into(),
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
            "no load run against the candidate: give --evidence DIR with the load.json of `vigie load --json`".into(),
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
            "Available (≥ 98 %) and never down during the test window",
            Weight::Reserving,
            Status::NotEvidenced,
            "no probe window on the candidate: give --evidence DIR with the sla.json of `vigie report --format json`".into(),
        ),
        Some((a, 0)) if a >= 0.98 => c(
            "availability",
            "Available (≥ 98 %) and never down during the test window",
            Weight::Reserving,
            Status::Met,
            format!("{:.3} % available, no down interval", a * 100.0),
        ),
        Some((a, n)) => c(
            "availability",
            "Available (≥ 98 %) and never down during the test window",
            Weight::Reserving,
            Status::NotMet,
            format!("{:.3} % available, {n} down interval(s)", a * 100.0),
        ),
    });
    out
}
