//! OpenAPI 3.0 / 3.1 documents → our contract files: one manifest per API version and one
//! JSON Schema (draft 2020-12) per request body and per documented response status.
//!
//! The official examples of each response are kept at the root of its schema file
//! (`examples`): the publisher's examples are evidence of what the real API sends. Where an
//! example carries `null` where the schema has none, a value outside an `enum` (its type
//! admitted with it, so that the schema stays consistent), or a field the schema does not
//! declare, the schema is widened and the correction recorded in the manifest. Nothing else
//! is widened: the publisher's `required` lists and types are kept, and an example that still
//! contradicts its schema is a **publisher defect**, recorded with why in the manifest and
//! left out of the contract's examples, so that every example a contract holds validates.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::ContractsError;
use crate::convert::{Converter, allows_null, make_nullable, read_example};
use crate::manifest::{Body, MANIFEST_FILE, Operation, Parameter, Response, VersionManifest};
use crate::naming::{operation_slug, route_slug};

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    /// The document's file name, recorded as the source (no folder, so that the output does
    /// not depend on where the document lies).
    pub document_name: &'a str,
    pub api: &'a str,
    pub version: &'a str,
    /// Keep only these operations (stable id, `operationId` or `METHOD /path`); all if empty.
    pub only: &'a [String],
}

/// The result of an import: a manifest and the schema files it names.
#[derive(Debug, Clone)]
pub struct Imported {
    pub manifest: VersionManifest,
    /// File name (inside the version folder) → schema.
    pub files: BTreeMap<String, Value>,
    /// Things the document says that we could not carry over.
    pub warnings: Vec<String>,
}

/// Parses the text of an OpenAPI document (JSON).
pub fn parse_document(text: &str, document_name: &str) -> Result<Value, ContractsError> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| ContractsError::not_json(document_name, &e))?;
    let version = doc.get("openapi").and_then(Value::as_str).ok_or_else(|| {
        ContractsError::NotOpenApi {
            document: document_name.to_string(),
            reason: "it has no `openapi` field (Swagger 2.0 documents must be converted to OpenAPI 3 first)".into(),
        }
    })?;
    if !(version.starts_with("3.0") || version.starts_with("3.1")) {
        return Err(ContractsError::NotOpenApi {
            document: document_name.to_string(),
            reason: format!("version {version} is not supported; use OpenAPI 3.0.x or 3.1.x"),
        });
    }
    if !doc.get("paths").is_some_and(Value::is_object) {
        return Err(ContractsError::NotOpenApi {
            document: document_name.to_string(),
            reason: "it has no `paths` object".into(),
        });
    }
    Ok(doc)
}

/// Imports a parsed document.
pub fn import_openapi(doc: &Value, req: &ImportRequest<'_>) -> Result<Imported, ContractsError> {
    let mut conv = Converter::new(doc, req.document_name);
    let mut files = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut operations = Vec::new();

    let info = doc.get("info").cloned().unwrap_or(Value::Null);
    let title = info
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or("untitled");
    let doc_version = info.get("version").and_then(Value::as_str).unwrap_or("?");
    let openapi = doc.get("openapi").and_then(Value::as_str).unwrap_or("?");

    let paths =
        doc.get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| ContractsError::NotOpenApi {
                document: req.document_name.to_string(),
                reason: "it has no `paths` object".into(),
            })?;

    for (path, item) in paths {
        let item = conv.deref(item)?;
        let Some(item_obj) = item.as_object() else {
            continue;
        };
        let shared_params = item_obj
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for method in METHODS {
            let Some(op) = item_obj.get(*method) else {
                continue;
            };
            let method_upper = method.to_ascii_uppercase();
            let operation_id = op.get("operationId").and_then(Value::as_str);
            let id = match operation_id {
                Some(oid) => operation_slug(oid),
                None => route_slug(&method_upper, path),
            };
            let wanted = req.only.is_empty()
                || req.only.iter().any(|w| {
                    w == &id
                        || Some(w.as_str()) == operation_id
                        || w.eq_ignore_ascii_case(&format!("{method_upper} {path}"))
                });
            if !wanted {
                continue;
            }
            let operation = import_operation(
                &mut conv,
                req,
                OpContext {
                    id: &id,
                    operation_id,
                    method: &method_upper,
                    path,
                    op,
                    shared_params: &shared_params,
                },
                &mut files,
                &mut warnings,
            )?;
            operations.push(operation);
        }
    }

    for wanted in req.only {
        if !operations.iter().any(|o: &Operation| {
            &o.id == wanted
                || o.operation_id.as_deref() == Some(wanted.as_str())
                || wanted.eq_ignore_ascii_case(&format!("{} {}", o.method, o.path))
        }) {
            return Err(ContractsError::NotOpenApi {
                document: req.document_name.to_string(),
                reason: format!("it has no operation `{wanted}` (asked with --only)"),
            });
        }
    }
    if operations.is_empty() {
        return Err(ContractsError::NotOpenApi {
            document: req.document_name.to_string(),
            reason: "it documents no operation".into(),
        });
    }

    let manifest = VersionManifest {
        api: req.api.to_string(),
        version: req.version.to_string(),
        title: title.to_string(),
        source: format!(
            "imported from {} ({title}, document version {doc_version}, OpenAPI {openapi})",
            req.document_name
        ),
        base_path: base_path(doc),
        access: crate::access::declared(doc, &operations),
        operations,
    };
    Ok(Imported {
        manifest,
        files,
        warnings,
    })
}

