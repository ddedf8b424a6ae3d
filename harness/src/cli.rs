//! The command line (clap derive). The README's usage block is checked against `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Contract testing and SLA monitoring for the France Travail partner APIs of the RSA
/// convention.
#[derive(Debug, Parser)]
#[command(name = "vigie", version, about, long_about = None, term_width = 0)]
pub struct Cli {
    /// A contracts folder over the embedded contracts: the versions and APIs imported into it
    /// (`vigie contracts import --contracts DIR`), its catalogue.json (aliases n / n-1).
    #[arg(long, global = true, env = "VIGIE_CONTRACTS", value_name = "DIR")]
    pub contracts: Option<PathBuf>,
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
    /// Run the contract suite against the embedded simulators, or a real platform.
    Check(CheckArgs),
    /// Load-test a partner's journey (goose), with the convention's SLA as the pass mark.
    Load(LoadArgs),
    /// Probe the APIs on a schedule, store the records, serve the metrics.
    Probe(ProbeArgs),
    /// The monthly SLA report from the probe store.
    Report(ReportArgs),
    /// Prometheus recording and alerting rules for the same SLA.
    Rules(RulesArgs),
    /// Incidents the probes opened: list, show, ack, report (pre-diagnosis), close, open, deliver.
    #[command(subcommand)]
    Incidents(IncidentsCommand),
    /// Configuration files: check one.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// The store: copy a SQLite store into the configuration's PostgreSQL store.
    #[command(subcommand)]
    Store(StoreCommand),
    /// Go, no-go, or go with reservations for a new version of an API (Annex 2 §7).
    Gonogo(GoNoGoArgs),
    /// The whole chain on the embedded simulators: check, diff, probes, load, go/no-go.
    Qualify(QualifyArgs),
    /// Shell completions (bash, zsh, fish, elvish, powershell), on standard output.
    Completions(CompletionsArgs),
    /// The manual pages (roff), generated from this command line.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A folder to write `vigie.1` and one page per command (`vigie-probe.1` …) into;
    /// without it, `vigie.1` on standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GoNoGoArgs {
    /// The API (id, e.g. statut-usager).
    #[arg(long)]
    pub api: String,
    /// The new version (n, n-1 or a major).
    #[arg(long, default_value = "n")]
    pub candidate: String,
    /// The version it replaces (default: n-1).
    #[arg(long, default_value = "n-1")]
    pub previous: String,
    /// When Pôle emploi announced the change (AAAA-MM-JJ).
    #[arg(long)]
    pub announced: Option<String>,
    /// When the candidate goes to production (AAAA-MM-JJ).
    #[arg(long)]
    pub production: Option<String>,
    /// A major or contract change (3 months' notice); a diff with breaking changes is one.
    #[arg(long)]
    pub major: bool,
    /// The announced last day of the previous version (default: 6 months after production).
    #[arg(long)]
    pub previous_until: Option<String>,
    /// The partner's fields (examples/consumer.json): which breaking changes touch it.
    #[arg(long)]
    pub consumer: Option<PathBuf>,
    /// A folder with check.json, load.json and sla.json (what vigie check, load and report
    /// wrote); absent, the contract checks are run on the embedded simulators.
    #[arg(long)]
    pub evidence: Option<PathBuf>,
    /// Which contract answers are held to: the published schemas, with the presence rules
    /// (the default), or with unknown fields refused too.
    #[arg(long, value_enum, default_value = "convention")]
    pub contract_profile: ProfileChoice,

    /// Where to write gonogo-<api>.html, .md and .json.
    #[arg(long, default_value = "vigie-out")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct QualifyArgs {
    /// The folder for every report.
    #[arg(long, default_value = "vigie-out")]
    pub out: PathBuf,
    /// Seconds of probing with the fault profile.
    #[arg(long, default_value_t = 8)]
    pub probe_seconds: u64,
    /// Seconds of load.
    #[arg(long, default_value_t = 5)]
    pub load_seconds: u64,
    /// Dates and consumer for the go/no-go of each API (see vigie gonogo).
    #[arg(long)]
    pub announced: Option<String>,
    #[arg(long)]
    pub production: Option<String>,
    #[arg(long)]
    pub consumer: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// The probe configuration (see examples/vigie.toml).
    #[arg(long, default_value = "vigie.toml")]
    pub config: PathBuf,
    /// One round of every probe, then exit.
    #[arg(long)]
    pub once: bool,
    /// Stop by itself after this many seconds.
    #[arg(long)]
    pub for_seconds: Option<u64>,
    /// TOML configuration of the embedded simulators (faults), when the config has no [target].
    #[arg(long)]
    pub sim_config: Option<PathBuf>,
    /// How the log on standard error is written (filter it with RUST_LOG, e.g. warn).
    #[arg(long, value_enum, default_value = "text")]
    pub log_format: crate::logging::LogFormat,
}

