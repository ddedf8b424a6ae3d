//! The diagnostic référentiel (besoins, contraintes with their situations and objectifs,
//! pouvoir d'agir analyses), read from the official v4 document's example that the contracts
//! embed, plus the statut and métiers code lists of the published examples.

use std::sync::OnceLock;

use serde_json::Value;

/// The values a besoin may take (exploration of a diagnostic's besoins).
pub(crate) static BESOIN_VALUES: &[&str] = &["NON_EXPLORE", "BESOIN", "POINT_FORT"];
/// The values a situation of a contrainte may take.
pub(crate) static SITUATION_VALUES: &[&str] = &["NON_ABORDEE", "OUI", "NON"];
/// The values an objectif of a contrainte may take.
pub(crate) static OBJECTIF_VALUES: &[&str] = &["NON_ABORDE", "EN_COURS", "REALISE", "ABANDONNE"];

/// The besoin that lives in the autonomie numérique, not in diagnostics.
pub(crate) const BESOIN_NUMERIQUE: &str = "7";
/// The contrainte of the autonomie numérique (came with v4: the 2023 référentiel had 23 to 29).
pub(crate) const CONTRAINTE_NUMERIQUE: &str = "22";

/// One coded item with its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Coded {
    pub code: String,
    pub libelle: String,
}

/// A besoin thématique and its besoins.
#[derive(Debug, Clone)]
pub(crate) struct Thematique {
    pub code: String,
    pub libelle: String,
    pub besoins: Vec<Coded>,
}

/// A contrainte with its situations and objectifs.
#[derive(Debug, Clone)]
pub(crate) struct Contrainte {
    pub code: String,
    pub libelle: String,
    pub situations: Vec<Coded>,
    pub objectifs: Vec<Coded>,
}

/// The référentiel.
#[derive(Debug, Clone)]
pub(crate) struct Referentiel {
    pub thematiques: Vec<Thematique>,
    pub contrainte_code: String,
    pub contrainte_libelle: String,
    pub contraintes: Vec<Contrainte>,
    /// ((confiance, accompagnement), libellé d'analyse)
    pub analyses: Vec<((String, String), String)>,
    /// The whole official example, served by `GET /referentiel`.
    pub document: Value,
}

fn coded(list: &Value) -> Vec<Coded> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            let (code, libelle) = code_libelle(x);
            Coded {
                code: code.to_string(),
                libelle: libelle.to_string(),
            }
        })
        .collect()
}

fn code_libelle(item: &Value) -> (&str, &str) {
    (
        item["code"].as_str().unwrap_or_default(),
        item["libelle"].as_str().unwrap_or_default(),
    )
}

