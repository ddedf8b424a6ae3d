//! Our contracts → an OpenAPI 3.1 document of what a server of that version serves (answers
//! under the default contract profile, `convention`), with the access platform's own answers (302 without `pa-*` headers, 401, 403, 429) on every
//! operation. The simulators serve it; fuzzers and integration engineers read it.

use serde_json::{Map, Value, json};

use crate::catalogue::{ApiInfo, Era, VersionInfo};
use crate::store::LoadedVersion;

fn schema_for_openapi(schema: &Value) -> Value {
    let mut s = schema.clone();
    if let Some(m) = s.as_object_mut() {
        m.remove("$schema");
    }
    s
}

fn gateway_error() -> Value {
    json!({"type": "object", "required": ["error"], "properties": {
        "error": {"type": "string"}, "error_description": {"type": "string"}}})
}

fn backend_error() -> Value {
    json!({"type": "object", "properties": {
        "codeErreur": {"type": "string"}, "codeHttp": {"type": "integer"}, "message": {"type": "string"},
        "codeRetour": {"type": "string"}, "identifiant": {"type": ["string", "null"]},
        "topIdentiteCertifiee": {"type": ["string", "null"]}, "jetonUsager": {"type": ["string", "null"]}}})
}

/// The OpenAPI document of one API version, served at `server` (scheme, host and port).
pub fn openapi(
    api: &ApiInfo,
    version: &VersionInfo,
    loaded: &LoadedVersion,
    server: &str,
) -> Value {
    let mut paths = Map::new();
    for op in &loaded.manifest.operations {
        let mut responses = Map::new();
        for r in &op.responses {
            let mut resp = json!({"description": if r.description.is_empty() { format!("status {}", r.status) } else { r.description.clone() }});
            if let (Some(ct), Some(file)) = (&r.content_type, &r.schema)
                && let Some(schema) = loaded.schemas.get(file)
            {
                // What the server answers to: the default contract (the publisher's schema with
                // the presence rules: required fields listed, nulls the platform sends allowed).
                let rules = loaded
                    .presence
                    .as_ref()
                    .and_then(|p| p.body(&op.id, r.status));
                let contract =
                    crate::presence::apply(schema, rules, crate::presence::Profile::Convention);
                resp["content"] = json!({ ct: {"schema": schema_for_openapi(&contract)} });
            }
            responses.insert(r.status.to_string(), resp);
        }
        let json_error = |d: &str, schema: Value| json!({"description": d, "content": {"application/json": {"schema": schema}}});
        responses.entry("400").or_insert_with(|| {
            json_error(
                "Entrée refusée (identifiant, paramètre ou corps invalide)",
                backend_error(),
            )
        });
        responses.entry("401").or_insert_with(|| {
            json_error(
                "Plateforme : jeton d'accès ou jeton usager absent, invalide ou expiré",
                gateway_error(),
            )
        });
        responses.entry("403").or_insert_with(|| {
            json_error(
                "Plateforme : scope ou royaume du jeton d'accès insuffisant",
                gateway_error(),
            )
        });
        responses.insert("429".into(), json!({"description": "Plateforme : trop de requêtes (Retry-After)", "content": {"text/plain": {"schema": {"type": "string"}}}}));
        if version.era == Era::Current {
            responses.insert(
                "302".into(),
                json!({"description": "Plateforme : en-têtes pa-* absents"}),
            );
        }
        let parameters: Vec<Value> = op
            .parameters
            .iter()
            .map(|p| {
                let mut v = json!({"name": p.name, "in": p.location, "required": p.required, "schema": p.schema});
                if !p.description.is_empty() {
                    v["description"] = p.description.clone().into();
                }
                v
            })
            .collect();
        let mut o = json!({"operationId": op.id, "summary": op.summary, "parameters": parameters,
                           "responses": responses, "security": [{"bearer": []}]});
        if let Some(b) = &op.request
            && let Some(schema) = loaded.schemas.get(&b.schema)
        {
            o["requestBody"] = json!({"required": b.required, "content": { b.content_type.as_str(): {"schema": schema_for_openapi(schema)} }});
        }
        if let Some(e) = &op.evidence {
            o["description"] = e.clone().into();
        }
        let item = paths.entry(op.path.clone()).or_insert_with(|| json!({}));
        item[op.method.to_ascii_lowercase()] = o;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": format!("{} — {}, simulated by Vigie", api.title, version.label()),
                 "version": version.major, "description": loaded.manifest.source},
        "servers": [{"url": format!("{}{}", server.trim_end_matches('/'), version.base_path)}],
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
            "description": format!("Jeton du royaume {} ; scopes : {}", version.realm, version.scopes.join(" "))}}},
    })
}
