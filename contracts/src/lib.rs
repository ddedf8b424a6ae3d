//! What the Pôle emploi / France Travail partner APIs of the RSA convention ARE: the
//! catalogue of the five APIs (versions n-1 and n) and the access platform, their JSON
//! Schemas on disk, the OpenAPI importer, the field catalogue with the convention's
//! descriptions, the NIR rules, the [`Checker`] (response → violations) and the
//! [`differ`] (version → version changes, breaking or not).
//!
//! No network, no async runtime.

pub mod access;
pub mod catalogue;
pub use domain::civil;
pub mod convert;
pub mod error;
pub mod import;
pub mod manifest;
pub mod naming;

pub use error::ContractsError;
pub mod change;
pub mod checker;
pub mod consumer;
pub mod differ;
pub mod export;
pub mod fields;
pub use domain::nir;
pub mod presence;
pub use domain::redact;
pub mod schema_walk;
pub mod store;
pub mod url;
pub mod violation;

pub use checker::Checker;
pub use presence::Profile;
pub use store::ContractStore;
pub use violation::Violation;
