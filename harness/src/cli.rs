//! The command line (clap derive). The README's usage block is checked against `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Contract testing and SLA monitoring for the France Travail partner APIs of the RSA
/// convention.
#[derive(Debug, Parser)]
#[command(name = "vigie", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The APIs' contracts: list, import, validate, diff, fields.
    #[command(subcommand)]
    Contracts(ContractsCommand),
    /// Serve the simulators of the five APIs (n-1 and n) on 127.0.0.1.
    Simulate(SimulateArgs),
    /// Write the data set: which inputs lead to which case.
    Dataset(DatasetArgs),
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Port of the APIs (0: any free port).
    #[arg(long, default_value_t = 8400)]
    pub port: u16,
    /// Address to bind; loopback by default.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Size of the synthetic population (up to about 100 million).
    #[arg(long)]
    pub people: Option<u64>,
    /// Seed of the population.
    #[arg(long)]
    pub seed: Option<u64>,
    /// TOML configuration: clients, rate limit, faults (see examples/simulate.toml).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Port of the admin endpoint on 127.0.0.1 (faults at run time); needs an admin token in
    /// VIGIE_SIM_ADMIN_TOKEN or the config's admin_token_env.
    #[arg(long)]
    pub admin_port: Option<u16>,
    /// Stop by itself after this many seconds (bounded runs, demos, CI).
    #[arg(long)]
    pub for_seconds: Option<u64>,
}

#[derive(Debug, Args)]
pub struct DatasetArgs {
    #[arg(long)]
    pub people: Option<u64>,
    #[arg(long)]
    pub seed: Option<u64>,
    /// Where to write the JSON; standard output if absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also list this many found people spread over the population (load and memory runs).
    #[arg(long, default_value_t = 0)]
    pub sample: u64,
}

#[derive(Debug, Subcommand)]
pub enum ContractsCommand {
    /// APIs, operations (method + path template), versions, and which is n / n-1.
    List(ListArgs),
    /// Turn an OpenAPI 3.0/3.1 document into contract files (JSON Schema 2020-12).
    Import(ImportArgs),
    /// Validate a response (or request) body against its contract.
    Validate(ValidateArgs),
    /// Every change between two versions, breaking or not.
    Diff(DiffArgs),
    /// Every field of every operation, with the convention's description.
    Fields(FieldsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The OpenAPI document (JSON).
    pub document: PathBuf,
    /// API id to file the operations under (e.g. recherche-usager).
    #[arg(long)]
    pub api: String,
    /// Version folder to write (e.g. v2); `n` / `n-1` resolve through the catalogue.
    #[arg(long)]
    pub version: String,
    /// Import only this operation (stable id, operationId or "METHOD /path"); repeatable.
    #[arg(long = "only")]
    pub only: Vec<String>,
    /// Folder holding <api>/<version>/.
    #[arg(long, default_value = "contracts/schemas")]
    pub out: PathBuf,
    /// Write nothing: exit 1 if the files on disk differ from a fresh import.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// API id (see `vigie contracts list`).
    #[arg(long)]
    pub api: String,
    /// Operation id, operationId or "METHOD /path".
    #[arg(long)]
    pub operation: String,
    /// n, n-1, or a major (v2).
    #[arg(long, default_value = "n")]
    pub version: String,
    /// HTTP status of the response.
    #[arg(long, default_value_t = 200)]
    pub status: u16,
    /// Validate a request body instead of a response.
    #[arg(long, conflicts_with = "status")]
    pub request: bool,
    /// The body (JSON file), or - for standard input.
    pub body: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// API id; omit with --all.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub api: Option<String>,
    /// Diff every API.
    #[arg(long)]
    pub all: bool,
    #[arg(long, default_value = "n-1")]
    pub from: String,
    #[arg(long, default_value = "n")]
    pub to: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// JSON file of the fields the partner's application reads and sends.
    #[arg(long)]
    pub consumer: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FieldsArgs {
    #[arg(long)]
    pub api: String,
    #[arg(long, default_value = "n")]
    pub version: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}
