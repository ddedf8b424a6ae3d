//! The incident engine, pure: observations and the time in, events out. Its state is plain
//! data ([`EngineState`]) that the store saves with the events in one transaction, so a
//! crash or a restart loses no incident and no pending notification.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::calendar::BusinessCalendar;
use crate::deadline::{self, DeadlineKind, DeadlineState};
use crate::event::{Event, EventKind};
use crate::incident::{Cause, Evidence, Incident, IncidentKind, State};
use crate::observation::{Observation, Verdict};
use crate::paris::local_text;
use crate::thresholds::Thresholds;

/// The running counts of one target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Streak {
    /// The last observation taken (its due time): older or equal ones are replays.
    pub last_ms: Option<i64>,
    /// Consecutive failures, and when the run started.
    pub fails: u32,
    pub first_fail_ms: i64,
    /// The classes of error of the current run of failures (for the incident's evidence).
    #[serde(default)]
    pub fail_classes: BTreeMap<String, u64>,
    /// Consecutive answers (any content).
    pub oks: u32,
    /// Consecutive answers that break a rule, and when the run started.
    pub violations: u32,
    pub first_violation_ms: i64,
    /// The rules the current run of violations broke (contract pointers, data rules), with
    /// counts (for the incident's evidence).
    #[serde(default)]
    pub violation_pointers: BTreeMap<String, u64>,
    /// Consecutive conforming answers.
    pub conform: u32,
    /// Consecutive failures on the partner's side, when the run started, and their classes.
    #[serde(default)]
    pub partner_fails: u32,
    #[serde(default)]
    pub partner_first_ms: i64,
    #[serde(default)]
    pub partner_classes: BTreeMap<String, u64>,
    /// Consecutive probes that were not the partner's failure (its side works).
    #[serde(default)]
    pub partner_oks: u32,
}

/// Everything the engine remembers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EngineState {
    pub next_id: u64,
    pub targets: BTreeMap<String, Streak>,
    /// Per API version (`api/major`), the last answers: (due time, under 1 s).
    pub windows: BTreeMap<String, VecDeque<(i64, bool)>>,
    /// Incidents not closed yet.
    pub incidents: BTreeMap<u64, Incident>,
}

/// What the partner's team records on an incident.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Acknowledgement {
    pub by: String,
    pub note: Option<String>,
    /// The partner reported it to Pôle emploi (starts the 15-minute clock of an availability
    /// incident).
    pub reported_to_pe: bool,
    /// Pôle emploi confirmed it took the report into account.
    pub pe_took_charge: bool,
    /// Pôle emploi informed the partner of the incident.
    pub pe_informed: bool,
    /// The breach was communicated (security incidents).
    pub breach_communicated: bool,
}

/// Why the engine refused an action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("no incident #{0} is open or waiting to be closed: see `vigie incidents list --all`")]
    Unknown(u64),
    #[error(
        "incident #{id} has no verified return to service yet: {why}. Wait until the probes \
         resolve it, or for a declared incident give --verified \"what was tested\""
    )]
    NotVerified { id: u64, why: String },
    #[error("the reason of a declared incident cannot be empty: say what happened")]
    EmptySummary,
}

/// The engine over its state, with the thresholds and calendar of the configuration.
#[derive(Debug)]
pub struct Engine {
    pub state: EngineState,
    thresholds: Thresholds,
    calendar: BusinessCalendar,
    /// Incidents closed since the state was loaded (the store files them away).
    closed: Vec<Incident>,
}

impl Engine {
    pub fn new(state: EngineState, thresholds: Thresholds, calendar: BusinessCalendar) -> Engine {
        Engine {
            state,
            thresholds,
            calendar,
            closed: Vec::new(),
        }
    }

    /// Incidents closed by this engine, taken out for the store.
    pub fn take_closed(&mut self) -> Vec<Incident> {
        std::mem::take(&mut self.closed)
    }

