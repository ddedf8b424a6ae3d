//! Runs a check: the data set's cases through every API version of the plan, each answer
//! held to its contract and to the data set's expectations, drift collected on the way.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use contracts::Checker;
use contracts::catalogue::{self, Era};
use contracts::manifest::Operation;
use domain::dataset::{Case, Dataset};
use serde_json::{Value, json};

use super::drift::DriftCollector;
use super::expect::{self, Expected};
use super::plan::{self, RoundTrip, VersionPlan};
use super::record::{CallRecord, CheckReport, Mismatch, SCHEMA_ID, Totals, Verdict};
use super::shape;
use crate::client::calls::{ApiClient, Call, CallError, Reply};

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Aliases (`n`, `n-1`) or majors (`v3`).
    pub versions: Vec<String>,
    pub api: Option<String>,
    /// Hold every answer to this version's contract (alias or major) instead of its route's
    /// (to see what a version change breaks, or a platform answering in the wrong version).
    pub expect_version: Option<String>,
    pub writes: bool,
    /// `AAAA-MM-JJ`, for exploration dates of writes.
    pub today: String,
    /// ISO 8601 start time, from the injected clock.
    pub started_at: String,
}

/// Called after each case: (cases done, cases in all).
pub type Progress = Arc<dyn Fn(usize, usize) + Send + Sync>;

/// The three `pa-*` headers of version n: a batch, as the platform asks of machine calls.
const PA: [(&str, &str); 3] = [
    ("pa-nom-agent", "Vigie"),
    ("pa-prenom-agent", "Controle"),
    ("pa-identifiant-agent", "BATCH"),
];

struct Ctx {
    client: Arc<ApiClient>,
    checker: Arc<Checker>,
    plans: Vec<VersionPlan>,
    opts: CheckOptions,
    drift: Mutex<DriftCollector>,
    harness: Mutex<Duration>,
}

