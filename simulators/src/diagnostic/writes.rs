//! The enregistrement resources applied to a dossier. Bodies arrive already checked against
//! their contract; here the codes are checked against the référentiel and the business rules
//! (one priority, an existing diagnostic …). A refusal says what is wrong, for a 400.

use crate::diagnostic::model::{
    Agent, ContrainteState, Diagnostic, Dossier, Explored, PouvoirAgir, Topic, allowed,
};
use crate::diagnostic::model::{EN_COURS, SUPPRIME};
use crate::diagnostic::referentiel::Referentiel;
use crate::diagnostic::referentiel::{BESOIN_NUMERIQUE, CONTRAINTE_NUMERIQUE};
use crate::diagnostic::requests::{
    AutonomieAEnregistrer, BesoinsAEnregistrer, CodeValeur, ContrainteAEnregistrer,
    ContraintesAEnregistrer, ContraintesV1, DiagnosticAEnregistrer, DiagnosticsV1,
    DossierAEnregistrer, PouvoirAgirAEnregistrer,
};

/// Why a write is refused (the message goes into the 400 body).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// A write's context: who and when.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub agent: Agent,
    pub now_ms: i64,
}

/// The allowed value, or a refusal listing the allowed ones.
fn check_value(
    kind: &str,
    value: &str,
    list: &'static [&'static str],
) -> Result<&'static str, Refused> {
    allowed::find(list, value).ok_or_else(|| {
        Refused(format!(
            "Valeur de {kind} inconnue : attendu l'une de {}",
            list.join(", ")
        ))
    })
}

/// `POST /diagnostics` (v4): a new diagnostic; returns its id.
/// Diagnostics a dossier may hold in the simulators (a real one holds a handful): each write
/// that adds one costs memory, and its history snapshot repeats them all.
pub(crate) const MAX_DIAGNOSTICS: usize = 50;

pub(crate) fn create_diagnostic(
    d: &mut Dossier,
    body: &DiagnosticAEnregistrer,
    new_id: String,
    st: &Stamp,
) -> Result<String, Refused> {
    let live = d
        .diagnostics
        .iter()
        .filter(|x| x.statut != SUPPRIME)
        .count();
    if d.diagnostics.len() >= MAX_DIAGNOSTICS || live >= MAX_DIAGNOSTICS {
        return Err(Refused(format!(
            "le dossier compte déjà {MAX_DIAGNOSTICS} diagnostics (limite des simulateurs)"
        )));
    }
    let diag = Diagnostic {
        id: new_id.clone(),
        id_metier: body
            .id_metier_chiffre
            .clone()
            .filter(|x| x != "NON_DEFINI")
            .unwrap_or_else(|| format!("{new_id}#NON_DEFINI")),
        nom_metier: body.nom_metier.clone().unwrap_or_default(),
        typologie: body.code_typologie.clone().unwrap_or_else(|| "MR".into()),
        sous_typologie: body.code_sous_typologie.clone(),
        code_rome: body.code_rome.clone(),
        code_appellation: body.code_appellation.clone(),
        statut: EN_COURS.into(),
        prioritaire: d.diagnostics.iter().all(|x| !x.prioritaire),
        agent: st.agent.clone(),
        date_ms: st.now_ms,
        date_projet_ms: Some(st.now_ms),
        partenaire: true,
        besoins: Vec::new(),
        besoins_date_ms: None,
        besoins_agent: None,
    };
    check_typologie(&diag)?;
    d.diagnostics.push(diag);
    d.record(Topic::Diagnostics, st.now_ms, &st.agent);
    Ok(new_id)
}

fn check_typologie(diag: &Diagnostic) -> Result<(), Refused> {
    match (diag.typologie.as_str(), diag.sous_typologie.as_deref()) {
        ("EF", None) => Err(Refused(
            "Un diagnostic EF (création, reprise, franchise) demande un codeSousTypologie".into(),
        )),
        ("MR" | "PM", Some(x)) if x != "MR" => Err(Refused(format!(
            "codeSousTypologie {x} n'existe que pour un diagnostic EF"
        ))),
        _ => Ok(()),
    }
}

