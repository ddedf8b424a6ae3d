//! The go/no-go report: the decision, its reasons, each criterion, the dates (notice, n-1
//! sunset), as JSON (`harness/schemas/gonogo-report.schema.json`); Markdown and HTML in
//! `render/gonogo/`.

use contracts::Profile;

use serde::Serialize;

use domain::civil::add_months;

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
    /// The last day the previous version stays online: `--previous-until` as given, else the
    /// latest the convention allows (production + 6 calendar months).
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
    /// Where the evidence came from: the contract check's target, the probe window's and the
    /// load run's sources (the embedded simulators with seed and fault profile, or a platform).
    pub provenance: Vec<String>,
    pub generated_at: String,
}

#[allow(clippy::too_many_arguments)]
pub fn build(
    api: &str,
    candidate: &str,
    previous: &str,
    announced: Option<domain::civil::Date>,
    production: Option<domain::civil::Date>,
    previous_until: Option<domain::civil::Date>,
    evidence: &Evidence,
    evidence_files: Vec<String>,
    generated_at: String,
) -> GoNoGo {
    let criteria = judge(evidence);
    let (decision, reasons) = decide(&criteria);
    let fmt = |d: domain::civil::Date| domain::civil::format_date(d);
    // The announced sunset as given; else the latest the convention allows.
    let sunset = previous_until
        .or_else(|| production.map(|p| add_months(p, N1_MAX_MONTHS)))
        .map(fmt);
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
        provenance: Vec::new(),
        generated_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::civil::Date;

    fn d(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    fn report(production: Option<Date>, until: Option<Date>) -> GoNoGo {
        let e = Evidence::default();
        build(
            "statut-usager",
            "v2",
            "v1",
            None,
            production,
            until,
            &e,
            vec![],
            String::new(),
        )
    }

    #[test]
    fn the_sunset_is_the_announced_one_else_six_calendar_months() {
        // --previous-until is honoured as given, even beyond what the convention allows
        // (the n-1-window criterion says so).
        let r = report(Some(d(2026, 8, 1)), Some(d(2027, 9, 1)));
        assert_eq!(r.previous_sunset.as_deref(), Some("2027-09-01"));
        let r = report(Some(d(2026, 8, 31)), None);
        assert_eq!(r.previous_sunset.as_deref(), Some("2027-02-28"));
        let r = report(Some(d(2027, 8, 31)), None);
        assert_eq!(
            r.previous_sunset.as_deref(),
            Some("2028-02-29"),
            "leap year"
        );
        assert_eq!(report(None, None).previous_sunset, None);
    }
}
