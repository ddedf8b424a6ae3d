//! `vigie completions SHELL`: the shell's completion script, generated from the command line
//! (so it never lags behind it).

use std::io::Write;

use clap::CommandFactory;

use crate::Outcome;
use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: &CompletionsArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "vigie", &mut script);
    out.write_all(&script)?;
    Ok(Outcome::Clean)
}
