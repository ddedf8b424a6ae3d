//! The catalogue of the APIs Vigie knows: the five partner APIs of the convention (Annex 2
//! §10), the access platform, and whatever a contracts folder adds. Ids, titles, versions with
//! their real majors, their aliases (`n`, `n-1`), how each is called (realm, scopes, base
//! path, style), and where each comes from.
//!
//! The embedded catalogue is data (`schemas/catalogue.json`), read like a folder's
//! `catalogue.json`; [`crate::ContractStore::active`] holds the one the running command uses.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ContractsError;
use crate::store::ContractStore;

/// File name of a catalogue, at the root of the embedded contracts and of a contracts folder.
pub const CATALOGUE_FILE: &str = "catalogue.json";

/// How a version is called: the two generations of the access platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Era {
    /// The 2023 style (`n-1`): realm `/partenaire`, the person's encrypted id in the path.
    #[serde(rename = "n-1")]
    Previous,
    /// The current style (`n`): realm `/agent`, `pa-*` headers, `ft-jeton-usager`.
    #[serde(rename = "n")]
    Current,
}

impl Era {
    /// The alias users type: `n` or `n-1`.
    pub fn alias(self) -> &'static str {
        match self {
            Era::Previous => "n-1",
            Era::Current => "n",
        }
    }
}

/// Where a version's contract was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Built into the binary.
    #[default]
    Embedded,
    /// From a contracts folder (`--contracts DIR`), with the folder.
    Folder(String),
}

impl Origin {
    /// `embedded`, or `folder DIR`.
    pub fn label(&self) -> String {
        match self {
            Origin::Embedded => "embedded".into(),
            Origin::Folder(dir) => format!("folder {dir}"),
        }
    }
}

/// One version of one API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VersionInfo {
    /// The real major, as in URLs and scopes: `v1`, `v2`, `v4`.
    pub major: String,
    /// How it is called (realm, person in the path or jeton, `pa-*` headers).
    #[serde(rename = "style")]
    pub era: Era,
    /// The aliases that name it (`n`, `n-1`); a folder's catalogue may re-point them.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// OAuth2 realm of the token this version needs.
    pub realm: String,
    /// Path prefix of the operations on the API gateway.
    pub base_path: String,
    /// Scopes a client must ask for.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Where this version's contract comes from (its source document).
    #[serde(default)]
    pub provenance: String,
    /// Embedded, or read from a folder.
    #[serde(skip_deserializing, default)]
    pub origin: Origin,
}

/// One API: of the convention, the access platform, or added by a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiInfo {
    /// Stable id used on the command line and in folders: `recherche-usager` …
    pub id: String,
    /// Title as in the convention, or the document's.
    pub title: String,
    /// Number in Annex 2 §10 (0 for the access platform and for APIs outside the convention).
    pub convention_number: u8,
    /// Versions, oldest first.
    pub versions: Vec<VersionInfo>,
}

/// The id of the access platform's entry.
pub const PLATFORM_ID: &str = "plateforme";

/// A catalogue file as written: every member but the id optional, so that a folder's file
/// may only add a version or re-point an alias.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CatalogueFile {
    #[serde(default)]
    pub note: String,
    pub apis: Vec<ApiEntry>,
}

/// One API of a catalogue file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiEntry {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub convention_number: Option<u8>,
    #[serde(default)]
    pub versions: Vec<VersionInfo>,
    /// Alias → major: `{"n": "v3", "n-1": "v2"}` the day v3 becomes n.
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
}

/// Every API known, in order: the convention's five, other APIs, then the platform.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Catalogue {
    pub apis: Vec<ApiInfo>,
}

impl Catalogue {
    /// Reads a catalogue file's text and applies it over this catalogue: new APIs and versions
    /// are added, versions of the same major replaced, aliases re-pointed.
    pub fn apply(&mut self, file: &str, text: &str, origin: &Origin) -> Result<(), ContractsError> {
        let parsed: CatalogueFile =
            serde_json::from_str(text).map_err(|e| ContractsError::not_json(file, &e))?;
        for entry in parsed.apis {
            let ids = std::iter::once(entry.id.as_str())
                .chain(entry.versions.iter().map(|v| v.major.as_str()))
                .chain(entry.aliases.values().map(String::as_str));
            for id in ids {
                check_id(id).map_err(|reason| ContractsError::Catalogue {
                    file: file.to_string(),
                    reason,
                })?;
            }
            let api = match self.apis.iter_mut().position(|a| a.id == entry.id) {
                Some(i) => &mut self.apis[i],
                None => {
                    self.apis.push(ApiInfo {
                        title: entry.title.clone().unwrap_or_else(|| entry.id.clone()),
                        id: entry.id.clone(),
                        convention_number: 0,
                        versions: Vec::new(),
                    });
                    self.apis.last_mut().expect("just pushed")
                }
            };
            if let Some(t) = entry.title {
                api.title = t;
            }
            if let Some(n) = entry.convention_number {
                api.convention_number = n;
            }
            for mut v in entry.versions {
                v.origin = origin.clone();
                api.put(v);
            }
            for (alias, major) in entry.aliases {
                api.point(&alias, &major)
                    .map_err(|reason| ContractsError::Catalogue {
                        file: file.to_string(),
                        reason,
                    })?;
            }
        }
        self.order();
        Ok(())
    }