    fn open(
        &mut self,
        kind: IncidentKind,
        cause: Cause,
        api: &str,
        major: &str,
        since_ms: i64,
        at_ms: i64,
    ) -> &mut Incident {
        self.state.next_id += 1;
        let id = self.state.next_id;
        let mut incident = Incident {
            id,
            partner: String::new(),
            kind,
            cause,
            api: api.into(),
            major: major.into(),
            targets: Default::default(),
            since_ms,
            opened_ms: at_ms,
            state: State::Open,
            acknowledged_by: None,
            resolved_ms: None,
            closed_ms: None,
            deadlines: deadline::for_kind(kind, since_ms, &self.calendar),
            evidence: Evidence::default(),
            timeline: Vec::new(),
        };
        incident.note(
            since_ms,
            format!("first failure observed ({})", cause.describe()),
        );
        incident.note(at_ms, "incident confirmed and opened");
        self.state.incidents.entry(id).or_insert(incident)
    }

    /// Opens an incident that a run of observations of one target confirmed, from `since`.
    fn confirm(
        &mut self,
        kind: IncidentKind,
        cause: Cause,
        o: &Observation,
        since: i64,
        why: String,
    ) -> (Event, &mut Incident) {
        let i = self.open(kind, cause, &o.api, &o.major, since, o.at_ms);
        i.partner = o.partner.clone();
        i.targets.insert(o.target.clone());
        i.note(o.at_ms, why);
        i.evidence.add(o, true);
        let event = Event {
            incident: i.id,
            kind: EventKind::Opened,
            at_ms: o.at_ms,
        };
        (event, i)
    }

    /// The unresolved incident of a kind on an API version.
    fn unresolved(&mut self, kind: IncidentKind, o: &Observation) -> Option<&mut Incident> {
        self.state
            .incidents
            .values_mut()
            .find(|i| i.kind == kind && i.unresolved() && i.cause != Cause::Declared && i.is_of(o))
    }

