//! One probe, start to end: a token, the test person when the operation reads one (found
//! once an hour, not measured), the call (measured), its contract and the data-quality
//! rules, and the outcome — telling Pôle emploi's failures from the partner's own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use contracts::Checker;
use contracts::catalogue::Era;
use contracts::manifest::Operation;
use contracts::store::ContractStore;
use domain::clock::Clock;
use domain::dataset::Case;
use serde_json::json;

use super::config::ProbeSpec;
use super::record::{ProbeOutcome, ProbeRecord};
use crate::check::plan::{self, VersionPlan};
use crate::client::calls::{ApiClient, Call, CallError};

const SEARCH_OP: &str = "rechercher-usager-par-date-naissance-et-nir";
/// How long a found person's jeton or id is reused (a jeton lives a day).
const PERSON_TTL: Duration = Duration::from_secs(3600);

/// The operations of a version a probe can make: the search, every read of one person,
/// the référentiels.
pub fn probeable(store: &ContractStore, api: &str, major: &str) -> Vec<String> {
    let Ok(plans) = plan::plan(store, Some(api), &[major]) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if api == "recherche-usager" {
        out.push(SEARCH_OP.to_string());
    }
    for p in plans {
        out.extend(
            p.person_reads
                .iter()
                .chain(&p.shared_reads)
                .map(|o| o.id.clone()),
        );
    }
    out
}

#[derive(Debug)]
pub struct Prober {
    client: Arc<ApiClient>,
    checker: Arc<Checker>,
    person: Case,
    network_check: Option<String>,
    clock: Arc<dyn Clock>,
    found: Mutex<HashMap<&'static str, (String, Instant)>>,
    plans: Mutex<HashMap<String, Arc<(VersionPlan, Operation)>>>,
    http: reqwest::Client,
}

/// Violations kept in one probe record (each a pointer of at most 300 characters).
const MAX_STORED_VIOLATIONS: usize = 20;

/// How a broken data-quality rule starts in a record's violations (after the pointer), as
/// opposed to a contract pointer: what the alert engine tells applicative causes by.
pub const DATA_RULE: &str = "(category outside";

/// What a failed call means, and the evidence.
fn failure(e: &CallError, network_ok: Option<bool>) -> (ProbeOutcome, String) {
    match e {
        CallError::NameResolution => (
            ProbeOutcome::PartnerSide,
            "name resolution failed (the partner's DNS)".into(),
        ),
        CallError::Token { status, error } if error == "invalid_client" || *status == 401 => (
            ProbeOutcome::PartnerSide,
            format!("the partner's credentials were refused ({status} {error})"),
        ),
        CallError::Throttled(_) => (
            ProbeOutcome::PartnerSide,
            "429: the partner's quota is spent".into(),
        ),
        CallError::Unreachable(_) if network_ok == Some(false) => (
            ProbeOutcome::PartnerSide,
            "the partner's own network check failed too".into(),
        ),
        CallError::Unreachable(kind) => (ProbeOutcome::Down, format!("no connection: {kind}")),
        CallError::Timeout(d) => (
            ProbeOutcome::Down,
            format!("no answer within {} s", d.as_secs()),
        ),
        CallError::Token { status, error } => (
            ProbeOutcome::Down,
            format!("token endpoint answered {status} {error}"),
        ),
    }
}

impl Prober {
    pub fn new(
        client: Arc<ApiClient>,
        checker: Arc<Checker>,
        person: Case,
        network_check: Option<String>,
        clock: Arc<dyn Clock>,
        timeout: Duration,
    ) -> Prober {
        Prober {
            client,
            checker,
            person,
            network_check,
            clock,
            found: Mutex::new(HashMap::new()),
            plans: Mutex::new(HashMap::new()),
            http: reqwest::Client::builder()
                .timeout(timeout)
                .build()
                .unwrap_or_default(),
        }
    }

    async fn network_ok(&self) -> Option<bool> {
        let url = self.network_check.as_ref()?;
        Some(self.http.get(url).send().await.is_ok())
    }

    /// The plan and operation of a spec: read from the contracts once, then shared (a probe
    /// of 1 000 targets a second must not walk the manifests each time).
    fn plan_of(&self, spec: &ProbeSpec) -> Option<Arc<(VersionPlan, Operation)>> {
        let key = spec.key();
        if let Some(hit) = self.plans.lock().ok()?.get(&key) {
            return Some(hit.clone());
        }
        let store = self.checker.store();
        let p = plan::plan(store, Some(spec.api), &[spec.major])
            .ok()?
            .into_iter()
            .next()?;
        let op = store
            .raw(spec.api, spec.major)?
            .manifest
            .operation(&spec.operation)?
            .clone();
        let found = Arc::new((p, op));
        self.plans.lock().ok()?.insert(key, found.clone());
        Some(found)
    }

