//! The checker: a response (or request) body → the violations of its contract.
//!
//! Every schema is compiled once, up front. A valid body costs one `is_valid` pass of the
//! compiled validator; only an invalid one is walked again to collect each violation.

use std::collections::HashMap;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::ContractsError;
use crate::fields::FieldCatalogue;
use crate::presence::{self, BodyRules, Presence, Profile};
use crate::redact::{describe, type_name};
use crate::schema_walk::{self, escape};
use crate::store::{ContractStore, LoadedVersion};
use crate::violation::Violation;

/// Compiled validators of one operation, with what identifies it.
#[derive(Debug)]
struct OpValidators {
    id: String,
    operation_id: Option<String>,
    method: String,
    path: String,
    request: Option<Validator>,
    responses: Vec<ResponseValidator>,
}

/// One documented response status, compiled under the checker's profile.
#[derive(Debug)]
struct ResponseValidator {
    status: u16,
    /// `None` when the status documents no body.
    validator: Option<Validator>,
    /// The schema the validator was compiled from (the publisher's, with the profile's rules).
    schema: Value,
    /// The presence rules of this body.
    rules: Option<BodyRules>,
}

/// Validates bodies against the contracts.
#[derive(Debug)]
pub struct Checker {
    store: ContractStore,
    profile: Profile,
    fields: FieldCatalogue,
    /// api → major → operations.
    compiled: HashMap<String, HashMap<String, Vec<OpValidators>>>,
}

/// The validation options every contract is compiled with (also used by the benchmark's
/// bare-validator baseline): draft 2020-12, `date` and `date-time` formats asserted.
pub fn validation_options() -> jsonschema::ValidationOptions<'static> {
    jsonschema::draft202012::options().should_validate_formats(true)
}

/// Compiles one schema.
pub fn compile(schema: &Value, file: &str) -> Result<Validator, ContractsError> {
    validation_options()
        .build(schema)
        .map_err(|e| ContractsError::SchemaCompile {
            file: file.to_string(),
            reason: e.to_string(),
        })
}

impl Checker {
    /// A checker over the running command's contracts ([`ContractStore::active`]: the
    /// embedded ones, plus a contracts folder), under the default profile.
    pub fn active() -> Result<Checker, ContractsError> {
        Checker::new(ContractStore::active()?.clone())
    }

    /// A checker over the running command's contracts, under a profile.
    pub fn active_with(profile: Profile) -> Result<Checker, ContractsError> {
        Checker::with_profile(ContractStore::active()?.clone(), profile)
    }

    /// Compiles every schema of a store under the default profile (`convention`).
    pub fn new(store: ContractStore) -> Result<Checker, ContractsError> {
        Checker::with_profile(store, Profile::default())
    }

    /// Compiles every schema of a store under a profile.
    pub fn with_profile(store: ContractStore, profile: Profile) -> Result<Checker, ContractsError> {
        let fields = FieldCatalogue::from_store(&store)?;
        let mut compiled: HashMap<String, HashMap<String, Vec<OpValidators>>> = HashMap::new();
        let keys: Vec<(String, String)> = store
            .keys()
            .map(|(a, v)| (a.to_string(), v.to_string()))
            .collect();
        for (api, major) in keys {
            let Some(version) = store.raw(&api, &major) else {
                continue;
            };
            let mut ops = Vec::new();
            for op in &version.manifest.operations {
                let path = |f: &str| format!("schemas/{api}/{major}/{f}");
                let request = match &op.request {
                    Some(b) => Some(compile(&version.schemas[&b.schema], &path(&b.schema))?),
                    None => None,
                };
                let mut responses = Vec::new();
                for r in &op.responses {
                    let rules = version
                        .presence
                        .as_ref()
                        .and_then(|p| p.body(&op.id, r.status))
                        .cloned();
                    let (validator, schema) = match &r.schema {
                        Some(f) => {
                            let schema =
                                presence::apply(&version.schemas[f], rules.as_ref(), profile);
                            (Some(compile(&schema, &path(f))?), schema)
                        }
                        None => (None, Value::Null),
                    };
                    responses.push(ResponseValidator {
                        status: r.status,
                        validator,
                        schema,
                        rules,
                    });
                }
                ops.push(OpValidators {
                    id: op.id.clone(),
                    operation_id: op.operation_id.clone(),
                    method: op.method.clone(),
                    path: op.path.clone(),
                    request,
                    responses,
                });
            }
            compiled.entry(api).or_default().insert(major, ops);
        }
        Ok(Checker {
            store,
            profile,
            fields,
            compiled,
        })
    }

    /// The profile answers are held to.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The contracts this checker uses.
    pub fn store(&self) -> &ContractStore {
        &self.store
    }

