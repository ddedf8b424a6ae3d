//! Incidents and the convention's deadlines (Annex 2 §3, §5): a business calendar
//! (Europe/Paris, French public holidays), a pure incident engine (observations in, events
//! out), notifiers (email, webhook) behind one trait, and a durable outbox in SQLite.

pub mod calendar;
pub mod deadline;
pub mod dispatch;
pub mod email;
pub mod engine;
pub mod event;
pub mod holidays;
pub mod incident;
pub mod message;
pub mod notifier;
pub mod observation;
pub use domain::paris;
pub mod secret;
pub mod store;
pub mod thresholds;
pub mod webhook;

pub use calendar::BusinessCalendar;
pub use engine::{Acknowledgement, Engine, EngineError, EngineState};
pub use event::{Event, EventKind};
pub use incident::{Incident, IncidentKind, State};
pub use observation::{Observation, Verdict};
pub use store::{AlertStore, AlertStoreError, EngineSetup};
pub use thresholds::Thresholds;
