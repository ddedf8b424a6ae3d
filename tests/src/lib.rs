//! End-to-end tests that run real binaries and servers on loopback.
//!
//! The command-line tests of the contracts live with the binary (`harness/tests/`), where
//! Cargo hands them the built `vigie`. This crate receives the cross-crate scenarios
//! (simulators + check + probes) as those issues land.