    /// The field catalogue this checker uses.
    pub fn fields(&self) -> &FieldCatalogue {
        &self.fields
    }

    /// Checks a response: an undocumented status, a missing or unexpected body, and every
    /// schema violation of the body.
    pub fn check_response(
        &self,
        api: &str,
        version: &str,
        operation: &str,
        status: u16,
        body: Option<&Value>,
    ) -> Result<Vec<Violation>, ContractsError> {
        let (major, ops) = self.locate(api, version, operation)?;
        let op_id = ops.id.as_str();
        let Some(response) = ops.responses.iter().find(|r| r.status == status) else {
            let op = self.loaded(api, major)?.operation(op_id)?;
            return Ok(vec![Violation {
                pointer: String::new(),
                keyword: "status".into(),
                expected: format!("a documented status ({})", op.statuses()),
                found: format!("status {status}"),
                field: None,
            }]);
        };
        match (&response.validator, body) {
            (None, None) => Ok(Vec::new()),
            (None, Some(b)) if status == 204 && !b.is_null() => Ok(vec![Violation {
                pointer: String::new(),
                keyword: "body".into(),
                expected: "no body (204 No Content)".into(),
                found: describe(b),
                field: None,
            }]),
            // A status documented without a body: the contract says nothing of its content.
            (None, Some(_)) => Ok(Vec::new()),
            (Some(_), None) => Ok(vec![Violation {
                pointer: String::new(),
                keyword: "body".into(),
                expected: format!("a JSON body for status {status}"),
                found: "no body".into(),
                field: None,
            }]),
            (Some(v), Some(b)) => {
                if v.is_valid(b) {
                    return Ok(Vec::new());
                }
                Ok(self.collect(
                    api,
                    major,
                    op_id,
                    v,
                    &response.schema,
                    response.rules.as_ref(),
                    b,
                ))
            }
        }
    }

    /// The compiled validator of a response status (`None` when the status documents no body).
    pub fn response_validator(
        &self,
        api: &str,
        version: &str,
        operation: &str,
        status: u16,
    ) -> Result<Option<&Validator>, ContractsError> {
        let (_, ops) = self.locate(api, version, operation)?;
        Ok(ops
            .responses
            .iter()
            .find(|r| r.status == status)
            .and_then(|r| r.validator.as_ref()))
    }

    /// Checks a request body of a write (or search) operation.
    pub fn check_request(
        &self,
        api: &str,
        version: &str,
        operation: &str,
        body: &Value,
    ) -> Result<Vec<Violation>, ContractsError> {
        let (major, ops) = self.locate(api, version, operation)?;
        let op_id = ops.id.as_str();
        let loaded = self.loaded(api, major)?;
        let op = loaded.operation(op_id)?;
        match (&ops.request, &op.request) {
            (Some(v), Some(b)) => {
                if v.is_valid(body) {
                    return Ok(Vec::new());
                }
                let schema = loaded.schemas.get(&b.schema).unwrap_or(&Value::Null);
                Ok(self.collect(api, major, op_id, v, schema, None, body))
            }
            _ => Ok(vec![Violation {
                pointer: String::new(),
                keyword: "body".into(),
                expected: "no request body".into(),
                found: describe(body),
                field: None,
            }]),
        }
    }

