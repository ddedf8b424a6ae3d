//! What the data set says an answer should hold, and the comparison. Compares codes and
//! statuses only, so that a mismatch can be reported without personal data.

use contracts::catalogue::Era;
use contracts::manifest::Operation;
use domain::dataset::Case;

use super::plan::VersionPlan;
use super::record::Mismatch;
use crate::client::calls::Reply;

/// What the data set, or the operation's semantics, say of one answer.
#[derive(Debug, Clone)]
pub struct Expected {
    /// The statuses the answer may have: never empty, never a 5xx. Any other status fails
    /// the call, whatever its body (a 500 that conforms to the documented error schema is
    /// still a server failure).
    pub statuses: Vec<u16>,
    /// (what, JSON pointer, expected value), compared on a 200.
    pub values: Vec<(&'static str, String, String)>,
    /// Pointer of an inscription category that must be 1, 2, 3 or 5: RSA beneficiaries are
    /// registered in 1-3 when oriented to Pôle emploi, 5 otherwise (convention, Article 1).
    pub category_at: Option<String>,
}

impl Expected {
    /// Exactly one status.
    pub fn status(status: u16) -> Expected {
        Expected {
            statuses: vec![status],
            values: Vec::new(),
            category_at: None,
        }
    }

    /// The success statuses the operation documents (200, 201, 204 …; 200 when it documents
    /// none): a read or write of a person the case says nothing about.
    pub fn success_of(op: &Operation) -> Expected {
        let mut statuses: Vec<u16> = op
            .responses
            .iter()
            .map(|r| r.status)
            .filter(|s| (200..300).contains(s))
            .collect();
        if statuses.is_empty() {
            statuses.push(200);
        }
        Expected {
            statuses,
            values: Vec::new(),
            category_at: None,
        }
    }

