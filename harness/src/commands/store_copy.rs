//! `vigie store copy`: a SQLite store into the configuration's PostgreSQL store.

use std::io::Write;

use crate::cli::StoreCopyArgs;
use crate::outcome::Outcome;
use crate::probe::config::ProbeConfig;

pub fn run(args: &StoreCopyArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let config = ProbeConfig::load(&args.config)?;
    let started = std::time::Instant::now();
    let copied = crate::store::copy::copy(&args.from, &config.store)?;
    for (table, n) in &copied {
        writeln!(out, "{table}: {n} row(s)")?;
    }
    writeln!(
        out,
        "copied {} into {} in {:.1} s: start vigie probe with this configuration",
        args.from.display(),
        config.store,
        started.elapsed().as_secs_f64()
    )?;
    Ok(Outcome::Clean)
}