    /// Takes one observation.
    pub fn observe(&mut self, o: &Observation) -> Vec<Event> {
        let t = self.thresholds.clone();
        let streak = self.state.targets.entry(o.target.clone()).or_default();
        if streak.last_ms.is_some_and(|l| o.at_ms <= l) {
            return Vec::new();
        }
        streak.last_ms = Some(o.at_ms);
        if o.verdict == Verdict::PartnerSide {
            streak.partner_fails += 1;
            streak.partner_oks = 0;
            if streak.partner_fails == 1 {
                streak.partner_first_ms = o.at_ms;
                streak.partner_classes.clear();
            }
            if let Some(c) = &o.evidence {
                *streak.partner_classes.entry(c.clone()).or_default() += 1;
            }
            // Neither a failure nor a recovery of Pôle emploi's service: only the partner's.
            let streak = streak.clone();
            return self.partner_side(o, &streak);
        }
        streak.partner_fails = 0;
        streak.partner_oks += 1;
        match o.verdict {
            Verdict::PartnerSide => {}
            Verdict::Down => {
                streak.fails += 1;
                if streak.fails == 1 {
                    streak.first_fail_ms = o.at_ms;
                    streak.fail_classes.clear();
                }
                if let Some(c) = &o.evidence {
                    *streak.fail_classes.entry(c.clone()).or_default() += 1;
                }
                streak.oks = 0;
            }
            Verdict::Answered | Verdict::Violation => {
                streak.fails = 0;
                streak.oks += 1;
                if o.verdict == Verdict::Violation {
                    streak.violations += 1;
                    if streak.violations == 1 {
                        streak.first_violation_ms = o.at_ms;
                        streak.violation_pointers.clear();
                    }
                    for p in &o.violations {
                        *streak.violation_pointers.entry(p.clone()).or_default() += 1;
                    }
                    streak.conform = 0;
                } else {
                    streak.violations = 0;
                    streak.conform += 1;
                }
            }
        }
        let streak = streak.clone();
        let answered = o.verdict != Verdict::Down;
        let window = self.state.windows.entry(o.scope()).or_default();
        if answered {
            window.push_back((o.at_ms, o.fast()));
            while window.len() > t.degradation_window.max(1) as usize {
                window.pop_front();
            }
        }
        let full = window.len() >= t.degradation_window.max(1) as usize;
        let share = window.iter().filter(|(_, f)| *f).count() as f64 / window.len().max(1) as f64;
        let first_slow = window.iter().find(|(_, f)| !*f).map(|(at, _)| *at);
        let degraded = full && share < t.degradation_min_share;

        let mut events = Vec::new();
        // Evidence on the incidents this observation bears on.
        for i in self.state.incidents.values_mut() {
            if !i.unresolved() || !i.is_of(o) {
                continue;
            }
            let concerned = i.targets.contains(&o.target)
                || (i.kind == IncidentKind::Availability && i.cause == Cause::Degradation);
            if !concerned {
                continue;
            }
            match i.kind {
                IncidentKind::Availability => {
                    let failed = !answered || (i.cause == Cause::Degradation && !o.fast());
                    i.evidence.add(o, failed);
                }
                IncidentKind::Applicative if answered => {
                    i.evidence.add(o, o.verdict == Verdict::Violation);
                }
                _ => {}
            }
        }

        // Availability: an outage confirmed, a degradation, or one more target failing.
        if !answered {
            if let Some(i) = self.unresolved(IncidentKind::Availability, o) {
                join(i, o, "fails too");
            } else if streak.fails >= t.open_after_failures.max(1) {
                let n = streak.fails;
                let why = format!("{n} consecutive probes of {} failed", o.target);
                let (event, i) = self.confirm(
                    IncidentKind::Availability,
                    Cause::Outage,
                    o,
                    streak.first_fail_ms,
                    why,
                );
                // The whole run of failures, not only the one that confirmed it.
                i.evidence
                    .run_of_failures(n, streak.first_fail_ms, &streak.fail_classes);
                events.push(event);
            }
        } else if degraded && self.unresolved(IncidentKind::Availability, o).is_none() {
            let since = first_slow.unwrap_or(o.at_ms);
            let i = self.open(
                IncidentKind::Availability,
                Cause::Degradation,
                &o.api,
                &o.major,
                since,
                o.at_ms,
            );
            i.partner = o.partner.clone();
            i.evidence.share_fast = Some(share);
            i.note(
                o.at_ms,
                format!(
                    "{:.1} % of the last {} answers under 1 s (target {:.0} %)",
                    share * 100.0,
                    t.degradation_window,
                    t.degradation_min_share * 100.0
                ),
            );
            events.push(Event {
                incident: i.id,
                kind: EventKind::Opened,
                at_ms: o.at_ms,
            });
        }

        // Applicative: consecutive answers that break a rule.
        if o.verdict == Verdict::Violation {
            if let Some(i) = self.unresolved(IncidentKind::Applicative, o) {
                join(i, o, "breaks its rules too");
            } else if streak.violations >= t.open_after_violations.max(1) {
                let n = streak.violations;
                let cause = if o.data_quality {
                    Cause::DataQuality
                } else {
                    Cause::ContractViolation
                };
                let why = format!("{n} consecutive answers of {} broke their rules", o.target);
                let (event, i) = self.confirm(
                    IncidentKind::Applicative,
                    cause,
                    o,
                    streak.first_violation_ms,
                    why,
                );
                // The whole run of violations that confirmed it, as for an outage: an OPENED
                // message says "2 failures in 2 probes" when 2 are needed to open.
                i.evidence.failures = u64::from(n);
                i.evidence.observations = u64::from(n);
                i.evidence.first_failure_ms = Some(streak.first_violation_ms);
                i.evidence.last_failure_ms = Some(o.at_ms);
                i.evidence.pointers = streak.violation_pointers.clone();
                events.push(event);
            }
        }

        // Recovery, confirmed by every affected target.
        if answered {
            let need = t.resolve_after_successes.max(1);
            let targets = &self.state.targets;
            let mut resolved = Vec::new();
            for i in self.state.incidents.values_mut() {
                if !i.unresolved() || i.cause == Cause::Declared || !i.is_of(o) {
                    continue;
                }
                let recovered = match i.kind {
                    IncidentKind::Availability => {
                        i.targets
                            .iter()
                            .all(|k| targets.get(k).is_some_and(|s| s.oks >= need))
                            && !degraded
                            && (i.cause != Cause::Degradation || full)
                    }
                    IncidentKind::Applicative => i
                        .targets
                        .iter()
                        .all(|k| targets.get(k).is_some_and(|s| s.conform >= need)),
                    IncidentKind::Security => false,
                    IncidentKind::PartnerSide => i
                        .targets
                        .iter()
                        .all(|k| targets.get(k).is_none_or(|s| s.partner_oks >= need)),
                };
                if recovered {
                    resolve(
                        i,
                        o.at_ms,
                        &format!("return to service confirmed by {need} probes"),
                    );
                    resolved.push(i.id);
                }
            }
            events.extend(resolved.into_iter().map(|id| Event {
                incident: id,
                kind: EventKind::Resolved,
                at_ms: o.at_ms,
            }));
        }
        events
    }