    /// The convention's APIs by number, then the others by id, then the platform.
    fn order(&mut self) {
        self.apis.sort_by_key(|a| {
            (
                a.id == PLATFORM_ID,
                a.convention_number == 0,
                a.convention_number,
                a.id.clone(),
            )
        });
    }

    /// The business APIs (the platform excluded): the convention's, then any other.
    pub fn business_apis(&self) -> impl Iterator<Item = &ApiInfo> {
        self.apis.iter().filter(|a| a.id != PLATFORM_ID)
    }

    /// Finds an API by id.
    pub fn api(&self, id: &str) -> Result<&ApiInfo, ContractsError> {
        self.apis
            .iter()
            .find(|a| a.id == id)
            .ok_or_else(|| ContractsError::UnknownApi {
                given: id.to_string(),
                known: self
                    .apis
                    .iter()
                    .map(|a| a.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Gives the alias `n` to the latest version of every API that has none (an API a folder
    /// adds, imported in one version: that version is its current one).
    pub fn name_current_versions(&mut self) {
        for api in self.apis.iter_mut().filter(|a| a.id != PLATFORM_ID) {
            if !api.has_alias(Era::Current)
                && let Some(last) = api.versions.last_mut()
            {
                last.aliases.push(Era::Current.alias().to_string());
            }
        }
    }

    /// Adds the version of a contract that no catalogue entry describes, from its manifest.
    pub fn adopt(&mut self, api: &str, title: &str, v: VersionInfo) {
        let i = match self.apis.iter().position(|a| a.id == api) {
            Some(i) => i,
            None => {
                self.apis.push(ApiInfo {
                    id: api.to_string(),
                    title: title.to_string(),
                    convention_number: 0,
                    versions: Vec::new(),
                });
                self.apis.len() - 1
            }
        };
        self.apis[i].put(v);
        self.order();
    }
}

/// The longest API id or major.
pub const MAX_ID_CHARS: usize = 64;

/// An API id or a major names folders, routes, metric labels and store keys: lower-case
/// letters, digits, `-` and `_`, at most [`MAX_ID_CHARS`].
pub fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not an id: use lower-case letters, digits, - or _ ({MAX_ID_CHARS} at most)",
            id.chars().take(MAX_ID_CHARS).collect::<String>()
        ))
    }
}

/// The catalogue of the running command (embedded, plus the contracts folder if any).
pub fn active() -> Result<&'static Catalogue, ContractsError> {
    Ok(ContractStore::active()?.catalogue())
}

/// The business APIs of the running command's catalogue.
pub fn business_apis() -> impl Iterator<Item = &'static ApiInfo> {
    active().into_iter().flat_map(|c| c.business_apis())
}

/// The business APIs of the running command's catalogue that have every one of `versions`
/// (aliases or majors): what a diff of every API compares (an API a folder adds in one
/// version has no `n-1`).
pub fn business_apis_having(versions: &[&str]) -> Vec<&'static str> {
    business_apis()
        .filter(|a| versions.iter().all(|v| a.version(v).is_ok()))
        .map(|a| a.id.as_str())
        .collect()
}

/// Finds an API by id in the running command's catalogue.
pub fn api(id: &str) -> Result<&'static ApiInfo, ContractsError> {
    active()?.api(id)
}

