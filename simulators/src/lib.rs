//! Simulators of the five partner APIs (versions n and n-1) behind an emulated access
//! platform.
//!
//! Not built yet: this crate is filled by the simulators issue. It exports nothing, so no
//! caller can mistake it for a working simulator.