struct OpContext<'a> {
    id: &'a str,
    operation_id: Option<&'a str>,
    method: &'a str,
    path: &'a str,
    op: &'a Value,
    shared_params: &'a [Value],
}

fn import_operation(
    conv: &mut Converter<'_>,
    req: &ImportRequest<'_>,
    ctx: OpContext<'_>,
    files: &mut BTreeMap<String, Value>,
    warnings: &mut Vec<String>,
) -> Result<Operation, ContractsError> {
    let op = ctx.op;
    let id = ctx.id;
    let summary = op
        .get("summary")
        .or_else(|| op.get("description"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();

    // Parameters: path-level first, overridden by operation-level ones of the same name+in.
    let mut parameters: Vec<Parameter> = Vec::new();
    let own = op
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for raw in ctx.shared_params.iter().chain(own.iter()) {
        let p = conv.deref(raw)?;
        let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
        let location = p.get("in").and_then(Value::as_str).unwrap_or_default();
        if name.is_empty() || location.is_empty() {
            warnings.push(format!(
                "{id}: a parameter without `name` or `in` was skipped"
            ));
            continue;
        }
        let schema = match p.get("schema") {
            Some(s) => conv.convert(s)?,
            None => json!({}),
        };
        let description = p
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let declared = p.get("required").and_then(Value::as_bool).unwrap_or(false);
        // A header the document itself calls mandatory for client credentials (the partner's
        // mode) is enforced by the platform (302 without it), whatever its `required` says.
        let enforced = location == "header"
            && !declared
            && description.contains("obligatoire en mode Client Credentials");
        let param = Parameter {
            name: name.to_string(),
            location: location.to_string(),
            required: declared || enforced || location == "path",
            description,
            schema,
            corrections: if enforced {
                vec![
                    "required: the document says `required: false` but its description says « obligatoire en mode Client Credentials », the partner's mode; the platform answers 302 without it (API-SHAPES.md §1.4)".into(),
                ]
            } else {
                Vec::new()
            },
        };
        parameters.retain(|q| !(q.name == param.name && q.location == param.location));
        parameters.push(param);
    }

    let request = match op.get("requestBody") {
        Some(raw) => {
            let body = conv.deref(raw)?;
            match json_media(body) {
                Some((content_type, media)) => {
                    let file = format!("{id}.request.json");
                    let schema = media_schema(
                        conv,
                        media,
                        &format!("{} {} {id} request", req.api, req.version),
                    )?;
                    let mut schema = schema;
                    let path_params: Vec<&str> = parameters
                        .iter()
                        .filter(|p| p.location == "path")
                        .map(|p| p.name.as_str())
                        .collect();
                    for c in carried_by_the_path(&mut schema, &path_params) {
                        warnings.push(format!("{id} request: {c}"));
                    }
                    let read = with_examples(conv, schema, media)?;
                    for c in read.corrections {
                        warnings.push(format!("{id} request: {c}"));
                    }
                    for d in &read.defects {
                        warnings.push(format!("{id} request: publisher defect: {d}"));
                    }
                    files.insert(file.clone(), read.schema);
                    Some(Body {
                        content_type: content_type.to_string(),
                        required: body
                            .get("required")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                        schema: file,
                        defects: read.defects,
                    })
                }
                None => {
                    warnings.push(format!(
                        "{id}: request body has no JSON content ({}); not imported",
                        media_types(body)
                    ));
                    None
                }
            }
        }
        None => None,
    };

    let mut responses = Vec::new();
    if let Some(map) = op.get("responses").and_then(Value::as_object) {
        for (status, raw) in map {
            let Ok(code) = status.parse::<u16>() else {
                warnings.push(format!(
                    "{id}: response `{status}` is not a single status; not imported"
                ));
                continue;
            };
            let resp = conv.deref(raw)?;
            let description = resp
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let mut response = Response {
                status: code,
                description,
                content_type: None,
                schema: None,
                corrections: Vec::new(),
                defects: Vec::new(),
            };
            if let Some((content_type, media)) = json_media(resp) {
                let file = format!("{id}.response.{code}.json");
                let schema = media_schema(
                    conv,
                    media,
                    &format!("{} {} {id} {code}", req.api, req.version),
                )?;
                let read = with_examples(conv, schema, media)?;
                files.insert(file.clone(), read.schema);
                response.content_type = Some(content_type.to_string());
                response.schema = Some(file);
                response.corrections = read.corrections;
                response.defects = read.defects;
            } else if resp
                .get("content")
                .is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty()))
            {
                warnings.push(format!(
                    "{id}: response {code} has no JSON content ({}); its body is not checked",
                    media_types(resp)
                ));
            }
            responses.push(response);
        }
    }
    responses.sort_by_key(|r| r.status);

    let write = ctx.method != "GET" && !id.starts_with("rechercher");
    Ok(Operation {
        id: id.to_string(),
        operation_id: ctx.operation_id.map(str::to_string),
        method: ctx.method.to_string(),
        path: ctx.path.to_string(),
        summary,
        write,
        parameters,
        request,
        responses,
        evidence: None,
    })
}

