//! The calls of a partner's journey, read from the contracts: for one era, the search and
//! the reads of one person, each with its route template (the name under which it is
//! measured: never an identifier), realm and scopes.

use contracts::catalogue;
use contracts::store::ContractStore;

use crate::error::LoadError;

/// One call of the journey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub api: &'static str,
    pub major: &'static str,
    pub method: &'static str,
    /// `/partenaire/.../contrat/{idNat}`.
    pub template: String,
    pub realm: &'static str,
    pub scopes: String,
    /// The name it is measured under: `<api> <major> <template>`.
    pub name: String,
}

impl Route {
    /// The path to call for a person (n-1: the encrypted id, URL-encoded, in the path).
    pub fn path(&self, id: Option<&str>) -> String {
        let mut p = self.template.clone();
        if let (Some(id), Some(a)) = (id, p.find('{'))
            && let Some(b) = p[a..].find('}')
        {
            p.replace_range(a..a + b + 1, &contracts::url::encode_segment(id));
        }
        p
    }
}

/// The reads of the journey, in the order an agent opens them.
pub const READS: &[(&str, &str)] = &[
    ("statut-usager", "recuperer-contrat"),
    ("diagnostic-individu", "recuperer-dossier-individu"),
    ("diagnostic-individu", "recuperer-besoins-individu"),
    ("diagnostic-individu", "recuperer-contraintes-individu"),
    ("metiers-recherches", "recuperer-metiers-recherches"),
    ("creation-entreprise", "recuperer-projets"),
];

pub const SEARCH: (&str, &str) = (
    "recherche-usager",
    "rechercher-usager-par-date-naissance-et-nir",
);

/// The route of one operation in one version (`n`, `n-1` or a major).
pub fn route(
    store: &ContractStore,
    api: &str,
    op: &str,
    version: &str,
) -> Result<Route, LoadError> {
    let info = catalogue::api(api).map_err(|e| LoadError::Contracts(e.to_string()))?;
    let v = info
        .version(version)
        .map_err(|e| LoadError::Contracts(e.to_string()))?;
    let loaded = store
        .raw(&info.id, &v.major)
        .ok_or_else(|| LoadError::Contracts(format!("no contract for {api} {}", v.major)))?;
    let o = loaded
        .manifest
        .operation(op)
        .ok_or_else(|| LoadError::Contracts(format!("no operation {op} in {api} {}", v.major)))?;
    let template = format!(
        "{}{}{}",
        loaded.manifest.base_path,
        o.path,
        o.required_query()
    );
    let method = if o.method == "POST" { "POST" } else { "GET" };
    Ok(Route {
        api: &info.id,
        major: &v.major,
        method,
        name: format!("{} {} {template}", info.id, v.major),
        template,
        realm: &v.realm,
        scopes: v.scopes.join(" "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_of_both_eras() {
        let store = ContractStore::embedded().unwrap();
        let r = route(store, "statut-usager", "recuperer-contrat", "n-1").unwrap();
        assert_eq!(r.template, "/partenaire/contrat-usager/v1/contrat/{idNat}");
        assert_eq!(
            r.path(Some("ab#c")),
            "/partenaire/contrat-usager/v1/contrat/ab%23c"
        );
        assert_eq!(
            r.name,
            "statut-usager v1 /partenaire/contrat-usager/v1/contrat/{idNat}"
        );
        let s = route(store, SEARCH.0, SEARCH.1, "n").unwrap();
        assert_eq!(s.method, "POST");
        assert_eq!(s.realm, "/agent");
        for (api, op) in READS {
            route(store, api, op, "n").unwrap();
            route(store, api, op, "n-1").unwrap();
        }
    }
}