impl Referentiel {
    /// The référentiel of the embedded v4 contract.
    pub(crate) fn get() -> &'static Referentiel {
        static R: OnceLock<Referentiel> = OnceLock::new();
        R.get_or_init(|| {
            let doc = contracts::ContractStore::active()
                .ok()
                .and_then(|s| s.raw("diagnostic-individu", "v4"))
                .and_then(|v| v.schemas.get("recuperer-referentiel.response.200.json"))
                .map(|s| s["examples"][0].clone())
                .unwrap_or(Value::Null);
            Referentiel::from_document(doc)
        })
    }

    fn from_document(doc: Value) -> Referentiel {
        let thematiques: Vec<Thematique> = doc["thematiquesBesoins"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| {
                let (code, libelle) = code_libelle(t);
                Thematique {
                    code: code.into(),
                    libelle: libelle.into(),
                    besoins: coded(&t["besoins"]),
                }
            })
            .collect();
        let tc = &doc["thematiqueContrainte"];
        let contraintes = tc["contraintes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let (code, libelle) = code_libelle(c);
                Contrainte {
                    code: code.into(),
                    libelle: libelle.into(),
                    situations: coded(&c["situations"]),
                    objectifs: coded(&c["objectifs"]),
                }
            })
            .collect();
        let analyses = doc["pourvoirAgir"]["analyses"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| {
                (
                    (
                        a["confiance"].as_str().unwrap_or_default().to_string(),
                        a["accompagnement"].as_str().unwrap_or_default().to_string(),
                    ),
                    a["libelle"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        Referentiel {
            thematiques,
            contrainte_code: tc["code"].as_str().unwrap_or("7").into(),
            contrainte_libelle: tc["libelle"]
                .as_str()
                .unwrap_or("Résoudre ses contraintes personnelles")
                .into(),
            contraintes,
            analyses,
            document: doc,
        }
    }

    /// The label of a besoin code.
    pub(crate) fn besoin(&self, code: &str) -> Option<(&Thematique, &Coded)> {
        self.thematiques
            .iter()
            .find_map(|t| t.besoins.iter().find(|b| b.code == code).map(|b| (t, b)))
    }

    pub(crate) fn contrainte(&self, code: &str) -> Option<&Contrainte> {
        self.contraintes.iter().find(|c| c.code == code)
    }

    /// The contrainte of `code`, looked for at `rank` first (a dossier lists them in the
    /// référentiel's order).
    pub(crate) fn contrainte_at(&self, rank: usize, code: &str) -> Option<&Contrainte> {
        match self.contraintes.get(rank) {
            Some(c) if c.code == code => Some(c),
            _ => self.contrainte(code),
        }
    }

    /// The analysis of a (confiance, accompagnement) pair.
    pub(crate) fn analyse(&self, confiance: &str, accompagnement: &str) -> Option<&str> {
        self.analyses
            .iter()
            .find(|((c, a), _)| c == confiance && a == accompagnement)
            .map(|(_, l)| l.as_str())
    }
}

/// (code, libellé) pairs of the statut API, as in the published examples.
pub(crate) const MOTIFS_INSCRIPTION: &[(&str, &str)] = &[
    ("11", "LICENCIEMENT ECONOMIQUE"),
    ("32", "RUPTURE CONVENTIONNELLE DU CDI"),
    ("14", "FIN DE CONTRAT A DUREE DETERMINEE"),
    ("22", "FIN DE MISSION D'INTERIM"),
    ("24", "PREMIERE ENTREE SUR LE MARCHE DU TRAVAIL"),
    ("25", "REPRISE D'ACTIVITE APRES UNE INTERRUPTION"),
];

/// Inscription categories: 1, 2, 3 for RSA beneficiaries oriented to Pôle emploi, 5 for those
/// who are not (convention, Article 1).
pub(crate) const CATEGORIES: &[(&str, &str)] = &[
    (
        "1",
        "PERSONNE SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PLEIN TPS",
    ),
    (
        "2",
        "PERSONNE SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PARTIEL",
    ),
    (
        "3",
        "PERSONNE SANS EMPLOI DISPONIBLE DUREE DETERMINEE OU SAISON",
    ),
    (
        "5",
        "PERSONNE POURVUE D'UN EMPLOI NON DISPONIBLE IMMEDIATEMENT",
    ),
];

pub(crate) const SITUATIONS_EMPLOI: &[(&str, &str)] = &[
    ("SAN", "SANS OBJET"),
    ("ADR", "AIDE DIFFERENTIELLE AU RECLASSEMENT"),
    ("RSA", "BENEFICIAIRE DU REVENU DE SOLIDARITE ACTIVE"),
];

pub(crate) const MOTIFS_CLOTURE: &[(&str, &str)] = &[
    ("5", "REFUS D'ACTION DE RECLASSEMENT"),
    ("25", "REPRISE D'EMPLOI PAR L'AGENCE SUR EMPLOI NON PRECISE"),
    (
        "MV",
        "ABANDON ACTION AIDE A LA RECHERCHE D'UNE ACTIVITE SUPPRESSION DE 1 MOIS",
    ),
    ("43", "DEFAUT D'ACTUALISATION"),
];

/// (ROME code, libellé ROME, appellation code, appellation libellé): real ROME entries.
pub(crate) const METIERS: &[(&str, &str, &str, &str)] = &[
    (
        "D1102",
        "Boulangerie - viennoiserie",
        "11573",
        "Boulanger / Boulangère",
    ),
    (
        "F1204",
        "Sécurité civile et secours",
        "19070",
        "Coordonnateur / Coordonnatrice sécurité chantier",
    ),
    (
        "K1303",
        "Assistance auprès d'enfants",
        "12867",
        "Assistant maternel / Assistante maternelle",
    ),
    (
        "N1103",
        "Magasinage et préparation de commandes",
        "38788",
        "Préparateur / Préparatrice de commandes",
    ),
    (
        "G1603",
        "Personnel polyvalent en restauration",
        "16832",
        "Équipier / Équipière polyvalent(e)",
    ),
    (
        "K2204",
        "Nettoyage de locaux",
        "10854",
        "Agent / Agente de propreté des locaux",
    ),
    (
        "H2909",
        "Montage-assemblage mécanique",
        "11405",
        "Assembleur-monteur / Assembleuse-monteuse",
    ),
    (
        "D1507",
        "Mise en rayon libre-service",
        "12796",
        "Employé / Employée de libre-service",
    ),
    (
        "J1501",
        "Soins d'hygiène, de confort du patient",
        "11470",
        "Aide-soignant / Aide-soignante",
    ),
    (
        "A1203",
        "Aménagement et entretien des espaces verts",
        "13796",
        "Jardinier / Jardinière d'espaces verts",
    ),
];

/// (INSEE code, libellé, code postal, département): real communes for mobilités.
pub(crate) const COMMUNES: &[(&str, &str, &str, &str)] = &[
    ("59220", "FACHES THUMESNIL", "59155", "59"),
    ("59350", "LILLE", "59000", "59"),
    ("69123", "LYON", "69001", "69"),
    ("13055", "MARSEILLE", "13001", "13"),
    ("33063", "BORDEAUX", "33000", "33"),
    ("35238", "RENNES", "35000", "35"),
    ("67482", "STRASBOURG", "67000", "67"),
    ("44109", "NANTES", "44000", "44"),
];