/// The media type of a `content` map that carries JSON, and its entry: `application/json`
/// (with or without parameters) first, then any `…+json` or `…json` type, then `*/*` and
/// `application/*` (a document that does not say which: its schema is still the body's), so
/// that no schema is dropped.
fn json_media(node: &Value) -> Option<(&str, &Value)> {
    let content = node.get("content")?.as_object()?;
    content
        .iter()
        .filter_map(|(k, v)| json_rank(k).map(|rank| (rank, k.as_str(), v)))
        .min_by_key(|(rank, _, _)| *rank)
        .map(|(_, k, v)| (k, v))
}

/// How surely a media type carries JSON (lower: surer); `None`: it does not.
fn json_rank(media_type: &str) -> Option<u8> {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Some(0),
        e if e.ends_with("+json") || e.contains("json") => Some(1),
        "*/*" | "application/*" => Some(2),
        _ => None,
    }
}

/// The media types a `content` map lists, for a warning.
fn media_types(node: &Value) -> String {
    node.get("content")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}

fn media_schema(
    conv: &mut Converter<'_>,
    media: &Value,
    title: &str,
) -> Result<Value, ContractsError> {
    let schema = media.get("schema").cloned().unwrap_or(json!({}));
    conv.root(&schema, title)
}

/// A body field the schema requires although the operation's path already carries it (the
/// same name as a path parameter: `idDiagnostic` of a shared DTO in
/// `POST /diagnostics/{idDiagnostic}/besoins`) is optional in the body: the path is where
/// the API reads it. Returns the corrections made, said in the import's output.
fn carried_by_the_path(schema: &mut Value, path_params: &[&str]) -> Vec<String> {
    let mut corrections = Vec::new();
    let Some(Value::Array(required)) = schema.get_mut("required") else {
        return corrections;
    };
    required.retain(|r| {
        let carried = r.as_str().is_some_and(|r| path_params.contains(&r));
        if carried {
            corrections.push(format!(
                "/{}: required in the body's schema, but the path carries it ({{{}}}); optional in the body",
                r.as_str().unwrap_or_default(),
                r.as_str().unwrap_or_default()
            ));
        }
        !carried
    });
    if required.is_empty()
        && let Value::Object(o) = schema
    {
        o.remove("required");
    }
    corrections
}