/// `PUT /diagnostics/{id}` (v4).
pub(crate) fn modify_diagnostic(
    d: &mut Dossier,
    id: &str,
    body: &DiagnosticAEnregistrer,
    st: &Stamp,
) -> Result<(), Refused> {
    let diag = live_diagnostic(d, id)?;
    if let Some(x) = body
        .id_metier_chiffre
        .as_ref()
        .filter(|x| *x != "NON_DEFINI")
    {
        diag.id_metier = x.clone();
    }
    if let Some(x) = &body.nom_metier {
        diag.nom_metier = x.clone();
    }
    if let Some(x) = &body.code_typologie {
        diag.typologie = x.clone();
    }
    diag.sous_typologie = body.code_sous_typologie.clone();
    diag.code_rome = body.code_rome.clone();
    diag.code_appellation = body.code_appellation.clone();
    diag.date_projet_ms = Some(st.now_ms);
    diag.date_ms = st.now_ms;
    diag.agent = st.agent.clone();
    check_typologie(diag)?;
    d.record(Topic::Diagnostics, st.now_ms, &st.agent);
    Ok(())
}

/// Diagnostics individus enregistrement (v1): the diagnostic named by its idMetierChiffre.
pub(crate) fn modify_diagnostic_v1(
    d: &mut Dossier,
    body: &DiagnosticsV1,
    st: &Stamp,
) -> Result<(), Refused> {
    let item = body.diagnostic.first().cloned().unwrap_or_default();
    let id_metier = item.id_metier_chiffre.unwrap_or_default();
    let diag = d
        .diagnostics
        .iter_mut()
        .find(|x| x.id_metier == id_metier && x.statut != SUPPRIME)
        .ok_or_else(|| Refused("Le diagnostic à modifier est absent".into()))?;
    if let Some(x) = item.nom_metier {
        diag.nom_metier = x;
    }
    if let Some(t) = item.typologie {
        diag.typologie = match t.to_lowercase().as_str() {
            x if x.contains("création")
                || x.contains("creation")
                || x.contains("franchise")
                || x == "ef" =>
            {
                "EF"
            }
            x if x.contains("évolution") || x.contains("evolution") || x == "pm" => "PM",
            _ => "MR",
        }
        .into();
        if diag.typologie == "EF" && diag.sous_typologie.is_none() {
            diag.sous_typologie = Some("C".into());
        }
        if diag.typologie != "EF" {
            diag.sous_typologie = None;
        }
    }
    diag.date_ms = st.now_ms;
    diag.date_projet_ms = Some(st.now_ms);
    diag.agent = st.agent.clone();
    d.record(Topic::Diagnostics, st.now_ms, &st.agent);
    Ok(())
}

fn live_diagnostic<'a>(d: &'a mut Dossier, id: &str) -> Result<&'a mut Diagnostic, Refused> {
    d.diagnostics
        .iter_mut()
        .find(|x| x.id == id && x.statut != SUPPRIME)
        .ok_or_else(|| Refused(format!("Le diagnostic {id} est inconnu pour cet usager")))
}

/// `POST /diagnostics/{id}/besoins` (v4), and the besoins of a dossier write.
pub(crate) fn save_besoins(
    d: &mut Dossier,
    id: &str,
    body: &BesoinsAEnregistrer,
    st: &Stamp,
) -> Result<(), Refused> {
    let r = Referentiel::get();
    let list = &body.besoin_a_enregistrer;
    if list.is_empty() {
        return Err(Refused("besoinAEnregistrer est vide".into()));
    }
    let diag = live_diagnostic(d, id)?;
    for b in list {
        let given = b.code.clone().unwrap_or_default();
        let code = match r.besoin(&given) {
            Some((_, c)) if given != BESOIN_NUMERIQUE => c.code.as_str(),
            _ => {
                return Err(Refused(format!(
                    "Le besoin {given} n'existe pas dans le référentiel"
                )));
            }
        };
        let valeur = check_value(
            "besoin",
            b.valeur.as_deref().unwrap_or_default(),
            allowed::BESOIN,
        )?;
        let e = Explored {
            code,
            valeur,
            date_ms: Some(st.now_ms),
            agent: Some(st.agent.clone()),
        };
        match diag.besoins.iter_mut().find(|x| x.code == code) {
            Some(x) => *x = e,
            None => diag.besoins.push(e),
        }
    }
    diag.besoins_date_ms = Some(st.now_ms);
    diag.besoins_agent = Some(st.agent.clone());
    d.record(Topic::Besoins(id.to_string()), st.now_ms, &st.agent);
    Ok(())
}

