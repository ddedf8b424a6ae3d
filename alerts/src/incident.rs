//! An incident: what broke, since when, on which API versions, with its evidence (no personal
//! data), its clocks and its timeline.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::deadline::Deadline;
use crate::observation::Observation;

/// The convention's two types of incident, and security breaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IncidentKind {
    /// Interruption or degradation of the service.
    Availability,
    /// Completeness, coherence or quality of the data exchanged.
    Applicative,
    /// A security breach (48 h to communicate).
    Security,
    /// The partner's own side fails (credentials refused, DNS, quota, network): never counted
    /// against Pôle emploi, no deadline of the convention; the partner's team is told what to
    /// fix, since the probes are blind meanwhile.
    PartnerSide,
}

impl IncidentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentKind::Availability => "availability",
            IncidentKind::Applicative => "applicative",
            IncidentKind::Security => "security",
            IncidentKind::PartnerSide => "partner-side",
        }
    }

    pub fn parse(text: &str) -> Option<IncidentKind> {
        [
            IncidentKind::Availability,
            IncidentKind::Applicative,
            IncidentKind::Security,
            IncidentKind::PartnerSide,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

/// What opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    /// Consecutive probes without a usable answer.
    Outage,
    /// The share of answers under 1 s fell under target.
    Degradation,
    /// Answers that break the contract of their version.
    ContractViolation,
    /// Answers whose data break a rule (an RSA beneficiary outside categories 1, 2, 3, 5).
    DataQuality,
    /// Opened by hand (`vigie incidents open`).
    Declared,
    /// Consecutive probes that failed on the partner's side.
    PartnerFailure,
}

impl Cause {
    pub fn describe(self) -> &'static str {
        match self {
            Cause::Outage => "no usable answer (outage)",
            Cause::Degradation => "degraded: too few answers under 1 s",
            Cause::ContractViolation => "answers break their contract",
            Cause::DataQuality => "answers carry incoherent data",
            Cause::Declared => "declared by the partner's team",
            Cause::PartnerFailure => "the partner's side fails: the probes are blind",
        }
    }
}

/// Where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Open,
    /// The partner's team has taken it.
    Acknowledged,
    /// The probes confirmed the return to service.
    Resolved,
    /// Closed by the partner's team after the verified return to service.
    Closed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Acknowledged => "acknowledged",
            State::Resolved => "resolved",
            State::Closed => "closed",
        }
    }
}

/// What the probes saw during the incident: counts and classes, never a value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub observations: u64,
    pub failures: u64,
    /// `status 503` → 12, `timeout` → 3.
    pub classes: BTreeMap<String, u64>,
    /// Contract pointers and data rules broken, with counts.
    pub pointers: BTreeMap<String, u64>,
    /// The share under 1 s over the window when a degradation opened it.
    pub share_fast: Option<f64>,
    pub first_failure_ms: Option<i64>,
    pub last_failure_ms: Option<i64>,
    pub last_success_ms: Option<i64>,
}

impl Evidence {
    /// The run of `n` failures that confirmed an incident, from `first_ms`, with its classes.
    pub fn run_of_failures(&mut self, n: u32, first_ms: i64, classes: &BTreeMap<String, u64>) {
        self.failures = u64::from(n);
        self.observations = u64::from(n);
        self.first_failure_ms = Some(first_ms);
        self.classes = classes.clone();
    }

    /// Counts an observation of an affected target.
    pub fn add(&mut self, o: &Observation, failed: bool) {
        self.observations += 1;
        if failed {
            self.failures += 1;
            self.first_failure_ms.get_or_insert(o.at_ms);
            self.last_failure_ms = Some(o.at_ms);
            if let Some(c) = &o.evidence {
                *self.classes.entry(c.clone()).or_default() += 1;
            }
            for p in &o.violations {
                *self.pointers.entry(p.clone()).or_default() += 1;
            }
        } else {
            self.last_success_ms = Some(o.at_ms);
        }
    }
}

/// One line of its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub at_ms: i64,
    pub what: String,
}

/// An incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: u64,
    /// The partner whose probes opened it (`[[partners]] id`), empty when there is one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub partner: String,
    pub kind: IncidentKind,
    pub cause: Cause,
    pub api: String,
    pub major: String,
    /// The targets (`api/major/operation`) that failed.
    pub targets: BTreeSet<String>,
    /// The first failing observation: the incident's start, from which the clocks run.
    pub since_ms: i64,
    /// When the engine confirmed it.
    pub opened_ms: i64,
    pub state: State,
    pub acknowledged_by: Option<String>,
    pub resolved_ms: Option<i64>,
    pub closed_ms: Option<i64>,
    pub deadlines: Vec<Deadline>,
    pub evidence: Evidence,
    pub timeline: Vec<Entry>,
}

impl Incident {
    /// `availability recherche-usager/v2: no usable answer (outage)`.
    pub fn title(&self) -> String {
        if self.kind == IncidentKind::PartnerSide {
            return format!(
                "partner-side incident (first on {} {}): {}",
                self.api,
                self.major,
                self.cause.describe()
            );
        }
        format!(
            "{} incident on {} {}: {}",
            self.kind.as_str(),
            self.api,
            self.major,
            self.cause.describe()
        )
    }

    /// Whether it is about the API version an observation probed.
    pub fn is_of(&self, o: &Observation) -> bool {
        // The partner's side is one for every API: credentials, DNS and network are shared.
        // Each partner's evidence stays its own.
        self.partner == o.partner
            && (self.kind == IncidentKind::PartnerSide
                || (self.api == o.api && self.major == o.major))
    }

    /// Whether it still waits for its return to service.
    pub fn unresolved(&self) -> bool {
        matches!(self.state, State::Open | State::Acknowledged)
    }

    pub fn note(&mut self, at_ms: i64, what: impl Into<String>) {
        self.timeline.push(Entry {
            at_ms,
            what: what.into(),
        });
    }

    /// The idempotency key of one of its notifications: unique per store (`instance`),
    /// incident and event.
    pub fn key(&self, instance: &str, event: &str) -> String {
        format!("{instance}-{}-{event}", self.id)
    }
}