impl ApiInfo {
    /// Resolves an alias (`n`, `n-1`), a major (`v2`) or a bare number (`2`) to a version.
    pub fn version(&self, given: &str) -> Result<&VersionInfo, ContractsError> {
        let g = given.trim();
        self.versions
            .iter()
            .find(|v| v.aliases.iter().any(|a| a == g))
            .or_else(|| {
                self.versions.iter().find(|v| {
                    v.major.eq_ignore_ascii_case(g) || v.major.strip_prefix('v') == Some(g)
                })
            })
            .ok_or_else(|| ContractsError::UnknownVersion {
                api: self.id.to_string(),
                given: given.to_string(),
                known: self
                    .versions
                    .iter()
                    .map(VersionInfo::label)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The version an era's alias names (`n` or `n-1`); the first version if none does.
    pub fn era(&self, era: Era) -> &VersionInfo {
        self.versions
            .iter()
            .find(|v| v.aliases.iter().any(|a| a == era.alias()))
            .unwrap_or(&self.versions[0])
    }

    /// Whether some version answers to an era's alias.
    pub fn has_alias(&self, era: Era) -> bool {
        self.versions
            .iter()
            .any(|v| v.aliases.iter().any(|a| a == era.alias()))
    }

    /// Adds a version, or replaces the one of the same major (keeping its aliases when the
    /// new one names none).
    fn put(&mut self, mut v: VersionInfo) {
        for other in self.versions.iter_mut().filter(|o| o.major != v.major) {
            other.aliases.retain(|a| !v.aliases.contains(a));
        }
        match self.versions.iter_mut().find(|o| o.major == v.major) {
            Some(old) => {
                if v.aliases.is_empty() {
                    v.aliases = std::mem::take(&mut old.aliases);
                }
                *old = v;
            }
            None => self.versions.push(v),
        }
    }

    /// Points an alias at a major, taking it from the version that had it.
    fn point(&mut self, alias: &str, major: &str) -> Result<(), String> {
        if !self.versions.iter().any(|v| v.major == major) {
            return Err(format!(
                "alias `{alias}` of {} points at {major}, which has no contract: import it first \
                 (vigie contracts import … --api {} --version {major})",
                self.id, self.id
            ));
        }
        for v in &mut self.versions {
            v.aliases.retain(|a| a != alias);
            if v.major == major {
                v.aliases.push(alias.to_string());
            }
        }
        Ok(())
    }
}

impl VersionInfo {
    /// `v2 (n)`, or `v3` when no alias names it.
    pub fn label(&self) -> String {
        if self.aliases.is_empty() {
            self.major.clone()
        } else {
            format!("{} ({})", self.major, self.aliases.join(", "))
        }
    }

    /// The alias users know it by (`n`, `n-1`), else its major.
    pub fn alias_or_major(&self) -> &str {
        self.aliases
            .first()
            .map_or(self.major.as_str(), |a| a.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embedded() -> Catalogue {
        ContractStore::embedded().unwrap().catalogue().clone()
    }

    #[test]
    fn the_embedded_catalogue_names_the_five_apis_then_the_platform() {
        let c = embedded();
        let ids: Vec<&str> = c.apis.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "recherche-usager",
                "statut-usager",
                "diagnostic-individu",
                "metiers-recherches",
                "creation-entreprise",
                "plateforme"
            ]
        );
        let statut = c.api("statut-usager").unwrap();
        assert_eq!(statut.version("n").unwrap().major, "v2");
        assert_eq!(statut.version("n-1").unwrap().major, "v1");
        assert_eq!(statut.version("2").unwrap().major, "v2");
        assert!(statut.version("v9").is_err());
    }

    #[test]
    fn a_folder_catalogue_adds_a_version_and_repoints_n() {
        let mut c = embedded();
        let folder = Origin::Folder("/tmp/x".into());
        c.apply(
            "catalogue.json",
            r#"{"apis":[{"id":"statut-usager","versions":[{"major":"v3","style":"n",
                "realm":"/agent","basePath":"/partenaire/contrat-usager/v3"}],
                "aliases":{"n":"v3","n-1":"v2"}}]}"#,
            &folder,
        )
        .unwrap();
        let statut = c.api("statut-usager").unwrap();
        assert_eq!(statut.version("n").unwrap().major, "v3");
        assert_eq!(statut.version("n-1").unwrap().major, "v2");
        assert_eq!(statut.era(Era::Current).major, "v3");
        assert_eq!(statut.version("v1").unwrap().aliases, Vec::<String>::new());
        assert_eq!(statut.version("v3").unwrap().origin, folder);
    }

    #[test]
    fn an_alias_to_a_missing_version_is_refused_with_what_to_do() {
        let mut c = embedded();
        let err = c
            .apply(
                "catalogue.json",
                r#"{"apis":[{"id":"statut-usager","aliases":{"n":"v7"}}]}"#,
                &Origin::Embedded,
            )
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("v7") && err.contains("import it first"),
            "{err}"
        );
    }

    #[test]
    fn a_new_api_is_listed_after_the_convention_and_before_the_platform() {
        let mut c = embedded();
        c.adopt(
            "rendez-vous-partenaire",
            "Rendez-vous partenaire",
            VersionInfo {
                major: "v1".into(),
                era: Era::Current,
                aliases: vec![],
                realm: "/agent".into(),
                base_path: "/partenaire/rendez-vous/v1".into(),
                scopes: vec![],
                provenance: String::new(),
                origin: Origin::Embedded,
            },
        );
        let ids: Vec<&str> = c.apis.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids[5..], ["rendez-vous-partenaire", "plateforme"]);
        assert_eq!(c.business_apis().count(), 6);
    }
}
