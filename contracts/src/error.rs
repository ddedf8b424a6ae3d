//! Typed errors of the contracts library. Each message says what to do next.

use std::path::PathBuf;

/// Everything that can go wrong while reading, importing, checking or diffing contracts.
#[derive(Debug, thiserror::Error)]
pub enum ContractsError {
    #[error("unknown API `{given}`: use one of {known} (see `vigie contracts list`)")]
    UnknownApi { given: String, known: String },

    #[error("unknown version `{given}` of {api}: use one of {known} (see `vigie contracts list`)")]
    UnknownVersion {
        api: String,
        given: String,
        known: String,
    },

    #[error(
        "unknown operation `{given}` in {api} {version}: use one of {known} (see `vigie contracts list`)"
    )]
    UnknownOperation {
        api: String,
        version: String,
        given: String,
        known: String,
    },

    #[error(
        "{api} {version} `{operation}` documents no status {status}: use one of {known}, or pass --status"
    )]
    UnknownStatus {
        api: String,
        version: String,
        operation: String,
        status: u16,
        known: String,
    },

    #[error("cannot read {path}: {source}. Check that the file exists and is readable.")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot write {path}: {source}. Check that the folder exists and is writable.")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "{what} is not valid JSON (line {line}, column {column}): {message}. Fix the JSON and try again."
    )]
    NotJson {
        what: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{document} is not an OpenAPI 3.0/3.1 document: {reason}")]
    NotOpenApi { document: String, reason: String },

    #[error(
        "{document}: cannot resolve `$ref: {reference}`: {reason}. Fix the reference in the document."
    )]
    BadReference {
        document: String,
        reference: String,
        reason: String,
    },

    #[error("embedded contract {file} is damaged: {reason}. Rebuild vigie from a clean checkout.")]
    Embedded { file: String, reason: String },

    #[error("schema {file} does not compile: {reason}. Fix the schema file.")]
    SchemaCompile { file: String, reason: String },

    #[error(
        "unknown contract profile `{given}`: use publisher, convention (the default) or strict"
    )]
    UnknownProfile { given: String },

    #[error("catalogue {file}: {reason}")]
    Catalogue { file: String, reason: String },

    #[error(
        "contracts folder {dir}: {reason}. It holds <api>/<version>/api.json (written by `vigie contracts import`) and optionally catalogue.json."
    )]
    Folder { dir: String, reason: String },

    #[error("consumer file {path}: {reason}")]
    Consumer { path: String, reason: String },
}

impl ContractsError {
    /// Builds a [`ContractsError::NotJson`] from a serde_json error.
    pub fn not_json(what: impl Into<String>, err: &serde_json::Error) -> Self {
        let message = err.to_string();
        // serde_json appends " at line X column Y"; we show those separately.
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        ContractsError::NotJson {
            what: what.into(),
            line: err.line(),
            column: err.column(),
            message,
        }
    }
}