    fn headers(era: Era, jeton: Option<&str>) -> Vec<(&'static str, String)> {
        let mut h = Vec::new();
        if era == Era::Current {
            h.push(("pa-nom-agent", "Vigie".to_string()));
            h.push(("pa-prenom-agent", "Sonde".to_string()));
            h.push(("pa-identifiant-agent", "BATCH".to_string()));
            if let Some(j) = jeton {
                h.push(("ft-jeton-usager", j.to_string()));
            }
        }
        h
    }

    fn search_call(&self, base: &str, op: &Operation, era: Era) -> Call {
        Call {
            method: reqwest::Method::POST,
            path: format!("{base}{}", op.path),
            headers: Prober::headers(era, None),
            body: Some(
                json!({"nir": self.person.nir, "dateNaissance": self.person.date_naissance}),
            ),
            write: false,
        }
    }

    /// The test person's jeton (n) or encrypted id (n-1), found again once an hour.
    async fn person(&self, era: Era) -> Result<String, (ProbeOutcome, String)> {
        let key = era.alias();
        if let Ok(m) = self.found.lock()
            && let Some((id, at)) = m.get(key)
            && at.elapsed() < PERSON_TTL
        {
            return Ok(id.clone());
        }
        let store = self.checker.store();
        let info = contracts::catalogue::api("recherche-usager")
            .map_err(|e| (ProbeOutcome::Down, e.to_string()))?;
        let v = info.era(era);
        let loaded = store
            .raw(&info.id, &v.major)
            .ok_or((ProbeOutcome::Down, "no search contract".into()))?;
        let op = loaded
            .manifest
            .operation(SEARCH_OP)
            .ok_or((ProbeOutcome::Down, "no search operation".into()))?;
        let auth = match self.client.bearer(&v.realm, &v.scopes).await {
            Ok(a) => a,
            Err(e) => return Err(failure(&e, self.network_ok().await)),
        };
        let reply = self
            .client
            .call(
                &self.search_call(&loaded.manifest.base_path, op, era),
                &auth,
            )
            .await
            .map_err(|e| failure(&e, None))?;
        let id_key = if era == Era::Current {
            "jetonUsager"
        } else {
            "identifiant"
        };
        let id = reply
            .body
            .as_ref()
            .and_then(|b| b[id_key].as_str())
            .map(str::to_string)
            .ok_or((
                ProbeOutcome::Down,
                format!(
                    "the test person was not found (search answered {})",
                    reply.status
                ),
            ))?;
        if let Ok(mut m) = self.found.lock() {
            m.insert(key, (id.clone(), Instant::now()));
        }
        Ok(id)
    }

