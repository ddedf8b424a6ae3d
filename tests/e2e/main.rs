//! The end-to-end suite: the whole chain through the real `vigie` binary (simulators, checks,
//! probes, store, alerts with a real SMTP server, load, reports, go/no-go) on loopback, every
//! run bounded in time and count. One test binary, compiled as an integration test of the
//! `harness` package so that Cargo builds `vigie` first and hands its path
//! (`CARGO_BIN_EXE_vigie`); shared support in `tests/support/`.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

#[path = "../support/mod.rs"]
mod support;

mod alerts;
mod cli_check;
mod cli_contracts;
mod cli_load;
mod cli_simulate;
mod contracts_as_data;
mod gonogo;
mod instances;
mod packaging;
mod partners;
mod probe;
mod readme;
mod sla_report;
