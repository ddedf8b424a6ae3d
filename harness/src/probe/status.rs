//! The live status of a running `vigie probe`, as its status page shows it: per API version,
//! the current state (the last outcome of each of its operations), month-to-date availability
//! and share under 1 s against the convention's targets with the coverage, the last 24 hours
//! hour by hour; and the open incidents with their running clocks. Read from the hourly rollups
//! and the last records (a few thousand rows, whatever the store holds).

use std::collections::BTreeMap;

use alerts::paris::local_text;
use alerts::{AlertStore, Incident};

use crate::sla::headline::Judge;
use crate::sla::month::Verdict;
use crate::sla::paris;
use crate::store::Store;
use crate::store::hourly::{HOUR_MS, Sums, hour_of};

/// One API version on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiStatus {
    pub api: String,
    pub version: String,
    /// Each operation's last outcome (`up`, `down` …), by operation.
    pub operations: Vec<(String, String)>,
    /// The worst of them: what the API is now.
    pub state: String,
    pub availability: Option<f64>,
    pub availability_verdict: Verdict,
    pub share_under_1s: Option<f64>,
    pub latency_verdict: Verdict,
    /// Of the month so far.
    pub coverage: Option<f64>,
    /// The last 24 hours, oldest first: availability of each hour (`None`: not observed).
    pub last_24h: Vec<Option<f64>>,
}

/// One running clock of an open incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pub what: String,
    pub due_local: String,
    /// Minutes left (negative: late).
    pub minutes_left: i64,
    pub state: String,
}

/// An open incident on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenIncident {
    pub id: u64,
    pub kind: String,
    pub title: String,
    pub since_local: String,
    pub state: String,
    pub clocks: Vec<Clock>,
}

/// The whole page.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub now_local: String,
    pub month: String,
    pub apis: Vec<ApiStatus>,
    pub incidents: Vec<OpenIncident>,
    pub source: String,
}

/// Severity order of outcomes: the worst names the API's state.
fn severity(outcome: &str) -> u8 {
    match outcome {
        "down" => 5,
        "contract-violation" => 4,
        "exceptional" => 3,
        "slow" => 2,
        "partner-side" => 1,
        _ => 0,
    }
}

fn clocks(i: &Incident, now_ms: i64) -> Vec<Clock> {
    i.deadlines
        .iter()
        .map(|d| Clock {
            what: format!("{} within {}", d.kind.describe(), d.rule),
            due_local: local_text(d.due_ms),
            minutes_left: (d.due_ms - now_ms).div_euclid(60_000),
            state: d.state.describe(d.due_ms),
        })
        .collect()
}

/// The sums of the targets among `members`, and how many of them have any.
fn sum_of(rows: &[(i64, Sums)], members: &[&crate::store::records::TargetRow]) -> (Sums, usize) {
    let mut sums = Sums::default();
    let mut n = 0;
    for (id, s) in rows {
        if members.iter().any(|t| t.id == *id) {
            sums.add(s);
            n += 1;
        }
    }
    (sums, n)
}

/// The status as of `now_ms`.
pub fn read(
    store: &Store,
    alerts: &AlertStore,
    now_ms: i64,
    source: &str,
) -> Result<Status, anyhow::Error> {
    let local = paris::local_text(now_ms);
    let (year, month) = paris::parse_month(&local[..7]).unwrap_or((1970, 1));
    let (from, _) = paris::month_bounds(year, month);
    let targets = store.targets()?;
    let so_far = store.hourly_sums(None, from, now_ms.max(from + 1))?;
    // The last 24 hours, read once for every API.
    let day_from = hour_of(now_ms) - 23 * HOUR_MS;
    let hours = (0..24)
        .map(|k| {
            let hour = day_from + k * HOUR_MS;
            store.hourly_sums(None, hour, hour + HOUR_MS)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut groups: BTreeMap<(String, String), Vec<&crate::store::records::TargetRow>> =
        BTreeMap::new();
    for t in &targets {
        // A partner's API is its own row: partners' evidence never mixes.
        let api = match crate::probe::record::partner_of(&t.key) {
            "" => t.api.clone(),
            partner => format!("{} ({partner})", t.api),
        };
        groups.entry((api, t.version.clone())).or_default().push(t);
    }
    let mut apis = Vec::new();
    for ((api, version), members) in groups {
        let (sums, probed) = sum_of(&so_far, &members);
        if probed == 0 {
            continue;
        }
        let mut operations = Vec::new();
        for t in &members {
            if let Some(outcome) = store.last_outcome(t.id)? {
                operations.push((t.operation.clone(), outcome.as_str().to_string()));
            }
        }
        let state = operations
            .iter()
            .map(|(_, o)| o.as_str())
            .max_by_key(|o| severity(o))
            .unwrap_or("not probed")
            .to_string();
        let h = sums.judge((now_ms - from).max(1), members.len() as u64);
        let last_24h = hours
            .iter()
            .map(|hour| {
                let (s, _) = sum_of(hour, &members);
                let counted = s.observed_ms - s.excluded_ms;
                (counted > 0).then(|| 1.0 - s.down_ms as f64 / counted as f64)
            })
            .collect();
        apis.push(ApiStatus {
            api,
            version,
            operations,
            state,
            availability: h.availability,
            availability_verdict: h.availability_verdict,
            share_under_1s: h.share_under_1s,
            latency_verdict: h.latency_verdict,
            coverage: h.coverage,
            last_24h,
        });
    }
    // What is wrong first, then by name.
    apis.sort_by(|a, b| {
        severity(&b.state)
            .cmp(&severity(&a.state))
            .then_with(|| (&a.api, &a.version).cmp(&(&b.api, &b.version)))
    });
    let incidents = alerts
        .incidents(false)?
        .into_iter()
        .filter(|i| i.unresolved())
        .map(|i| OpenIncident {
            id: i.id,
            kind: i.kind.as_str().to_string(),
            title: if i.partner.is_empty() {
                i.title()
            } else {
                format!("{}: {}", i.partner, i.title())
            },
            since_local: local_text(i.since_ms),
            state: i.state.as_str().to_string(),
            clocks: clocks(&i, now_ms),
        })
        .collect();
    Ok(Status {
        now_local: local,
        month: format!("{year:04}-{month:02}"),
        apis,
        incidents,
        source: source.to_string(),
    })
}
