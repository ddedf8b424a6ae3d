//! The catalogue of the five partner APIs of the convention (Annex 2 §10) and of the access
//! platform: ids, titles, versions with their real majors, which one is n and which n-1,
//! realms, scopes and base paths.

use crate::ContractsError;

/// Which generation a version belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Era {
    /// The 2023 convention-era version (`n-1`).
    #[serde(rename = "n-1")]
    Previous,
    /// The current version (`n`).
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

/// One version of one API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct VersionInfo {
    /// The real major, as in URLs and scopes: `v1`, `v2`, `v4`.
    pub major: &'static str,
    pub era: Era,
    /// OAuth2 realm of the token this version needs.
    pub realm: &'static str,
    /// Path prefix of the operations on the API gateway.
    pub base_path: &'static str,
    /// Scopes a client must ask for.
    pub scopes: &'static [&'static str],
    /// Where this version's contract comes from.
    pub provenance: &'static str,
}

/// One API of the convention, or the access platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ApiInfo {
    /// Stable id used on the command line and in folders: `recherche-usager` …
    pub id: &'static str,
    /// Title as in the convention.
    pub title: &'static str,
    /// Number in Annex 2 §10 (0 for the access platform).
    pub convention_number: u8,
    /// Versions, oldest first.
    pub versions: &'static [VersionInfo],
}

const N1_SOURCE: &str = "convention Annex 2 §10 + facts marked v1 in API-SHAPES.md";
const N1_INFERRED: &str =
    "convention Annex 2 §10 field list (wire shape of v1 not published; see CORRECTIONS.md)";

/// The access platform (OAuth2 token endpoint), one version per realm.
pub const PLATFORM: ApiInfo = ApiInfo {
    id: "plateforme",
    title: "Plateforme d'accès (OAuth2 client credentials)",
    convention_number: 0,
    versions: &[
        VersionInfo {
            major: "partenaire",
            era: Era::Previous,
            realm: "/partenaire",
            base_path: "/connexion/oauth2",
            scopes: &[],
            provenance: "API-SHAPES.md §1.1 (realm /partenaire, 2023)",
        },
        VersionInfo {
            major: "agent",
            era: Era::Current,
            realm: "/agent",
            base_path: "/connexion/oauth2",
            scopes: &[],
            provenance: "API-SHAPES.md §1.1 (realm /agent, current)",
        },
    ],
};