    /// Runs one probe due at `scheduled_ms`; `None` when it could not be made at all (the
    /// test person could not be found: that time stays unobserved for this operation).
    pub async fn probe(&self, spec: &ProbeSpec, scheduled_ms: i64) -> Option<ProbeRecord> {
        let started_ms = self.clock.now_ms();
        let mut record = ProbeRecord {
            target: spec.key(),
            api: spec.api.into(),
            version: spec.major.into(),
            operation: spec.operation.clone(),
            scheduled_ms,
            started_ms,
            duration_ms: 0.0,
            interval_ms: spec.interval.as_millis() as i64,
            status: None,
            outcome: ProbeOutcome::Down,
            violations: Vec::new(),
            evidence: None,
        };
        let Some(planned) = self.plan_of(spec) else {
            record.evidence = Some("the operation is not in the contract".into());
            return Some(record);
        };
        let (p, op) = (&planned.0, &planned.1);
        let auth = match self.client.bearer(p.realm, p.scopes).await {
            Ok(a) => a,
            Err(e) => {
                let (outcome, evidence) = failure(&e, self.network_ok().await);
                record.outcome = outcome;
                record.evidence = Some(evidence);
                return Some(record);
            }
        };
        let call = if op.id == SEARCH_OP {
            self.search_call(&p.base_path, op, spec.era)
        } else if p.person_reads.iter().any(|o| o.id == op.id) {
            let id = match self.person(spec.era).await {
                Ok(id) => id,
                Err((ProbeOutcome::PartnerSide, evidence)) => {
                    record.outcome = ProbeOutcome::PartnerSide;
                    record.evidence = Some(evidence);
                    return Some(record);
                }
                Err(_) => return None,
            };
            let (path_id, jeton) = match spec.era {
                Era::Previous => (Some(id.as_str()), None),
                Era::Current => (None, Some(id.as_str())),
            };
            Call {
                method: reqwest::Method::GET,
                path: plan::person_path(&p.base_path, op, path_id),
                headers: Prober::headers(spec.era, jeton),
                body: None,
                write: false,
            }
        } else {
            Call {
                method: reqwest::Method::GET,
                path: plan::person_path(&p.base_path, op, None),
                headers: Prober::headers(spec.era, None),
                body: None,
                write: false,
            }
        };
        let reply = match self.client.call(&call, &auth).await {
            Ok(r) => r,
            Err(e) => {
                let network = match e {
                    CallError::Unreachable(_) => self.network_ok().await,
                    _ => None,
                };
                let (outcome, evidence) = failure(&e, network);
                record.outcome = outcome;
                record.evidence = Some(evidence);
                record.duration_ms = (self.clock.now_ms() - started_ms) as f64;
                return Some(record);
            }
        };
        record.status = Some(reply.status);
        record.duration_ms = (reply.elapsed.as_secs_f64() * 1_000_000.0).round() / 1000.0;
        record.outcome = match reply.status {
            500..=599 => {
                record.evidence = Some(format!("status {}", reply.status));
                ProbeOutcome::Down
            }
            302 | 401 | 403 => {
                record.evidence = Some(format!(
                    "status {}: the gateway refused the partner's request (headers, token or scopes)",
                    reply.status
                ));
                ProbeOutcome::PartnerSide
            }
            _ => {
                let mut broken: Vec<String> = match self.checker.check_response(
                    spec.api,
                    spec.major,
                    &op.id,
                    reply.status,
                    reply.body.as_ref(),
                ) {
                    Ok(v) => v
                        .into_iter()
                        .map(|v| {
                            if v.pointer.is_empty() {
                                format!("/ ({})", v.keyword)
                            } else {
                                v.pointer
                            }
                        })
                        .collect(),
                    Err(e) => vec![format!("contract: {e}")],
                };
                if spec.api == "statut-usager" && reply.status == 200 {
                    let pointer = if spec.era == Era::Current {
                        "/m_contrat/m_categ_inscription_code"
                    } else {
                        "/categInscriptionCode"
                    };
                    if let Some(c) = reply
                        .body
                        .as_ref()
                        .and_then(|b| b.pointer(pointer))
                        .and_then(|v| v.as_str())
                        && !matches!(c.trim(), "" | "1" | "2" | "3" | "5")
                    {
                        broken.push(format!(
                            "{pointer} {DATA_RULE} 1, 2, 3, 5 for an RSA beneficiary)"
                        ));
                    }
                }
                if let Some(why) = unexpected_status(reply.status) {
                    broken.insert(0, why);
                }
                if !broken.is_empty() {
                    // A hostile answer can break thousands of rules: the record keeps the first.
                    if broken.len() > MAX_STORED_VIOLATIONS {
                        let more = broken.len() - MAX_STORED_VIOLATIONS;
                        broken.truncate(MAX_STORED_VIOLATIONS);
                        broken.push(format!("… and {more} more"));
                    }
                    record.violations = broken;
                    ProbeOutcome::ContractViolation
                } else if record.duration_ms > 6000.0 {
                    ProbeOutcome::Exceptional
                } else if record.duration_ms > 1000.0 {
                    ProbeOutcome::Slow
                } else {
                    ProbeOutcome::Up
                }
            }
        };
        Some(record)
    }
}

/// A probe reads a person known to the data set, or a référentiel: only a success status is
/// an answer; a documented 400 or 404 is still a failure (5xx and gateway refusals are
/// classified before this).
fn unexpected_status(status: u16) -> Option<String> {
    (!(200..300).contains(&status))
        .then(|| format!("status {status} (expected a success status, 2xx)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documented_error_status_is_not_an_answer() {
        assert_eq!(unexpected_status(200), None);
        assert_eq!(unexpected_status(204), None);
        for s in [400, 404, 429] {
            assert!(unexpected_status(s).is_some_and(|w| w.contains(&s.to_string())));
        }
    }

    #[test]
    fn whose_failure_it_is() {
        let side = |e: CallError, net: Option<bool>| failure(&e, net).0;
        assert_eq!(
            side(CallError::NameResolution, None),
            ProbeOutcome::PartnerSide
        );
        assert_eq!(
            side(CallError::Throttled(1), None),
            ProbeOutcome::PartnerSide
        );
        assert_eq!(
            side(
                CallError::Token {
                    status: 400,
                    error: "invalid_client".into()
                },
                None
            ),
            ProbeOutcome::PartnerSide
        );
        assert_eq!(
            side(
                CallError::Token {
                    status: 503,
                    error: "R999".into()
                },
                None
            ),
            ProbeOutcome::Down
        );
        assert_eq!(
            side(
                CallError::Unreachable("connection refused".into()),
                Some(false)
            ),
            ProbeOutcome::PartnerSide
        );
        assert_eq!(
            side(
                CallError::Unreachable("connection refused".into()),
                Some(true)
            ),
            ProbeOutcome::Down
        );
        assert_eq!(
            side(CallError::Unreachable("connection refused".into()), None),
            ProbeOutcome::Down
        );
        assert_eq!(
            side(CallError::Timeout(Duration::from_secs(6)), None),
            ProbeOutcome::Down
        );
        assert!(failure(&CallError::NameResolution, None).1.contains("DNS"));
    }
}
