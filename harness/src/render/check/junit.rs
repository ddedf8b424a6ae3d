//! JUnit XML of a check, for CI: one test suite per API version, one test case per call;
//! contract violations and unexpected values are `<failure>`, harness trouble `<error>`.

use std::collections::BTreeMap;
use std::io::Write;

use super::terminal::call_details;
use crate::check::record::{CallRecord, CheckReport, Verdict};

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub fn write(report: &CheckReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut suites: BTreeMap<String, Vec<&CallRecord>> = BTreeMap::new();
    for c in &report.calls {
        suites
            .entry(format!("{}.{}", c.api, c.version))
            .or_default()
            .push(c);
    }
    let t = &report.totals;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="vigie check" tests="{}" failures="{}" errors="{}" time="{:.3}">"#,
        t.calls,
        t.fail,
        t.error,
        report.duration_ms / 1000.0
    )?;
    for (name, calls) in &suites {
        let fails = calls.iter().filter(|c| c.verdict == Verdict::Fail).count();
        let errors = calls.iter().filter(|c| c.verdict == Verdict::Error).count();
        let time: f64 = calls.iter().map(|c| c.duration_ms).sum::<f64>() / 1000.0;
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{fails}" errors="{errors}" time="{time:.3}" timestamp="{}">"#,
            escape(name),
            calls.len(),
            escape(&report.started_at)
        )?;
        writeln!(
            out,
            r#"    <properties><property name="contract_profile" value="{}"/></properties>"#,
            report.contract_profile
        )?;
        for c in calls {
            writeln!(
                out,
                r#"    <testcase classname="{}" name="{}" time="{:.3}">"#,
                escape(name),
                escape(&format!(
                    "{} · {} {} [{}]",
                    c.operation, c.method, c.route, c.case
                )),
                c.duration_ms / 1000.0
            )?;
            let details = call_details(c).join("\n");
            match c.verdict {
                Verdict::Pass => {}
                Verdict::Fail => {
                    let first = c
                        .violations
                        .first()
                        .map(ToString::to_string)
                        .or_else(|| {
                            c.mismatches.first().map(|m| {
                                format!("{}: expected {}, found {}", m.what, m.expected, m.found)
                            })
                        })
                        .unwrap_or_default();
                    writeln!(
                        out,
                        r#"      <failure type="contract" message="{}">{}</failure>"#,
                        escape(&first),
                        escape(&details)
                    )?;
                }
                Verdict::Error => writeln!(
                    out,
                    r#"      <error type="harness" message="{}">{}</error>"#,
                    escape(c.error.as_deref().unwrap_or("harness error")),
                    escape(&details)
                )?,
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(
            super::escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
    }
}
