//! The data set of the simulated population: which of its people lead to which case (the
//! format is `domain::dataset`'s, shared with production).

pub use domain::dataset::{Case, Dataset, Expect, Input};

use crate::civil::format_date;
use crate::population::person::Known;
use crate::state::SimState;

/// `count` people found by Recherche usager, spread evenly over the population.
pub fn sample(s: &SimState, count: u64) -> Vec<Input> {
    let people = s.config.people;
    let step = (people / count.max(1)).max(1);
    (0..people)
        .step_by(step as usize)
        .map(|i| s.person(i))
        .filter(|p| p.known == Known::Found)
        .take(count as usize)
        .map(|p| Input {
            nir: p.identity.nir15.clone(),
            date_naissance: format_date(p.identity.birth),
        })
        .collect()
}

/// Finds, among the first people of the population, one person for each case.
pub fn build(s: &SimState) -> Dataset {
    let mut cases: Vec<Case> = Vec::new();
    let want = [
        "S001-certifie",
        "S001-non-certifie",
        "S001-radie-moins-de-3-ans",
        "S001-categorie-5",
        "S002-radie-plus-de-3-ans",
        "S003-plusieurs",
        "R002-autre-structure",
        "204-statut",
        "204-diagnostic",
        "204-metiers",
        "200-projet-cref",
    ];
    let limit = s.config.people.min(200_000);
    for i in 0..limit {
        if cases.len() == want.len() {
            break;
        }
        let p = s.person(i);
        let st = p.statut.as_ref();
        let name = match p.known {
            Known::Forgotten => "S002-radie-plus-de-3-ans",
            Known::Homonyms => "S003-plusieurs",
            Known::OtherStructure => "R002-autre-structure",
            Known::Found if st.is_none() => "204-statut",
            Known::Found if !p.has_dossier => "204-diagnostic",
            Known::Found if p.metiers == 0 => "204-metiers",
            Known::Found if p.crefs > 0 => "200-projet-cref",
            Known::Found if !p.certified => "S001-non-certifie",
            Known::Found if st.is_some_and(|s| s.categorie.is_some_and(|c| c.0 == "5")) => {
                "S001-categorie-5"
            }
            Known::Found
                if st.is_some_and(|s| s.kind == crate::population::person::StatutKind::Radie) =>
            {
                "S001-radie-moins-de-3-ans"
            }
            Known::Found => "S001-certifie",
        };
        if cases.iter().any(|c| c.name == name) {
            continue;
        }
        let found = p.known == Known::Found;
        cases.push(Case {
            name: name.into(),
            nir: p.identity.nir15.clone(),
            date_naissance: format_date(p.identity.birth),
            code_retour: match p.known {
                Known::Found => "S001",
                Known::Forgotten => "S002",
                Known::Homonyms => "S003",
                Known::OtherStructure => "R002",
            }
            .into(),
            expect: found.then(|| Expect {
                certifie: p.certified,
                statut: if st.is_some() { 200 } else { 204 },
                statut_de: st.map(|s| s.kind.label().to_string()),
                categorie: st.and_then(|s| s.categorie.map(|c| c.0.to_string())),
                dossier: if p.has_dossier { 200 } else { 204 },
                metiers: if p.metiers > 0 { 200 } else { 204 },
                projets_cref: if p.crefs > 0 { 200 } else { 204 },
            }),
        });
    }
    // Inputs that no one answers to.
    cases.push(Case {
        name: "S002-inconnu".into(),
        nir: contracts::nir::with_key("2991299000123").unwrap_or_default(),
        date_naissance: "1999-12-01".into(),
        code_retour: "S002".into(),
        expect: None,
    });
    cases.push(Case {
        name: "R997-nir-invalide".into(),
        nir: "12345".into(),
        date_naissance: "1999-12-01".into(),
        code_retour: "R997".into(),
        expect: None,
    });
    cases.push(Case {
        name: "R997-date-invalide".into(),
        nir: cases[0].nir.clone(),
        date_naissance: "1999-02-30".into(),
        code_retour: "R997".into(),
        expect: None,
    });
    Dataset {
        seed: s.config.seed,
        people: s.config.people,
        cases,
        sample: Vec::new(),
    }
}