/// `POST /diagnostics/{id}/priorise?prioritaire=`: only one diagnostic is a priority.
pub(crate) fn prioritise(
    d: &mut Dossier,
    id: &str,
    prioritaire: bool,
    st: &Stamp,
) -> Result<(), Refused> {
    live_diagnostic(d, id)?;
    for x in &mut d.diagnostics {
        if x.id == id {
            x.prioritaire = prioritaire;
            x.date_ms = st.now_ms;
        } else if prioritaire {
            x.prioritaire = false;
        }
    }
    Ok(())
}

/// `POST /diagnostics/{id}/supprime`.
pub(crate) fn delete_diagnostic(d: &mut Dossier, id: &str, st: &Stamp) -> Result<(), Refused> {
    let diag = live_diagnostic(d, id)?;
    diag.statut = SUPPRIME.into();
    diag.prioritaire = false;
    diag.date_ms = st.now_ms;
    d.record(Topic::Diagnostics, st.now_ms, &st.agent);
    Ok(())
}

/// One contrainte update, shared by v1 and v4.
fn apply_contrainte(
    target: &mut ContrainteState,
    valeur: Option<&str>,
    prioritaire: Option<bool>,
    impact: Option<&str>,
    st: &Stamp,
) -> Result<(), Refused> {
    if let Some(v) = valeur {
        target.valeur = check_value("contrainte", v, allowed::CONTRAINTE)?;
    }
    if let Some(p) = prioritaire {
        target.prioritaire = p;
    }
    if let Some(i) = impact {
        target.impact = check_value("impact", i, allowed::IMPACT)?;
    }
    target.date_ms = Some(st.now_ms);
    Ok(())
}

/// Updates an item already in the list; `false` when the list does not hold it.
fn apply_item(
    list: &mut [Explored],
    code: &str,
    valeur: &str,
    values: &'static [&'static str],
    kind: &str,
    st: &Stamp,
) -> Result<bool, Refused> {
    let valeur = check_value(kind, valeur, values)?;
    match list.iter_mut().find(|x| x.code == code) {
        Some(x) => {
            x.valeur = valeur;
            x.date_ms = Some(st.now_ms);
            x.agent = Some(st.agent.clone());
            Ok(true)
        }
        None => Ok(false),
    }
}

/// The référentiel's own spelling of a situation or objectif code, with its contrainte.
fn item_code(code: &str, situation: bool) -> Option<(&'static str, &'static str)> {
    Referentiel::get().contraintes.iter().find_map(|c| {
        let l = if situation {
            &c.situations
        } else {
            &c.objectifs
        };
        l.iter()
            .find(|x| x.code == code)
            .map(|x| (c.code.as_str(), x.code.as_str()))
    })
}

/// Finds the contrainte owning a situation or objectif code, adding the item from the
/// référentiel if the dossier did not list it yet.
fn place_item(
    d: &mut Dossier,
    item: &CodeValeur,
    situation: bool,
    st: &Stamp,
) -> Result<(), Refused> {
    let code = item.code.as_deref().unwrap_or_default();
    let valeur = item.valeur.as_deref().unwrap_or_default();
    let (values, kind) = if situation {
        (allowed::SITUATION, "situation")
    } else {
        (allowed::OBJECTIF, "objectif")
    };
    for c in &mut d.contraintes.items {
        let list = if situation {
            &mut c.situations
        } else {
            &mut c.objectifs
        };
        if apply_item(list, code, valeur, values, kind, st)? {
            return Ok(());
        }
    }
    let Some((owner, code)) = item_code(code, situation) else {
        return Err(Refused(format!("{kind} {code} inconnu(e) du référentiel")));
    };
    let valeur = check_value(kind, valeur, values)?;
    if let Some(c) = d.contraintes.items.iter_mut().find(|c| c.code == owner) {
        let e = Explored {
            code,
            valeur,
            date_ms: Some(st.now_ms),
            agent: Some(st.agent.clone()),
        };
        if situation {
            c.situations.push(e)
        } else {
            c.objectifs.push(e)
        }
    }
    Ok(())
}

/// The dossier's contrainte of a code, or a refusal.
fn contrainte_of<'a>(d: &'a mut Dossier, code: &str) -> Result<&'a mut ContrainteState, Refused> {
    d.contraintes
        .items
        .iter_mut()
        .find(|x| x.code == code)
        .ok_or_else(|| {
            Refused(format!(
                "La contrainte {code} n'existe pas dans le référentiel"
            ))
        })
}

