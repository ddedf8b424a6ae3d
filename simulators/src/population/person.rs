//! A synthetic person, derived from (seed, index) whenever needed: identity, whether Pôle
//! emploi knows them, their statut (coherent dates, durations and RSA category), and which
//! APIs have data for them. Dates are offsets from today, so a person's case never changes.

use crate::civil::DAY_MS;
use crate::diagnostic::referentiel::{
    CATEGORIES, MOTIFS_CLOTURE, MOTIFS_INSCRIPTION, SITUATIONS_EMPLOI,
};
use crate::population::nir_codec::{Identity, NirCodec};
use crate::population::rng::Draw;

/// What a search by NIR and birth date finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// Registered, or deregistered less than 3 years ago: S001.
    Found,
    /// Deregistered more than 3 years ago: S002, as if unknown.
    Forgotten,
    /// Several people answer to this NIR and birth date: S003.
    Homonyms,
    /// Known, but followed by another structure than the caller's: R002 (v2).
    OtherStructure,
}

/// Statut DE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatutKind {
    Identifie,
    Inscrit,
    Cesse,
    Radie,
}

impl StatutKind {
    pub fn label(self) -> &'static str {
        match self {
            StatutKind::Identifie => "Identifié",
            StatutKind::Inscrit => "Inscrit",
            StatutKind::Cesse => "Cessé",
            StatutKind::Radie => "Radié",
        }
    }
}

/// The statut of a person, as both versions of Statut usager show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statut {
    pub kind: StatutKind,
    /// Day number (days since the epoch) of the statut's effect.
    pub effect_day: i64,
    /// Months registered within the last 12, 24 and 36 months.
    pub months: [i64; 3],
    pub motif: Option<(&'static str, &'static str)>,
    pub categorie: Option<(&'static str, &'static str)>,
    pub situation: Option<(&'static str, &'static str)>,
    pub cloture: Option<(&'static str, &'static str)>,
}

/// Everything about one synthetic person that is not their diagnostic dossier.
#[derive(Debug, Clone)]
pub struct Person {
    pub index: u64,
    pub identity: Identity,
    pub known: Known,
    pub certified: bool,
    /// 11 digits.
    pub numero_france_travail: String,
    /// `None`: Statut usager answers 204.
    pub statut: Option<Statut>,
    /// RSA beneficiary oriented to Pôle emploi (categories 1-3) or not (5).
    pub oriented: bool,
    pub has_dossier: bool,
    pub metiers: u8,
    pub crefs: u8,
}

/// Days after which a deregistered person is no longer found (3 years).
pub(crate) const FORGET_AFTER_DAYS: i64 = 3 * 365;

const NUMERO_BASE: u64 = 10_000_000_000;

/// The person of an index. `today` is a day number.
pub(crate) fn derive(codec: &NirCodec, seed: u64, index: u64, today: i64) -> Person {
    let t = traits(seed, index, today);
    Person {
        index,
        identity: codec.identity(index),
        known: t.known,
        certified: t.certified,
        numero_france_travail: itoa::Buffer::new()
            .format(NUMERO_BASE + numero_of(seed, index))
            .to_owned(),
        statut: t.statut,
        oriented: t.oriented,
        has_dossier: t.has_dossier,
        metiers: t.metiers,
        crefs: t.crefs,
    }
}

/// What the draws say of a person (all of [`Person`] but who they are): for a question
/// like "has a dossier?", without writing their identity.
#[derive(Debug, Clone)]
pub(crate) struct Traits {
    pub known: Known,
    pub oriented: bool,
    pub statut: Option<Statut>,
    pub certified: bool,
    pub has_dossier: bool,
    pub metiers: u8,
    pub crefs: u8,
}

pub(crate) fn traits(seed: u64, index: u64, today: i64) -> Traits {
    let mut d = Draw::new(seed, index, "person");
    let roll = d.below(1000);
    let known = match roll {
        0..=49 => Known::Forgotten,
        50..=59 => Known::Homonyms,
        60..=69 => Known::OtherStructure,
        _ => Known::Found,
    };
    let oriented = d.chance(700);
    let statut = statut(&mut d, known, oriented, today);
    Traits {
        known,
        oriented,
        statut,
        certified: d.chance(850),
        has_dossier: d.chance(900),
        metiers: if d.chance(800) {
            d.range(1, 3) as u8
        } else {
            0
        },
        crefs: u8::from(d.chance(250)),
    }
}

