//! What production and the simulators share: the clock (time is injected), civil dates and
//! Europe/Paris time, the data set format, the NIR rules, redaction, and messages about
//! configuration files. Nothing here knows of a mock server.

pub mod civil;
pub mod clock;
pub mod dataset;
pub mod nir;
pub mod paris;
pub mod redact;
pub mod toml_text;
