//! The convention's clocks on an incident (Annex 2 §3 and §5): what Pôle emploi must do, by
//! when, and whether it did.

use serde::{Deserialize, Serialize};

use crate::calendar::BusinessCalendar;

const HOUR_MS: i64 = 3_600_000;

/// Which clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeadlineKind {
    /// Pôle emploi informs the partner: 1 h (availability), 24 h (applicative).
    Inform,
    /// Return to service: 8 business hours (availability), 6 days (applicative).
    Restore,
    /// An availability incident the partner reported is taken into account: 15 minutes.
    TakeIntoAccount,
    /// A security breach is communicated: 48 h after its discovery.
    CommunicateBreach,
}

impl DeadlineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::Inform => "inform",
            DeadlineKind::Restore => "restore",
            DeadlineKind::TakeIntoAccount => "take-into-account",
            DeadlineKind::CommunicateBreach => "communicate-breach",
        }
    }

    /// What the clock asks, in words.
    pub fn describe(self) -> &'static str {
        match self {
            DeadlineKind::Inform => "Pôle emploi informs the partner",
            DeadlineKind::Restore => "return to service",
            DeadlineKind::TakeIntoAccount => "Pôle emploi takes the partner's report into account",
            DeadlineKind::CommunicateBreach => "the security breach is communicated",
        }
    }
}

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "at_ms")]
pub enum DeadlineState {
    Running,
    /// Done in time (or late: `met_ms > due_ms`).
    Met(i64),
    /// Past due and not done: escalated.
    Missed(i64),
    /// The incident was resolved first: nothing left to do.
    Moot(i64),
}

impl DeadlineState {
    /// In words, with Paris times, against its due time.
    pub fn describe(self, due_ms: i64) -> String {
        use crate::paris::local_text;
        match self {
            DeadlineState::Running => "running".into(),
            DeadlineState::Met(at) if at <= due_ms => format!("met {}", local_text(at)),
            DeadlineState::Met(at) => format!("met late {}", local_text(at)),
            DeadlineState::Missed(at) => format!("MISSED (escalated {})", local_text(at)),
            DeadlineState::Moot(_) => "no longer needed (resolved first)".into(),
        }
    }
}

/// One clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deadline {
    pub kind: DeadlineKind,
    /// The rule, as the convention words it (`1 h`, `8 business hours`).
    pub rule: String,
    pub started_ms: i64,
    pub due_ms: i64,
    pub state: DeadlineState,
    pub reminded_ms: Option<i64>,
}

impl Deadline {
    pub fn new(kind: DeadlineKind, rule: &str, started_ms: i64, due_ms: i64) -> Deadline {
        Deadline {
            kind,
            rule: rule.into(),
            started_ms,
            due_ms,
            state: DeadlineState::Running,
            reminded_ms: None,
        }
    }

    /// Whether it still asks something of Pôle emploi (running or missed but not done).
    pub fn pending(&self) -> bool {
        matches!(
            self.state,
            DeadlineState::Running | DeadlineState::Missed(_)
        )
    }

    /// Marks it done at `at` (late if already missed).
    pub fn meet(&mut self, at: i64) {
        if self.pending() {
            self.state = DeadlineState::Met(at);
        }
    }
}

/// The clocks an incident starts with: availability (1 h to inform, 8 business hours to
/// restore), applicative (24 h, 6 days), security (48 h to communicate).
pub fn for_kind(
    kind: crate::incident::IncidentKind,
    start_ms: i64,
    calendar: &BusinessCalendar,
) -> Vec<Deadline> {
    use crate::incident::IncidentKind as K;
    match kind {
        K::Availability => vec![
            Deadline::new(DeadlineKind::Inform, "1 h", start_ms, start_ms + HOUR_MS),
            Deadline::new(
                DeadlineKind::Restore,
                "1 day (8 business hours)",
                start_ms,
                calendar.add_business(start_ms, 8 * HOUR_MS),
            ),
        ],
        K::Applicative => vec![
            Deadline::new(
                DeadlineKind::Inform,
                "24 h",
                start_ms,
                start_ms + 24 * HOUR_MS,
            ),
            Deadline::new(
                DeadlineKind::Restore,
                "6 days (next change)",
                start_ms,
                start_ms + 6 * 24 * HOUR_MS,
            ),
        ],
        K::Security => vec![Deadline::new(
            DeadlineKind::CommunicateBreach,
            "48 h",
            start_ms,
            start_ms + 48 * HOUR_MS,
        )],
        // Nothing of the convention runs: the partner fixes its own side.
        K::PartnerSide => Vec::new(),
    }
}

/// The clock started when the partner reports an availability incident to Pôle emploi.
pub fn take_into_account(reported_ms: i64) -> Deadline {
    Deadline::new(
        DeadlineKind::TakeIntoAccount,
        "15 minutes",
        reported_ms,
        reported_ms + 15 * 60_000,
    )
}
