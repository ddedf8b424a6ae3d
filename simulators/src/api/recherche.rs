//! Recherche usager: v1 (NIR + birth date → idRci) and v2 (→ jeton usager, or by numéro
//! France Travail). Only people registered or deregistered less than 3 years ago are found.

use axum::body::Body;
use axum::extract::{Extension, Request, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::civil::parse_date;
use crate::http::answer;
use crate::http::error::{ApiError, Family};
use crate::platform::guard::Caller;
use crate::platform::guard::guarded;
use crate::population::person::{Known, Person};
use crate::state::SimState;
use axum::Router;
use axum::routing::post;

const OP_NIR: &str = "rechercher-usager-par-date-naissance-et-nir";
const OP_NUMERO: &str = "rechercher-usager-par-numero-france-travail";

enum Outcome {
    Found(Person),
    None,
    Several,
    /// Known, but followed by another structure (R002 in v2; v1 had no such rule).
    OtherStructure(Person),
}

/// The body of a search by NIR (both versions): two strings, both required, nothing else
/// constrained by the contracts.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ByNir {
    nir: String,
    date_naissance: String,
}

/// Finds a person by NIR (13 or 15 characters, key checked) and birth date.
fn by_nir(s: &SimState, body: &ByNir, now_ms: i64) -> Result<Outcome, &'static str> {
    let nir = body.nir.trim();
    let nir: std::borrow::Cow<str> = if nir.bytes().any(|b| b.is_ascii_lowercase()) {
        nir.to_ascii_uppercase().into()
    } else {
        nir.into()
    };
    contracts::nir::validate(&nir)
        .map_err(|_| "NIR invalide (13 caractères, ou 15 avec une clé juste)")?;
    let birth = parse_date(&body.date_naissance).ok_or("dateNaissance invalide (AAAA-MM-JJ)")?;
    let Some(index) = s.codec.index_of(&nir) else {
        return Ok(Outcome::None);
    };
    let p = s.person_at(index, now_ms);
    if p.identity.birth != birth {
        return Ok(Outcome::None);
    }
    Ok(classify(p))
}

fn classify(p: Person) -> Outcome {
    match p.known {
        Known::Found => Outcome::Found(p),
        Known::Forgotten => Outcome::None,
        Known::Homonyms => Outcome::Several,
        Known::OtherStructure => Outcome::OtherStructure(p),
    }
}

pub(crate) async fn v1(State(s): State<SimState>, headers: HeaderMap, body: Body) -> Response {
    // v1's contract constrains the NIR (pattern) and the date (format): checked in full.
    let body =
        match crate::http::body::read(&s, &headers, body, "recherche-usager", "v1", OP_NIR).await {
            Ok(b) => b,
            Err(r) => return r,
        };
    let Ok(body) = serde_json::from_value::<ByNir>(body) else {
        return ApiError::bad_request(Family::RechercheV1, "corps de requête JSON illisible")
            .into_response();
    };
    let outcome = match by_nir(&s, &body, s.now_ms()) {
        Ok(o) => o,
        Err(m) => return ApiError::bad_request(Family::RechercheV1, m).into_response(),
    };
    match outcome {
        Outcome::Found(p) | Outcome::OtherStructure(p) => found_v1(&s, &p),
        Outcome::None => answer::ok(ResultatV1::nobody("S002", "Aucun approchant trouvé")),
        Outcome::Several => answer::ok(ResultatV1::nobody("S003", "Plusieurs approchants trouvés")),
    }
}

fn found_v1(s: &SimState, p: &Person) -> Response {
    answer::ok(ResultatV1 {
        code_retour: "S001",
        identifiant: Some(s.keys.id_rci(p.index)),
        message: "Approchant trouvé",
        top_identite_certifiee: Some(if p.certified { "O" } else { "N" }),
    })
}

/// `ResultatRechercheIndividuDTO` of Rechercher usager 1.0.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultatV1 {
    code_retour: &'static str,
    identifiant: Option<String>,
    message: &'static str,
    top_identite_certifiee: Option<&'static str>,
}

