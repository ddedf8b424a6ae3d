//! The changes between two versions of some APIs, marked for a consumer when one is given:
//! what `vigie contracts diff` prints and what the go/no-go weighs.

use contracts::change::Change;
use contracts::consumer::Consumer;
use contracts::differ::{DiffInput, diff};
use contracts::{Checker, ContractsError};
use serde::Serialize;

/// The diff of one API.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiDiff {
    pub api: String,
    pub title: String,
    pub from: String,
    pub to: String,
    pub changes: Vec<Change>,
    pub breaking: usize,
    /// With a consumer file: breaking changes that touch the consumer's fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breaking_for_consumer: Option<usize>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffReport {
    pub apis: Vec<ApiDiff>,
    pub breaking: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breaking_for_consumer: Option<usize>,
}

/// The changes `from` → `to` of some APIs, marked for a consumer when one is given.
pub fn compute(
    checker: &Checker,
    ids: &[&str],
    from_version: &str,
    to_version: &str,
    consumer: Option<&std::path::Path>,
) -> anyhow::Result<DiffReport> {
    let consumer = match consumer {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| ContractsError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            Some(Consumer::parse(
                &text,
                &path.display().to_string(),
                checker.fields(),
            )?)
        }
        None => None,
    };
    let mut apis = Vec::new();
    for id in ids {
        let store = checker.store();
        let (info, from_v, from) = store.resolve(id, from_version)?;
        let (_, to_v, to) = store.resolve(id, to_version)?;
        let mut changes = diff(DiffInput {
            api: &info.id,
            from_major: &from_v.major,
            from,
            to_major: &to_v.major,
            to,
            fields: checker.fields(),
        });
        if let Some(c) = &consumer {
            c.mark(
                &info.id,
                [from_v.major.as_str(), to_v.major.as_str()],
                checker.fields(),
                &mut changes,
            );
        }
        let breaking = changes.iter().filter(|c| c.breaking).count();
        let breaking_for_consumer = consumer.as_ref().map(|_| {
            changes
                .iter()
                .filter(|c| c.breaking && c.affects_consumer == Some(true))
                .count()
        });
        apis.push(ApiDiff {
            api: info.id.clone(),
            title: info.title.clone(),
            from: from_v.label(),
            to: to_v.label(),
            changes,
            breaking,
            breaking_for_consumer,
        });
    }
    Ok(DiffReport {
        breaking: apis.iter().map(|a| a.breaking).sum(),
        breaking_for_consumer: consumer
            .as_ref()
            .map(|_| apis.iter().filter_map(|a| a.breaking_for_consumer).sum()),
        apis,
    })
}