    /// A failure on the partner's side: joins the open partner-side incident, or opens one
    /// once it persists (as many probes as an outage needs).
    fn partner_side(&mut self, o: &Observation, streak: &Streak) -> Vec<Event> {
        if let Some(i) = self.unresolved(IncidentKind::PartnerSide, o) {
            if i.targets.insert(o.target.clone()) {
                i.note(
                    o.at_ms,
                    format!("{} fails on the partner's side too", o.target),
                );
            }
            i.evidence.add(o, true);
            return Vec::new();
        }
        if streak.partner_fails < self.thresholds.open_after_failures.max(1) {
            return Vec::new();
        }
        let n = streak.partner_fails;
        let why = format!(
            "{n} consecutive probes of {} failed on the partner's side",
            o.target
        );
        let (event, i) = self.confirm(
            IncidentKind::PartnerSide,
            Cause::PartnerFailure,
            o,
            streak.partner_first_ms,
            why,
        );
        i.evidence
            .run_of_failures(n, streak.partner_first_ms, &streak.partner_classes);
        vec![event]
    }

    /// Reminders and escalations due at `now`.
    pub fn tick(&mut self, now: i64) -> Vec<Event> {
        let remind_at = self.thresholds.remind_at.clamp(0.0, 1.0);
        let mut events = Vec::new();
        for i in self.state.incidents.values_mut() {
            if !i.unresolved() {
                continue;
            }
            let mut notes = Vec::new();
            for d in &mut i.deadlines {
                if d.state != DeadlineState::Running {
                    continue;
                }
                if now >= d.due_ms {
                    d.state = DeadlineState::Missed(now);
                    notes.push(format!(
                        "deadline missed: {} within {} (due {}); escalated",
                        d.kind.describe(),
                        d.rule,
                        local_text(d.due_ms)
                    ));
                    events.push(Event {
                        incident: i.id,
                        kind: EventKind::Missed(d.kind),
                        at_ms: now,
                    });
                } else if d.reminded_ms.is_none()
                    && now >= d.started_ms + ((d.due_ms - d.started_ms) as f64 * remind_at) as i64
                {
                    d.reminded_ms = Some(now);
                    notes.push(format!(
                        "reminder: {} within {}, due {}",
                        d.kind.describe(),
                        d.rule,
                        local_text(d.due_ms)
                    ));
                    events.push(Event {
                        incident: i.id,
                        kind: EventKind::Reminder(d.kind),
                        at_ms: now,
                    });
                }
            }
            for n in notes {
                i.note(now, n);
            }
        }
        events
    }

    fn get(&mut self, id: u64) -> Result<&mut Incident, EngineError> {
        self.state
            .incidents
            .get_mut(&id)
            .ok_or(EngineError::Unknown(id))
    }

