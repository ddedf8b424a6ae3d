//! The consumer file: which fields the partner's application actually reads and sends, per
//! API, so that a breaking change that touches none of them is reported as not affecting it.
//!
//! ```json
//! { "apis": { "statut-usager": {
//!     "operations": ["recuperer-contrat"],
//!     "reads": ["statutDE", "/m_contrat/m_categ_inscription_code"],
//!     "sends": [] } } }
//! ```
//! A field is a convention name (`statutDE`, looked up in the field catalogue for each
//! version) or a field path (`/m_contrat/m_statut`, `*` for array items).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::ContractsError;
use crate::change::{Change, ChangeKind, Side};
use crate::fields::FieldCatalogue;

/// What the consumer uses of one API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumerApi {
    /// Operations the consumer calls (stable ids); empty = every operation.
    #[serde(default)]
    pub operations: Vec<String>,
    #[serde(default)]
    pub reads: Vec<String>,
    #[serde(default)]
    pub sends: Vec<String>,
}

/// The whole consumer file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consumer {
    pub apis: BTreeMap<String, ConsumerApi>,
}

impl Consumer {
    /// Parses a consumer file, checking every API id and convention name it uses.
    pub fn parse(
        text: &str,
        path: &str,
        fields: &FieldCatalogue,
    ) -> Result<Consumer, ContractsError> {
        let c: Consumer = serde_json::from_str(text).map_err(|e| ContractsError::Consumer {
            path: path.to_string(),
            reason: format!(
                "{e}. Expected {{\"apis\": {{\"<api-id>\": {{\"operations\": [...], \"reads\": [...], \"sends\": [...]}}}}}}"
            ),
        })?;
        for (api, use_) in &c.apis {
            crate::catalogue::api(api).map_err(|e| ContractsError::Consumer {
                path: path.to_string(),
                reason: e.to_string(),
            })?;
            for name in use_.reads.iter().chain(use_.sends.iter()) {
                let known = name.starts_with('/')
                    || fields
                        .api(api)
                        .is_some_and(|f| f.fields.iter().any(|x| &x.name == name))
                    || (use_.sends.contains(name) && is_parameter(api, name));
                if !known {
                    return Err(ContractsError::Consumer {
                        path: path.to_string(),
                        reason: format!(
                            "`{name}` is neither a field path (starting with /), a convention field of {api} (see `vigie contracts fields --api {api}`) nor, in `sends`, a parameter of one of its versions"
                        ),
                    });
                }
            }
        }
        Ok(c)
    }

    /// Marks each change with whether it touches what the consumer uses.
    pub fn mark(
        &self,
        api: &str,
        majors: [&str; 2],
        fields: &FieldCatalogue,
        changes: &mut [Change],
    ) {
        let Some(use_) = self.apis.get(api) else {
            for c in changes.iter_mut() {
                c.affects_consumer = Some(false);
            }
            return;
        };
        let calls =
            |op: &str| use_.operations.is_empty() || use_.operations.iter().any(|o| o == op);
        let paths = |names: &[String], op: &str| -> Vec<String> {
            let mut out = Vec::new();
            for n in names {
                if n.starts_with('/') {
                    out.push(n.clone());
                    continue;
                }
                if let Some(f) = fields
                    .api(api)
                    .and_then(|a| a.fields.iter().find(|x| &x.name == n))
                {
                    for major in majors {
                        for p in f.paths.get(major).into_iter().flatten() {
                            match p.split_once('#') {
                                Some((o, rest)) if o == op => out.push(rest.to_string()),
                                Some(_) => {}
                                None => out.push(p.clone()),
                            }
                        }
                    }
                }
            }
            out
        };
        for c in changes.iter_mut() {
            let affected = if !calls(&c.operation) {
                false
            } else {
                match c.side {
                    // A parameter the consumer already sends does not break it.
                    Side::Operation
                        if matches!(
                            c.kind,
                            ChangeKind::ParameterAdded | ChangeKind::ParameterRequiredAdded
                        ) =>
                    {
                        !use_.sends.contains(&c.pointer)
                    }
                    Side::Operation => true,
                    Side::Response => touches(&paths(&use_.reads, &c.operation), c),
                    Side::Request => touches(&paths(&use_.sends, &c.operation), c),
                }
            };
            c.affects_consumer = Some(affected);
        }
    }
}

/// Whether `name` is a parameter of an operation of some version of `api` in the running
/// contracts (a consumer may declare the parameters it sends).
fn is_parameter(api: &str, name: &str) -> bool {
    crate::ContractStore::active().is_ok_and(|s| {
        s.keys()
            .filter(|(a, _)| *a == api)
            .filter_map(|(a, m)| s.raw(a, m))
            .flat_map(|l| &l.manifest.operations)
            .flat_map(|o| &o.parameters)
            .any(|p| p.name == name)
    })
}

/// A change touches a used path when one is at, above or below the other; a rename also
/// through its new name.
fn touches(used: &[String], change: &Change) -> bool {
    let related = |a: &str, b: &str| {
        a == b
            || (b.starts_with(a) && b[a.len()..].starts_with('/'))
            || (a.starts_with(b) && a[b.len()..].starts_with('/'))
            || b.is_empty()
    };
    used.iter().any(|u| {
        related(&change.pointer, u)
            || change
                .detail
                .split(" → ")
                .nth(1)
                .and_then(|s| s.split_whitespace().next())
                .is_some_and(|new| related(new, u))
    })
}
