//! What the engine says happened: the events notifiers are told about.

use serde::{Deserialize, Serialize};

use crate::deadline::DeadlineKind;

/// What happened to an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "event", content = "deadline")]
pub enum EventKind {
    Opened,
    /// A deadline is near (its last quarter by default).
    Reminder(DeadlineKind),
    /// A deadline passed with nothing done: escalation.
    Missed(DeadlineKind),
    Resolved,
    Acknowledged,
    Closed,
}

impl EventKind {
    /// Its name in idempotency keys and messages (`opened`, `reminder-inform`).
    pub fn name(self) -> String {
        match self {
            EventKind::Opened => "opened".into(),
            EventKind::Reminder(d) => format!("reminder-{}", d.as_str()),
            EventKind::Missed(d) => format!("missed-{}", d.as_str()),
            EventKind::Resolved => "resolved".into(),
            EventKind::Acknowledged => "acknowledged".into(),
            EventKind::Closed => "closed".into(),
        }
    }

    /// Whether the partner's team is notified of it (the others are its own actions).
    pub fn notified(self) -> bool {
        !matches!(self, EventKind::Acknowledged | EventKind::Closed)
    }
}

/// One event of one incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub incident: u64,
    pub kind: EventKind,
    pub at_ms: i64,
}