fn statut(d: &mut Draw, known: Known, oriented: bool, today: i64) -> Option<Statut> {
    let kind_roll = d.below(1000);
    if known == Known::Found && kind_roll >= 950 {
        return None; // no data: 204
    }
    let kind = if known == Known::Forgotten {
        if d.chance(500) {
            StatutKind::Radie
        } else {
            StatutKind::Cesse
        }
    } else {
        match kind_roll {
            0..=549 => StatutKind::Inscrit,
            550..=699 => StatutKind::Radie,
            700..=819 => StatutKind::Cesse,
            _ => StatutKind::Identifie,
        }
    };
    let (start, end, effect) = match kind {
        StatutKind::Inscrit => {
            let start = today - d.range(20, 2000);
            (Some(start), today, start)
        }
        StatutKind::Radie | StatutKind::Cesse => {
            let ago = if known == Known::Forgotten {
                d.range(FORGET_AFTER_DAYS + 30, 2500)
            } else {
                d.range(5, FORGET_AFTER_DAYS - 30)
            };
            let end = today - ago;
            (Some(end - d.range(60, 1500)), end, end)
        }
        StatutKind::Identifie => (None, today, today - d.range(10, 3000)),
    };
    let months = [12, 24, 36].map(|window| match start {
        Some(s) => overlap_months(s, end, today - window * 304 / 10, today).min(window),
        None => 0,
    });
    let registered = start.is_some();
    let categorie = registered.then(|| {
        if oriented {
            *d.pick(&CATEGORIES[..3])
        } else {
            CATEGORIES[3]
        }
    });
    Some(Statut {
        kind,
        effect_day: effect,
        months,
        motif: registered.then(|| *d.pick(MOTIFS_INSCRIPTION)),
        categorie,
        situation: registered.then(|| {
            if d.chance(700) {
                SITUATIONS_EMPLOI[2]
            } else {
                *d.pick(&SITUATIONS_EMPLOI[..2])
            }
        }),
        cloture: matches!(kind, StatutKind::Radie | StatutKind::Cesse)
            .then(|| *d.pick(MOTIFS_CLOTURE)),
    })
}

fn overlap_months(a_start: i64, a_end: i64, b_start: i64, b_end: i64) -> i64 {
    let days = (a_end.min(b_end) - a_start.max(b_start)).max(0);
    days * 10 / 304
}

/// The numéro France Travail of an index: an affine permutation of 0..10^10.
fn numero_of(seed: u64, index: u64) -> u64 {
    let (a, b) = numero_keys(seed);
    ((u128::from(a) * u128::from(index) + u128::from(b)) % u128::from(NUMERO_BASE)) as u64
}

fn numero_keys(seed: u64) -> (u64, u64) {
    // Odd and not a multiple of 5: invertible modulo 10^10.
    let mut a = (crate::population::rng::mix(seed ^ 0xF7) % NUMERO_BASE) | 1;
    while a.is_multiple_of(5) {
        a += 2;
    }
    (a, crate::population::rng::mix(seed ^ 0x7F) % NUMERO_BASE)
}

/// The index of a numéro France Travail, if it is one of this population's.
pub(crate) fn index_of_numero(seed: u64, people: u64, numero: &str) -> Option<u64> {
    if numero.len() != 11 || !numero.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: u64 = numero.parse().ok()?;
    let x = n.checked_sub(NUMERO_BASE)?;
    let (a, b) = numero_keys(seed);
    let a_inv = crate::population::rng::mod_inverse(a, NUMERO_BASE);
    let idx = ((u128::from((x + NUMERO_BASE - b) % NUMERO_BASE) * u128::from(a_inv))
        % u128::from(NUMERO_BASE)) as u64;
    (idx < people).then_some(idx)
}

/// Today's day number of a clock reading.
pub(crate) fn today(now_ms: i64) -> i64 {
    now_ms.div_euclid(DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statut_is_coherent_for_many_people() {
        let codec = NirCodec::new(7, 20_000);
        let today = 20_000;
        let mut seen = std::collections::HashSet::new();
        for i in 0..20_000 {
            let p = derive(&codec, 7, i, today);
            assert_eq!(
                index_of_numero(7, 20_000, &p.numero_france_travail),
                Some(i)
            );
            let Some(s) = &p.statut else { continue };
            seen.insert((format!("{:?}", p.known), s.kind.label()));
            assert!(
                s.months[0] <= s.months[1] && s.months[1] <= s.months[2],
                "{s:?}"
            );
            assert!(s.months[0] <= 12 && s.months[2] <= 36);
            match s.kind {
                StatutKind::Identifie => assert!(s.categorie.is_none() && s.months == [0, 0, 0]),
                _ => {
                    let cat = s.categorie.unwrap().0;
                    assert!(["1", "2", "3", "5"].contains(&cat));
                    assert_eq!(p.oriented, cat != "5", "RSA: oriented ⇔ category 1-3");
                }
            }
            if matches!(s.kind, StatutKind::Radie | StatutKind::Cesse) {
                let ago = today - s.effect_day;
                assert_eq!(
                    p.known == Known::Forgotten,
                    ago > FORGET_AFTER_DAYS,
                    "{ago}"
                );
                assert!(s.cloture.is_some());
            }
        }
        // Every case occurs.
        for k in ["Found", "Forgotten", "Homonyms", "OtherStructure"] {
            assert!(seen.iter().any(|(x, _)| x == k), "{k}");
        }
    }
}
