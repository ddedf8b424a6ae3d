//! The simulators' behaviour, driven through their HTTP API in-process (`oneshot`) or on
//! 127.0.0.1: the access platform, recherche and input refusals, writes across versions,
//! faults and the admin endpoint, the data set, connection limits, memory budgets, the
//! contract walk of every answer, schema coverage, a strict typed client, and the mutation
//! score of the contract checks. One test binary (link time on 2 cores); shared support in
//! `common/`, the typed client's model in `typed/`.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod common;
mod typed;

mod connections;
mod contract_walk;
mod dataset_and_loopback;
mod faults_and_admin;
mod memory_budget;
mod mutation_score;
mod platform;
mod recherche_and_input;
mod schema_coverage;
mod typed_client;
mod writes_across_versions;