/// Formats of the monthly report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The calendar month, AAAA-MM (Europe/Paris).
    #[arg(long)]
    pub month: String,
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: ReportFormat,
    /// Where to write it; standard output if absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The probe configuration whose store to read.
    #[arg(long, default_value = "vigie.toml")]
    pub config: PathBuf,
    /// Read this store instead of the configuration's.
    #[arg(long)]
    pub store: Option<PathBuf>,
    /// A deployment of several partners: one partner's report (its id), or `all` for the
    /// summary across partners (Markdown or JSON).
    #[arg(long)]
    pub partner: Option<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Where to write the rules file; standard output if absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `vigie store …`
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy every record, rollup, incident and pending notification of a SQLite store into
    /// the configuration's PostgreSQL store (which must hold none yet), in one transaction.
    Copy(StoreCopyArgs),
}

#[derive(Debug, Args)]
pub struct StoreCopyArgs {
    /// The SQLite store to copy (e.g. the former [store] path).
    #[arg(long)]
    pub from: PathBuf,
    /// The probe configuration whose [store] url names the PostgreSQL store.
    #[arg(long, default_value = "vigie.toml")]
    pub config: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate a probe configuration and say what to fix.
    Check(ConfigCheckArgs),
}

/// `vigie incidents …`
#[derive(Debug, Subcommand)]
pub enum IncidentsCommand {
    /// Incidents not closed yet (all of them with --all), newest first.
    List(IncidentsListArgs),
    /// One incident: timeline, evidence, deadlines, notifications.
    Show(IncidentArgs),
    /// Take an incident, and record what was said with Pôle emploi.
    Ack(IncidentsAckArgs),
    /// Draft the pre-diagnosis the partner sends to Pôle emploi (Annex 2 §5), in Markdown.
    Report(IncidentsReportArgs),
    /// Close an incident after its verified return to service.
    Close(IncidentsCloseArgs),
    /// Declare an incident by hand: a security breach, or what the partner saw itself.
    Open(IncidentsOpenArgs),
    /// Send the outbox's pending notifications now (when no `vigie probe` runs on the store:
    /// a running one sends them within a second itself).
    Deliver(IncidentsDeliverArgs),
}

#[derive(Debug, Args)]
pub struct IncidentsListArgs {
    /// The probe configuration: its store and its [alerts] settings.
    #[arg(long, default_value = "vigie.toml")]
    pub config: PathBuf,
    /// Closed incidents too.
    #[arg(long)]
    pub all: bool,
    /// JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// A deployment of several partners: only this partner's incidents.
    #[arg(long)]
    pub partner: Option<String>,
}

#[derive(Debug, Args)]
pub struct IncidentArgs {
    /// The incident number.
    pub id: u64,
    #[arg(long, default_value = "vigie.toml")]
    pub config: PathBuf,
    /// JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct IncidentsAckArgs {
    pub id: u64,
    #[arg(long, default_value = "vigie.toml")]
    pub config: PathBuf,
    /// Who takes it (a team or a role, not a person's identifier).
    #[arg(long)]
    pub by: String,
    /// A note for the timeline.
    #[arg(long)]
    pub note: Option<String>,
    /// The partner reported it to Pôle emploi now (starts the 15-minute clock).
    #[arg(long)]
    pub reported_to_pe: bool,
    /// Pôle emploi confirmed it took the report into account.
    #[arg(long)]
    pub pe_took_charge: bool,
    /// Pôle emploi informed the partner of the incident.
    #[arg(long)]
    pub pe_informed: bool,
    /// The security breach was communicated.
    #[arg(long)]
    pub breach_communicated: bool,
}

