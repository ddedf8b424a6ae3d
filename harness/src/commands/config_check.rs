//! `vigie config check`: a probe configuration validated, with what to fix.

use std::io::Write;

use crate::Outcome;
use crate::cli::ConfigCheckArgs;
use crate::probe::config::{ProbeConfig, TargetConfig};

pub fn run(args: &ConfigCheckArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let c = ProbeConfig::load(&args.file)?;
    let target = match &c.target {
        TargetConfig::Embedded => "the embedded simulators".to_string(),
        TargetConfig::Remote { target, .. } => target.to_string(),
    };
    writeln!(out, "{}: valid", args.file.display())?;
    writeln!(out, "target: {target}")?;
    writeln!(
        out,
        "store: {} (records kept {} days)",
        c.store.display(),
        c.retention.as_secs() / 86_400
    )?;
    writeln!(out, "{} probes:", c.probes.len())?;
    for p in &c.probes {
        writeln!(out, "  {} every {} s", p.key(), p.interval.as_secs())?;
    }
    if let Some(m) = c.metrics {
        writeln!(out, "metrics: http://{m}/metrics")?;
    }
    Ok(Outcome::Clean)
}
