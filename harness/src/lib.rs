//! The `vigie` harness: command line, commands and reports. `main.rs` only calls [`run`].

pub mod alerting;
pub mod check;
pub mod cli;
pub mod client;
pub mod commands;
pub mod diff;
pub mod gonogo;
pub mod logging;
pub mod outcome;
pub mod probe;
pub mod provenance;
pub mod render;
pub mod sla;
pub mod store;

pub use outcome::Outcome;

use std::io::Write;

/// Runs one command line, writing the human output to `out`.
pub fn run(cli: cli::Cli, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    if let Some(dir) = &cli.contracts {
        // An import creates the folder it writes into; every other command reads it as is.
        if let cli::Command::Contracts(cli::ContractsCommand::Import(_)) = &cli.command {
            std::fs::create_dir_all(dir).map_err(|source| contracts::ContractsError::Write {
                path: dir.clone(),
                source,
            })?;
        }
        contracts::ContractStore::install(Some(dir))?;
    }
    let contracts_dir = cli.contracts.clone();
    match cli.command {
        cli::Command::Contracts(c) => commands::contracts(c, contracts_dir.as_deref(), out),
        cli::Command::Simulate(a) => commands::simulate(&a, out),
        cli::Command::Dataset(a) => commands::dataset(&a, out),
        cli::Command::Check(a) => commands::check(&a, out),
        cli::Command::Load(a) => commands::load(&a, out),
        cli::Command::Probe(a) => commands::probe(&a, out),
        cli::Command::Report(a) => commands::report(&a, out),
        cli::Command::Rules(a) => commands::rules(&a, out),
        cli::Command::Incidents(c) => commands::incidents(c, out),
        cli::Command::Config(cli::ConfigCommand::Check(a)) => commands::config_check(&a, out),
        cli::Command::Store(cli::StoreCommand::Copy(a)) => commands::store_copy(&a, out),
        cli::Command::Gonogo(a) => commands::gonogo(&a, out),
        cli::Command::Qualify(a) => commands::qualify(&a, out),
        cli::Command::Completions(a) => commands::completions(&a, out),
        cli::Command::Man(a) => commands::man(&a, out),
    }
}