#[derive(Debug, Args)]
pub struct IncidentsReportArgs {
    pub id: u64,
    #[arg(long, default_value = "vigie.toml")]
    pub config: PathBuf,
    /// Write it to this file instead of the terminal.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct IncidentsCloseArgs {
    pub id: u64,
    #[arg(long, default_value = "vigie.toml")]
    pub config: PathBuf,
    /// For a declared incident: what was tested to verify the return to service.
    #[arg(long)]
    pub verified: Option<String>,
}

#[derive(Debug, Args)]
pub struct IncidentsOpenArgs {
    #[arg(long, default_value = "vigie.toml")]
    pub config: PathBuf,
    /// availability, applicative or security.
    #[arg(long)]
    pub kind: String,
    /// The API (id, e.g. statut-usager).
    #[arg(long)]
    pub api: String,
    /// The version (n, n-1 or a major).
    #[arg(long, default_value = "n")]
    pub version: String,
    /// What happened, without personal data.
    #[arg(long)]
    pub summary: String,
    /// A deployment of several partners: the partner it concerns (its recipients are told).
    #[arg(long)]
    pub partner: Option<String>,
}

#[derive(Debug, Args)]
pub struct IncidentsDeliverArgs {
    #[arg(long, default_value = "vigie.toml")]
    pub config: PathBuf,
}

#[derive(Debug, Args)]
pub struct ConfigCheckArgs {
    /// The file to check.
    #[arg(default_value = "vigie.toml")]
    pub file: PathBuf,
}

/// Which scenarios a load test runs.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Base URL of the APIs and token endpoint. Absent: the embedded simulators, started on a
    /// free loopback port. Anything not on this machine also needs --allow-remote and --rate.
    #[arg(long)]
    pub target: Option<String>,
    /// Allow a target that is not on this machine (with --rate).
    #[arg(long)]
    pub allow_remote: bool,
    /// Requests per second at most, all users together (required with --allow-remote).
    #[arg(long)]
    pub rate: Option<usize>,
    /// Version of the APIs: n, n-1, or a major (v3, from --contracts; the APIs without it are
    /// read in n).
    #[arg(long, default_value = "n")]
    pub version: String,
    /// journey (search, statut, dossier, besoins, contraintes, métiers, CREF), all (the
    /// journey and one scenario per API), or one API id.
    #[arg(long, default_value = "journey")]
    pub scenario: String,
    /// Simulated agents.
    #[arg(long, default_value_t = 10)]
    pub users: usize,
    /// Seconds the load lasts.
    #[arg(long, default_value_t = 10)]
    pub run_time: u64,
    /// Seconds one request may take before it counts as an error; the run ends by
    /// --run-time + --timeout + 5 s whatever the target does.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Requests at most, all users together; the run stops making requests past it.
    #[arg(long, default_value_t = 200_000)]
    pub max_requests: u64,
    /// Think time between two calls of an agent, in milliseconds: MIN-MAX.
    #[arg(long, default_value = "500-2000")]
    pub think_ms: String,
    /// Pass mark: share of calls under 1 s, per API.
    #[arg(long, default_value_t = 0.9)]
    pub target_share: f64,
    /// Pass mark: errors per call at most, per API.
    #[arg(long, default_value_t = 0.01)]
    pub error_ceiling: f64,
    /// TOML configuration of the embedded simulators (faults such as added latency).
    #[arg(long, conflicts_with = "target")]
    pub sim_config: Option<PathBuf>,
    /// Data set with a `sample` of people to search for (required with --target).
    #[arg(long)]
    pub dataset: Option<PathBuf>,
    /// Directory for goose's HTML and Markdown reports.
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
    /// Write our JSON summary (schema: loadtests/schemas/load-summary.schema.json).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// Which contract answers are held to (`--contract-profile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ProfileChoice {
    /// The schemas as published: no presence rules, unknown fields allowed.
    Publisher,
    /// The schemas plus presence rules (required, nullable, optional); unknown fields are drift.
    #[default]
    Convention,
    /// The presence rules, and a field the contract does not know is a failure.
    Strict,
}

