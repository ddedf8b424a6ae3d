//! The differ: every change between two versions of an API, operation by operation (matched
//! by their stable id), parameter by parameter and field by field, each classified by
//! [`crate::change::rule`].
//!
//! A field removed in one version and added in the other is reported as one rename when the
//! field catalogue maps both to the same convention field (`identifiant` → `jetonUsager`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::change::{Change, ChangeKind, Side, rule};
use crate::convert::allows_null;
use crate::fields::FieldCatalogue;
use crate::manifest::Operation;
use crate::schema_walk::{children, follow};
use crate::store::LoadedVersion;

/// Two versions to compare.
#[derive(Debug, Clone, Copy)]
pub struct DiffInput<'a> {
    pub api: &'a str,
    pub from_major: &'a str,
    pub from: &'a LoadedVersion,
    pub to_major: &'a str,
    pub to: &'a LoadedVersion,
    pub fields: &'a FieldCatalogue,
}

/// Every change from `from` to `to`.
pub fn diff(input: DiffInput<'_>) -> Vec<Change> {
    let mut out = Vec::new();
    let to_ops: HashMap<&str, &Operation> = input
        .to
        .manifest
        .operations
        .iter()
        .map(|o| (o.id.as_str(), o))
        .collect();
    for old in &input.from.manifest.operations {
        match to_ops.get(old.id.as_str()) {
            None => out.push(op_change(
                old,
                ChangeKind::OperationRemoved,
                "operation removed".into(),
            )),
            Some(new) => diff_operation(&input, old, new, &mut out),
        }
    }
    for new in &input.to.manifest.operations {
        if input.from.manifest.operation(&new.id).is_none() {
            out.push(op_change(
                new,
                ChangeKind::OperationAdded,
                "operation added".into(),
            ));
        }
    }
    out
}

fn route(op: &Operation) -> String {
    format!("{} {}", op.method, op.path)
}

fn op_change(op: &Operation, kind: ChangeKind, detail: String) -> Change {
    let r = rule(kind, Side::Operation, false);
    Change {
        operation: op.id.clone(),
        route: route(op),
        side: Side::Operation,
        body: String::new(),
        pointer: String::new(),
        kind,
        detail,
        breaking: r.breaking,
        rule: r,
        affects_consumer: None,
    }
}

struct Ctx<'a, 'b> {
    input: &'b DiffInput<'a>,
    op: &'b Operation,
    side: Side,
    body: String,
    from_root: &'a Value,
    to_root: &'a Value,
    out: Vec<Change>,
}

impl Ctx<'_, '_> {
    fn push(&mut self, pointer: &str, kind: ChangeKind, strong: bool, detail: String) {
        let r = rule(kind, self.side, strong);
        self.out.push(Change {
            operation: self.op.id.clone(),
            route: route(self.op),
            side: self.side,
            body: self.body.clone(),
            pointer: pointer.to_string(),
            kind,
            detail,
            breaking: r.breaking,
            rule: r,
            affects_consumer: None,
        });
    }
}

fn diff_operation(input: &DiffInput<'_>, old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    if old.method != new.method || old.path != new.path {
        let mut c = op_change(
            new,
            ChangeKind::RouteChanged,
            format!("{} → {}", route(old), route(new)),
        );
        c.route = route(new);
        out.push(c);
    }
    diff_parameters(old, new, out);

    // Statuses and bodies.
    for r in &old.responses {
        if new.response(r.status).is_none() {
            let mut c = op_change(
                new,
                ChangeKind::StatusRemoved,
                format!("status {} no longer documented", r.status),
            );
            c.body = r.status.to_string();
            out.push(c);
        }
    }
    for r in &new.responses {
        match old.response(r.status) {
            None => {
                let success = (200..300).contains(&r.status);
                let rl = rule(ChangeKind::StatusAdded, Side::Operation, success);
                out.push(Change {
                    operation: new.id.clone(),
                    route: route(new),
                    side: Side::Operation,
                    body: r.status.to_string(),
                    pointer: String::new(),
                    kind: ChangeKind::StatusAdded,
                    detail: format!(
                        "status {} documented: {}",
                        r.status,
                        one_line(&r.description)
                    ),
                    breaking: rl.breaking,
                    rule: rl,
                    affects_consumer: None,
                });
            }
            Some(o) => {
                let from_schema = o.schema.as_ref().and_then(|f| input.from.schemas.get(f));
                let to_schema = r.schema.as_ref().and_then(|f| input.to.schemas.get(f));
                diff_bodies(
                    input,
                    new,
                    Side::Response,
                    r.status.to_string(),
                    from_schema,
                    to_schema,
                    out,
                );
            }
        }
    }
    let from_req = old
        .request
        .as_ref()
        .and_then(|b| input.from.schemas.get(&b.schema));
    let to_req = new
        .request
        .as_ref()
        .and_then(|b| input.to.schemas.get(&b.schema));
    diff_bodies(
        input,
        new,
        Side::Request,
        "request".into(),
        from_req,
        to_req,
        out,
    );
}

