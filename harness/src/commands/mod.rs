//! One file per command.

mod check;
mod completions;
mod config_check;
mod contracts_diff;
mod contracts_fields;
mod contracts_import;
mod contracts_list;
mod contracts_presence;
mod contracts_validate;
#[cfg(feature = "embedded")]
mod dataset;
mod embedded;
mod gonogo;
mod incidents;
mod load;
mod man;
mod probe;
mod qualify;
mod report;
mod rules;
#[cfg(feature = "embedded")]
mod simulate;
mod store_copy;

use std::io::Write;

pub use crate::diff::report::compute as diff_report;
pub use check::run as check;
pub use completions::run as completions;
pub use config_check::run as config_check;
#[cfg(feature = "embedded")]
pub use dataset::run as dataset;
pub use gonogo::run as gonogo;
pub use incidents::run as incidents;
pub use load::run as load;
pub use man::run as man;
pub use probe::run as probe;
pub use qualify::run as qualify;
pub use report::run as report;
pub use rules::run as rules;
pub use rules::text as rules_text;
#[cfg(feature = "embedded")]
pub use simulate::run as simulate;
pub use store_copy::run as store_copy;

/// `vigie simulate` in a build without the simulators: says what to do instead.
#[cfg(not(feature = "embedded"))]
pub fn simulate(_: &crate::cli::SimulateArgs, _: &mut dyn Write) -> anyhow::Result<Outcome> {
    anyhow::bail!(embedded::WITHOUT)
}

/// `vigie dataset` in a build without the simulators: says what to do instead.
#[cfg(not(feature = "embedded"))]
pub fn dataset(_: &crate::cli::DatasetArgs, _: &mut dyn Write) -> anyhow::Result<Outcome> {
    anyhow::bail!(embedded::WITHOUT)
}

use crate::Outcome;
use crate::cli::ContractsCommand;

/// `vigie contracts …`
pub fn contracts(
    cmd: ContractsCommand,
    folder: Option<&std::path::Path>,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    match cmd {
        ContractsCommand::List(a) => contracts_list::run(&a, out),
        ContractsCommand::Import(a) => contracts_import::run(&a, folder, out),
        ContractsCommand::Validate(a) => contracts_validate::run(&a, out),
        ContractsCommand::Diff(a) => contracts_diff::run(&a, out),
        ContractsCommand::Fields(a) => contracts_fields::run(&a, out),
        ContractsCommand::Presence(a) => contracts_presence::run(&a, out),
    }
}

#[cfg(test)]
mod tests {
    /// Production paths (probes, alerts, reports, checks) take nothing from the mock server:
    /// only `embedded` (the door `check`, `probe`, `load`, `gonogo` and `qualify` go through)
    /// and the commands that are the simulators (`simulate`, `dataset`) name the
    /// `simulators` crate, all behind the `embedded` feature.
    #[test]
    fn only_the_commands_that_start_the_simulators_use_them() {
        const STARTERS: [&str; 3] = [
            "commands/dataset.rs",
            "commands/embedded.rs",
            "commands/simulate.rs",
        ];
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![src.clone()];
        let mut users = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if std::fs::read_to_string(&path).is_ok_and(|t| t.contains("simulators::")) {
                    let rel = path.strip_prefix(&src).unwrap_or(&path);
                    users.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        users.retain(|u| !STARTERS.contains(&u.as_str()) && u != "commands/mod.rs");
        assert!(
            users.is_empty(),
            "use domain:: instead of simulators:: in {users:?}"
        );
    }
}