/// A schema read with its media's examples.
struct WithExamples {
    schema: Value,
    /// How the schema was widened to hold the examples, and why.
    corrections: Vec<String>,
    /// Examples that contradict the schema even so, and how: left out of the contract.
    defects: Vec<String>,
}

/// Puts the media-level examples at the root of the schema (first), widens the schema where
/// the correction policy allows (see the module), and records every example that still does
/// not validate as a publisher defect, leaving it out.
fn with_examples(
    conv: &Converter<'_>,
    mut schema: Value,
    media: &Value,
) -> Result<WithExamples, ContractsError> {
    let mut named: Vec<(String, Value)> = Vec::new();
    let empty = serde_json::Map::new();
    let root = schema.as_object().unwrap_or(&empty).clone();
    if let Some(map) = media.get("examples").and_then(Value::as_object) {
        for (name, ex) in map {
            let ex = conv.deref(ex)?;
            if let Some(v) = ex.get("value") {
                named.push((name.clone(), read_example(&root, v)));
            }
        }
    }
    if let Some(v) = media.get("example") {
        named.push(("example".into(), read_example(&root, v)));
    }
    let mut corrections = Vec::new();
    for (name, value) in &named {
        widen_for_example(&mut schema, value, "", name, &mut corrections);
    }
    let mut defects = Vec::new();
    if !named.is_empty()
        && let Ok(validator) = crate::checker::validation_options().build(&schema)
    {
        named.retain(|(name, value)| {
            let errors: Vec<String> = validator
                .iter_errors(value)
                .map(|e| {
                    let at = e.instance_path().to_string();
                    format!("{e} at {}", if at.is_empty() { "/" } else { &at })
                })
                .collect();
            if !errors.is_empty() {
                defects.push(format!(
                    "the official example «{name}» does not follow the publisher's own schema ({}); the schema is kept and the example left out of the contract",
                    errors.join("; ")
                ));
            }
            errors.is_empty()
        });
    }
    if !named.is_empty()
        && let Value::Object(root) = &mut schema
    {
        let mut list: Vec<Value> = named.into_iter().map(|(_, v)| v).collect();
        if let Some(Value::Array(existing)) = root.get("examples") {
            list.extend(existing.iter().cloned());
        }
        // Keep key order stable: examples after the structural keywords.
        root.remove("examples");
        root.insert("examples".into(), Value::Array(list));
    }
    corrections.sort();
    corrections.dedup();
    Ok(WithExamples {
        schema,
        corrections,
        defects,
    })
}