    /// The partner's team takes an incident, and records what was said with Pôle emploi.
    pub fn acknowledge(
        &mut self,
        id: u64,
        ack: &Acknowledgement,
        now: i64,
    ) -> Result<Vec<Event>, EngineError> {
        let i = self.get(id)?;
        if i.state == State::Open {
            i.state = State::Acknowledged;
        }
        i.acknowledged_by = Some(ack.by.clone());
        i.note(now, format!("acknowledged by {}", ack.by));
        if let Some(n) = &ack.note {
            i.note(now, format!("note: {n}"));
        }
        if ack.reported_to_pe {
            i.note(now, "reported to Pôle emploi (pole-emploi.io/contact)");
            if i.kind == IncidentKind::Availability
                && !i
                    .deadlines
                    .iter()
                    .any(|d| d.kind == DeadlineKind::TakeIntoAccount)
            {
                i.deadlines.push(deadline::take_into_account(now));
            }
        }
        for (asked, kind, what) in [
            (
                ack.pe_took_charge,
                DeadlineKind::TakeIntoAccount,
                "Pôle emploi took the report into account",
            ),
            (
                ack.pe_informed,
                DeadlineKind::Inform,
                "Pôle emploi informed the partner",
            ),
            (
                ack.breach_communicated,
                DeadlineKind::CommunicateBreach,
                "the breach was communicated",
            ),
        ] {
            if asked {
                i.note(now, what);
                for d in i.deadlines.iter_mut().filter(|d| d.kind == kind) {
                    d.meet(now);
                }
            }
        }
        Ok(vec![Event {
            incident: id,
            kind: EventKind::Acknowledged,
            at_ms: now,
        }])
    }

    /// Opens an incident by hand: a security breach, or what the partner saw itself.
    pub fn declare(
        &mut self,
        kind: IncidentKind,
        api: &str,
        major: &str,
        summary: &str,
        now: i64,
    ) -> Result<Vec<Event>, EngineError> {
        if summary.trim().is_empty() {
            return Err(EngineError::EmptySummary);
        }
        let i = self.open(kind, Cause::Declared, api, major, now, now);
        i.timeline.clear();
        i.note(now, format!("declared: {}", summary.trim()));
        Ok(vec![Event {
            incident: i.id,
            kind: EventKind::Opened,
            at_ms: now,
        }])
    }

    /// Closes an incident after its verified return to service: resolved by the probes and
    /// every affected target still answering, or, for a declared one, what was tested.
    pub fn close(
        &mut self,
        id: u64,
        verified: Option<&str>,
        now: i64,
    ) -> Result<Vec<Event>, EngineError> {
        let targets = self.state.targets.clone();
        let i = self.get(id)?;
        let verification = match (i.cause, verified.map(str::trim)) {
            (Cause::Declared, Some(v)) if !v.is_empty() => format!("verified: {v}"),
            (Cause::Declared, _) => {
                return Err(EngineError::NotVerified {
                    id,
                    why: "it was declared by hand, so no probe watches its return".into(),
                });
            }
            _ if i.state != State::Resolved => {
                return Err(EngineError::NotVerified {
                    id,
                    why: "the probes still see it failing".into(),
                });
            }
            _ => {
                if let Some(bad) = i.targets.iter().find(|k| {
                    targets.get(*k).is_none_or(|s| {
                        s.fails > 0 || (i.kind == IncidentKind::Applicative && s.violations > 0)
                    })
                }) {
                    return Err(EngineError::NotVerified {
                        id,
                        why: format!("{bad} failed again since its resolution"),
                    });
                }
                format!(
                    "return to service verified: every affected target answers ({})",
                    i.targets.iter().cloned().collect::<Vec<_>>().join(", ")
                )
            }
        };
        if i.unresolved() {
            resolve(i, now, "return to service verified by the partner's team");
        }
        i.note(now, verification);
        i.note(now, "closed");
        i.state = State::Closed;
        i.closed_ms = Some(now);
        if let Some(done) = self.state.incidents.remove(&id) {
            self.closed.push(done);
        }
        Ok(vec![Event {
            incident: id,
            kind: EventKind::Closed,
            at_ms: now,
        }])
    }
}

/// Another target of the same API version failing joins its open incident.
fn join(i: &mut Incident, o: &Observation, what: &str) {
    if i.targets.insert(o.target.clone()) {
        i.note(o.at_ms, format!("{} {what}", o.target));
        i.evidence.add(o, true);
    }
}

fn resolve(i: &mut Incident, at: i64, why: &str) {
    i.state = State::Resolved;
    i.resolved_ms = Some(at);
    for d in &mut i.deadlines {
        match (d.kind, d.state) {
            (DeadlineKind::Restore, DeadlineState::Running | DeadlineState::Missed(_)) => {
                d.state = DeadlineState::Met(at)
            }
            (_, DeadlineState::Running) => d.state = DeadlineState::Moot(at),
            _ => {}
        }
    }
    i.note(at, format!("resolved: {why}"));
}
