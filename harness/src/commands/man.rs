//! `vigie man`: the manual pages in roff, generated from the command line: `vigie.1`, and with
//! `--out DIR` one page per command as well (`vigie-probe.1`, `vigie-incidents-deliver.1` …).

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use clap::CommandFactory;

use crate::Outcome;
use crate::cli::{Cli, ManArgs};

fn render(command: &clap::Command) -> anyhow::Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut page)
        .context("rendering a manual page")?;
    Ok(page)
}

/// Writes the page of `command` and those of its subcommands, each named by its display name
/// (`vigie-probe`), which `Command::build` set.
fn write_all(command: &clap::Command, dir: &Path, written: &mut usize) -> anyhow::Result<()> {
    let name = command
        .get_display_name()
        .unwrap_or_else(|| command.get_name());
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, render(command)?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    *written += 1;
    for sub in command.get_subcommands() {
        if sub.get_name() != "help" {
            write_all(sub, dir, written)?;
        }
    }
    Ok(())
}

pub fn run(args: &ManArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut command = Cli::command();
    command.build();
    match &args.out {
        None => out.write_all(&render(&command)?)?,
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let mut written = 0;
            write_all(&command, dir, &mut written)?;
            writeln!(out, "{written} manual pages written to {}", dir.display())?;
        }
    }
    Ok(Outcome::Clean)
}
