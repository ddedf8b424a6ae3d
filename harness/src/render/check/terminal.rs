//! The terminal summary of a check: totals, each failed call with its pointers and the
//! convention's description of the field, drift worth a look, and the verdict.

use std::io::Write;

use crate::check::record::{CallRecord, CheckReport, Verdict};

fn secs(ms: f64) -> String {
    format!("{:.1} s", ms / 1000.0)
}

pub fn call_title(c: &CallRecord) -> String {
    let status = c
        .status
        .map_or_else(|| "no answer".into(), |s| s.to_string());
    format!(
        "{} {} ({}) {} [{}] {} {} → {}",
        c.api, c.version, c.era, c.operation, c.case, c.method, c.route, status
    )
}

/// The lines explaining a failed call.
pub fn call_details(c: &CallRecord) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = &c.error {
        out.push(format!("harness: {e}"));
    }
    if c.checked_against != c.version {
        out.push(format!(
            "checked against the {} contract",
            c.checked_against
        ));
    }
    if let Some(v) = &c.matches_version {
        out.push(format!(
            "the answer matches the {v} contract, not {}: a {v}-shaped answer",
            c.checked_against
        ));
    }
    for v in &c.violations {
        out.push(v.to_string());
    }
    for m in &c.mismatches {
        out.push(format!(
            "{}: expected {}, found {}",
            m.what, m.expected, m.found
        ));
    }
    out
}

pub fn write(report: &CheckReport, out: &mut dyn Write) -> std::io::Result<()> {
    let t = &report.totals;
    writeln!(out, "vigie check — {}", report.target)?;
    writeln!(out, "versions: {}", report.versions.join(", "))?;
    writeln!(
        out,
        "contract profile: {} ({})",
        report.contract_profile,
        report.contract_profile.meaning()
    )?;
    writeln!(
        out,
        "{} cases · {} calls: {} pass, {} fail, {} error · writes {} · {} requests, {} × 429 waited out, {} retries",
        report.cases,
        t.calls,
        t.pass,
        t.fail,
        t.error,
        if report.writes { "on" } else { "off" },
        t.requests,
        t.throttled,
        t.retries
    )?;
    writeln!(
        out,
        "time: {} in all, {} in the harness itself",
        secs(report.duration_ms),
        secs(report.harness_ms)
    )?;
    for e in &report.harness_errors {
        writeln!(out, "harness error: {e}")?;
    }
    let failed: Vec<&CallRecord> = report.failed().collect();
    if !failed.is_empty() {
        writeln!(out, "\nFailed calls ({}):", failed.len())?;
        for c in failed.iter().take(50) {
            let mark = if c.verdict == Verdict::Error {
                "!"
            } else {
                "✗"
            };
            writeln!(out, "  {mark} {}", call_title(c))?;
            for line in call_details(c) {
                writeln!(out, "      {line}")?;
            }
        }
        if failed.len() > 50 {
            writeln!(
                out,
                "  … and {} more (see the JSON report)",
                failed.len() - 50
            )?;
        }
    }
    let alarming: Vec<_> = report.drift.alarming().collect();
    if !alarming.is_empty() {
        writeln!(out, "\nDrift:")?;
        for o in alarming {
            let list = |v: &[crate::check::drift::FieldCount]| {
                v.iter()
                    .map(|f| format!("{} ({}×)", f.path, f.count))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            write!(
                out,
                "  {} {} {} {}: {} answers",
                o.api, o.version, o.operation, o.status, o.answers
            )?;
            if !o.unknown_fields.is_empty() {
                write!(
                    out,
                    "; fields the contract does not know: {}",
                    list(&o.unknown_fields)
                )?;
            }
            if !o.required_null.is_empty() {
                write!(out, "; required but null: {}", list(&o.required_null))?;
            }
            writeln!(out)?;
        }
    }
    let verdict = match report.outcome() {
        crate::Outcome::Clean => "PASS",
        crate::Outcome::Findings => "FAIL",
        crate::Outcome::HarnessError
        | crate::Outcome::Reservations
        | crate::Outcome::Incomplete => "COULD NOT RUN",
    };
    writeln!(out, "\nverdict: {verdict}")
}
