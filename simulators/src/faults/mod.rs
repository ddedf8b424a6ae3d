//! Injected faults: the plan (latency, errors, outages, timeouts, data defects per API and
//! version), the defects applied to answers, and the admin endpoint that changes the plan.

pub(crate) mod admin;
pub(crate) mod defects;
pub(crate) mod plan;
