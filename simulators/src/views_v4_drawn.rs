//! `GET /dossiers` (v4) of a person nobody wrote to, written from the draws
//! ([`crate::dossier_drawn::Drawn`]) rather than from the dossier model: diagnostics,
//! contraintes and the long lists (the besoins of each diagnostic, the situations and
//! objectifs of each contrainte: a hundred and fifty items) go from the draws' indices to
//! pieces the views wrote once ([`crate::drawn_pieces`]), without being made into objects
//! first. The few objects left (the thematique contrainte's head, pouvoir d'agir, autonomie)
//! go through the same views and writers as any dossier ([`crate::views_v4_json`]). A test
//! compares the bytes with `serde_json` writing the view of the model over a sample of the
//! population.

use contracts::civil::DateTime;

use crate::dossier_drawn::{Drawn, DrawnContrainte, ITEMS};
use crate::drawn_pieces::{Item, Pieces};
use crate::identifiers::IdRciUuid;
use crate::referentiel::Referentiel;
use crate::views_profile::write_id_metier;
use crate::views_v4::{self, AgentOut, ContrainteOut};
use crate::views_v4_json::{
    Json, agent, boolean, contrainte, date, dossier_with, explored_tail, key, render,
};

/// What every part of one drawn dossier is written with.
struct Writing<'a> {
    pieces: &'static Pieces,
    d: &'a Drawn,
    /// The dossier's one agent and one date.
    who: AgentOut<'a>,
    at: DateTime,
    /// The end of every explored item (`,"agent":…,"dateExploration":…}`), written once.
    tail: Vec<u8>,
}

/// The dossier of `d`: the bytes `serde_json` writes for `views_v4::dossier(&d.dossier(..))`.
/// `index` is the person's, `id_rci` the start of their idRci (for the métier ids).
pub fn dossier(out: &mut Json, d: &Drawn, id_rci: IdRciUuid) {
    let r = Referentiel::get();
    let frame = d.frame();
    let agent = d.agent();
    let who = AgentOut::from(&agent);
    let at = DateTime(d.explored_at);
    let w = Writing {
        pieces: Pieces::get(),
        d,
        who,
        at,
        tail: render(&(), 256, |out, ()| explored_tail(out, Some(who), Some(at))),
    };
    dossier_with(
        out,
        &views_v4::dossier(&frame),
        |out| {
            out.push(b'[');
            for rank in 0..d.diagnostics.len() {
                if rank > 0 {
                    out.push(b',');
                }
                let id = |out: &mut Json| write_id_metier(out, rank, id_rci);
                besoins_par_diagnostic(out, &w, rank, id);
            }
            out.push(b']');
        },
        |out, c| {
            // The frame lists the contraintes of the référentiel in its order.
            let rank = r
                .contraintes
                .iter()
                .position(|def| std::ptr::eq(def.code.as_str(), c.c.code));
            match rank {
                Some(rank) => drawn_contrainte(out, &w, c, rank, &d.contraintes[rank]),
                // Not one of the référentiel's: cannot happen, written as the model has it.
                None => contrainte(out, c),
            }
        },
        |out, c| match d.autonomie_contrainte() {
            // Dated by the autonomie even when not discussed: never the undiscussed block.
            Some((rank, x)) => contrainte_by_fields(out, &w, c, rank, &x),
            None => contrainte(out, c),
        },
    );
}

