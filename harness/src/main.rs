//! `vigie`: thin entry point. Parses the command line, runs the command, maps the outcome to
//! an exit code (0 all good, 1 contract violations or breaking changes, 2 the harness could
//! not run).

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = harness::cli::Cli::parse();
    // Locked per write, never for the whole command: goose's own logging (and any thread of a
    // command) also writes to standard output, and a lock held here would block it for ever.
    let mut stdout = std::io::stdout();
    match harness::run(cli, &mut stdout) {
        Ok(outcome) => outcome.exit_code(),
        // A reader that stopped reading (`vigie … | head`) is not an error of ours.
        Err(err)
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            harness::Outcome::Clean.exit_code()
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            harness::Outcome::HarnessError.exit_code()
        }
    }
}
