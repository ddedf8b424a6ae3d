//! The contracts' rules: the checker (one invalid case per kind of violation), the differ,
//! every contract on disk, the official documents, the presence rules. One test binary (link
//! time on 2 cores).

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

#[path = "../../benches/support/dossier.rs"]
mod dossier;

mod checker_rules;
mod contracts_folder;
mod differ_rules;
mod every_contract;
mod official_documents;
mod presence_rules;