fn diff_parameters(old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    let key = |p: &crate::manifest::Parameter| (p.location.clone(), p.name.to_ascii_lowercase());
    for p in &old.parameters {
        match new.parameters.iter().find(|q| key(q) == key(p)) {
            None => {
                let mut c = op_change(
                    new,
                    ChangeKind::ParameterRemoved,
                    format!("{} parameter `{}` removed", p.location, p.name),
                );
                c.pointer = p.name.clone();
                out.push(c);
            }
            Some(q) => {
                if !p.required && q.required {
                    let mut c = op_change(
                        new,
                        ChangeKind::ParameterRequiredAdded,
                        format!("{} parameter `{}` is now required", q.location, q.name),
                    );
                    c.pointer = q.name.clone();
                    out.push(c);
                } else if p.required && !q.required {
                    let mut c = op_change(
                        new,
                        ChangeKind::ParameterRequiredRemoved,
                        format!("{} parameter `{}` is now optional", q.location, q.name),
                    );
                    c.pointer = q.name.clone();
                    out.push(c);
                }
                let (ta, tb) = (types(&p.schema), types(&q.schema));
                if !ta.is_empty() && !tb.is_empty() && ta != tb {
                    let mut c = op_change(
                        new,
                        ChangeKind::ParameterTypeChanged,
                        format!("`{}`: {} → {}", q.name, join(&ta), join(&tb)),
                    );
                    c.pointer = q.name.clone();
                    out.push(c);
                }
            }
        }
    }
    for q in &new.parameters {
        if !old.parameters.iter().any(|p| key(p) == key(q)) {
            let r = rule(ChangeKind::ParameterAdded, Side::Operation, q.required);
            out.push(Change {
                operation: new.id.clone(),
                route: route(new),
                side: Side::Operation,
                body: String::new(),
                pointer: q.name.clone(),
                kind: ChangeKind::ParameterAdded,
                detail: format!(
                    "{} {} parameter `{}` added",
                    if q.required { "required" } else { "optional" },
                    q.location,
                    q.name
                ),
                breaking: r.breaking,
                rule: r,
                affects_consumer: None,
            });
        }
    }
}

fn diff_bodies(
    input: &DiffInput<'_>,
    op: &Operation,
    side: Side,
    body: String,
    from: Option<&Value>,
    to: Option<&Value>,
    out: &mut Vec<Change>,
) {
    match (from, to) {
        (None, None) => {}
        (Some(_), None) => {
            let r = rule(ChangeKind::BodyRemoved, side, false);
            out.push(Change {
                operation: op.id.clone(),
                route: route(op),
                side,
                body: body.clone(),
                pointer: String::new(),
                kind: ChangeKind::BodyRemoved,
                detail: format!("{body}: body no longer documented"),
                breaking: r.breaking,
                rule: r,
                affects_consumer: None,
            });
        }
        (None, Some(_)) => {
            let r = rule(ChangeKind::BodyAdded, side, false);
            out.push(Change {
                operation: op.id.clone(),
                route: route(op),
                side,
                body: body.clone(),
                pointer: String::new(),
                kind: ChangeKind::BodyAdded,
                detail: format!("{body}: body now documented"),
                breaking: r.breaking,
                rule: r,
                affects_consumer: None,
            });
        }
        (Some(a), Some(b)) => {
            let mut ctx = Ctx {
                input,
                op,
                side,
                body,
                from_root: a,
                to_root: b,
                out: Vec::new(),
            };
            diff_node(&mut ctx, a, b, "", 0);
            pair_renames(&mut ctx);
            pair_structural_renames(&mut ctx);
            out.append(&mut ctx.out);
        }
    }
}

const MAX_DEPTH: usize = 32;

