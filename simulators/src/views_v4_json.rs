//! The v4 views written as JSON by hand: the very bytes `serde_json` writes for them (a test
//! compares both over a sample of the population), several times faster. A dossier is 28 kB
//! of mostly referential text; `serde_json` scans every byte for characters to escape and
//! goes through its map machinery for every field, which was most of the cost of reading a
//! dossier not read before. Here a string is checked for escapes with a branch-free pass and
//! copied whole, keys are constants, and dates come from their fixed-width form.

use std::ops::Range;

use contracts::civil::DateTime;

use crate::views_v4::{
    AgentOut, AutonomieOut, BesoinsParDiagnosticOut, ContrainteOut, DiagnosticOut, DiagnosticsOut,
    DossierOut, ExploredOut, PouvoirAgirOut, ThematiqueContrainteOut, ThematiqueOut,
};

/// The document being written, with where the last agent and the last date were written:
/// an agent or a date written again is copied from there instead of formatted again.
#[derive(Debug)]
pub struct Json {
    bytes: Vec<u8>,
    last_agent: Option<(AgentKey, Range<usize>)>,
    last_date: Option<(i64, Range<usize>)>,
    /// The end of an explored item (agent, date): see [`explored`].
    last_tail: Option<(TailKey, Range<usize>)>,
}

/// The agent and the date that end an explored item.
type TailKey = (Option<AgentKey>, Option<i64>);

/// Where the strings of an agent written are (address and length of each): the same
/// strings, the same bytes. Only compared while the value written is borrowed, so an
/// address cannot be reused for other text meanwhile.
type AgentKey = *const crate::dossier::AgentFields;

impl Json {
    /// Appends again the bytes at `at` (already written).
    fn copy_back(&mut self, at: Range<usize>) {
        self.bytes.extend_from_within(at);
    }
}

impl std::ops::Deref for Json {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.bytes
    }
}

impl std::ops::DerefMut for Json {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }
}

/// A JSON string: copied as it is when nothing in it needs escaping, else `serde_json`'s
/// escaping.
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    if !needs_escape(s.as_bytes()) {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else if serde_json::to_writer(&mut *out, s).is_err() {
        // Writing to a Vec cannot fail; keep the document well-formed anyway.
        out.extend_from_slice(b"null");
    }
}

/// Whether any byte is a control character, `"` or `\\`, eight bytes at a time (the classic
/// "has a byte less than n / equal to c" word tricks, exact for the yes/no answer).
fn needs_escape(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let word = |w: u64| {
        (w.wrapping_sub(ONES * 0x20) & !w & HIGH)
            | zero_byte(w ^ (ONES * u64::from(b'"')))
            | zero_byte(w ^ (ONES * u64::from(b'\\')))
    };
    let mut chunks = s.chunks_exact(8);
    let mut found = 0;
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        found |= word(u64::from_le_bytes(b));
    }
    // The last 0–7 bytes one by one (copying them into a word stalls on the reload).
    found != 0
        || chunks
            .remainder()
            .iter()
            .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

pub(crate) fn date(out: &mut Json, d: &DateTime) {
    // A dossier dates most of its explorations alike: the last date written is copied.
    if let Some((ms, at)) = &out.last_date
        && *ms == d.0
    {
        let at = at.clone();
        out.copy_back(at);
        return;
    }
    let start = out.bytes.len();
    match d.ascii() {
        Some(b) => {
            out.push(b'"');
            out.extend_from_slice(&b);
            out.push(b'"');
        }
        None => string(out, &d.to_string()),
    }
    out.last_date = Some((d.0, start..out.bytes.len()));
}

fn date_or_null(out: &mut Json, d: Option<&DateTime>) {
    match d {
        Some(d) => date(out, d),
        None => out.extend_from_slice(b"null"),
    }
}

pub(crate) fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// A key with its punctuation, e.g. `,"code":` (a constant: nothing to escape).
#[inline(always)]
pub(crate) fn key<const N: usize>(out: &mut Vec<u8>, k: &[u8; N]) {
    out.extend_from_slice(k);
}

fn list<T>(out: &mut Json, items: &[T], one: impl Fn(&mut Json, &T)) {
    seq(out, items.iter(), |out, x| one(out, *x));
}

