//! The diagnostic dossier behind both versions of Diagnostic individu: the model, the
//! référentiel, the dossiers drawn for people nobody wrote to, the overlay of written ones,
//! the writes and the history of explorations.

pub(crate) mod generated;
pub(crate) mod history;
pub(crate) mod model;
pub(crate) mod overlay;
pub(crate) mod referentiel;
pub(crate) mod requests;
pub(crate) mod writes;