fn diff_node(ctx: &mut Ctx<'_, '_>, a: &Value, b: &Value, path: &str, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let a = follow(ctx.from_root, a);
    let b = follow(ctx.to_root, b);
    let (ta, tb) = (types(a), types(b));
    let shown = if path.is_empty() { "/" } else { path };
    if !ta.is_empty() && !tb.is_empty() && ta != tb {
        ctx.push(
            path,
            ChangeKind::TypeChanged,
            false,
            format!("{shown}: type {} → {}", join(&ta), join(&tb)),
        );
        return;
    }
    match (allows_null(a) && has_type(a), allows_null(b) && has_type(b)) {
        (false, true) => ctx.push(
            path,
            ChangeKind::BecameNullable,
            false,
            format!("{shown}: may now be null"),
        ),
        (true, false) => ctx.push(
            path,
            ChangeKind::NoLongerNullable,
            false,
            format!("{shown}: no longer null"),
        ),
        _ => {}
    }
    let (fa, fb) = (
        a.get("format").and_then(Value::as_str),
        b.get("format").and_then(Value::as_str),
    );
    if fa != fb && (is_real_format(fa) || is_real_format(fb)) {
        ctx.push(
            path,
            ChangeKind::FormatChanged,
            false,
            format!(
                "{shown}: format {} → {}",
                fa.unwrap_or("none"),
                fb.unwrap_or("none")
            ),
        );
    }
    diff_enum(ctx, a, b, path, shown);

    let ka = children(ctx.from_root, a);
    let kb = children(ctx.to_root, b);
    for (name, sa, req_a) in &ka {
        let child = format!("{path}{name}");
        match kb.iter().find(|(n, _, _)| n == name) {
            None if name == "/*" => {}
            None => ctx.push(
                &child,
                ChangeKind::FieldRemoved,
                false,
                format!("{child}: field removed"),
            ),
            Some((_, sb, req_b)) => {
                if name != "/*" {
                    if !req_a && *req_b {
                        ctx.push(
                            &child,
                            ChangeKind::RequiredAdded,
                            false,
                            format!("{child}: now required"),
                        );
                    } else if *req_a && !req_b {
                        ctx.push(
                            &child,
                            ChangeKind::RequiredRemoved,
                            false,
                            format!("{child}: no longer required"),
                        );
                    }
                }
                diff_node(ctx, sa, sb, &child, depth + 1);
            }
        }
    }
    for (name, _, req_b) in &kb {
        if name != "/*" && !ka.iter().any(|(n, _, _)| n == name) {
            let child = format!("{path}{name}");
            let detail = format!(
                "{child}: {} field added",
                if *req_b { "required" } else { "optional" }
            );
            ctx.push(&child, ChangeKind::FieldAdded, *req_b, detail);
        }
    }
}

fn diff_enum(ctx: &mut Ctx<'_, '_>, a: &Value, b: &Value, path: &str, shown: &str) {
    let set = |v: &Value| -> Option<BTreeSet<String>> {
        v.get("enum").and_then(Value::as_array).map(|e| {
            e.iter()
                .filter(|x| !x.is_null())
                .map(|x| x.to_string())
                .collect()
        })
    };
    match (set(a), set(b)) {
        (Some(ea), Some(eb)) => {
            let added: Vec<&String> = eb.difference(&ea).collect();
            let removed: Vec<&String> = ea.difference(&eb).collect();
            if !added.is_empty() {
                ctx.push(
                    path,
                    ChangeKind::EnumWidened,
                    false,
                    format!("{shown}: new value(s) {}", list(&added)),
                );
            }
            if !removed.is_empty() {
                ctx.push(
                    path,
                    ChangeKind::EnumNarrowed,
                    false,
                    format!("{shown}: value(s) removed {}", list(&removed)),
                );
            }
        }
        (Some(_), None) => ctx.push(
            path,
            ChangeKind::EnumWidened,
            false,
            format!("{shown}: no longer restricted to a list of values"),
        ),
        (None, Some(eb)) => {
            let values: Vec<&String> = eb.iter().collect();
            ctx.push(
                path,
                ChangeKind::EnumNarrowed,
                false,
                format!("{shown}: now restricted to {}", list(&values)),
            )
        }
        (None, None) => {}
    }
}

