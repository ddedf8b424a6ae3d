//! Incidents, deadlines, business calendar and notifiers.
//!
//! Not built yet: this crate is filled by the alerts issue. It exports nothing, so no caller
//! can mistake it for a working alerting engine.
