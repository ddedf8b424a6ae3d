//! The contract files, loaded: every manifest and schema of every API version, from the copy
//! embedded in the binary or from a folder laid out as `schemas/<api>/<version>/`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use crate::ContractsError;
use crate::catalogue::{self, ApiInfo, VersionInfo};
use crate::manifest::{MANIFEST_FILE, Operation, VersionManifest};
use crate::presence::{PRESENCE_FILE, PresenceFile};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_files.rs"));
}

/// One version of one API, loaded.
#[derive(Debug, Clone)]
pub struct LoadedVersion {
    pub manifest: VersionManifest,
    /// File name → schema.
    pub schemas: BTreeMap<String, Value>,
    /// The presence rules (`presence.json`), when the version has them.
    pub presence: Option<PresenceFile>,
}

/// All contracts.
#[derive(Debug, Clone, Default)]
pub struct ContractStore {
    /// api → major → version.
    versions: BTreeMap<String, BTreeMap<String, LoadedVersion>>,
    /// Other embedded JSON files (field catalogue …), by path relative to the crate.
    extras: BTreeMap<String, Value>,
}

static EMBEDDED: OnceLock<Result<ContractStore, String>> = OnceLock::new();

impl ContractStore {
    /// The contracts built into this binary.
    pub fn embedded() -> Result<&'static ContractStore, ContractsError> {
        EMBEDDED
            .get_or_init(|| {
                ContractStore::from_files(
                    embedded::FILES
                        .iter()
                        .map(|(p, t)| (p.to_string(), t.to_string())),
                )
                .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|reason| ContractsError::Embedded {
                file: "contracts".into(),
                reason: reason.clone(),
            })
    }

    /// Contracts from a folder holding `<api>/<version>/*.json`.
    pub fn from_dir(root: &Path) -> Result<ContractStore, ContractsError> {
        let mut files = Vec::new();
        let read = |p: &Path| {
            std::fs::read_dir(p).map_err(|source| ContractsError::Read {
                path: p.to_path_buf(),
                source,
            })
        };
        for api in read(root)?.flatten() {
            if !api.path().is_dir() {
                continue;
            }
            for version in read(&api.path())?.flatten() {
                if !version.path().is_dir() {
                    continue;
                }
                for file in read(&version.path())?.flatten() {
                    let p = file.path();
                    if p.extension().is_some_and(|e| e == "json") {
                        let text =
                            std::fs::read_to_string(&p).map_err(|source| ContractsError::Read {
                                path: p.clone(),
                                source,
                            })?;
                        let rel = format!(
                            "schemas/{}/{}/{}",
                            api.file_name().to_string_lossy(),
                            version.file_name().to_string_lossy(),
                            file.file_name().to_string_lossy()
                        );
                        files.push((rel, text));
                    }
                }
            }
        }
        ContractStore::from_files(files.into_iter())
    }

    /// Builds a store from (relative path, text) pairs.
    pub fn from_files(
        files: impl Iterator<Item = (String, String)>,
    ) -> Result<ContractStore, ContractsError> {
        let mut store = ContractStore::default();
        let mut schemas: BTreeMap<(String, String), BTreeMap<String, Value>> = BTreeMap::new();
        let mut manifests: BTreeMap<(String, String), VersionManifest> = BTreeMap::new();
        let mut presence: BTreeMap<(String, String), PresenceFile> = BTreeMap::new();
        for (path, text) in files {
            let value: Value =
                serde_json::from_str(&text).map_err(|e| ContractsError::not_json(&path, &e))?;
            let parts: Vec<&str> = path.split('/').collect();
            match parts.as_slice() {
                ["schemas", api, version, name] => {
                    let key = (api.to_string(), version.to_string());
                    if *name == MANIFEST_FILE {
                        let m: VersionManifest = serde_json::from_value(value).map_err(|e| {
                            ContractsError::Embedded {
                                file: path.clone(),
                                reason: e.to_string(),
                            }
                        })?;
                        manifests.insert(key, m);
                    } else if *name == PRESENCE_FILE {
                        let p: PresenceFile = serde_json::from_value(value).map_err(|e| {
                            ContractsError::Embedded {
                                file: path.clone(),
                                reason: e.to_string(),
                            }
                        })?;
                        presence.insert(key, p);
                    } else {
                        schemas
                            .entry(key)
                            .or_default()
                            .insert(name.to_string(), value);
                    }
                }
                _ => {
                    store.extras.insert(path, value);
                }
            }
        }
        for (key, manifest) in manifests {
            let files = schemas.remove(&key).unwrap_or_default();
            // Every file the manifest names must exist.
            for op in &manifest.operations {
                let named = op
                    .request
                    .iter()
                    .map(|b| b.schema.as_str())
                    .chain(op.responses.iter().filter_map(|r| r.schema.as_deref()));
                for f in named {
                    if !files.contains_key(f) {
                        return Err(ContractsError::Embedded {
                            file: format!("schemas/{}/{}/{MANIFEST_FILE}", key.0, key.1),
                            reason: format!("operation `{}` names {f}, which is missing", op.id),
                        });
                    }
                }
            }
            let rules = presence.remove(&key);
            store.versions.entry(key.0).or_default().insert(
                key.1,
                LoadedVersion {
                    presence: rules,
                    manifest,
                    schemas: files,
                },
            );
        }
        Ok(store)
    }

    /// Resolves an API and a version (`n`, `n-1`, `v2` …) through the catalogue.
    pub fn resolve(
        &self,
        api: &str,
        version: &str,
    ) -> Result<(&'static ApiInfo, &'static VersionInfo, &LoadedVersion), ContractsError> {
        let info = catalogue::api(api)?;
        let v = info.version(version)?;
        let loaded = self
            .raw(info.id, v.major)
            .ok_or_else(|| ContractsError::Embedded {
                file: format!("schemas/{}/{}/{MANIFEST_FILE}", info.id, v.major),
                reason: "no contract on disk for this version".into(),
            })?;
        Ok((info, v, loaded))
    }

    /// A loaded version by exact (api, major), for versions outside the catalogue.
    pub fn raw(&self, api: &str, major: &str) -> Option<&LoadedVersion> {
        self.versions.get(api)?.get(major)
    }

    /// Every loaded (api, major).
    pub fn keys(&self) -> impl Iterator<Item = (&str, &str)> {
        self.versions
            .iter()
            .flat_map(|(a, vs)| vs.keys().map(move |v| (a.as_str(), v.as_str())))
    }

    /// An embedded non-schema file (e.g. `fields/statut-usager.json`).
    pub fn extra(&self, path: &str) -> Option<&Value> {
        self.extras.get(path)
    }
}

impl LoadedVersion {
    /// Finds an operation, with a message listing the known ones.
    pub fn operation(&self, given: &str) -> Result<&Operation, ContractsError> {
        self.manifest
            .operation(given)
            .ok_or_else(|| ContractsError::UnknownOperation {
                api: self.manifest.api.clone(),
                version: self.manifest.version.clone(),
                given: given.to_string(),
                known: self.manifest.operation_ids(),
            })
    }
}