/// Runs the check and returns its report (harness trouble is in `harness_errors`).
pub async fn run(
    client: Arc<ApiClient>,
    checker: Arc<Checker>,
    dataset: &Dataset,
    opts: CheckOptions,
    concurrency: usize,
    progress: Progress,
) -> CheckReport {
    let started = Instant::now();
    let mut harness_errors = Vec::new();
    let versions: Vec<&str> = opts.versions.iter().map(String::as_str).collect();
    let plans = match plan::plan(checker.store(), opts.api.as_deref(), &versions) {
        Ok(p) => p,
        Err(e) => {
            harness_errors.push(e.to_string());
            Vec::new()
        }
    };
    let versions = plans
        .iter()
        .map(|p| format!("{} {}", p.api, p.label))
        .collect();
    let target = client.target().to_string();
    let writes = opts.writes;
    let ctx = Arc::new(Ctx {
        client,
        checker,
        plans,
        opts,
        drift: Mutex::new(DriftCollector::default()),
        harness: Mutex::new(Duration::ZERO),
    });

    let mut records: Vec<(usize, usize, CallRecord)> = Vec::new();
    // Shared reads first (one per version), then the people, `concurrency` at a time.
    for (seq, r) in shared_reads(&ctx).await.into_iter().enumerate() {
        records.push((0, seq, r));
    }
    let total = dataset.cases.len();
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
    let mut set = tokio::task::JoinSet::new();
    for (i, case) in dataset.cases.iter().cloned().enumerate() {
        let ctx = ctx.clone();
        let permits = permits.clone();
        set.spawn(async move {
            let _p = permits.acquire_owned().await;
            (i + 1, run_case(&ctx, &case).await)
        });
    }
    let mut done = 0;
    while let Some(joined) = set.join_next().await {
        done += 1;
        progress(done, total);
        match joined {
            Ok((i, recs)) => records.extend(recs.into_iter().enumerate().map(|(s, r)| (i, s, r))),
            Err(e) => harness_errors.push(format!("a case stopped unexpectedly: {e}")),
        }
    }
    records.sort_by_key(|(i, s, _)| (*i, *s));
    let calls: Vec<CallRecord> = records.into_iter().map(|(_, _, r)| r).collect();

    let stats = ctx.client.stats();
    let mut totals = Totals {
        requests: stats.calls,
        throttled: stats.throttled,
        retries: stats.retries,
        ..Totals::default()
    };
    for c in &calls {
        totals.calls += 1;
        match c.verdict {
            Verdict::Pass => totals.pass += 1,
            Verdict::Fail => totals.fail += 1,
            Verdict::Error => totals.error += 1,
        }
    }
    if calls.iter().all(|c| c.verdict == Verdict::Error)
        && let Some(first) = calls.iter().find_map(|c| c.error.clone())
    {
        harness_errors.push(format!("no call got an answer: {first}"));
    }
    let drift = ctx.drift.lock().map(|d| d.summary()).unwrap_or_default();
    let harness_ms = ctx.harness.lock().map(|d| ms(*d)).unwrap_or(0.0);
    CheckReport {
        schema: SCHEMA_ID,
        vigie_version: env!("CARGO_PKG_VERSION"),
        target,
        started_at: ctx.opts.started_at.clone(),
        duration_ms: ms(started.elapsed()),
        harness_ms,
        versions,
        contract_profile: ctx.checker.profile(),
        cases: total as u64,
        writes,
        totals,
        calls,
        drift,
        harness_errors,
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

async fn shared_reads(ctx: &Ctx) -> Vec<CallRecord> {
    let mut out = Vec::new();
    for p in &ctx.plans {
        for op in &p.shared_reads {
            let call = Call {
                method: reqwest::Method::GET,
                path: plan::person_path(&p.base_path, op, None),
                headers: headers(p, None),
                body: None,
                write: false,
            };
            out.push(
                exchange(ctx, p, op, "référentiel", call, Expected::success_of(op))
                    .await
                    .0,
            );
        }
        for r in &p.enumerated_reads {
            let call = Call {
                method: reqwest::Method::GET,
                path: format!("{}{}", p.base_path, r.path),
                headers: headers(p, None),
                body: None,
                write: false,
            };
            let case = format!("référentiel {}", r.values);
            out.push(
                exchange(ctx, p, &r.op, &case, call, Expected::success_of(&r.op))
                    .await
                    .0,
            );
        }
    }
    out
}

fn headers(p: &VersionPlan, jeton: Option<&str>) -> Vec<(&'static str, String)> {
    let mut h = Vec::new();
    if p.era == Era::Current {
        h.extend(PA.iter().map(|(k, v)| (*k, (*v).to_string())));
        if let Some(j) = jeton {
            h.push(("ft-jeton-usager", j.to_string()));
        }
    }
    h
}

async fn run_case(ctx: &Ctx, case: &Case) -> Vec<CallRecord> {
    let mut out = Vec::new();
    // Every read of every era first, then the writes: a write in one version is visible to
    // the other's reads, and the data set describes the person before any write.
    let mut writes = Vec::new();
    let mut eras: Vec<Era> = Vec::new();
    for p in &ctx.plans {
        if !eras.contains(&p.era) {
            eras.push(p.era);
        }
    }
    for era in &eras {
        let Some(search) = recherche_plan(ctx, *era) else {
            continue;
        };
        let (record, reply) = search_person(ctx, &search, case).await;
        let found = reply.as_ref().and_then(|r| identifier(&search, r));
        out.push(record);
        let Some(id) = found else { continue };
        for p in ctx.plans.iter().filter(|p| p.era == *era) {
            let (path_id, jeton) = match era {
                Era::Previous => (Some(id.as_str()), None),
                Era::Current => (None, Some(id.as_str())),
            };
            for op in &p.person_reads {
                let call = Call {
                    method: reqwest::Method::GET,
                    path: plan::person_path(&p.base_path, op, path_id),
                    headers: headers(p, jeton),
                    body: None,
                    write: false,
                };
                let expected = expect::of_read(case, p, op);
                out.push(exchange(ctx, p, op, &case.name, call, expected).await.0);
            }
            // Writes only to people who already have a dossier: a write would give one to a
            // person the data set describes as having none (the next run would then fail).
            let has_dossier = case.expect.as_ref().is_some_and(|x| x.dossier == 200);
            if ctx.opts.writes && has_dossier {
                writes.push((p, id.clone()));
            }
        }
    }
    for (p, id) in writes {
        let (path_id, jeton) = match p.era {
            Era::Previous => (Some(id.as_str()), None),
            Era::Current => (None, Some(id.as_str())),
        };
        for rt in plan::round_trips(p.api, p.major, &ctx.opts.today) {
            out.extend(round_trip(ctx, p, &rt, case, path_id, jeton).await);
        }
    }
    out
}

/// The Recherche usager plan of an era, even when `--api` narrows to another API: every
/// per-person call starts with a search.
fn recherche_plan(ctx: &Ctx, era: Era) -> Option<VersionPlan> {
    if let Some(p) = ctx
        .plans
        .iter()
        .find(|p| p.api == "recherche-usager" && p.era == era)
    {
        return Some(p.clone());
    }
    plan::plan(
        ctx.checker.store(),
        Some("recherche-usager"),
        &[era.alias()],
    )
    .ok()?
    .into_iter()
    .next()
}

async fn search_person(ctx: &Ctx, p: &VersionPlan, case: &Case) -> (CallRecord, Option<Reply>) {
    let store = ctx.checker.store();
    let op = store
        .raw(p.api, p.major)
        .and_then(|l| {
            l.manifest
                .operation("rechercher-usager-par-date-naissance-et-nir")
        })
        .cloned();
    let Some(op) = op else {
        return (
            harness_record(
                p,
                "rechercher-usager-par-date-naissance-et-nir",
                &case.name,
                "no search operation in the contract".into(),
            ),
            None,
        );
    };
    let call = Call {
        method: reqwest::Method::POST,
        path: format!("{}{}", p.base_path, op.path),
        headers: headers(p, None),
        body: Some(json!({"nir": case.nir, "dateNaissance": case.date_naissance})),
        write: false,
    };
    let expected = expect::of_search(case, p, &op);
    exchange(ctx, p, &op, &case.name, call, expected).await
}

/// The person's identifier from a search answer: the jeton (n) or the idRci (n-1).
fn identifier(p: &VersionPlan, r: &Reply) -> Option<String> {
    let b = r.body.as_ref()?;
    if r.status != 200 || b["codeRetour"] != "S001" {
        return None;
    }
    let key = if p.era == Era::Current {
        "jetonUsager"
    } else {
        "identifiant"
    };
    b[key].as_str().map(str::to_string)
}

async fn round_trip(
    ctx: &Ctx,
    p: &VersionPlan,
    rt: &RoundTrip,
    case: &Case,
    path_id: Option<&str>,
    jeton: Option<&str>,
) -> Vec<CallRecord> {
    let store = ctx.checker.store();
    let Some(m) = store.raw(p.api, p.major).map(|l| &l.manifest) else {
        return Vec::new();
    };
    let (Some(w), Some(r)) = (m.operation(rt.write), m.operation(rt.read)) else {
        return vec![harness_record(
            p,
            rt.write,
            &case.name,
            "round-trip operation missing from the contract".into(),
        )];
    };
    let read = || Call {
        method: reqwest::Method::GET,
        path: plan::person_path(&p.base_path, r, path_id),
        headers: headers(p, jeton),
        body: None,
        write: false,
    };
    let write = |body: Value| Call {
        method: w.method.parse().unwrap_or(reqwest::Method::POST),
        path: plan::person_path(&p.base_path, w, path_id),
        headers: headers(p, jeton),
        body: Some(body),
        write: true,
    };
    let mut out = Vec::new();
    // What to write back afterwards: read first (the person is left as it was found).
    let mut restore = None;
    if !rt.restore.is_empty() {
        let (rec, before) = exchange(ctx, p, r, &case.name, read(), Expected::success_of(r)).await;
        out.push(rec);
        restore = before
            .and_then(|b| b.body)
            .and_then(|b| plan::restore_body(&b, rt.restore));
        if restore.is_none() {
            // Nothing to go back to (no value yet): writing would leave a trace for good.
            return out;
        }
    }
    let (rec_w, reply) = exchange(
        ctx,
        p,
        w,
        &case.name,
        write(rt.body.clone()),
        Expected::success_of(w),
    )
    .await;
    out.push(rec_w);
    if reply.is_none_or(|r| !(200..300).contains(&r.status)) {
        return out;
    }
    let expected = Expected::status(200);
    let (mut rec_r, reply) = exchange(ctx, p, r, &case.name, read(), expected).await;
    if let Some(reply) = reply
        && reply.status == 200
        && !reply
            .body
            .as_ref()
            .is_some_and(|b| plan::contains_object(b, &rt.expect))
    {
        rec_r.mismatches.push(Mismatch {
            what: format!("read-back after {}", rt.write),
            expected: rt.expect.to_string(),
            found: "the written values are not in the answer".into(),
        });
        rec_r.verdict = Verdict::Fail;
    }
    out.push(rec_r);
    if let Some(previous) = restore {
        let (rec, _) = exchange(
            ctx,
            p,
            w,
            &case.name,
            write(previous),
            Expected::success_of(w),
        )
        .await;
        out.push(rec);
    }
    out
}

fn harness_record(p: &VersionPlan, op: &str, case: &str, error: String) -> CallRecord {
    CallRecord {
        case: case.to_string(),
        api: p.api.into(),
        version: p.major.into(),
        era: p.era.alias().into(),
        operation: op.into(),
        method: String::new(),
        route: String::new(),
        checked_against: p.major.into(),
        status: None,
        duration_ms: 0.0,
        attempts: 0,
        throttled: 0,
        verdict: Verdict::Error,
        violations: Vec::new(),
        mismatches: Vec::new(),
        matches_version: None,
        error: Some(error),
    }
}

/// One call: sent, then judged.
async fn exchange(
    ctx: &Ctx,
    p: &VersionPlan,
    op: &Operation,
    case: &str,
    call: Call,
    expected: Expected,
) -> (CallRecord, Option<Reply>) {
    let checked_major = match &ctx.opts.expect_version {
        Some(given) => catalogue::api(p.api)
            .ok()
            .and_then(|a| a.version(given).ok())
            .map_or(p.major, |v| v.major.as_str()),
        None => p.major,
    };
    let mut record = CallRecord {
        case: case.to_string(),
        api: p.api.into(),
        version: p.major.into(),
        era: p.era.alias().into(),
        operation: op.id.clone(),
        method: op.method.clone(),
        route: format!("{}{}", p.base_path, op.path),
        checked_against: checked_major.into(),
        status: None,
        duration_ms: 0.0,
        attempts: 0,
        throttled: 0,
        verdict: Verdict::Pass,
        violations: Vec::new(),
        mismatches: Vec::new(),
        matches_version: None,
        error: None,
    };
    let reply = match ctx.client.bearer(p.realm, p.scopes).await {
        Ok(auth) => ctx.client.call(&call, &auth).await,
        Err(e) => Err(e),
    };
    let reply = match reply {
        Ok(r) => r,
        Err(e) => {
            record.verdict = Verdict::Error;
            record.error = Some(e.to_string());
            if let CallError::Throttled(n) = e {
                record.throttled = n;
            }
            return (record, None);
        }
    };
    let judging = Instant::now();
    record.status = Some(reply.status);
    record.duration_ms = ms(reply.elapsed);
    record.attempts = reply.attempts;
    record.throttled = reply.throttled;
    judge(ctx, p, op, checked_major, &reply, &expected, &mut record);
    if let Ok(mut h) = ctx.harness.lock() {
        *h += judging.elapsed();
    }
    (record, Some(reply))
}

fn judge(
    ctx: &Ctx,
    p: &VersionPlan,
    op: &Operation,
    checked_major: &str,
    reply: &Reply,
    expected: &Expected,
    record: &mut CallRecord,
) {
    if let Some(u) = &reply.unreadable {
        record.mismatches.push(Mismatch {
            what: "body".into(),
            expected: "JSON".into(),
            found: u.clone(),
        });
    }
    match ctx.checker.check_response(
        p.api,
        checked_major,
        &op.id,
        reply.status,
        reply.body.as_ref(),
    ) {
        Ok(v) => record.violations = v,
        Err(e) => {
            record.verdict = Verdict::Error;
            record.error = Some(e.to_string());
            return;
        }
    }
    if !record.violations.is_empty()
        && let Some(body) = &reply.body
    {
        record.matches_version =
            other_version_matching(ctx, p.api, checked_major, &op.id, reply.status, body);
    }
    if let (Some(body), 200) = (&reply.body, reply.status)
        && let Some(schema) = response_schema(ctx, p.api, checked_major, &op.id, 200)
        && let Ok(mut d) = ctx.drift.lock()
    {
        d.observe((p.api, checked_major, &op.id, 200), schema, body);
    }
    record.mismatches.extend(expect::compare(expected, reply));
    if !record.violations.is_empty() || !record.mismatches.is_empty() {
        record.verdict = Verdict::Fail;
    }
}

fn response_schema<'a>(
    ctx: &'a Ctx,
    api: &str,
    major: &str,
    op: &str,
    status: u16,
) -> Option<&'a Value> {
    let loaded = ctx.checker.store().raw(api, major)?;
    let file = loaded
        .manifest
        .operation(op)?
        .response(status)?
        .schema
        .as_ref()?;
    loaded.schemas.get(file)
}

/// Another version of the API whose contract this answer satisfies and is shaped like.
fn other_version_matching(
    ctx: &Ctx,
    api: &str,
    checked: &str,
    op: &str,
    status: u16,
    body: &Value,
) -> Option<String> {
    let info = catalogue::api(api).ok()?;
    info.versions
        .iter()
        .filter(|v| v.major != checked)
        .find(|v| {
            let valid = ctx
                .checker
                .response_validator(api, &v.major, op, status)
                .ok()
                .flatten()
                .is_some_and(|val| val.is_valid(body));
            valid
                && response_schema(ctx, api, &v.major, op, status)
                    .is_some_and(|schema| shape::shaped_like(schema, body))
        })
        .map(|v| v.major.to_string())
}
