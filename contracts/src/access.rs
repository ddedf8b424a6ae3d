//! How an OpenAPI document says its API is called: the OAuth2 client-credentials scheme (its
//! token URL's realm, its scopes) and the headers of the current style (`pa-*`,
//! `ft-jeton-usager`). Recorded in the imported manifest; the catalogue has the last word.

use serde_json::Value;

use crate::catalogue::Era;
use crate::manifest::{Access, Operation};

/// The access a document declares, when it declares an OAuth2 client-credentials flow.
pub fn declared(doc: &Value, operations: &[Operation]) -> Option<Access> {
    let schemes = doc.pointer("/components/securitySchemes")?.as_object()?;
    let flow = schemes
        .values()
        .filter(|s| s.get("type").and_then(Value::as_str) == Some("oauth2"))
        .find_map(|s| s.pointer("/flows/clientCredentials"))?;
    let token_url = flow.get("tokenUrl").and_then(Value::as_str).unwrap_or("");
    let realm = realm_of(token_url);
    let scopes = flow
        .get("scopes")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let current_headers = operations.iter().flat_map(|o| &o.parameters).any(|p| {
        p.location == "header"
            && (p.name.eq_ignore_ascii_case("ft-jeton-usager")
                || p.name.to_ascii_lowercase().starts_with("pa-"))
    });
    let style = if current_headers || realm != "/partenaire" {
        Era::Current
    } else {
        Era::Previous
    };
    Some(Access {
        realm,
        scopes,
        style,
    })
}

/// The realm of a token URL: its `realm=` query value, else the segment after `oauth2/`
/// (`…/oauth2/agent/access_token`), else `/agent`.
fn realm_of(url: &str) -> String {
    if let Some((_, q)) = url.split_once('?') {
        for pair in q.split('&') {
            if let Some(v) = pair.strip_prefix("realm=") {
                let v = v.replace("%2F", "/").replace("%2f", "/");
                return if v.starts_with('/') {
                    v
                } else {
                    format!("/{v}")
                };
            }
        }
    }
    let path = url.split('?').next().unwrap_or("");
    match path.split_once("/oauth2/") {
        Some((_, rest)) => match rest.split('/').next() {
            Some(seg) if !seg.is_empty() && seg != "access_token" && seg != "authorize" => {
                format!("/{seg}")
            }
            _ => "/agent".into(),
        },
        None => "/agent".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_realm_comes_from_the_query_or_the_path() {
        assert_eq!(
            realm_of("https://x/connexion/oauth2/access_token?realm=/agent"),
            "/agent"
        );
        assert_eq!(
            realm_of("https://x/connexion/oauth2/access_token?realm=%2Fpartenaire"),
            "/partenaire"
        );
        assert_eq!(
            realm_of("https://x/connexion/oauth2/agent/access_token"),
            "/agent"
        );
        assert_eq!(realm_of(""), "/agent");
    }

    #[test]
    fn the_official_statut_document_declares_the_agent_realm_and_its_scopes() {
        let doc: Value =
            serde_json::from_str(include_str!("../openapi/statut-usager.json")).unwrap();
        let a = declared(&doc, &[]).unwrap();
        assert_eq!(a.realm, "/agent");
        assert_eq!(
            a.scopes,
            [
                "api_contrat-usagerv2",
                "statutcontratusager",
                "profil_accedant"
            ]
        );
        assert_eq!(a.style, Era::Current);
    }
}
