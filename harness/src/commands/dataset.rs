//! `vigie dataset`: which inputs lead to which case, as JSON.

use std::io::Write;
use std::sync::Arc;

use domain::clock::SystemClock;
use simulators::SimState;

use crate::Outcome;
use crate::cli::DatasetArgs;

pub fn run(args: &DatasetArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let config = super::simulate::config(None, args.people, args.seed)?;
    let state = SimState::new(config, Arc::new(SystemClock), b"vigie-simulators")?;
    let mut ds = simulators::dataset::build(&state);
    ds.sample = simulators::dataset::sample(&state, args.sample);
    let text = serde_json::to_string_pretty(&ds)? + "\n";
    match &args.out {
        Some(p) => {
            std::fs::write(p, &text)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", p.display()))?;
            writeln!(out, "data set written to {}", p.display())?;
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(Outcome::Clean)
}
