//! The router: the token endpoint, the OpenAPI documents, and each API version behind its
//! guard. `app(state)` is what `vigie simulate` serves and what tests call with `oneshot`.

use axum::Router;
use axum::routing::MethodFilter;
use axum::routing::{get, post};

use crate::guard::GuardLayer;
use crate::responses;
use crate::routes::{
    admin, diagnostic_v1 as d1, diagnostic_v4 as d4, docs, profile, recherche, statut, token,
};
use crate::state::SimState;
use crate::views_history::HistoryFilter;

fn guarded(
    state: &SimState,
    api: &'static str,
    major: &'static str,
    routes: Router<SimState>,
) -> Router<SimState> {
    routes.route_layer(GuardLayer::new(state, api, major))
}

/// The simulators of every API, both versions.
pub fn app(state: SimState) -> Router {
    let s = &state;
    let rech1 = Router::new().route(
        "/partenaire/rechercher-usager/v1/usagers/recherche",
        post(recherche::v1),
    );
    let rech2 = Router::new()
        .route(
            "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
            post(recherche::v2_by_nir),
        )
        .route(
            "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail",
            post(recherche::v2_by_numero),
        );
    let stat1 = Router::new().route(
        "/partenaire/contrat-usager/v1/contrat/{id}",
        get(statut::v1),
    );
    let stat2 = Router::new().route("/partenaire/contrat-usager/v2/contrat", get(statut::v2));
    let met1 = Router::new().route(
        "/partenaire/metiers-profil-competences/v1/metiers-recherches/{id}",
        get(profile::metiers_v1),
    );
    let met2 = Router::new().route(
        "/partenaire/metiers-projets-entreprises/v2/metiers-recherches",
        get(profile::metiers_v2),
    );
    let cref1 = Router::new().route(
        "/partenaire/projet-creation-entreprise/v1/projets-cref/{id}",
        get(profile::crefs_v1),
    );
    let cref2 = Router::new().route(
        "/partenaire/metiers-projets-entreprises/v2/projets-cref",
        get(profile::crefs_v2),
    );
    let p1 = "/partenaire/diagnosticargumente/v1/individus/{id}";
    let diag1 = Router::new()
        .route(p1, get(d1::dossier))
        .route(&format!("{p1}/besoins"), get(d1::besoins))
        .route(
            &format!("{p1}/diagnostics"),
            get(d1::diagnostics).put(d1::modify_diagnostic),
        )
        .route(
            &format!("{p1}/contraintes"),
            get(d1::contraintes).post(d1::save_contraintes),
        )
        .route(&format!("{p1}/pouvoir-agir"), get(d1::pouvoir_agir));
    let p4 = "/partenaire/diagnosticargumente/v4";
    let diag4 = Router::new()
        .route(
            &format!("{p4}/dossiers"),
            d4::reading(d4::DOSSIER).merge(d4::writing(MethodFilter::POST, d4::SAVE_DOSSIER)),
        )
        .route(
            &format!("{p4}/autonomienumerique"),
            d4::reading(d4::AUTONOMIE).merge(d4::writing(MethodFilter::POST, d4::SAVE_AUTONOMIE)),
        )
        .route(&format!("{p4}/besoins"), d4::reading(d4::BESOINS))
        .route(
            &format!("{p4}/contraintes"),
            d4::reading(d4::CONTRAINTES)
                .merge(d4::writing(MethodFilter::POST, d4::SAVE_CONTRAINTES)),
        )
        .route(
            &format!("{p4}/diagnostics"),
            d4::reading(d4::DIAGNOSTICS)
                .merge(d4::writing(MethodFilter::POST, d4::CREATE_DIAGNOSTIC)),
        )
        .route(
            &format!("{p4}/diagnostics/{{id}}"),
            d4::writing_at(MethodFilter::PUT, d4::MODIFY_DIAGNOSTIC),
        )
        .route(
            &format!("{p4}/diagnostics/{{id}}/besoins"),
            d4::writing_at(MethodFilter::POST, d4::SAVE_BESOINS),
        )
        .route(
            &format!("{p4}/diagnostics/{{id}}/priorise"),
            d4::writing_at(MethodFilter::POST, d4::PRIORITISE),
        )
        .route(
            &format!("{p4}/diagnostics/{{id}}/supprime"),
            d4::writing_at(MethodFilter::POST, d4::DELETE_DIAGNOSTIC),
        )
        .route(
            &format!("{p4}/dossiers/historisation"),
            d4::history_of(HistoryFilter::Dossier),
        )
        .route(
            &format!("{p4}/historisation/autonomienumerique"),
            d4::history_of(HistoryFilter::Autonomie),
        )
        .route(
            &format!("{p4}/historisation/contraintes"),
            d4::history_of(HistoryFilter::Contraintes),
        )
        .route(
            &format!("{p4}/historisation/diagnostics"),
            d4::history_of(HistoryFilter::Diagnostics),
        )
        .route(
            &format!("{p4}/historisation/diagnostics/{{id}}/besoins"),
            get(d4::history_besoins),
        )
        .route(
            &format!("{p4}/historisation/pouvoiragir"),
            d4::history_of(HistoryFilter::PouvoirAgir),
        )
        .route(
            &format!("{p4}/pouvoiragir"),
            d4::reading(d4::POUVOIR_AGIR)
                .merge(d4::writing(MethodFilter::POST, d4::SAVE_POUVOIR_AGIR)),
        )
        .route(&format!("{p4}/referentiel"), get(d4::referentiel))
        .route(
            &format!("{p4}/referentiel/pouvoir-agir/analyse"),
            get(d4::referentiel_analyse),
        )
        .route(
            &format!("{p4}/referentiel/{{domaine}}"),
            get(d4::referentiel_domain),
        )
        .route(
            &format!("{p4}/referentiel/{{domaine}}/{{sous}}"),
            get(d4::referentiel_sub_domain),
        );
    Router::new()
        .route("/connexion/oauth2/access_token", post(token::access_token))
        .route("/openapi", get(docs::index))
        .route("/openapi/{api}/{version}", get(docs::document))
        .merge(guarded(s, "recherche-usager", "v1", rech1))
        .merge(guarded(s, "recherche-usager", "v2", rech2))
        .merge(guarded(s, "statut-usager", "v1", stat1))
        .merge(guarded(s, "statut-usager", "v2", stat2))
        .merge(guarded(s, "metiers-recherches", "v1", met1))
        .merge(guarded(s, "metiers-recherches", "v2", met2))
        .merge(guarded(s, "creation-entreprise", "v1", cref1))
        .merge(guarded(s, "creation-entreprise", "v2", cref2))
        .merge(guarded(s, "diagnostic-individu", "v1", diag1))
        .merge(guarded(s, "diagnostic-individu", "v4", diag4))
        .fallback(|| async { responses::not_found() })
        .with_state(state)
}

/// The admin endpoint: serve it on a loopback listener of its own.
pub fn admin_app(state: SimState) -> Router {
    Router::new()
        .route(
            "/admin/faults",
            get(admin::get_faults)
                .put(admin::put_faults)
                .delete(admin::clear_faults),
        )
        .fallback(|| async { responses::not_found() })
        .with_state(state)
}