/// The diagnostic at `rank` with its besoins: what `views_v4_json::besoins_par_diagnostic`
/// writes for it, its métier fields pre-written.
fn besoins_par_diagnostic(
    out: &mut Json,
    w: &Writing<'_>,
    rank: usize,
    id_metier: impl FnOnce(&mut Json),
) {
    let x = &w.d.diagnostics[rank];
    key(out, br#"{"diagnostic":{"idDiagnostic":""#);
    out.extend_from_slice(&crate::rng::uuid_ascii(&x.uuid));
    key(out, br#"","idMetierChiffre":"#);
    id_metier(out);
    match w.pieces.metier(x.metier, x.sous_typologie) {
        Some(fields) => out.extend_from_slice(fields),
        // Cannot happen (every métier is pre-written); the document stays JSON.
        None => key(out, br#","nomMetier":"""#),
    }
    key(out, br#","estPrioritaire":"#);
    boolean(out, rank == 0);
    key(out, br#","agent":"#);
    agent(out, &w.who);
    key(out, br#","dateMiseAJour":"#);
    date(out, &w.at);
    key(out, br#","dateMiseAJourProjet":"#);
    if x.projet {
        date(out, &w.at);
    } else {
        out.extend_from_slice(b"null");
    }
    key(out, br#","estCreationPartenaire":"#);
    boolean(out, x.partenaire);
    key(out, br#"},"dateDerniereExplorationBesoin":"#);
    date(out, &w.at);
    key(out, br#","agentDerniereExplorationBesoin":"#);
    agent(out, &w.who);
    key(out, br#","thematiquesBesoins":"#);
    thematiques(out, w, &x.besoins);
    out.push(b'}');
}

/// A contrainte of the référentiel's (at `rank`) from its draws `x`: whole when nobody
/// discussed it.
fn drawn_contrainte(
    out: &mut Json,
    w: &Writing<'_>,
    c: &ContrainteOut<'_>,
    rank: usize,
    x: &DrawnContrainte,
) {
    if !x.explored()
        && let Some(whole) = w.pieces.undiscussed(rank, x.impact)
    {
        out.extend_from_slice(whole);
        return;
    }
    contrainte_by_fields(out, w, c, rank, x);
}

/// A contrainte of the référentiel's (at `rank`) field by field: what
/// `views_v4_json::contrainte` writes, its start and impact pre-written, its situations and
/// objectifs from the draws `x`.
fn contrainte_by_fields(
    out: &mut Json,
    w: &Writing<'_>,
    c: &ContrainteOut<'_>,
    rank: usize,
    x: &DrawnContrainte,
) {
    let p = w.pieces;
    let (Some(def), Some(head), Some(impact)) = (
        p.contraintes.get(rank),
        p.contrainte_head(rank, x.valeur),
        p.impact(x.impact),
    ) else {
        return contrainte(out, c);
    };
    out.extend_from_slice(head);
    boolean(out, c.c.prioritaire);
    key(out, br#","dateExploration":"#);
    match c.date() {
        Some(at) => date(out, &at),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(impact);
    items(out, w, &def.situations, &x.situations);
    key(out, br#","objectifs":"#);
    items(out, w, &def.objectifs, &x.objectifs);
    out.push(b'}');
}

/// The thematiques of a diagnostic's besoins (those with at least one besoin), each besoin
/// with the value drawn for it.
fn thematiques(out: &mut Json, w: &Writing<'_>, values: &[u8]) {
    let p = w.pieces;
    out.push(b'[');
    for (i, (head, range)) in p.thematiques.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // The head ends with `"besoins":[`.
        out.extend_from_slice(p.bytes(*head));
        let besoins = p.besoins.get(range.clone()).unwrap_or_default();
        each_item(
            out,
            w,
            besoins,
            values.get(range.clone()).unwrap_or_default(),
        );
        key(out, b"]}");
    }
    out.push(b']');
}

/// The first [`ITEMS`] situations or objectifs of a contrainte with their drawn values.
fn items(out: &mut Json, w: &Writing<'_>, defs: &[Item], values: &[u8; ITEMS]) {
    out.push(b'[');
    each_item(out, w, defs, values);
    out.push(b']');
}

/// Items with their drawn values, separated by commas.
fn each_item(out: &mut Json, w: &Writing<'_>, defs: &[Item], values: &[u8]) {
    for (i, (def, &v)) in defs.iter().zip(values).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, w, def, v);
    }
}

/// One item: explored (ending with the dossier's agent and date) unless its value is the
/// first of its list.
fn item(out: &mut Json, w: &Writing<'_>, def: &Item, v: u8) {
    match w.pieces.item(def, v) {
        Some(piece) => {
            out.extend_from_slice(piece);
            if v != 0 {
                out.extend_from_slice(&w.tail);
            }
        }
        // A value outside the list: cannot happen (drawn from it); the document stays JSON.
        None => out.extend_from_slice(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Held;

    #[test]
    fn a_drawn_dossier_writes_the_bytes_of_serde_json_on_its_model() {
        let s = crate::state::test_population();
        let (mut compared, mut with_autonomie, mut explored) = (0, 0, 0);
        for index in (0..100_000).step_by(89) {
            let Some(Held::Drawn(d)) = s.held_dossier(index) else {
                continue;
            };
            let model = d.dossier(s.id_metier(index));
            let by_serde = serde_json::to_vec(&views_v4::dossier(&model)).unwrap();
            let id_rci = IdRciUuid::of(&s.keys.id_rci(index));
            let by_draws = render(&d, 16, |out, d| dossier(out, d, id_rci));
            assert_eq!(
                String::from_utf8_lossy(&by_draws),
                String::from_utf8_lossy(&by_serde),
                "person {index}"
            );
            compared += 1;
            with_autonomie += usize::from(model.autonomie.is_some());
            explored += usize::from(d.contraintes.iter().any(|c| c.explored()));
        }
        // Many people, with and without each optional part.
        assert!(compared > 900, "{compared}");
        assert!(
            with_autonomie > 100 && with_autonomie < compared,
            "{with_autonomie}"
        );
        assert!(explored > 100, "{explored}");
    }
}
