//! One change between two versions of an API, classified breaking or not from the
//! consumer's side, with the rule that decided it.

use serde::Serialize;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    RouteChanged,
    StatusAdded,
    StatusRemoved,
    BodyAdded,
    BodyRemoved,
    ParameterAdded,
    ParameterRemoved,
    ParameterRequiredAdded,
    ParameterRequiredRemoved,
    ParameterTypeChanged,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    TypeChanged,
    FormatChanged,
    EnumWidened,
    EnumNarrowed,
    RequiredAdded,
    RequiredRemoved,
    BecameNullable,
    NoLongerNullable,
}

/// Which side of the exchange a change is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The operation itself (route, statuses, parameters).
    Operation,
    /// What the consumer sends.
    Request,
    /// What the consumer reads.
    Response,
}

/// A classification rule: id and the reason, as shown in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub breaking: bool,
    pub reason: &'static str,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub operation: String,
    /// `METHOD /path` in the newer version (or the older one if removed).
    pub route: String,
    pub side: Side,
    /// `200`, `request`, or empty for operation-level changes.
    pub body: String,
    /// Field path (`/m_contrat/m_statut`), parameter name, or empty.
    pub pointer: String,
    pub kind: ChangeKind,
    /// What exactly changed, in words.
    pub detail: String,
    pub breaking: bool,
    pub rule: Rule,
    /// With `--consumer`: does the change touch a field the consumer reads or sends?
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affects_consumer: Option<bool>,
}

/// The rule of a change kind on a side (and, for additions, whether the new thing is
/// required or a success status).
pub fn rule(kind: ChangeKind, side: Side, strong: bool) -> Rule {
    use ChangeKind::*;
    use Side::*;
    let r = |id, breaking, reason| Rule {
        id,
        breaking,
        reason,
    };
    match (kind, side) {
        (OperationAdded, _) => r(
            "OP-ADDED",
            false,
            "a new operation does not change existing calls",
        ),
        (OperationRemoved, _) => r("OP-REMOVED", true, "calls to a removed operation fail"),
        (RouteChanged, _) => r(
            "OP-ROUTE",
            true,
            "the consumer calls the old method or path",
        ),
        (StatusAdded, _) if strong => r(
            "STATUS-ADDED-SUCCESS",
            true,
            "a new success status is an answer the consumer must handle",
        ),
        (StatusAdded, _) => r(
            "STATUS-ADDED-ERROR",
            false,
            "a new error status falls under the consumer's error handling",
        ),
        (StatusRemoved, _) => r("STATUS-REMOVED", false, "one answer less to handle"),
        (BodyAdded, _) => r(
            "BODY-ADDED",
            false,
            "a body where there was none can be ignored",
        ),
        (BodyRemoved, _) => r(
            "BODY-REMOVED",
            true,
            "the consumer reads a body that is no longer sent",
        ),
        (ParameterAdded, _) if strong => r(
            "PARAM-ADDED-REQUIRED",
            true,
            "calls without the new required parameter are refused",
        ),
        (ParameterAdded, _) => r(
            "PARAM-ADDED-OPTIONAL",
            false,
            "an optional parameter can be left out",
        ),
        (ParameterRemoved, _) => r(
            "PARAM-REMOVED",
            false,
            "a parameter the API no longer reads is ignored",
        ),
        (ParameterRequiredAdded, _) => r(
            "PARAM-REQUIRED",
            true,
            "calls without the parameter are refused",
        ),
        (ParameterRequiredRemoved, _) => {
            r("PARAM-OPTIONAL", false, "the consumer may keep sending it")
        }
        (ParameterTypeChanged, _) => r(
            "PARAM-TYPE",
            true,
            "values the consumer sends may be refused",
        ),
        (FieldAdded, Response) => r(
            "RESP-FIELD-ADDED",
            false,
            "a consumer ignores fields it does not read",
        ),
        (FieldAdded, _) if strong => r(
            "REQ-FIELD-ADDED-REQUIRED",
            true,
            "requests without the new required field are refused",
        ),
        (FieldAdded, _) => r(
            "REQ-FIELD-ADDED-OPTIONAL",
            false,
            "an optional field can be left out",
        ),
        (FieldRemoved, Response) => r(
            "RESP-FIELD-REMOVED",
            true,
            "the consumer reads a field that is no longer sent",
        ),
        (FieldRemoved, _) => r(
            "REQ-FIELD-REMOVED",
            true,
            "the API no longer takes a field the consumer sends",
        ),
        (FieldRenamed, _) => r(
            "FIELD-RENAMED",
            true,
            "same convention field under another name: the consumer must be changed",
        ),
        (TypeChanged, _) => r(
            "TYPE-CHANGED",
            true,
            "values of the old type no longer parse",
        ),
        (FormatChanged, _) => r(
            "FORMAT-CHANGED",
            true,
            "values in the old format no longer parse",
        ),
        (EnumWidened, Response) => r(
            "RESP-ENUM-WIDENED",
            true,
            "the consumer may receive values it does not know",
        ),
        (EnumWidened, _) => r(
            "REQ-ENUM-WIDENED",
            false,
            "the consumer's values are still accepted",
        ),
        (EnumNarrowed, Response) => r("RESP-ENUM-NARROWED", false, "fewer values to handle"),
        (EnumNarrowed, _) => r(
            "REQ-ENUM-NARROWED",
            true,
            "values the consumer sends may be refused",
        ),
        (RequiredAdded, Response) => r(
            "RESP-REQUIRED-ADDED",
            false,
            "the field is now always there",
        ),
        (RequiredAdded, _) => r(
            "REQ-REQUIRED-ADDED",
            true,
            "requests without the field are refused",
        ),
        (RequiredRemoved, Response) => r(
            "RESP-REQUIRED-REMOVED",
            true,
            "the field may now be missing",
        ),
        (RequiredRemoved, _) => r(
            "REQ-REQUIRED-REMOVED",
            false,
            "the consumer may keep sending it",
        ),
        (BecameNullable, Response) => r("RESP-NULLABLE", true, "the consumer may receive null"),
        (BecameNullable, _) => r("REQ-NULLABLE", false, "null is now accepted as well"),
        (NoLongerNullable, Response) => r("RESP-NOT-NULLABLE", false, "null is no longer sent"),
        (NoLongerNullable, _) => r(
            "REQ-NOT-NULLABLE",
            true,
            "null the consumer sends is refused",
        ),
    }
}