    /// The expected statuses, for messages: `200 or 204`.
    pub fn statuses_label(&self) -> String {
        self.statuses
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

/// The search of a case. n-1 had no R002: a person followed elsewhere is found there.
pub fn of_search(case: &Case, p: &VersionPlan, op: &Operation) -> Expected {
    if !described(p) {
        return Expected::success_of(op);
    }
    let code = match (case.code_retour.as_str(), p.era) {
        ("R002", Era::Previous) => "S001",
        (c, _) => c,
    };
    let mut e = Expected::status(200);
    match code {
        // A refusal case: the only one where a 4xx passes.
        "R997" => e.statuses = vec![400],
        "R002" => {
            e.statuses = vec![403];
            e.values
                .push(("codeRetour", "/codeRetour".into(), code.into()));
        }
        _ => {
            e.values
                .push(("codeRetour", "/codeRetour".into(), code.into()));
            if let (Some(x), "S001") = (&case.expect, code) {
                let top = if x.certifie { "O" } else { "N" };
                e.values.push((
                    "topIdentiteCertifiee",
                    "/topIdentiteCertifiee".into(),
                    top.into(),
                ));
            }
        }
    }
    e
}

/// Whether the data set's expectations speak of this version: they are written for the
/// versions built into Vigie, whose field paths they name. An imported version (a v3 from a
/// contracts folder) is held to its contract and its documented statuses only.
fn described(p: &VersionPlan) -> bool {
    contracts::ContractStore::embedded().is_ok_and(|s| s.raw(p.api, p.major).is_some())
}

/// A per-person read of a case.
pub fn of_read(case: &Case, p: &VersionPlan, op: &Operation) -> Expected {
    let mut e = Expected::success_of(op);
    if !described(p) {
        return e;
    }
    let statut_paths = |n: Era| match n {
        Era::Current => ("/m_contrat/m_statut", "/m_contrat/m_categ_inscription_code"),
        Era::Previous => ("/statutDE", "/categInscriptionCode"),
    };
    if p.api == "statut-usager" {
        e.category_at = Some(statut_paths(p.era).1.into());
    }
    let Some(x) = &case.expect else {
        return e;
    };
    let documents = |s: u16| op.response(s).is_some();
    match (p.api, op.id.as_str()) {
        ("statut-usager", _) => {
            e.statuses = vec![x.statut];
            let (statut, categ) = statut_paths(p.era);
            if let Some(s) = &x.statut_de {
                e.values.push(("statutDE", statut.into(), s.clone()));
            }
            if let Some(c) = &x.categorie {
                e.values.push(("categorie", categ.into(), c.clone()));
            }
        }
        ("diagnostic-individu", "recuperer-dossier-individu") => e.statuses = vec![x.dossier],
        // A person without a dossier has nothing in any of its resources.
        ("diagnostic-individu", _) if x.dossier == 204 && documents(204) => e.statuses = vec![204],
        ("metiers-recherches", _) => e.statuses = vec![x.metiers],
        ("creation-entreprise", _) => e.statuses = vec![x.projets_cref],
        _ => {}
    }
    e
}

/// Differences between an answer and its expectation.
pub fn compare(e: &Expected, reply: &Reply) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if !e.statuses.contains(&reply.status) {
        out.push(Mismatch {
            what: if reply.status >= 500 {
                "HTTP status (a server error never passes)".into()
            } else {
                "HTTP status".into()
            },
            expected: e.statuses_label(),
            found: reply.status.to_string(),
        });
        return out;
    }
    let Some(body) = &reply.body else {
        return out;
    };
    if reply.status == 200 {
        for (what, pointer, want) in &e.values {
            let found = body.pointer(pointer).and_then(|v| v.as_str());
            let same = found.is_some_and(|f| f.trim().eq_ignore_ascii_case(want.trim()));
            if !same {
                out.push(Mismatch {
                    what: (*what).into(),
                    expected: want.clone(),
                    found: found.map_or_else(|| "absent".into(), code_only),
                });
            }
        }
    }
    if let (Some(pointer), 200) = (&e.category_at, reply.status)
        && let Some(c) = body.pointer(pointer).and_then(|v| v.as_str())
        && !matches!(c.trim(), "" | "1" | "2" | "3" | "5")
    {
        out.push(Mismatch {
            what: "categorie (RSA: 1, 2, 3 or 5)".into(),
            expected: "1, 2, 3 or 5".into(),
            found: code_only(c),
        });
    }
    out
}

/// A found value shown in a report only when it is a short code (never a name or an id).
fn code_only(v: &str) -> String {
    let t = v.trim();
    if t.len() <= 16
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ')
    {
        t.to_string()
    } else {
        format!("a text of {} characters", t.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Duration;

    fn reply(status: u16, body: serde_json::Value) -> Reply {
        Reply {
            status,
            body: Some(body),
            unreadable: None,
            elapsed: Duration::ZERO,
            attempts: 1,
            throttled: 0,
        }
    }

    #[test]
    fn statuses_values_and_categories() {
        let e = Expected {
            statuses: vec![200],
            values: vec![("codeRetour", "/codeRetour".into(), "S001".into())],
            category_at: Some("/c".into()),
        };
        assert!(compare(&e, &reply(200, json!({"codeRetour": "S001", "c": "2"}))).is_empty());
        let m = compare(&e, &reply(200, json!({"codeRetour": "S002", "c": "4"})));
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].found, "4");
        let m = compare(&e, &reply(204, json!(null)));
        assert_eq!(
            (m[0].expected.as_str(), m[0].found.as_str()),
            ("200", "204")
        );
        // A long value is described, never shown.
        let m = compare(
            &e,
            &reply(
                200,
                json!({"codeRetour": "Jean-Pierre Martin de la Fontaine"}),
            ),
        );
        assert_eq!(m[0].found, "a text of 33 characters");
    }

    #[test]
    fn a_server_error_fails_even_with_a_documented_error_body() {
        let e = Expected {
            statuses: vec![200, 204],
            values: Vec::new(),
            category_at: None,
        };
        let m = compare(
            &e,
            &reply(
                500,
                json!({"codeErreur": "X", "codeHttp": 500, "message": "m"}),
            ),
        );
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].expected, "200 or 204");
        assert!(m[0].what.contains("server error"));
        // A refusal passes only where the case is a refusal case.
        assert_eq!(compare(&e, &reply(403, json!({}))).len(), 1);
        assert!(compare(&Expected::status(403), &reply(403, json!({}))).is_empty());
    }
}
