//! Runs a load plan with goose: the scenarios, the bounds, coordinated-omission mitigation,
//! then the pass mark.

use std::sync::Arc;

use contracts::catalogue::Era;
use contracts::store::ContractStore;
use goose::config::GooseConfiguration;
use goose::prelude::*;

use crate::error::LoadError;
use crate::journey::{self, Shared};
use crate::passmark;
use crate::plan::{LoadPlan, Mix};
use crate::routes::{self, READS, Route, SEARCH};
use crate::summary::{LoadSummary, SCHEMA_ID};

/// Time goose gets to stop its users after the run time and the last request's timeout.
const SHUTDOWN: std::time::Duration = std::time::Duration::from_secs(5);

fn goose_err(e: impl std::fmt::Display) -> LoadError {
    LoadError::Goose(e.to_string())
}

fn search_tx(shared: &Arc<Shared>) -> Transaction {
    let s = shared.clone();
    Transaction::new(Arc::new(move |u| Box::pin(journey::search(u, s.clone())))).set_name("search")
}

fn read_tx(shared: &Arc<Shared>, route: &Route) -> Transaction {
    let s = shared.clone();
    let r = Arc::new(route.clone());
    Transaction::new(Arc::new(move |u| {
        Box::pin(journey::read(u, s.clone(), r.clone()))
    }))
    .set_name(&format!("{} {}", route.api, route.major))
}

fn scenario(
    name: &str,
    weight: usize,
    shared: &Arc<Shared>,
    reads: &[Route],
) -> Result<Scenario, LoadError> {
    let (min, max) = shared.plan.think;
    let mut s = Scenario::new(name)
        .set_weight(weight)
        .map_err(goose_err)?
        .set_wait_time(min, max)
        .map_err(goose_err)?
        .register_transaction(search_tx(shared));
    for r in reads {
        s = s.register_transaction(read_tx(shared, r));
    }
    Ok(s)
}

