//! What the profiling example (`examples/profile_dossier.rs`) times without HTTP: derive a
//! person's dossier, then write its v4 view as `GET /dossiers` does. Not an API: hidden from
//! the documentation, kept so that a profile does not need the crate's internals made public.

use crate::api::diagnostic_v4::{DOSSIER_ROOM, views};
use crate::diagnostic::model::Dossier;
use crate::http::answer::json_bytes;
use crate::state::SimState;

/// A derived dossier, opaque.
#[derive(Debug)]
pub struct Derived(Dossier);

impl Derived {
    /// How many explorations its history holds.
    pub fn history_len(&self) -> usize {
        self.0.history.len()
    }
}

/// The index of the person with this NIR (15 characters), if the population holds one.
pub fn index_of(state: &SimState, nir: &str) -> Option<u64> {
    state.codec.index_of(nir)
}

/// Whether the person has a diagnostic dossier.
pub fn has_dossier(state: &SimState, index: u64) -> bool {
    state.dossier(index).is_some()
}

/// The person's dossier as drawn (no writes).
pub fn derive(state: &SimState, index: u64) -> Derived {
    Derived(state.derived_dossier(index))
}

/// The bytes of `GET /dossiers` (v4) for this dossier, written as the handler writes them.
pub fn write_v4(d: &Derived) -> Vec<u8> {
    json_bytes(&views::dossier(&d.0), DOSSIER_ROOM).unwrap_or_default()
}