/// Widens a schema where an official example contradicts it and the policy allows, and says
/// so: a `null` where the schema has no null, a value outside an `enum` (with its type), a
/// field the schema does not declare. A `required` field the example leaves out is not
/// widened: [`with_examples`] records the example as a publisher defect.
fn widen_for_example(
    schema: &mut Value,
    example: &Value,
    pointer: &str,
    example_name: &str,
    corrections: &mut Vec<String>,
) {
    let Value::Object(s) = schema else { return };
    let at = if pointer.is_empty() { "/" } else { pointer };
    if example.is_null() {
        if !allows_null(&Value::Object(s.clone())) {
            make_nullable(s);
            corrections.push(format!(
                "{at}: the official example «{example_name}» carries null; the field accepts null"
            ));
        }
        return;
    }
    if let Some(Value::Array(values)) = s.get_mut("enum")
        && !values.contains(example)
    {
        values.push(example.clone());
        let admitted = admit_type(s, example);
        corrections.push(match admitted {
            Some(kind) => format!(
                "{at}: the official example «{example_name}» carries {example}, outside the documented values and type; the value is accepted, and the type {kind} with it"
            ),
            None => format!(
                "{at}: the official example «{example_name}» carries {example}, outside the documented values; the value is accepted"
            ),
        });
    }
    match example {
        Value::Object(fields) => {
            if let Some(Value::Object(props)) = s.get_mut("properties") {
                for (name, value) in fields {
                    if let Some(sub) = props.get_mut(name) {
                        widen_for_example(
                            sub,
                            value,
                            &format!("{pointer}/{name}"),
                            example_name,
                            corrections,
                        );
                    } else {
                        // What the platform sends is part of its contract, declared or not: a
                        // strict profile must not refuse a field the official examples carry.
                        props.insert(name.clone(), declared_from_example(value, example_name));
                        corrections.push(format!(
                            "{pointer}/{name}: the official example «{example_name}» carries this field, absent from the schema; it is declared"
                        ));
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = s.get_mut("items") {
                for value in items {
                    widen_for_example(
                        sub,
                        value,
                        &format!("{pointer}/*"),
                        example_name,
                        corrections,
                    );
                }
            }
        }
        _ => {}
    }
}

/// Adds the value's type to the schema's `type` when it declares one that does not admit it
/// (an integer is a number); returns the type added.
fn admit_type(s: &mut serde_json::Map<String, Value>, value: &Value) -> Option<&'static str> {
    let kind = domain::redact::type_name(value);
    let admits = |t: &Value| t == kind || (kind == "integer" && t == "number");
    let types = match s.get("type")? {
        Value::String(t) if admits(&Value::String(t.clone())) => return None,
        Value::String(t) => vec![Value::String(t.clone())],
        Value::Array(ts) if ts.iter().any(admits) => return None,
        Value::Array(ts) => ts.clone(),
        _ => return None,
    };
    let mut types = types;
    types.push(Value::String(kind.to_string()));
    s.insert("type".into(), Value::Array(types));
    Some(kind)
}

/// A property declared from an example's value: its JSON type (null allowed when the example
/// is null), for a field the publisher's schema leaves out.
fn declared_from_example(value: &Value, example_name: &str) -> Value {
    let kind = match value {
        Value::Null => json!(["string", "null"]),
        Value::Bool(_) => json!("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => json!("integer"),
        Value::Number(_) => json!("number"),
        Value::String(_) => json!("string"),
        // Objects and lists: their shape is not the example's to decide; any is accepted.
        Value::Array(_) => json!("array"),
        Value::Object(_) => json!("object"),
    };
    json!({
        "type": kind,
        "description": format!("Absent from the publisher's schema; carried by the official example «{example_name}»."),
    })
}

/// The path part of the first server URL (`https://host/partenaire/x/v2` → `/partenaire/x/v2`).
fn base_path(doc: &Value) -> String {
    let url = doc
        .get("servers")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .and_then(|s| s.get("url"))
        .and_then(Value::as_str)
        .unwrap_or("/");
    let path = match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            rest.find('/').map(|j| &rest[j..]).unwrap_or("/")
        }
        None => url,
    };
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Serialises a contract file exactly as committed: two-space indentation, final newline.
pub fn to_file_text(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    text.push('\n');
    text
}

/// Writes an import into `<root>/<api>/<version>/`, replacing the contract files there.
pub fn write_imported(imported: &Imported, root: &Path) -> Result<PathBuf, ContractsError> {
    let dir = root
        .join(&imported.manifest.api)
        .join(&imported.manifest.version);
    std::fs::create_dir_all(&dir).map_err(|source| ContractsError::Write {
        path: dir.clone(),
        source,
    })?;
    // Remove contract files of an earlier import (only files of our own naming).
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == MANIFEST_FILE
                || name.ends_with(".request.json")
                || name.contains(".response.")
            {
                let p = entry.path();
                std::fs::remove_file(&p).map_err(|source| ContractsError::Write {
                    path: p.clone(),
                    source,
                })?;
            }
        }
    }
    let manifest = serde_json::to_value(&imported.manifest).unwrap_or(Value::Null);
    let mut all: Vec<(String, &Value)> = vec![(MANIFEST_FILE.to_string(), &manifest)];
    all.extend(imported.files.iter().map(|(k, v)| (k.clone(), v)));
    for (name, value) in all {
        let path = dir.join(&name);
        std::fs::write(&path, to_file_text(value)).map_err(|source| ContractsError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(dir)
}

/// Files of an import as text, keyed by their name in the version folder.
pub fn imported_texts(imported: &Imported) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let manifest = serde_json::to_value(&imported.manifest).unwrap_or(Value::Null);
    out.insert(MANIFEST_FILE.to_string(), to_file_text(&manifest));
    for (k, v) in &imported.files {
        out.insert(k.clone(), to_file_text(v));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(doc: Value) -> Imported {
        import_openapi(
            &doc,
            &ImportRequest {
                document_name: "doc.json",
                api: "x",
                version: "v1",
                only: &[],
            },
        )
        .unwrap()
    }

    /// A one-operation document whose 200 answers `content`.
    fn doc(content: Value) -> Value {
        json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {
            "/a": {"get": {"operationId": "lireA", "responses": {"200": {"description": "ok", "content": content}}}}}})
    }

    fn object_schema() -> Value {
        json!({"type": "object", "required": ["code", "etat"], "properties": {
            "code": {"type": "string"}, "etat": {"type": "integer", "enum": [0, 1]}}})
    }

    #[test]
    fn every_media_type_that_carries_json_keeps_its_schema() {
        for media in [
            "application/json",
            "application/json;charset=UTF-8",
            "*/*",
            "application/*",
            "application/problem+json",
            "application/vnd.ft.v2+json",
        ] {
            let i = import(doc(json!({ media: {"schema": object_schema()} })));
            let r = &i.manifest.operations[0].responses[0];
            assert_eq!(r.content_type.as_deref(), Some(media), "{media}");
            let file = r.schema.as_ref().unwrap();
            assert_eq!(
                i.files[file]["required"],
                json!(["code", "etat"]),
                "{media}"
            );
        }
        // application/json wins over */* whatever the order.
        let i = import(doc(json!({"*/*": {"schema": {"type": "string"}},
            "application/json": {"schema": object_schema()}})));
        let r = &i.manifest.operations[0].responses[0];
        assert_eq!(r.content_type.as_deref(), Some("application/json"));
        // A body that is not JSON is said, not silently dropped.
        let i = import(doc(
            json!({"application/pdf": {"schema": {"type": "string"}}}),
        ));
        assert!(i.manifest.operations[0].responses[0].schema.is_none());
        assert!(
            i.warnings
                .iter()
                .any(|w| w.contains("response 200 has no JSON content (application/pdf)")),
            "{:?}",
            i.warnings
        );
    }

    #[test]
    fn an_example_that_leaves_out_a_required_field_is_a_defect_and_the_list_is_kept() {
        let i = import(doc(
            json!({"application/json": {"schema": object_schema(), "examples": {
            "complet": {"value": {"code": "A", "etat": 1}},
            "incomplet": {"value": {"code": "B"}}}}}),
        ));
        let r = &i.manifest.operations[0].responses[0];
        let schema = &i.files[r.schema.as_ref().unwrap()];
        assert_eq!(schema["required"], json!(["code", "etat"]), "never widened");
        assert_eq!(
            schema["examples"],
            json!([{"code": "A", "etat": 1}]),
            "the defect is left out"
        );
        assert_eq!(r.defects.len(), 1, "{:?}", r.defects);
        assert!(
            r.defects[0].contains("«incomplet»")
                && r.defects[0].contains("\"etat\" is a required property"),
            "{}",
            r.defects[0]
        );
        assert!(r.corrections.is_empty(), "{:?}", r.corrections);
    }

    #[test]
    fn an_enum_correction_admits_the_type_of_the_value_it_accepts() {
        let i = import(doc(
            json!({"application/json": {"schema": object_schema(), "examples": {
            "chaine": {"value": {"code": "A", "etat": "0"}}}}}),
        ));
        let r = &i.manifest.operations[0].responses[0];
        let schema = &i.files[r.schema.as_ref().unwrap()];
        assert_eq!(schema["properties"]["etat"]["enum"], json!([0, 1, "0"]));
        assert_eq!(
            schema["properties"]["etat"]["type"],
            json!(["integer", "string"])
        );
        assert!(
            r.defects.is_empty(),
            "the example now validates: {:?}",
            r.defects
        );
        assert_eq!(schema["examples"], json!([{"code": "A", "etat": "0"}]));
        let validator = crate::checker::validation_options().build(schema).unwrap();
        assert!(validator.is_valid(&json!({"code": "A", "etat": "0"})));
        assert!(
            r.corrections[0].contains("and the type string with it"),
            "{:?}",
            r.corrections
        );
    }
}