impl ResultatV1 {
    /// A 200 that names nobody (S002, S003).
    fn nobody(code_retour: &'static str, message: &'static str) -> ResultatV1 {
        ResultatV1 {
            code_retour,
            identifiant: None,
            message,
            top_identite_certifiee: None,
        }
    }
}

/// `ResultatDTO` of Rechercher usager 2.0.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultatV2<'a> {
    code_retour: &'static str,
    message: &'static str,
    top_identite_certifiee: Option<&'static str>,
    jeton_usager: Option<String>,
    numero_france_travail: Option<&'a str>,
}

impl ResultatV2<'_> {
    /// A 200 that names nobody (S002, S003).
    fn nobody(code_retour: &'static str, message: &'static str) -> Response {
        answer::ok(ResultatV2 {
            code_retour,
            message,
            top_identite_certifiee: None,
            jeton_usager: None,
            numero_france_travail: None,
        })
    }
}

fn found_v2(s: &SimState, p: &Person, caller: &Caller) -> Response {
    answer::ok(ResultatV2 {
        code_retour: "S001",
        message: "Usager trouvé",
        top_identite_certifiee: Some(if p.certified { "O" } else { "N" }),
        jeton_usager: Some(s.keys.jeton(&caller.claims.client, p.index, caller.now_ms)),
        numero_france_travail: Some(&p.numero_france_travail),
    })
}

fn answer_v2(s: &SimState, caller: &Caller, outcome: Outcome) -> Response {
    if !caller.habilite {
        return ApiError::RechercheRefused("R001").into_response();
    }
    match outcome {
        Outcome::Found(p) => found_v2(s, &p, caller),
        Outcome::None => ResultatV2::nobody("S002", "Aucun usager trouvé"),
        Outcome::Several => ResultatV2::nobody("S003", "Plusieurs usagers trouvés"),
        Outcome::OtherStructure(_) => ApiError::RechercheRefused("R002").into_response(),
    }
}

pub(crate) async fn v2_by_nir(
    State(s): State<SimState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let body: ByNir = match crate::http::body::read_as(
        &s,
        &parts.headers,
        body,
        "recherche-usager",
        "v2",
        OP_NIR,
    )
    .await
    {
        Ok(b) => b,
        Err(r) => return r,
    };
    match by_nir(&s, &body, caller.now_ms) {
        Ok(o) => answer_v2(&s, &caller, o),
        Err(m) => ApiError::bad_request(Family::RechercheV2, m).into_response(),
    }
}

pub(crate) async fn v2_by_numero(
    State(s): State<SimState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let body = match crate::http::body::read(
        &s,
        &parts.headers,
        body,
        "recherche-usager",
        "v2",
        OP_NUMERO,
    )
    .await
    {
        Ok(b) => b,
        Err(r) => return r,
    };
    let numero = body["numeroFranceTravail"].as_str().unwrap_or_default();
    if numero.len() != 11 || !numero.bytes().all(|c| c.is_ascii_digit()) {
        return ApiError::bad_request(
            Family::RechercheV2,
            "numeroFranceTravail : 11 chiffres attendus",
        )
        .into_response();
    }
    let outcome =
        match crate::population::person::index_of_numero(s.config.seed, s.config.people, numero) {
            Some(i) => classify(s.person_at(i, caller.now_ms)),
            None => Outcome::None,
        };
    answer_v2(&s, &caller, outcome)
}

/// Both versions, each behind its guard.
pub(crate) fn router(s: &SimState) -> Router<SimState> {
    let v1 = Router::new().route(
        "/partenaire/rechercher-usager/v1/usagers/recherche",
        post(v1),
    );
    let v2 = Router::new()
        .route(
            "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
            post(v2_by_nir),
        )
        .route(
            "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail",
            post(v2_by_numero),
        );
    guarded(s, "recherche-usager", "v1", v1).merge(guarded(s, "recherche-usager", "v2", v2))
}