/// Turns a removed field into a rename when the field catalogue says the same convention
/// field lives at an existing path of the new version (possibly inside a new object, as
/// `statutDE` → `/m_contrat/m_statut`); an "added" entry at exactly that path is folded in.
fn pair_renames(ctx: &mut Ctx<'_, '_>) {
    let fields = ctx.input.fields;
    let api = ctx.input.api;
    let op = ctx.op.id.clone();
    let to_paths: BTreeSet<String> = crate::schema_walk::fields(ctx.to_root)
        .into_iter()
        .map(|f| f.path)
        .collect();
    let mut i = 0;
    while i < ctx.out.len() {
        if ctx.out[i].kind != ChangeKind::FieldRemoved {
            i += 1;
            continue;
        }
        let removed = ctx.out[i].pointer.clone();
        let Some(conv) = fields.convention(api, ctx.input.from_major, &op, &removed) else {
            i += 1;
            continue;
        };
        let target = conv
            .paths
            .get(ctx.input.to_major)
            .into_iter()
            .flatten()
            .filter_map(|p| match p.split_once('#') {
                Some((o, rest)) if o == op => Some(rest.to_string()),
                Some(_) => None,
                None => Some(p.clone()),
            })
            .find(|p| to_paths.contains(p));
        let Some(added) = target else {
            i += 1;
            continue;
        };
        let name = conv.name.clone();
        let r = rule(ChangeKind::FieldRenamed, ctx.side, false);
        let c = &mut ctx.out[i];
        c.kind = ChangeKind::FieldRenamed;
        c.detail = format!("{removed} → {added} (convention field «{name}»)");
        c.breaking = r.breaking;
        c.rule = r;
        if let Some(j) = ctx
            .out
            .iter()
            .position(|c| c.kind == ChangeKind::FieldAdded && c.pointer == added)
        {
            ctx.out.remove(j);
            if j < i {
                continue;
            }
        }
        i += 1;
    }
}

/// Turns a removed field into a rename when, at the same place, exactly one field was added
/// with the same type, values and format, and no other removed field there has that shape
/// (`/m_contrat/m_statut` → `/m_contrat/m_statut_usager`): a version the field catalogue does
/// not know yet.
fn pair_structural_renames(ctx: &mut Ctx<'_, '_>) {
    // A leaf's shape (types, values, format), each schema walked once.
    let shapes = |root: &Value| -> BTreeMap<String, String> {
        crate::schema_walk::fields(root)
            .into_iter()
            .filter_map(|f| {
                let types: Vec<String> = types(f.schema).into_iter().collect();
                if types.iter().any(|t| t == "object" || t == "array") {
                    return None;
                }
                let text = |k: &str| f.schema.get(k).map(Value::to_string).unwrap_or_default();
                Some((
                    f.path,
                    format!("{types:?}|{}|{}", text("enum"), text("format")),
                ))
            })
            .collect()
    };
    let parent = |p: &str| {
        p.rsplit_once('/')
            .map(|(a, _)| a.to_string())
            .unwrap_or_default()
    };
    let of_kind = |kind: ChangeKind, shapes: &BTreeMap<String, String>| {
        ctx.out
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == kind)
            .map(|(i, c)| (i, c.pointer.clone(), shapes.get(&c.pointer).cloned()))
            .collect::<Vec<(usize, String, Option<String>)>>()
    };
    let removed = of_kind(ChangeKind::FieldRemoved, &shapes(ctx.from_root));
    let added = of_kind(ChangeKind::FieldAdded, &shapes(ctx.to_root));
    let mut folded = Vec::new();
    for (i, from, shape) in &removed {
        let Some(shape) = shape else { continue };
        let same = |(_, p, s): &&(usize, String, Option<String>)| {
            parent(p) == parent(from) && s.as_ref() == Some(shape)
        };
        let to: Vec<&(usize, String, Option<String>)> = added.iter().filter(same).collect();
        let rivals = removed.iter().filter(same).count();
        if let ([(j, to, _)], 1) = (to.as_slice(), rivals) {
            let r = rule(ChangeKind::FieldRenamed, ctx.side, false);
            let c = &mut ctx.out[*i];
            c.kind = ChangeKind::FieldRenamed;
            c.detail = format!("{from} → {to} (same place, type and values)");
            c.breaking = r.breaking;
            c.rule = r;
            folded.push(*j);
        }
    }
    folded.sort_unstable();
    for j in folded.into_iter().rev() {
        ctx.out.remove(j);
    }
}

fn has_type(v: &Value) -> bool {
    v.get("type").is_some()
}

fn is_real_format(f: Option<&str>) -> bool {
    // int32/int64/double are OpenAPI storage hints, not wire formats.
    matches!(f, Some(x) if !matches!(x, "int32" | "int64" | "float" | "double"))
}

/// Non-null types of a schema node.
fn types(v: &Value) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = match v.get("type") {
        Some(Value::String(t)) => [t.clone()].into(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => BTreeSet::new(),
    };
    set.remove("null");
    // An integer is a number: integer → number widens, number → integer narrows; both
    // are reported, but as a type change only when the JSON kinds differ.
    set
}

fn join(s: &BTreeSet<String>) -> String {
    s.iter().cloned().collect::<Vec<_>>().join("|")
}

fn list(v: &[&String]) -> String {
    v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

fn one_line(s: &str) -> String {
    let line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 80 {
        format!("{}…", line.chars().take(80).collect::<String>())
    } else {
        line
    }
}
