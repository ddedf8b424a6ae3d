//! A notification, rendered once when its event happens and kept in the outbox as is: what
//! broke, since when, which deadline runs, where the evidence is. Built from the incident's
//! data only (API keys, counts, classes of error, contract pointers): no personal data, no
//! secret.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::event::{Event, EventKind};
use crate::incident::{Incident, IncidentKind};
use crate::paris::{local_text, rfc3339};

/// Where to point readers for the evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// The command that shows the incident (`vigie incidents show {id} --config …`).
    pub show_command: String,
    /// A URL template with `{id}` (a dashboard, a report folder), if configured.
    pub evidence_url: Option<String>,
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// The idempotency key: one per store, incident and event.
    pub key: String,
    /// The incident's partner (its recipients), empty when there is one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub partner: String,
    pub event: String,
    pub incident: u64,
    pub subject: String,
    pub text: String,
    /// The same facts as data, for webhooks.
    pub facts: serde_json::Value,
}

fn headline(e: &Event, i: &Incident) -> String {
    match e.kind {
        EventKind::Opened => format!("OPENED #{}: {}", i.id, i.title()),
        EventKind::Reminder(d) => format!(
            "REMINDER #{}: {} due {} ({})",
            i.id,
            d.describe(),
            local_text(
                i.deadlines
                    .iter()
                    .find(|x| x.kind == d)
                    .map_or(e.at_ms, |x| x.due_ms)
            ),
            i.title()
        ),
        EventKind::Missed(d) => format!(
            "ESCALATION #{}: deadline missed, {} ({})",
            i.id,
            d.describe(),
            i.title()
        ),
        EventKind::Resolved => format!("RESOLVED #{}: {}", i.id, i.title()),
        EventKind::Acknowledged => format!("ACKNOWLEDGED #{}: {}", i.id, i.title()),
        EventKind::Closed => format!("CLOSED #{}: {}", i.id, i.title()),
    }
}

/// What the partner's team can do about a failure on its side, from its classes of error.
pub fn what_to_fix<'a>(classes: impl IntoIterator<Item = &'a String>) -> Vec<&'static str> {
    let mut fixes = Vec::new();
    for c in classes {
        let fix = if c.contains("credentials") {
            "the token endpoint refuses our credentials: renew the client secret (or check the client id) with Pôle emploi's platform, then update VIGIE_CLIENT_SECRET"
        } else if c.contains("name resolution") {
            "the server cannot resolve the platform's name: check its DNS resolver"
        } else if c.contains("quota") {
            "the application's quota is spent (429): spread the calls, or ask Pôle emploi for a larger quota"
        } else if c.contains("network") {
            "the server's own network fails (its network check fails too): check the proxy, the firewall and the route"
        } else if c.contains("gateway") {
            "the gateway refuses our requests: check the scopes and the pa-* headers the application sends"
        } else {
            "look at the probes' evidence (vigie incidents show) for what the partner's side refused"
        };
        if !fixes.contains(&fix) {
            fixes.push(fix);
        }
    }
    fixes
}

/// Renders the notification of an event.
pub fn render(instance: &str, e: &Event, i: &Incident, links: &Links) -> Message {
    let mut text = String::new();
    let mut line = |s: String| {
        text.push_str(&s);
        text.push('\n');
    };
    line(headline(e, i));
    line(String::new());
    line(format!(
        "What broke: {} {}, {} ({}).",
        i.api,
        i.major,
        i.cause.describe(),
        i.kind.as_str()
    ));
    if !i.targets.is_empty() {
        line(format!(
            "Operations: {}.",
            i.targets.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    line(format!(
        "Since: {} ({}), confirmed {}.",
        local_text(i.since_ms),
        crate::paris::zone_text(i.since_ms),
        local_text(i.opened_ms)
    ));
    if let Some(r) = i.resolved_ms {
        line(format!(
            "Resolved: {} ({}), after {} min.",
            local_text(r),
            crate::paris::zone_text(r),
            (r - i.since_ms) / 60_000
        ));
    }
    let ev = &i.evidence;
    let mut seen = format!("{} failures in {} probes", ev.failures, ev.observations);
    for (class, n) in &ev.classes {
        seen.push_str(&format!("; {class} ×{n}"));
    }
    for (pointer, n) in ev.pointers.iter().take(10) {
        seen.push_str(&format!("; {pointer} ×{n}"));
    }
    if let Some(s) = ev.share_fast {
        seen.push_str(&format!("; {:.1} % under 1 s", s * 100.0));
    }
    line(format!("Seen: {seen}."));
    if i.kind == IncidentKind::PartnerSide {
        line(
            "Not counted against Pôle emploi: its availability is untouched, and no deadline of the convention runs.".into(),
        );
        for fix in what_to_fix(ev.classes.keys()) {
            line(format!("What to fix: {fix}"));
        }
    } else {
        line("Deadlines (Annex 2 §3, §5):".into());
    }
    for d in &i.deadlines {
        let state = d.state.describe(d.due_ms);
        line(format!(
            "- {} within {}: due {} ({}), {}",
            d.kind.describe(),
            d.rule,
            local_text(d.due_ms),
            crate::paris::zone_text(d.due_ms),
            state
        ));
    }
    line(format!(
        "Evidence: {}",
        links.show_command.replace("{id}", &i.id.to_string())
    ));
    if let Some(url) = &links.evidence_url {
        line(format!(
            "Evidence: {}",
            url.replace("{id}", &i.id.to_string())
        ));
    }
    let key = i.key(instance, &e.kind.name());
    let mut facts = json!({
        "key": key,
        "event": e.kind.name(),
        "at": rfc3339(e.at_ms),
        "incident": {
            "id": i.id,
            "kind": i.kind.as_str(),
            "cause": i.cause.describe(),
            "api": i.api,
            "version": i.major,
            "operations": i.targets,
            "state": i.state.as_str(),
            "since": rfc3339(i.since_ms),
            "resolved": i.resolved_ms.map(rfc3339),
            "failures": ev.failures,
            "probes": ev.observations,
            "errors": ev.classes,
            "violations": ev.pointers,
            "deadlines": i.deadlines.iter().map(|d| json!({
                "deadline": d.kind.as_str(),
                "rule": d.rule,
                "due": rfc3339(d.due_ms),
                "state": d.state.describe(d.due_ms),
            })).collect::<Vec<_>>(),
        },
    });
    if !i.partner.is_empty() {
        facts["incident"]["partner"] = json!(i.partner);
    }
    Message {
        key,
        partner: i.partner.clone(),
        event: e.kind.name(),
        incident: i.id,
        subject: if i.partner.is_empty() {
            format!("[vigie] {}", headline(e, i))
        } else {
            format!("[vigie {}] {}", i.partner, headline(e, i))
        },
        text,
        facts,
    }
}
