//! `GET /dossiers` (v4) of a person nobody wrote to, written from the draws
//! ([`crate::dossier_drawn::Drawn`]) rather than from the dossier model: the long lists (the
//! besoins of each diagnostic, the situations and objectifs of each contrainte: a hundred and
//! fifty items) go from the draws' value indices to the référentiel's pre-written items
//! without being made into objects first. Everything else goes through the same views and
//! writers as any dossier ([`crate::views_v4_json`]), and a test compares the bytes with
//! `serde_json` writing the view of the model over a sample of the population.

use contracts::civil::DateTime;

use crate::dossier_drawn::{Drawn, DrawnContrainte, ITEMS, besoins_of_thematique};
use crate::referentiel::{Coded, Referentiel};
use crate::views_v4::{self, AgentOut};
use crate::views_v4_json::{
    Json, besoins_par_diagnostic_with, contrainte, contrainte_with, dossier_with, explored_tail,
    key,
};

/// The dossier of `d`: the bytes `serde_json` writes for `views_v4::dossier(&d.dossier(..))`.
pub fn dossier(out: &mut Json, d: &Drawn, id_metier: impl Fn(usize) -> String) {
    let r = Referentiel::get();
    let skeleton = d.skeleton(id_metier);
    let agent = d.agent();
    let who = AgentOut::from(&agent);
    let at = DateTime(d.explored_at);
    dossier_with(
        out,
        &views_v4::dossier(&skeleton),
        |out, rank, b| {
            besoins_par_diagnostic_with(out, b, |out| {
                thematiques(out, r, &d.diagnostics[rank].besoins, who, at)
            })
        },
        |out, c| {
            // The skeleton lists the contraintes of the référentiel in its order.
            let rank = r
                .contraintes
                .iter()
                .position(|def| std::ptr::eq(def.code.as_str(), c.c.code));
            let (Some(rank), Some(def)) = (rank, c.def) else {
                // Not one of the référentiel's: cannot happen, written as the model has it.
                return contrainte(out, c);
            };
            let x: &DrawnContrainte = &d.contraintes[rank];
            contrainte_with(
                out,
                c,
                |out| items(out, &def.situations, &x.situations, who, at),
                |out| items(out, &def.objectifs, &x.objectifs, who, at),
            )
        },
    );
}

/// The thematiques of a diagnostic's besoins (those with at least one besoin), each besoin
/// with the value drawn for it.
fn thematiques(out: &mut Json, r: &Referentiel, values: &[u8], who: AgentOut<'_>, at: DateTime) {
    out.push(b'[');
    let mut values = values.iter();
    let mut first = true;
    for t in &r.thematiques {
        let mut besoins = besoins_of_thematique(t).peekable();
        if besoins.peek().is_none() {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(t.json_head.as_bytes());
        key(out, br#","besoins":["#);
        for (i, b) in besoins.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            item(out, b, values.next().copied().unwrap_or(0), who, at);
        }
        key(out, b"]}");
    }
    out.push(b']');
}

/// The first [`ITEMS`] situations or objectifs of a contrainte with their drawn values.
fn items(out: &mut Json, defs: &[Coded], values: &[u8; ITEMS], who: AgentOut<'_>, at: DateTime) {
    out.push(b'[');
    for (i, (def, &v)) in defs.iter().zip(values).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, def, v, who, at);
    }
    out.push(b']');
}

/// One item: explored (agent and date) unless its value is the first of its list.
fn item(out: &mut Json, def: &Coded, v: u8, who: AgentOut<'_>, at: DateTime) {
    if v == 0 {
        out.extend_from_slice(def.json_unexplored.as_bytes());
        return;
    }
    let Some(start) = def.json_valued.get(usize::from(v)) else {
        // A value outside the list: cannot happen (drawn from it); the document stays JSON.
        out.extend_from_slice(b"null");
        return;
    };
    out.extend_from_slice(start.as_bytes());
    explored_tail(out, Some(who), Some(at));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Held;
    use crate::views_v4_json::render;

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
            let by_draws = render(&d, 16, |out, d| dossier(out, d, s.id_metier(index)));
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
