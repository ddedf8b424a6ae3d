//! The pre-diagnosis the partner sends to Pôle emploi (Annex 2 §5: pre-diagnose, describe
//! every element, verify, test the return to service): drafted from the incident and the probe
//! records around it. Only API keys, counts, statuses, classes of error and contract pointers:
//! no personal data.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use alerts::paris::local_text;
use alerts::{Incident, IncidentKind};

use crate::probe::record::ProbeOutcome;
use crate::store::{Store, StoreError};

/// What the probes of one target saw over the incident.
#[derive(Debug, Default)]
struct Seen {
    outcomes: BTreeMap<&'static str, u64>,
    statuses: BTreeMap<String, u64>,
    evidence: BTreeMap<String, u64>,
}

impl Seen {
    fn total(&self) -> u64 {
        self.outcomes.values().sum()
    }
    fn count(&self, o: ProbeOutcome) -> u64 {
        self.outcomes.get(o.as_str()).copied().unwrap_or(0)
    }
    fn line(&self) -> String {
        let mut parts: Vec<String> = self
            .outcomes
            .iter()
            .map(|(o, n)| format!("{n} {o}"))
            .collect();
        if !self.statuses.is_empty() {
            parts.push(format!(
                "statuses {}",
                self.statuses
                    .iter()
                    .map(|(s, n)| format!("{s} ×{n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        parts.join("; ")
    }
}

/// Whether a target is one the incident is about: named, or of its API version when it names
/// none (a degradation is the version's).
fn affected(i: &Incident, target: &str) -> bool {
    if i.targets.is_empty() {
        target.starts_with(&format!("{}/{}/", i.api, i.major))
    } else {
        i.targets.contains(target)
    }
}

/// Drafts the pre-diagnosis in Markdown.
pub fn draft(i: &Incident, probes: &Store, now: i64) -> Result<String, StoreError> {
    let end = i.resolved_ms.or(i.closed_ms).unwrap_or(now);
    // From a little before the first failure, to see the service answer before it.
    let from = i.since_ms - 10 * 60_000;
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    probes.scan(from, end + 1, |r| {
        let s = seen.entry(r.target.clone()).or_default();
        *s.outcomes.entry(r.outcome.as_str()).or_default() += 1;
        if let Some(st) = r.status {
            *s.statuses.entry(st.to_string()).or_default() += 1;
        }
        if let Some(e) = &r.evidence {
            *s.evidence.entry(e.clone()).or_default() += 1;
        }
    })?;
    let mut md = String::new();
    let w = &mut md;
    let _ = writeln!(w, "# Pre-diagnosis — incident #{}\n", i.id);
    let _ = writeln!(w, "{}\n", i.title());
    let _ = writeln!(w, "| | |\n|---|---|");
    let _ = writeln!(
        w,
        "| type | {} ({}) |",
        i.kind.as_str(),
        match i.kind {
            IncidentKind::Availability => "interruption or degradation of the service",
            IncidentKind::Applicative => "completeness, coherence or quality of the data",
            IncidentKind::Security => "security breach",
            IncidentKind::PartnerSide =>
                "the partner's own side (not Pôle emploi's: nothing to report to it)",
        }
    );
    let _ = writeln!(w, "| API and version | {} {} |", i.api, i.major);
    if !i.targets.is_empty() {
        let ops: Vec<&str> = i.targets.iter().map(String::as_str).collect();
        let _ = writeln!(w, "| operations | {} |", ops.join(", "));
    }
    let _ = writeln!(w, "| first failure | {} (Paris) |", local_text(i.since_ms));
    let _ = writeln!(w, "| confirmed | {} |", local_text(i.opened_ms));
    let _ = writeln!(
        w,
        "| return to service | {} |",
        i.resolved_ms
            .map(|r| format!(
                "{} (after {} min)",
                local_text(r),
                (r - i.since_ms) / 60_000
            ))
            .unwrap_or_else(|| "not yet".into())
    );
    let _ = writeln!(w, "| state | {} |\n", i.state.as_str());

    let _ = writeln!(w, "## Timeline (Paris time)\n");
    for e in &i.timeline {
        let _ = writeln!(w, "- {} — {}", local_text(e.at_ms), e.what);
    }

    let _ = writeln!(w, "\n## Evidence\n");
    let ev = &i.evidence;
    let _ = writeln!(
        w,
        "- {} failures in {} probes of the affected operations.",
        ev.failures, ev.observations
    );
    for (class, n) in &ev.classes {
        let _ = writeln!(w, "- {class}: {n}");
    }
    for (pointer, n) in &ev.pointers {
        let _ = writeln!(w, "- `{pointer}`: {n}");
    }
    if let Some(s) = ev.share_fast {
        let _ = writeln!(
            w,
            "- {:.1} % of the answers under 1 s when it opened (target 90 %).",
            s * 100.0
        );
    }
    let _ = writeln!(
        w,
        "\nProbes from {} to {} (Paris), per operation:\n",
        local_text(from),
        local_text(end)
    );
    for (target, s) in &seen {
        let mark = if affected(i, target) {
            " (affected)"
        } else {
            ""
        };
        let _ = writeln!(w, "- `{target}`{mark}: {}", s.line());
    }
    if seen.is_empty() {
        let _ = writeln!(
            w,
            "- no probe record in that time (declared incident, or records pruned)."
        );
    }

    let _ = writeln!(w, "\n## What was checked on the partner's side\n");
    let partner: u64 = seen
        .values()
        .map(|s| s.count(ProbeOutcome::PartnerSide))
        .sum();
    let others: Vec<(&String, &Seen)> = seen.iter().filter(|(t, _)| !affected(i, t)).collect();
    let others_fine = others
        .iter()
        .filter(|(_, s)| s.count(ProbeOutcome::Down) == 0 && s.total() > 0)
        .count();
    if partner == 0 {
        let _ = writeln!(
            w,
            "- No failure on the partner's side over the period: name resolution, the partner's network, the token endpoint and its credentials all worked (a failure there is recorded as partner-side and excluded)."
        );
    } else {
        let mut classes: BTreeMap<&String, u64> = BTreeMap::new();
        for s in seen.values() {
            for (e, n) in &s.evidence {
                if s.count(ProbeOutcome::PartnerSide) > 0 {
                    *classes.entry(e).or_default() += n;
                }
            }
        }
        let _ = writeln!(
            w,
            "- {partner} probes failed on the partner's side (excluded from availability): {}.",
            classes
                .keys()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    if !others.is_empty() {
        let _ = writeln!(
            w,
            "- {others_fine} of {} other operations probed over the same period answered without outage: the access platform and the partner's access work.",
            others.len()
        );
    }
    let _ = writeln!(
        w,
        "- Every answer was checked against the contract of its version and the convention's data rules (an RSA beneficiary in category 1, 2, 3 or 5)."
    );
    match i.resolved_ms {
        Some(r) => {
            let _ = writeln!(
                w,
                "- Return to service tested: the probes answered again from {} (Paris), as the engine's recovery threshold requires.",
                local_text(r)
            );
        }
        None => {
            let _ = writeln!(w, "- Return to service: not observed yet.");
        }
    }

    let _ = writeln!(w, "\n## Deadlines (Annex 2 §3, §5)\n");
    let _ = writeln!(
        w,
        "| what | rule | due (Paris) | state |\n|---|---|---|---|"
    );
    for d in &i.deadlines {
        let state = d.state.describe(d.due_ms);
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} |",
            d.kind.describe(),
            d.rule,
            local_text(d.due_ms),
            state
        );
    }
    let _ = writeln!(
        w,
        "\nReport it through the « nous contacter » form of the pole-emploi.io platform (Annex 2 §5), with this pre-diagnosis. It carries no personal data: operations, statuses, error classes and contract pointers only."
    );
    Ok(md)
}
