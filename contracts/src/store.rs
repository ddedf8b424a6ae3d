//! The contract files, loaded: every manifest and schema of every API version, from the copy
//! embedded in the binary or from a folder laid out as `schemas/<api>/<version>/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::ContractsError;
use crate::catalogue::{ApiInfo, CATALOGUE_FILE, Catalogue, Era, Origin, VersionInfo};
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
    /// The APIs and versions, with their aliases and how each is called.
    catalogue: Catalogue,
}

/// The largest contract file read from a folder.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

static EMBEDDED: OnceLock<Result<ContractStore, String>> = OnceLock::new();

/// The contracts of the running command, and the folder they were read from.
static ACTIVE: OnceLock<(Option<PathBuf>, ContractStore)> = OnceLock::new();

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

    /// The contracts the running command uses: the embedded ones, plus the folder given to
    /// [`ContractStore::install`] if any.
    pub fn active() -> Result<&'static ContractStore, ContractsError> {
        if let Some((_, s)) = ACTIVE.get() {
            return Ok(s);
        }
        let embedded = ContractStore::embedded()?;
        Ok(&ACTIVE.get_or_init(|| (None, embedded.clone())).1)
    }

    /// The contracts folder the running command read, if any.
    pub fn installed_folder() -> Option<&'static Path> {
        ACTIVE.get().and_then(|(dir, _)| dir.as_deref())
    }

    /// Makes the embedded contracts with a folder over them (or alone) the running command's,
    /// once, before anything reads them. Installing the same folder again is a no-op.
    pub fn install(dir: Option<&Path>) -> Result<&'static ContractStore, ContractsError> {
        let canonical = dir.map(|d| d.canonicalize().unwrap_or_else(|_| d.to_path_buf()));
        let dir = canonical.as_deref();
        if let Some((installed, s)) = ACTIVE.get() {
            return if installed.as_deref() == dir {
                Ok(s)
            } else {
                Err(ContractsError::Folder {
                    dir: dir.map_or("(none)".into(), |d| d.display().to_string()),
                    reason: "the contracts of this process were already read".into(),
                })
            };
        }
        let store = match dir {
            Some(d) => ContractStore::embedded()?.with_folder(d)?,
            None => ContractStore::embedded()?.clone(),
        };
        let (_, s) = ACTIVE.get_or_init(|| (dir.map(Path::to_path_buf), store));
        Ok(s)
    }

    /// These contracts with a folder's over them: its versions added (or replacing the
    /// embedded version of the same API and major), its field catalogue, and its
    /// `catalogue.json` (titles, how versions are called, aliases `n` / `n-1`) applied last.
    pub fn with_folder(&self, dir: &Path) -> Result<ContractStore, ContractsError> {
        let folder_error = |reason: String| ContractsError::Folder {
            dir: dir.display().to_string(),
            reason,
        };
        if !dir.is_dir() {
            return Err(folder_error(
                "not a folder (create it, or import a document into it first)".into(),
            ));
        }
        let folder = ContractStore::from_files(ContractStore::folder_files(dir)?.into_iter())
            .map_err(|e| match e {
                ContractsError::Embedded { file, reason } => {
                    folder_error(format!("{}: {reason}", file.trim_start_matches("schemas/")))
                }
                other => other,
            })?;
        let origin = Origin::Folder(dir.display().to_string());
        let mut out = self.clone();
        for (api, versions) in folder.versions {
            for (major, loaded) in versions {
                for id in [&api, &major] {
                    crate::catalogue::check_id(id)
                        .map_err(|reason| folder_error(format!("{api}/{major}: {reason}")))?;
                }
                let info = out.version_info(&api, &major, &loaded.manifest, &origin);
                out.catalogue.adopt(&api, &loaded.manifest.title, info);
                out.versions
                    .entry(api.clone())
                    .or_default()
                    .insert(major, loaded);
            }
        }
        out.extras.extend(folder.extras);
        let file = dir.join(CATALOGUE_FILE);
        if file.exists() {
            let text = read_bounded(&file)?;
            out.catalogue
                .apply(&file.display().to_string(), &text, &origin)?;
        }
        out.catalogue.name_current_versions();
        for api in &out.catalogue.apis {
            for v in &api.versions {
                if out.raw(&api.id, &v.major).is_none() {
                    return Err(folder_error(format!(
                        "catalogue.json names {} {}, which has no contract: import it first",
                        api.id, v.major
                    )));
                }
            }
        }
        Ok(out)
    }

    /// How a folder's version is called when no catalogue entry says: what its manifest
    /// records (the document's security scheme), else like the API's version `n` with its
    /// scopes renamed to the new major, else the current style with no scope.
    fn version_info(
        &self,
        api: &str,
        major: &str,
        manifest: &VersionManifest,
        origin: &Origin,
    ) -> VersionInfo {
        let known = self.catalogue.api(api).ok();
        let same = known.and_then(|a| a.versions.iter().find(|v| v.major == major));
        let like = known.map(|a| a.era(Era::Current));
        let (era, realm, scopes) = match (&manifest.access, same, like) {
            (Some(a), _, _) => (a.style, a.realm.clone(), a.scopes.clone()),
            (None, Some(v), _) => (v.era, v.realm.clone(), v.scopes.clone()),
            (None, None, Some(n)) => (
                n.era,
                n.realm.clone(),
                n.scopes
                    .iter()
                    .map(|s| match s.strip_suffix(n.major.as_str()) {
                        Some(stem) => format!("{stem}{major}"),
                        None => s.clone(),
                    })
                    .collect(),
            ),
            (None, None, None) => (Era::Current, "/agent".to_string(), Vec::new()),
        };
        VersionInfo {
            major: major.to_string(),
            era,
            aliases: same.map(|v| v.aliases.clone()).unwrap_or_default(),
            realm,
            base_path: manifest.base_path.clone(),
            scopes,
            provenance: manifest.source.clone(),
            origin: origin.clone(),
        }
    }

    /// The catalogue of these contracts.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// Contracts from a folder holding `<api>/<version>/*.json`, `fields/*.json` and its
    /// `catalogue.json` (as the embedded `schemas/` folder does).
    pub fn from_dir(root: &Path) -> Result<ContractStore, ContractsError> {
        let mut files = ContractStore::folder_files(root)?;
        let catalogue = root.join(CATALOGUE_FILE);
        if catalogue.exists() {
            files.push((
                format!("schemas/{CATALOGUE_FILE}"),
                read_bounded(&catalogue)?,
            ));
        }
        ContractStore::from_files(files.into_iter())
    }

    /// The contract files of a folder, as (path as embedded, text): every version's files and
    /// the field catalogue, not its `catalogue.json`.
    fn folder_files(root: &Path) -> Result<Vec<(String, String)>, ContractsError> {
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
            if api.file_name() == "fields" {
                for file in read(&api.path())?.flatten() {
                    let p = file.path();
                    if p.extension().is_some_and(|e| e == "json") {
                        let rel = format!("fields/{}", file.file_name().to_string_lossy());
                        files.push((rel, read_bounded(&p)?));
                    }
                }
                continue;
            }
            for version in read(&api.path())?.flatten() {
                if !version.path().is_dir() {
                    continue;
                }
                if api.file_name() == "fields" {
                    continue;
                }
                for file in read(&version.path())?.flatten() {
                    let p = file.path();
                    if p.extension().is_some_and(|e| e == "json") {
                        let text = read_bounded(&p)?;
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
        Ok(files)
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
                ["schemas", CATALOGUE_FILE] => {
                    store.catalogue.apply(&path, &text, &Origin::Embedded)?;
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
    ) -> Result<(&ApiInfo, &VersionInfo, &LoadedVersion), ContractsError> {
        let info = self.catalogue.api(api)?;
        let v = info.version(version)?;
        let loaded = self
            .raw(&info.id, &v.major)
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

/// A folder's file, refused when larger than [`MAX_FILE_BYTES`].
fn read_bounded(p: &Path) -> Result<String, ContractsError> {
    let len = std::fs::metadata(p)
        .map_err(|source| ContractsError::Read {
            path: p.to_path_buf(),
            source,
        })?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(ContractsError::Folder {
            dir: p.display().to_string(),
            reason: format!("{len} bytes, more than the {MAX_FILE_BYTES} a contract file may hold"),
        });
    }
    std::fs::read_to_string(p).map_err(|source| ContractsError::Read {
        path: p.to_path_buf(),
        source,
    })
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
