//! One file per command.

mod check;
mod config_check;
mod contracts_diff;
mod contracts_fields;
mod contracts_import;
mod contracts_list;
mod contracts_presence;
mod contracts_validate;
mod dataset;
mod embedded;
mod gonogo;
mod incidents;
mod load;
mod probe;
mod qualify;
mod report;
mod rules;
mod simulate;

use std::io::Write;

pub use check::run as check;
pub use config_check::run as config_check;
pub use contracts_diff::{ApiDiff, DiffReport, compute as diff_report};
pub use dataset::run as dataset;
pub use gonogo::run as gonogo;
pub use incidents::run as incidents;
pub use load::run as load;
pub use probe::run as probe;
pub use qualify::run as qualify;
pub use report::run as report;
pub use rules::run as rules;
pub use rules::text as rules_text;
pub use simulate::run as simulate;

use crate::Outcome;
use crate::cli::ContractsCommand;

/// `vigie contracts …`
pub fn contracts(cmd: ContractsCommand, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    match cmd {
        ContractsCommand::List(a) => contracts_list::run(&a, out),
        ContractsCommand::Import(a) => contracts_import::run(&a, out),
        ContractsCommand::Validate(a) => contracts_validate::run(&a, out),
        ContractsCommand::Diff(a) => contracts_diff::run(&a, out),
        ContractsCommand::Fields(a) => contracts_fields::run(&a, out),
        ContractsCommand::Presence(a) => contracts_presence::run(&a, out),
    }
}
