//! The alerts: the incident engine fed by hand with fixed instants, what a notification
//! says, the store and its outbox. One test binary (link time on 2 cores).

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod engine;
mod message;
mod outbox;