impl From<ProfileChoice> for contracts::Profile {
    fn from(p: ProfileChoice) -> contracts::Profile {
        match p {
            ProfileChoice::Publisher => contracts::Profile::Publisher,
            ProfileChoice::Convention => contracts::Profile::Convention,
            ProfileChoice::Strict => contracts::Profile::Strict,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Base URL of the APIs (scheme and host; paths start with /partenaire). Absent: the
    /// embedded simulators, started on a free loopback port.
    #[arg(long)]
    pub target: Option<String>,
    /// A real platform's layout (API and token hosts); credentials from VIGIE_CLIENT_ID and
    /// VIGIE_CLIENT_SECRET.
    #[arg(long, value_enum, conflicts_with = "target")]
    pub preset: Option<crate::client::target::Preset>,
    /// Token endpoint of --target (default: <target>/connexion/oauth2/access_token).
    #[arg(long, requires = "target")]
    pub token_url: Option<String>,
    /// Data set of the target's test people (JSON, as `vigie dataset` writes). Required
    /// with --target or --preset; the embedded simulators make their own.
    #[arg(long)]
    pub dataset: Option<PathBuf>,
    /// Versions to check: all (n-1 and n), n, n-1, a major (v3, from --contracts), or a
    /// comma-separated list of them.
    #[arg(long, default_value = "all")]
    pub version: String,
    /// Only this API (and the search that leads to it).
    #[arg(long)]
    pub api: Option<String>,
    /// Hold answers to this version's contract (n, n-1 or a major) instead of their route's:
    /// shows what the other version would break, or a platform answering in the wrong version.
    #[arg(long)]
    pub expect_version: Option<String>,
    /// Which contract answers are held to: the published schemas, with the presence rules
    /// (the default), or with unknown fields refused too.
    #[arg(long, value_enum, default_value = "convention")]
    pub contract_profile: ProfileChoice,
    /// Allow the write round-trips against a target that is not on this machine.
    #[arg(long)]
    pub allow_writes: bool,
    /// Skip the write round-trips, even on the simulators.
    #[arg(long, conflicts_with = "allow_writes")]
    pub no_writes: bool,
    /// People checked at the same time (default: 8 on the simulators, 2 on a platform).
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Calls per second at most (default: none on the simulators, 5 on a platform).
    #[arg(long)]
    pub rate: Option<f64>,
    /// Seconds before a call is given up (the convention's bound for a complex request).
    #[arg(long, default_value_t = 6)]
    pub timeout: u64,
    /// TOML configuration of the embedded simulators (faults, clients, rate limit).
    #[arg(long, conflicts_with_all = ["target", "preset"])]
    pub sim_config: Option<PathBuf>,
    /// Write the report as JSON (schema: harness/schemas/check-report.schema.json).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write the report as JUnit XML.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write the report as Markdown.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
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
    /// How tidy the data is: realistic (the default: what production sent, e.g. 2023-era
    /// métiers without nomMetier, empty dossiers, long lists of métiers) or minimal (every value
    /// present, 1 to 3 métiers). Overrides the config.
    #[arg(long, value_enum)]
    pub realism: Option<RealismChoice>,
    /// Port of the admin endpoint on 127.0.0.1 (faults at run time); needs an admin token in
    /// VIGIE_SIM_ADMIN_TOKEN or the config's admin_token_env.
    #[arg(long)]
    pub admin_port: Option<u16>,
    /// Stop by itself after this many seconds (bounded runs, demos, CI).
    #[arg(long)]
    pub for_seconds: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RealismChoice {
    Realistic,
    Minimal,
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
    /// The presence rules (required, nullable, optional, with evidence) of every version.
    Presence(PresenceArgs),
}

#[derive(Debug, Args)]
pub struct PresenceArgs {
    /// Folder holding <api>/<version>/.
    #[arg(long, default_value = "contracts/schemas")]
    pub dir: PathBuf,
    /// Write each version's presence.json beside its schemas.
    #[arg(long, conflicts_with = "check")]
    pub write: bool,
    /// Write nothing: exit 1 if a presence.json on disk differs from a fresh derivation.
    #[arg(long)]
    pub check: bool,
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
    /// Folder holding <api>/<version>/ when --contracts is not given (the repository's
    /// embedded contracts, for their maintainers).
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
    /// Which contract answers are held to: the published schemas, with the presence rules
    /// (the default), or with unknown fields refused too.
    #[arg(long, value_enum, default_value = "convention")]
    pub contract_profile: ProfileChoice,

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