/// Runs the plan (already through `LoadPlan::guard`) and judges it.
pub async fn run(plan: LoadPlan) -> Result<LoadSummary, LoadError> {
    if plan.people.is_empty() {
        return Err(LoadError::NoPeople);
    }
    let store = ContractStore::active().map_err(|e| LoadError::Contracts(e.to_string()))?;
    let era = plan.era;
    let search = routes::route(store, SEARCH.0, SEARCH.1, era.alias())?;
    let reads: Vec<Route> = READS
        .iter()
        .map(|(api, op)| match &plan.version {
            Some(v) => routes::route(store, api, op, v)
                .or_else(|_| routes::route(store, api, op, era.alias())),
            None => routes::route(store, api, op, era.alias()),
        })
        .collect::<Result<_, _>>()?;
    if let Mix::Api(a) = &plan.mix
        && !reads.iter().any(|r| r.api == a)
        && a != SEARCH.0
    {
        return Err(LoadError::Contracts(format!(
            "no scenario for --scenario {a}: use journey, all, or one of {}",
            READS.iter().map(|(a, _)| *a).collect::<Vec<_>>().join(", ")
        )));
    }
    let shared = Arc::new(Shared::new(plan.clone(), search));
    let mut scenarios = Vec::new();
    match &plan.mix {
        Mix::Journey => scenarios.push(scenario("journey", 1, &shared, &reads)?),
        Mix::Api(a) => {
            let mine: Vec<Route> = reads.iter().filter(|r| r.api == a).cloned().collect();
            scenarios.push(scenario(a, 1, &shared, &mine)?);
        }
        Mix::All => {
            scenarios.push(scenario("journey", 4, &shared, &reads)?);
            let mut apis: Vec<&str> = reads.iter().map(|r| r.api).collect();
            apis.dedup();
            for a in apis {
                let mine: Vec<Route> = reads.iter().filter(|r| r.api == a).cloned().collect();
                scenarios.push(scenario(a, 1, &shared, &mine)?);
            }
        }
    }

    let run_time = plan.run_time.as_secs().max(1).to_string();
    let users = plan.users.max(1).to_string();
    let mut args: Vec<String> = vec![
        "--host".into(),
        plan.base_url.clone(),
        "--users".into(),
        users.clone(),
        "--increase-rate".into(),
        users,
        "--run-time".into(),
        run_time,
        "--co-mitigation".into(),
        "average".into(),
        "--timeout".into(),
        plan.request_timeout.as_secs().max(1).to_string(),
        "--no-telnet".into(),
        "--no-print-metrics".into(),
        "--no-reset-metrics".into(),
        "--quiet".into(),
    ];
    if let Some(r) = plan.rate {
        args.push("--throttle-requests".into());
        args.push(r.to_string());
    }
    let mut reports = Vec::new();
    if let Some(dir) = &plan.report_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| LoadError::Goose(format!("cannot create {}: {e}", dir.display())))?;
        for ext in ["html", "md"] {
            let p = dir.join(format!("goose-report.{ext}"));
            args.push("--report-file".into());
            args.push(p.display().to_string());
            reports.push(p.display().to_string());
        }
    }
    let config = GooseConfiguration::parse_args_default(&args).map_err(goose_err)?;
    let mut attack = GooseAttack::initialize_with_config(config).map_err(goose_err)?;
    for s in scenarios {
        attack = attack.register_scenario(s);
    }
    // A hard deadline whatever the target does (goose waits for requests in flight): past
    // it, the requests are abandoned (the runtime drops them when the command returns).
    let deadline = plan.run_time + plan.request_timeout + SHUTDOWN;
    let metrics = tokio::time::timeout(deadline, attack.execute())
        .await
        .map_err(|_| LoadError::Overran(deadline.as_secs()))?
        .map_err(goose_err)?;
    // goose's HTML report opens complete offline: our charts instead of its CDN ones.
    if let Some(html) = reports.iter().find(|r| r.ends_with(".html")) {
        let page = std::fs::read_to_string(html)
            .map_err(|e| LoadError::Goose(format!("cannot read {html}: {e}")))?;
        std::fs::write(
            html,
            crate::offline::self_contained(&page, &crate::offline::charts(&metrics)),
        )
        .map_err(|e| LoadError::Goose(format!("cannot write {html}: {e}")))?;
    }
    let (answered, failures, last) = shared.transport();
    if answered == 0 && failures > 0 {
        return Err(LoadError::Unreachable {
            target: plan.base_url.clone(),
            failures,
            last: last.to_string(),
        });
    }

    let apis = passmark::judge(
        &shared.tallies(),
        &metrics,
        plan.target_share,
        plan.error_ceiling,
    );
    let requests = shared.requests().min(plan.max_requests);
    let duration_s = metrics.duration.max(1) as f64;
    let passed = !apis.is_empty() && apis.iter().all(|a| a.passed);
    Ok(LoadSummary {
        schema: SCHEMA_ID,
        vigie_version: env!("CARGO_PKG_VERSION"),
        target: plan.base_url.clone(),
        source: plan.base_url.clone(),
        era: match era {
            Era::Current => "n",
            Era::Previous => "n-1",
        }
        .into(),
        mix: match &plan.mix {
            Mix::Journey => "journey".into(),
            Mix::Api(a) => a.clone(),
            Mix::All => "all".into(),
        },
        users: plan.users,
        started_at: None,
        run_time_s: plan.run_time.as_secs_f64(),
        duration_s,
        requests,
        requests_per_s: (requests as f64 / duration_s * 10.0).round() / 10.0,
        max_requests: plan.max_requests,
        rate_cap: plan.rate,
        think_ms: [
            plan.think.0.as_millis() as u64,
            plan.think.1.as_millis() as u64,
        ],
        target_share_under_1s: plan.target_share,
        error_ceiling: plan.error_ceiling,
        coordinated_omission: "goose average back-fill".into(),
        apis,
        passed,
        goose_reports: reports,
    })
}
