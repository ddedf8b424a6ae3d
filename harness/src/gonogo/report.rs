//! The go/no-go report: the decision, its reasons, each criterion, the dates (notice, n-1
//! sunset), as JSON (`harness/schemas/gonogo-report.schema.json`); Markdown and HTML in
//! `render/gonogo/`.

use contracts::Profile;

use serde::Serialize;

use super::criteria::{Criterion, Evidence, N1_MAX_MONTHS, judge};
use super::decision::{Decision, decide};

pub const SCHEMA_ID: &str = "https://vigie.example/schemas/gonogo-report.schema.json";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoNoGo {
    pub schema: &'static str,
    pub vigie_version: &'static str,
    pub api: String,
    pub candidate: String,
    pub previous: String,
    pub announced: Option<String>,
    pub production: Option<String>,
    /// The last day the previous version may stay online: production + kept months, at most
    /// 6 months.
    pub previous_sunset: Option<String>,
    pub major: bool,
    pub decision: Decision,
    pub reasons: Vec<String>,
    pub criteria: Vec<Criterion>,
    /// Figures drawn in the HTML: the load's share under 1 s and the availability.
    pub load_share_under_1s: Option<f64>,
    pub availability: Option<f64>,
    /// Files of the evidence, relative to the report.
    pub evidence_files: Vec<String>,
    /// The contract profile the contract checks held answers to.
    pub contract_profile: String,
    pub generated_at: String,
}

/// `date` plus `months`, the day clamped to the month's length.
pub fn add_months(date: domain::civil::Date, months: u32) -> domain::civil::Date {
    let total = date.month - 1 + months;
    let year = date.year + (total / 12) as i32;
    let month = total % 12 + 1;
    let next = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let last = domain::civil::days_from_civil(domain::civil::Date {
        year: next.0,
        month: next.1,
        day: 1,
    }) - domain::civil::days_from_civil(domain::civil::Date {
        year,
        month,
        day: 1,
    });
    domain::civil::Date {
        year,
        month,
        day: date.day.min(last as u32),
    }
}

#[allow(clippy::too_many_arguments)]
pub fn build(
    api: &str,
    candidate: &str,
    previous: &str,
    announced: Option<domain::civil::Date>,
    production: Option<domain::civil::Date>,
    evidence: &Evidence,
    evidence_files: Vec<String>,
    generated_at: String,
) -> GoNoGo {
    let criteria = judge(evidence);
    let (decision, reasons) = decide(&criteria);
    let fmt = |d: domain::civil::Date| domain::civil::format_date(d);
    let sunset = production.map(|p| {
        let months = evidence
            .previous_kept_months
            .unwrap_or(N1_MAX_MONTHS)
            .min(N1_MAX_MONTHS);
        fmt(add_months(p, months))
    });
    GoNoGo {
        schema: SCHEMA_ID,
        vigie_version: env!("CARGO_PKG_VERSION"),
        api: api.into(),
        candidate: candidate.into(),
        previous: previous.into(),
        announced: announced.map(fmt),
        production: production.map(fmt),
        previous_sunset: sunset,
        major: evidence.major,
        decision,
        reasons,
        criteria,
        load_share_under_1s: evidence.load.as_ref().map(|l| l.1),
        availability: evidence.availability.map(|a| a.0),
        evidence_files,
        contract_profile: Profile::default().name().into(),
        generated_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::civil::Date;

    #[test]
    fn sunset_dates() {
        let d = |y, m, d| Date {
            year: y,
            month: m,
            day: d,
        };
        assert_eq!(add_months(d(2026, 8, 31), 6), d(2027, 2, 28));
        assert_eq!(add_months(d(2026, 1, 15), 6), d(2026, 7, 15));
        assert_eq!(add_months(d(2026, 12, 1), 1), d(2027, 1, 1));
    }
}