/// The five APIs of Annex 2 §10, in the convention's order, then the access platform.
pub const APIS: &[ApiInfo] = &[
    ApiInfo {
        id: "recherche-usager",
        title: "API Recherche usager",
        convention_number: 1,
        versions: &[
            VersionInfo {
                major: "v1",
                era: Era::Previous,
                realm: "/partenaire",
                base_path: "/partenaire/rechercher-usager/v1",
                scopes: &["api_rechercher-usagerv1"],
                provenance: N1_SOURCE,
            },
            VersionInfo {
                major: "v2",
                era: Era::Current,
                realm: "/agent",
                base_path: "/partenaire/rechercher-usager/v2",
                scopes: &[
                    "api_rechercher-usagerv2",
                    "rechercheusager",
                    "profil_accedant",
                ],
                provenance: "official OpenAPI rechercher-usager.json",
            },
        ],
    },
    ApiInfo {
        id: "statut-usager",
        title: "API Statut usager",
        convention_number: 2,
        versions: &[
            VersionInfo {
                major: "v1",
                era: Era::Previous,
                realm: "/partenaire",
                base_path: "/partenaire/contrat-usager/v1",
                scopes: &["api_contrat-usagerv1"],
                provenance: N1_INFERRED,
            },
            VersionInfo {
                major: "v2",
                era: Era::Current,
                realm: "/agent",
                base_path: "/partenaire/contrat-usager/v2",
                scopes: &[
                    "api_contrat-usagerv2",
                    "statutcontratusager",
                    "profil_accedant",
                ],
                provenance: "official OpenAPI statut-usager.json",
            },
        ],
    },
    ApiInfo {
        id: "diagnostic-individu",
        title: "API Diagnostic individu",
        convention_number: 3,
        versions: &[
            VersionInfo {
                major: "v1",
                era: Era::Previous,
                realm: "/partenaire",
                base_path: "/partenaire/diagnosticargumente/v1",
                scopes: &["api_diagnosticargumentev1"],
                provenance: N1_SOURCE,
            },
            VersionInfo {
                major: "v4",
                era: Era::Current,
                realm: "/agent",
                base_path: "/partenaire/diagnosticargumente/v4",
                scopes: &["api_diagnosticargumentev4", "diagnosticusageragent"],
                provenance: "official OpenAPI diagnostic-usager.json",
            },
        ],
    },
    ApiInfo {
        id: "metiers-recherches",
        title: "API Métiers recherchés et projets d'évolution",
        convention_number: 4,
        versions: &[
            VersionInfo {
                major: "v1",
                era: Era::Previous,
                realm: "/partenaire",
                base_path: "/partenaire/metiers-profil-competences/v1",
                scopes: &["api_metiers-profil-competencesv1", "ciblepro"],
                provenance: N1_INFERRED,
            },
            VersionInfo {
                major: "v2",
                era: Era::Current,
                realm: "/agent",
                base_path: "/partenaire/metiers-projets-entreprises/v2",
                scopes: &[
                    "api_metiers-projets-entreprisesv2",
                    "ciblepro",
                    "profil_accedant",
                ],
                provenance: "official OpenAPI metiers-recherches-projets-evolution.json",
            },
        ],
    },
    ApiInfo {
        id: "creation-entreprise",
        title: "API Création, reprise ou franchise entreprise",
        convention_number: 5,
        versions: &[
            VersionInfo {
                major: "v1",
                era: Era::Previous,
                realm: "/partenaire",
                base_path: "/partenaire/projet-creation-entreprise/v1",
                scopes: &["api_projet-creation-entreprisev1"],
                provenance: N1_INFERRED,
            },
            VersionInfo {
                major: "v2",
                era: Era::Current,
                realm: "/agent",
                base_path: "/partenaire/metiers-projets-entreprises/v2",
                scopes: &[
                    "api_metiers-projets-entreprisesv2",
                    "ciblepro",
                    "profil_accedant",
                ],
                provenance: "official OpenAPI metiers-recherches-projets-evolution.json",
            },
        ],
    },
    PLATFORM,
];

/// The five business APIs (the platform excluded).
pub fn business_apis() -> impl Iterator<Item = &'static ApiInfo> {
    APIS.iter().filter(|a| a.convention_number > 0)
}

/// Finds an API by id.
pub fn api(id: &str) -> Result<&'static ApiInfo, ContractsError> {
    APIS.iter()
        .find(|a| a.id == id)
        .ok_or_else(|| ContractsError::UnknownApi {
            given: id.to_string(),
            known: APIS.iter().map(|a| a.id).collect::<Vec<_>>().join(", "),
        })
}

impl ApiInfo {
    /// Resolves `n`, `n-1`, a major (`v2`) or a bare number (`2`) to a version.
    pub fn version(&self, given: &str) -> Result<&'static VersionInfo, ContractsError> {
        let g = given.trim();
        let versions: &'static [VersionInfo] = self.versions;
        versions
            .iter()
            .find(|v| {
                v.era.alias() == g
                    || v.major.eq_ignore_ascii_case(g)
                    || v.major.strip_prefix('v') == Some(g)
            })
            .ok_or_else(|| ContractsError::UnknownVersion {
                api: self.id.to_string(),
                given: given.to_string(),
                known: self
                    .versions
                    .iter()
                    .map(|v| format!("{} ({})", v.major, v.era.alias()))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The version of the given era.
    pub fn era(&self, era: Era) -> &'static VersionInfo {
        let versions: &'static [VersionInfo] = self.versions;
        versions
            .iter()
            .find(|v| v.era == era)
            .unwrap_or(&versions[0])
    }
}