/// Stamps a contraintes exploration and records it (v1 and v4 alike).
fn close_contraintes(d: &mut Dossier, st: &Stamp) {
    d.contraintes.date_ms = st.now_ms;
    d.contraintes.agent = st.agent.clone();
    d.record(Topic::Contraintes, st.now_ms, &st.agent);
}

/// `POST /contraintes` (v4) and the contraintes of a dossier write.
pub(crate) fn save_contraintes_v4(
    d: &mut Dossier,
    body: &ContraintesAEnregistrer,
    st: &Stamp,
) -> Result<(), Refused> {
    let contraintes = &body.contraintes_a_enregistrer;
    let sans = body.declare_sans_contrainte_a_enregistrer;
    if contraintes.is_empty()
        && body.situations_a_enregistrer.is_empty()
        && body.objectifs_a_enregistrer.is_empty()
        && sans.is_none()
    {
        return Err(Refused(
            "Aucune contrainte, situation ni objectif à enregistrer".into(),
        ));
    }
    if contraintes
        .iter()
        .filter(|c| c.est_prioritaire == Some(true))
        .count()
        > 1
    {
        return Err(Refused("Une seule contrainte peut être prioritaire".into()));
    }
    for c in contraintes {
        let code = c.code.as_deref().unwrap_or_default();
        apply(contrainte_of(d, code)?, c, st)?;
        if c.est_prioritaire == Some(true) {
            for other in d.contraintes.items.iter_mut().filter(|x| x.code != code) {
                other.prioritaire = false;
            }
        }
    }
    for x in &body.situations_a_enregistrer {
        place_item(d, x, true, st)?;
    }
    for x in &body.objectifs_a_enregistrer {
        place_item(d, x, false, st)?;
    }
    if let Some(flag) = sans {
        d.contraintes.sans_contrainte = Some((flag, st.now_ms));
    }
    close_contraintes(d, st);
    Ok(())
}

/// A v4 contrainte to record, applied to the dossier's.
fn apply(
    target: &mut ContrainteState,
    c: &ContrainteAEnregistrer,
    st: &Stamp,
) -> Result<(), Refused> {
    apply_contrainte(
        target,
        c.valeur.as_deref(),
        c.est_prioritaire,
        c.impact.as_deref(),
        st,
    )
}

/// Contraintes individus enregistrement (v1): situations and objectifs nested in each contrainte.
pub(crate) fn save_contraintes_v1(
    d: &mut Dossier,
    body: &ContraintesV1,
    st: &Stamp,
) -> Result<(), Refused> {
    for c in &body.contraintes {
        let code = c.code.as_deref().unwrap_or_default();
        if code == crate::api::diagnostic_v1::views::NOT_IN_2023 {
            return Err(Refused(format!(
                "contrainte {code} inconnue du référentiel de cette version (23 à 29)"
            )));
        }
        let target = contrainte_of(d, code)?;
        apply_contrainte(target, c.valeur.as_deref(), None, None, st)?;
        for x in &c.situations {
            place_item(d, x, true, st)?;
        }
        for x in &c.objectifs {
            place_item(d, x, false, st)?;
        }
    }
    close_contraintes(d, st);
    Ok(())
}

/// `POST /pouvoiragir`.
pub(crate) fn save_pouvoir_agir(
    d: &mut Dossier,
    body: &PouvoirAgirAEnregistrer,
    st: &Stamp,
) -> Result<(), Refused> {
    let confiance = check_value(
        "confiance",
        body.confiance.as_deref().unwrap_or_default(),
        allowed::ANSWER,
    )?;
    let accompagnement = check_value(
        "accompagnement",
        body.accompagnement.as_deref().unwrap_or_default(),
        allowed::ANSWER,
    )?;
    d.pouvoir_agir = Some(PouvoirAgir {
        confiance,
        accompagnement,
        agent: st.agent.clone(),
        date_ms: st.now_ms,
    });
    d.record(Topic::PouvoirAgir, st.now_ms, &st.agent);
    Ok(())
}