    /// Resolves names to (major, compiled operation) without allocating: this is the path
    /// every probe takes.
    fn locate<'a>(
        &'a self,
        api: &str,
        version: &str,
        operation: &str,
    ) -> Result<(&'a str, &'a OpValidators), ContractsError> {
        let info = self.store.catalogue().api(api)?;
        let v = info.version(version)?;
        let ops = self
            .compiled
            .get(&info.id)
            .and_then(|m| m.get(&v.major))
            .ok_or_else(|| ContractsError::Embedded {
                file: format!("schemas/{}/{}", info.id, v.major),
                reason: "no contract on disk for this version".into(),
            })?;
        let g = operation.trim();
        let route = g.split_once(' ');
        match ops.iter().find(|o| {
            o.id == g
                || o.operation_id.as_deref() == Some(g)
                || route
                    .is_some_and(|(m, p)| o.method.eq_ignore_ascii_case(m) && o.path == p.trim())
        }) {
            Some(o) => Ok((&v.major, o)),
            None => Err(self
                .loaded(&info.id, &v.major)?
                .operation(g)
                .err()
                .unwrap_or(ContractsError::UnknownOperation {
                    api: info.id.clone(),
                    version: v.major.clone(),
                    given: g.into(),
                    known: String::new(),
                })),
        }
    }

    fn loaded(&self, api: &str, major: &str) -> Result<&LoadedVersion, ContractsError> {
        self.store
            .raw(api, major)
            .ok_or_else(|| ContractsError::Embedded {
                file: format!("schemas/{api}/{major}"),
                reason: "no contract on disk for this version".into(),
            })
    }

    #[allow(clippy::too_many_arguments)]
    fn collect(
        &self,
        api: &str,
        major: &str,
        op_id: &str,
        validator: &Validator,
        schema: &Value,
        rules: Option<&BodyRules>,
        body: &Value,
    ) -> Vec<Violation> {
        let mut out: Vec<Violation> = validator
            .iter_errors(body)
            .map(|e| self.violation(api, major, op_id, schema, rules, &e))
            .collect();
        out.sort_by(|a, b| a.pointer.cmp(&b.pointer).then(a.keyword.cmp(&b.keyword)));
        out.dedup();
        out
    }

    fn violation(
        &self,
        api: &str,
        major: &str,
        op_id: &str,
        schema: &Value,
        rules: Option<&BodyRules>,
        error: &ValidationError<'_>,
    ) -> Violation {
        let instance = error.instance();
        let mut pointer = error.instance_path().as_str().to_string();
        let keyword = error.kind().keyword().to_string();
        let (expected, found) = match error.kind() {
            ValidationErrorKind::Type { kind } => (
                format!("type {}", type_kind_label(kind)),
                describe(instance),
            ),
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                pointer = format!("{pointer}/{}", escape(name));
                let path = schema_walk::field_path(schema, &pointer);
                let expected = match presence::required_rule(rules, &path) {
                    Some(r) if r.publisher == Presence::Optional => {
                        format!("a value (required: {})", r.evidence.join("; "))
                    }
                    _ => "a value (required field)".into(),
                };
                (expected, "absent".into())
            }
            ValidationErrorKind::Enum { options } => {
                (format!("one of {options}"), describe(instance))
            }
            ValidationErrorKind::Constant { expected_value } => {
                (format!("the constant {expected_value}"), describe(instance))
            }
            ValidationErrorKind::Format { format } => {
                (format!("format {format}"), describe(instance))
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => (
                "no field the contract does not know (strict profile)".into(),
                unexpected_fields(unexpected),
            ),
            ValidationErrorKind::MinItems { limit } => {
                (format!("at least {limit} item(s)"), describe(instance))
            }
            ValidationErrorKind::MaxItems { limit } => {
                (format!("at most {limit} item(s)"), describe(instance))
            }
            ValidationErrorKind::MinLength { limit } => {
                (format!("at least {limit} character(s)"), describe(instance))
            }
            ValidationErrorKind::MaxLength { limit } => {
                (format!("at most {limit} character(s)"), describe(instance))
            }
            ValidationErrorKind::Minimum { limit } => (format!("≥ {limit}"), describe(instance)),
            ValidationErrorKind::Maximum { limit } => (format!("≤ {limit}"), describe(instance)),
            ValidationErrorKind::Pattern { pattern } => {
                (format!("to match {pattern}"), describe(instance))
            }
            other => (
                format!("to satisfy `{}`", other.keyword()),
                describe(instance),
            ),
        };
        let path = schema_walk::field_path(schema, &pointer);
        let node = schema_node(schema, &path);
        let field = self.fields.meaning(api, major, op_id, &path, node);
        Violation {
            // Field names come from the answer: bounded like any text from outside.
            pointer: crate::redact::bounded(&pointer, MAX_POINTER),
            keyword,
            expected,
            found: if found.is_empty() {
                type_name(instance).into()
            } else {
                found
            },
            field,
        }
    }
}

/// Longest pointer a violation shows (field names come from the answer).
const MAX_POINTER: usize = 300;
/// Unknown field names a violation lists, and the longest name shown.
const MAX_UNEXPECTED: usize = 10;
const MAX_NAME: usize = 64;

/// The unexpected field names of an answer, bounded in count and length.
fn unexpected_fields(names: &[String]) -> String {
    let mut shown: Vec<String> = names
        .iter()
        .take(MAX_UNEXPECTED)
        .map(|n| crate::redact::bounded(n, MAX_NAME))
        .collect();
    if names.len() > MAX_UNEXPECTED {
        shown.push(format!("and {} more", names.len() - MAX_UNEXPECTED));
    }
    format!("unexpected field(s) {}", shown.join(", "))
}

fn type_kind_label(kind: &jsonschema::error::TypeKind) -> String {
    match kind {
        jsonschema::error::TypeKind::Single(t) => t.to_string(),
        jsonschema::error::TypeKind::Multiple(set) => set
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

/// The schema node at a field path.
fn schema_node<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = root;
    for seg in path.split('/').skip(1) {
        let want = format!("/{seg}");
        let kids = schema_walk::children(root, node);
        node = kids.into_iter().find(|(c, _, _)| *c == want)?.1;
    }
    Some(schema_walk::follow(root, node))
}
