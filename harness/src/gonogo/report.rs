//! The go/no-go report: the decision, its reasons, each criterion, the dates (notice, n-1
//! sunset), as JSON (`harness/schemas/gonogo-report.schema.json`), Markdown and HTML with
//! charts drawn inline.

use contracts::Profile;
use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;

use super::criteria::{Criterion, Evidence, N1_MAX_MONTHS, Status, judge};
use super::decision::{Decision, decide};
use crate::render::check_junit::escape;

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

fn status(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::NotMet => "NOT MET",
        Status::NotEvidenced => "not evidenced",
    }
}

pub fn markdown(r: &GoNoGo, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "# Go/no-go — {} {} (previous {}): **{}**\n",
        r.api,
        r.candidate,
        r.previous,
        r.decision.label()
    )?;
    writeln!(
        out,
        "- Announced: {}",
        r.announced.as_deref().unwrap_or("—")
    )?;
    writeln!(
        out,
        "- Production: {}",
        r.production.as_deref().unwrap_or("—")
    )?;
    writeln!(
        out,
        "- Previous version online until (at most): {}",
        r.previous_sunset.as_deref().unwrap_or("—")
    )?;
    writeln!(
        out,
        "- Change: {}\n",
        if r.major {
            "major or contract (3 months' notice)"
        } else {
            "minor (5 days' notice)"
        }
    )?;
    if !r.reasons.is_empty() {
        writeln!(out, "## Why\n")?;
        for reason in &r.reasons {
            writeln!(out, "- {reason}")?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "## Criteria\n\n| criterion | weight | status | detail |\n|---|---|---|---|"
    )?;
    for c in &r.criteria {
        let weight = if c.weight == super::criteria::Weight::Blocking {
            "blocking"
        } else {
            "reserving"
        };
        writeln!(
            out,
            "| {} | {weight} | {} | {} |",
            c.title,
            status(c.status),
            c.detail.replace('|', "\\|")
        )?;
    }
    writeln!(
        out,
        "\nContract checks held answers to the **{}** contract profile.",
        r.contract_profile
    )?;
    if !r.evidence_files.is_empty() {
        writeln!(out, "\n## Evidence\n")?;
        for f in &r.evidence_files {
            writeln!(out, "- `{f}`")?;
        }
    }
    Ok(())
}

/// A horizontal gauge: a value against its target.
fn gauge(label: &str, value: Option<f64>, target: f64) -> String {
    let (w, h) = (420.0, 46.0);
    // A block of its own, a little wider than the bar so that the target's label fits.
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{h}" style="display:block;margin:8px 0" role="img" aria-label="{}">"#,
        w + 30.0,
        escape(label)
    );
    let _ = write!(
        s,
        r##"<rect x="0" y="14" width="{w}" height="18" fill="#eeeeee"/>"##
    );
    match value {
        Some(v) => {
            let color = if v >= target { "#2e7d32" } else { "#c62828" };
            let _ = write!(
                s,
                r##"<rect x="0" y="14" width="{:.1}" height="18" fill="{color}"><title>{} {:.2} %</title></rect>"##,
                w * v.clamp(0.0, 1.0),
                escape(label),
                v * 100.0
            );
            let _ = write!(
                s,
                r#"<text x="4" y="10" font-size="10">{} — {:.2} %</text>"#,
                escape(label),
                v * 100.0
            );
        }
        None => {
            let _ = write!(
                s,
                r#"<text x="4" y="10" font-size="10">{} — not evidenced</text>"#,
                escape(label)
            );
        }
    }
    let x = w * target;
    let _ = write!(
        s,
        r##"<line x1="{x:.1}" x2="{x:.1}" y1="12" y2="34" stroke="#000" stroke-dasharray="3 2"/><text x="{:.1}" y="44" font-size="9">{:.0} %</text></svg>"##,
        x - 8.0,
        target * 100.0
    );
    s
}

pub fn html(r: &GoNoGo, out: &mut dyn Write) -> std::io::Result<()> {
    let color = match r.decision {
        Decision::Go => "#2e7d32",
        Decision::GoWithReservations => "#ef6c00",
        Decision::NoGo => "#c62828",
    };
    let mut h = String::new();
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Go/no-go {} {}</title><style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}.decision{{font-size:2em;font-weight:bold;color:{color}}}</style></head><body>"#,
        escape(&r.api),
        escape(&r.candidate)
    );
    let _ = write!(
        h,
        r#"<h1>Go/no-go — {} {} (previous {})</h1><p class="decision" id="decision">{}</p>"#,
        escape(&r.api),
        escape(&r.candidate),
        escape(&r.previous),
        r.decision.label()
    );
    let _ = write!(
        h,
        "<p>Announced {} · production {} · previous version online until {} at most · {} change. Generated {}.</p>",
        r.announced.as_deref().unwrap_or("—"),
        r.production.as_deref().unwrap_or("—"),
        r.previous_sunset.as_deref().unwrap_or("—"),
        if r.major {
            "major or contract"
        } else {
            "minor"
        },
        escape(&r.generated_at)
    );
    if !r.reasons.is_empty() {
        h.push_str("<h2>Why</h2><ul>");
        for reason in &r.reasons {
            let _ = write!(h, "<li>{}</li>", escape(reason));
        }
        h.push_str("</ul>");
    }
    h.push_str("<h2>Figures</h2>");
    h.push_str(&gauge(
        "calls under 1 s under load",
        r.load_share_under_1s,
        0.9,
    ));
    h.push_str(&gauge(
        "availability during the test window",
        r.availability,
        0.98,
    ));
    h.push_str("<h2>Criteria</h2><table id=\"criteria\"><tr><th>criterion</th><th>weight</th><th>status</th><th>detail</th></tr>");
    for c in &r.criteria {
        let weight = if c.weight == super::criteria::Weight::Blocking {
            "blocking"
        } else {
            "reserving"
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{weight}</td><td>{}</td><td>{}</td></tr>",
            escape(c.title),
            status(c.status),
            escape(&c.detail)
        );
    }
    h.push_str("</table>");
    let _ = write!(
        h,
        "<p id=\"profile\">Contract checks held answers to the <strong>{}</strong> contract profile.</p>",
        escape(&r.contract_profile)
    );
    if !r.evidence_files.is_empty() {
        h.push_str("<h2>Evidence</h2><ul>");
        for f in &r.evidence_files {
            let _ = write!(h, "<li><code>{}</code></li>", escape(f));
        }
        h.push_str("</ul>");
    }
    h.push_str("</body></html>\n");
    out.write_all(h.as_bytes())
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