/// A list whose items are made as they are written.
pub(crate) fn seq<T>(out: &mut Json, items: impl Iterator<Item = T>, one: impl Fn(&mut Json, &T)) {
    out.push(b'[');
    for (i, x) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        one(out, &x);
    }
    out.push(b']');
}

pub fn agent(out: &mut Json, a: &AgentOut<'_>) {
    // A dossier names the same agent in most of its objects: when its four strings are the
    // very strings of the last agent written, that agent's bytes are copied.
    let k: AgentKey = a.0;
    if let Some((last, at)) = &out.last_agent
        && *last == k
    {
        let at = at.clone();
        out.copy_back(at);
        return;
    }
    let start = out.bytes.len();
    key(out, br#"{"id":"#);
    string(out, &a.0.id);
    key(out, br#","nom":"#);
    string(out, &a.0.nom);
    key(out, br#","prenom":"#);
    string(out, &a.0.prenom);
    key(out, br#","structure":"#);
    string(out, &a.0.structure);
    key(out, br#","type":"#);
    string(out, &a.0.kind);
    out.push(b'}');
    out.last_agent = Some((k, start..out.bytes.len()));
}

/// A field that is left out (`None`), null (`Some(None)`) or set.
fn field<T, const N: usize>(
    out: &mut Json,
    k: &[u8; N],
    f: &Option<Option<T>>,
    value: impl Fn(&mut Json, &T),
) {
    match f {
        None => {}
        Some(None) => {
            key(out, k);
            out.extend_from_slice(b"null");
        }
        Some(Some(v)) => {
            key(out, k);
            value(out, v);
        }
    }
}

pub fn diagnostic(out: &mut Json, d: &DiagnosticOut<'_>) {
    key(out, br#"{"idDiagnostic":"#);
    string(out, d.id_diagnostic);
    key(out, br#","idMetierChiffre":"#);
    string(out, d.id_metier_chiffre);
    key(out, br#","nomMetier":"#);
    string(out, d.nom_metier);
    key(out, br#","typologie":"#);
    string(out, d.typologie);
    key(out, br#","codeTypologie":"#);
    string(out, d.code_typologie);
    let text = |out: &mut Json, s: &&str| string(out, s);
    field(
        out,
        br#","codeSousTypologie":"#,
        &d.code_sous_typologie,
        text,
    );
    field(out, br#","codeRome":"#, &d.code_rome, text);
    field(out, br#","codeAppellation":"#, &d.code_appellation, text);
    key(out, br#","statut":"#);
    string(out, d.statut);
    key(out, br#","estPrioritaire":"#);
    boolean(out, d.est_prioritaire);
    key(out, br#","agent":"#);
    agent(out, &d.agent);
    key(out, br#","dateMiseAJour":"#);
    date(out, &d.date_mise_a_jour);
    field(
        out,
        br#","dateMiseAJourProjet":"#,
        &d.date_mise_a_jour_projet,
        date,
    );
    key(out, br#","estCreationPartenaire":"#);
    boolean(out, d.est_creation_partenaire);
    out.push(b'}');
}

/// `{"code":…,"libelle":…`: the référentiel's own bytes when it has them.
fn code_libelle(out: &mut Vec<u8>, head: Option<&str>, code: &str, libelle: &str) {
    match head {
        Some(h) => out.extend_from_slice(h.as_bytes()),
        None => {
            key(out, br#"{"code":"#);
            string(out, code);
            key(out, br#","libelle":"#);
            string(out, libelle);
        }
    }
}

pub fn explored(out: &mut Json, e: &ExploredOut<'_>) {
    match e.head_valued() {
        Some(h) => out.extend_from_slice(h.as_bytes()),
        None => {
            code_libelle(out, e.head(), e.item.code, e.libelle());
            key(out, br#","valeur":"#);
            string(out, e.item.valeur);
        }
    }
    explored_tail(out, e.agent(), e.date());
}

/// The end of an explored item: `,"agent":…,"dateExploration":…}`.
pub(crate) fn explored_tail(out: &mut Json, who: Option<AgentOut<'_>>, when: Option<DateTime>) {
    if who.is_none() && when.is_none() {
        out.extend_from_slice(crate::referentiel::UNEXPLORED_TAIL.as_bytes());
        return;
    }
    // The items a dossier explored name the same agent and date: the end of the last such
    // item is copied.
    let k: TailKey = (who.map(|a| a.0 as AgentKey), when.map(|d| d.0));
    if let Some((last, at)) = &out.last_tail
        && *last == k
    {
        let at = at.clone();
        out.copy_back(at);
        return;
    }
    let start = out.bytes.len();
    key(out, br#","agent":"#);
    match &who {
        Some(a) => agent(out, a),
        None => out.extend_from_slice(b"null"),
    }
    key(out, br#","dateExploration":"#);
    date_or_null(out, when.as_ref());
    out.push(b'}');
    out.last_tail = Some((k, start..out.bytes.len()));
}

fn thematique(out: &mut Json, t: &ThematiqueOut<'_>) {
    code_libelle(out, Some(t.head), t.code, t.libelle);
    key(out, br#","besoins":"#);
    list(out, &t.besoins, explored);
    out.push(b'}');
}

pub fn besoins_par_diagnostic(out: &mut Json, b: &BesoinsParDiagnosticOut<'_>) {
    key(out, br#"{"diagnostic":"#);
    diagnostic(out, &b.diagnostic);
    key(out, br#","dateDerniereExplorationBesoin":"#);
    date_or_null(out, b.date_derniere_exploration_besoin.as_ref());
    key(out, br#","agentDerniereExplorationBesoin":"#);
    match &b.agent_derniere_exploration_besoin {
        Some(a) => agent(out, a),
        None => out.extend_from_slice(b"null"),
    }
    key(out, br#","thematiquesBesoins":"#);
    list(out, &b.thematiques_besoins, thematique);
    out.push(b'}');
}

pub fn contrainte(out: &mut Json, c: &ContrainteOut<'_>) {
    code_libelle(out, c.head(), c.c.code, c.libelle());
    key(out, br#","valeur":"#);
    string(out, c.c.valeur);
    key(out, br#","estPrioritaire":"#);
    boolean(out, c.c.prioritaire);
    key(out, br#","dateExploration":"#);
    date_or_null(out, c.date().as_ref());
    key(out, br#","impact":"#);
    string(out, c.c.impact);
    key(out, br#","situations":"#);
    seq(out, c.situations().iter(), explored);
    key(out, br#","objectifs":"#);
    seq(out, c.objectifs().iter(), explored);
    out.push(b'}');
}

pub fn thematique_contrainte(out: &mut Json, t: &ThematiqueContrainteOut<'_>) {
    thematique_contrainte_with(out, t, contrainte);
}

/// The thematique contrainte, each of its contraintes written by `one`.
pub(crate) fn thematique_contrainte_with(
    out: &mut Json,
    t: &ThematiqueContrainteOut<'_>,
    one: impl Fn(&mut Json, &ContrainteOut<'_>),
) {
    key(out, br#"{"agent":"#);
    agent(out, &t.agent);
    key(out, br#","dateExploration":"#);
    date(out, &t.date_exploration);
    key(out, br#","code":"#);
    string(out, t.code);
    key(out, br#","libelle":"#);
    string(out, t.libelle);
    if let Some(s) = &t.declare_sans_contrainte {
        key(out, br#","declareSansContrainte":{"flag":"#);
        boolean(out, s.flag);
        key(out, br#","date":"#);
        date(out, &s.date);
        out.push(b'}');
    }
    key(out, br#","contraintes":"#);
    seq(out, t.contraintes.iter(), one);
    out.push(b'}');
}

pub fn pouvoir_agir(out: &mut Json, p: &PouvoirAgirOut<'_>) {
    key(out, br#"{"confiance":"#);
    string(out, p.confiance);
    key(out, br#","accompagnement":"#);
    string(out, p.accompagnement);
    key(out, br#","resultatAnalyse":"#);
    string(out, p.resultat_analyse);
    key(out, br#","agent":"#);
    agent(out, &p.agent);
    key(out, br#","dateExploration":"#);
    date(out, &p.date_exploration);
    out.push(b'}');
}

pub fn autonomie(out: &mut Json, a: &AutonomieOut<'_>) {
    autonomie_with(out, a, contrainte);
}

/// The autonomie numérique, its contrainte written by `one`.
pub(crate) fn autonomie_with(
    out: &mut Json,
    a: &AutonomieOut<'_>,
    one: impl FnOnce(&mut Json, &ContrainteOut<'_>),
) {
    key(out, br#"{"dateExploration":"#);
    date(out, &a.date_exploration);
    key(out, br#","agent":"#);
    agent(out, &a.agent);
    key(out, br#","contrainte":"#);
    one(out, &a.contrainte);
    key(out, br#","besoin":"#);
    explored(out, &a.besoin);
    out.push(b'}');
}

pub fn dossier(out: &mut Json, d: &DossierOut<'_>) {
    dossier_with(
        out,
        d,
        |out| besoins(out, &d.besoins_par_diagnostic),
        contrainte,
        contrainte,
    );
}

/// The dossier, the list of its diagnostics' besoins written by `besoins`, each contrainte
/// by `contrainte` and the autonomie numérique's by `autonomie_contrainte`.
pub(crate) fn dossier_with(
    out: &mut Json,
    d: &DossierOut<'_>,
    besoins: impl FnOnce(&mut Json),
    contrainte: impl Fn(&mut Json, &ContrainteOut<'_>),
    autonomie_contrainte: impl FnOnce(&mut Json, &ContrainteOut<'_>),
) {
    key(out, br#"{"besoinsParDiagnostic":"#);
    besoins(out);
    key(out, br#","thematiqueContrainte":"#);
    thematique_contrainte_with(out, &d.thematique_contrainte, contrainte);
    key(out, br#","pouvoirAgir":"#);
    match &d.pouvoir_agir {
        Some(p) => pouvoir_agir(out, p),
        None => out.extend_from_slice(b"null"),
    }
    key(out, br#","autonomieNumerique":"#);
    match &d.autonomie_numerique {
        Some(a) => autonomie_with(out, a, autonomie_contrainte),
        None => out.extend_from_slice(b"null"),
    }
    out.push(b'}');
}

/// `GET /besoins`: the list.
pub fn besoins(out: &mut Json, l: &[BesoinsParDiagnosticOut<'_>]) {
    list(out, l, besoins_par_diagnostic);
}

/// `GET /diagnostics`.
pub fn diagnostics(out: &mut Json, d: &DiagnosticsOut<'_>) {
    key(out, br#"{"diagnostics":"#);
    list(out, &d.diagnostics, diagnostic);
    out.push(b'}');
}

/// Writes `value` with `write` into a buffer of `capacity` bytes to start with.
pub fn render<T: ?Sized>(value: &T, capacity: usize, write: impl FnOnce(&mut Json, &T)) -> Vec<u8> {
    let mut out = Json {
        bytes: Vec::with_capacity(capacity),
        last_agent: None,
        last_date: None,
        last_tail: None,
    };
    write(&mut out, value);
    out.bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::{Agent, AgentFields, Explored};
    use crate::referentiel::Coded;
    use crate::views_v4;

    fn same<T: serde::Serialize + ?Sized>(value: &T, write: fn(&mut Json, &T)) {
        let by_serde = serde_json::to_vec(value).unwrap();
        let by_hand = render(value, 16, write);
        assert_eq!(
            String::from_utf8_lossy(&by_hand),
            String::from_utf8_lossy(&by_serde)
        );
    }

    #[test]
    fn every_view_writes_the_bytes_of_serde_json() {
        let s = crate::state::test_population();
        let mut seen = [0u32; 6];
        for index in (0..100_000).step_by(97) {
            let Some(d) = s.dossier(index) else { continue };
            same(&views_v4::dossier(&d), dossier);
            seen[0] += 1;
            same(
                &views_v4::thematique_contrainte(&d.contraintes),
                thematique_contrainte,
            );
            seen[1] += 1;
            if let Some(b) = views_v4::besoins(&d) {
                same(b.as_slice(), besoins);
                seen[2] += 1;
            }
            if let Some(x) = views_v4::diagnostics(&d) {
                same(&x, diagnostics);
                seen[3] += 1;
            }
            if let Some(p) = &d.pouvoir_agir {
                same(&views_v4::pouvoir_agir(p), pouvoir_agir);
                seen[4] += 1;
            }
            if let Some(a) = &d.autonomie {
                same(&views_v4::autonomie(a), autonomie);
                seen[5] += 1;
            }
        }
        // Every view was compared on many people.
        assert!(seen.iter().all(|&n| n > 50), "{seen:?}");
    }

    #[test]
    fn needs_escape_is_exact() {
        // Every byte value, at every position of strings of 1 to 17 bytes, among plain
        // bytes on either side of the thresholds (UTF-8 continuation bytes included).
        for fill in [b'a', b' ', b'!', b'#', b']', 0x80, 0xa9, 0xc3, 0xff] {
            for len in 1..=17 {
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut s = vec![fill; len];
                        s[at] = b;
                        let expected = b < 0x20 || b == b'"' || b == b'\\';
                        assert_eq!(needs_escape(&s), expected, "{b} at {at} of {len} in {fill}");
                    }
                }
            }
        }
        assert!(!needs_escape(b""));
        assert!(!needs_escape(
            "Accès à l'équipement « numérique »".as_bytes()
        ));
    }

    fn agent_named(nom: &str, prenom: &str, structure: &str, kind: &str) -> Agent {
        Agent::new(AgentFields {
            nom: nom.into(),
            prenom: prenom.into(),
            structure: structure.into(),
            kind: kind.into(),
            id: "X".into(),
        })
    }

    #[test]
    fn strings_that_need_escaping_and_dates_out_of_range() {
        let a = agent_named(
            "D'Artagnan \"le\" \\ Gascon",
            "Tab\there\nnewline\u{1}é",
            "Structure « sûre »",
            "AGENT",
        );
        same(&AgentOut::from(&a), agent);
        // "OUI" is one of its values (written with them), "NON" is not.
        let odd = Coded::new("1", "Accès \"prioritaire\"", &["OUI", "Ou \"bien\""]);
        let item = Explored {
            code: "1",
            valeur: "OUI",
            date_ms: Some(400_000_000_000_000),
            agent: Some(a.clone()),
        };
        let bare = Explored {
            date_ms: None,
            agent: None,
            ..item.clone()
        };
        let other = Explored {
            valeur: "NON",
            ..item.clone()
        };
        let cases = [
            (&item, None),
            (&item, Some(&odd)),
            (&bare, Some(&odd)),
            (&other, Some(&odd)),
        ];
        for (item, def) in cases {
            // Without a label, with the référentiel's pre-written start.
            let e = ExploredOut {
                item,
                def,
                fallback: None,
            };
            same(&e, explored);
            // An agent and a date shown when the item has none.
            same(
                &ExploredOut {
                    fallback: Some((&a, 1_700_000_000_000)),
                    ..e
                },
                explored,
            );
        }
    }

    #[test]
    fn agents_and_dates_copied_again_are_the_ones_given() {
        // Agents that differ in one string only, the same fields held elsewhere, none;
        // dates alike, different, none: each is written as given, copied or not.
        let martin = agent_named("Martin", "Henri", "Agence", "AGENT");
        let usager = agent_named("Martin", "Henri", "Agence", "USAGER");
        let again = agent_named("Martin", "Henri", "Agence", "AGENT");
        let agents = [
            Some(&martin),
            Some(&usager),
            Some(&martin),
            Some(&again),
            None,
        ];
        let dates = [
            Some(1_700_000_000_000),
            Some(1_700_000_000_000),
            Some(1_700_000_000_001),
            None,
        ];
        let items: Vec<Explored> = (0..30)
            .map(|i| Explored {
                code: "1",
                valeur: "BESOIN",
                agent: agents[i % agents.len()].cloned(),
                date_ms: dates[i % dates.len()],
            })
            .collect();
        let head = crate::referentiel::json_head("T", "Thématique");
        same(
            &ThematiqueOut {
                head: &head,
                code: "T",
                libelle: "Thématique",
                besoins: items
                    .iter()
                    .map(|item| ExploredOut {
                        item,
                        def: None,
                        fallback: None,
                    })
                    .collect(),
            },
            thematique,
        );
    }
}