/// `POST /autonomienumerique`.
pub(crate) fn save_autonomie(
    d: &mut Dossier,
    body: &AutonomieAEnregistrer,
    st: &Stamp,
) -> Result<(), Refused> {
    let base = match &d.autonomie {
        Some(a) => a.clone(),
        None => {
            let c22 = d
                .contraintes
                .items
                .iter()
                .find(|c| c.code == CONTRAINTE_NUMERIQUE)
                .cloned();
            crate::diagnostic::model::Autonomie {
                date_ms: st.now_ms,
                agent: st.agent.clone(),
                contrainte: c22
                    .ok_or_else(|| Refused("Contrainte 22 absente du référentiel".into()))?,
                besoin: Explored {
                    code: BESOIN_NUMERIQUE,
                    valeur: "NON_EXPLORE",
                    date_ms: None,
                    agent: None,
                },
            }
        }
    };
    let mut a = base;
    if let Some(b) = &body.besoin_a_enregistrer {
        let valeur = check_value(
            "besoin",
            b.valeur.as_deref().unwrap_or_default(),
            allowed::BESOIN,
        )?;
        if b.code.as_deref() != Some(BESOIN_NUMERIQUE) {
            return Err(Refused(
                "Le besoin de l'autonomie numérique est le besoin 7".into(),
            ));
        }
        a.besoin = Explored {
            code: BESOIN_NUMERIQUE,
            valeur,
            date_ms: Some(st.now_ms),
            agent: Some(st.agent.clone()),
        };
    }
    if let Some(c) = &body.contrainte_a_enregistrer {
        if c.code.as_deref() != Some(CONTRAINTE_NUMERIQUE) {
            return Err(Refused(
                "La contrainte de l'autonomie numérique est la contrainte 22".into(),
            ));
        }
        apply(&mut a.contrainte, c, st)?;
    }
    for (items, situation) in [
        (&body.situations_a_enregistrer, true),
        (&body.objectifs_a_enregistrer, false),
    ] {
        for x in items {
            let code = x.code.clone().unwrap_or_default();
            let given = x.valeur.clone().unwrap_or_default();
            let (values, kind) = if situation {
                (allowed::SITUATION, "situation")
            } else {
                (allowed::OBJECTIF, "objectif")
            };
            let list = if situation {
                &mut a.contrainte.situations
            } else {
                &mut a.contrainte.objectifs
            };
            if !apply_item(list, &code, &given, values, kind, st)? {
                let Some((CONTRAINTE_NUMERIQUE, code)) = item_code(&code, situation) else {
                    return Err(Refused(format!(
                        "{kind} {code} inconnu(e) pour la contrainte 22"
                    )));
                };
                let valeur = check_value(kind, &given, values)?;
                list.push(Explored {
                    code,
                    valeur,
                    date_ms: Some(st.now_ms),
                    agent: Some(st.agent.clone()),
                });
            }
        }
    }
    a.date_ms = st.now_ms;
    a.agent = st.agent.clone();
    d.autonomie = Some(a);
    d.record(Topic::Autonomie, st.now_ms, &st.agent);
    Ok(())
}

/// `POST /dossiers`: everything at once. `Ok(false)` when a diagnostic to modify is unknown
/// (the API answers 204 then), in which case nothing is written.
pub(crate) fn save_dossier(
    d: &mut Dossier,
    body: &DossierAEnregistrer,
    mut new_id: impl FnMut() -> String,
    st: &Stamp,
) -> Result<bool, Refused> {
    let mut work = d.clone();
    for diag in &body.diagnostics_a_enregistrer {
        let id = match &diag.id_diagnostic_modifie {
            Some(id) => {
                if live_diagnostic(&mut work, id).is_err() {
                    return Ok(false);
                }
                modify_diagnostic(&mut work, id, diag, st)?;
                id.clone()
            }
            None => create_diagnostic(&mut work, diag, new_id(), st)?,
        };
        if let Some(p) = diag.prioritaire {
            prioritise(&mut work, &id, p, st)?;
        }
    }
    for b in &body.besoins_par_diagnostic_a_enregistrer {
        let id = b.id_diagnostic.as_deref().unwrap_or_default();
        if live_diagnostic(&mut work, id).is_err() {
            return Ok(false);
        }
        save_besoins(&mut work, id, b, st)?;
    }
    for c in [
        &body.contraintes_dossier_a_enregistrer,
        &body.contraintes_a_enregistrer,
    ]
    .into_iter()
    .flatten()
    {
        save_contraintes_v4(&mut work, c, st)?;
    }
    if let Some(p) = &body.pouvoir_agir_a_enregistrer {
        save_pouvoir_agir(&mut work, p, st)?;
    }
    if let Some(a) = &body.autonomie_numerique_a_enregistrer {
        save_autonomie(&mut work, a, st)?;
    }
    *d = work;
    Ok(true)
}
