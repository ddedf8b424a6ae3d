//! The month across the partners of a deployment (`vigie report --partner all`): each
//! partner's availability and share of calls under 1 s per API, with their verdicts, from
//! one pass over the rollups whatever the number of partners.

use serde::Serialize;

use super::month::{Figures, Verdict};
use super::report::measure_partners;
use crate::store::{Store, StoreError};

/// One partner's month.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerMonth {
    pub partner: String,
    /// Probes due in the month.
    pub records: u64,
    pub apis: Vec<Figures>,
    pub overall: Figures,
}

/// The summary.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub month: String,
    pub timezone: &'static str,
    pub partners: Vec<PartnerMonth>,
}

impl Summary {
    /// Partners with a missed target, for the exit code.
    pub fn missed(&self) -> bool {
        self.partners.iter().flat_map(|p| &p.apis).any(|f| {
            f.availability_verdict == Verdict::Missed || f.latency_verdict == Verdict::Missed
        })
    }
}

/// Reads the month of every partner in the store.
pub fn build(store: &Store, year: i32, month: u32) -> Result<Summary, StoreError> {
    let targets = store.targets()?;
    let partners = measure_partners(store, &targets, year, month)?
        .into_iter()
        .map(|(partner, (apis, overall, records))| PartnerMonth {
            partner,
            records,
            apis,
            overall,
        })
        .collect();
    Ok(Summary {
        month: format!("{year:04}-{month:02}"),
        timezone: "Europe/Paris",
        partners,
    })
}
