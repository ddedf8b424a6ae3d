//! The result of a command, kept apart from the harness's own errors: a contract violation
//! or a breaking change is a result to report, not a failure of vigie.

use std::process::ExitCode;

/// What a command found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything conforms (exit 0).
    Clean,
    /// Contract violations, or breaking changes (exit 1).
    Findings,
    /// The harness could not run: bad input, bad config, unreachable target (exit 2).
    HarnessError,
    /// A go/no-go that says GO WITH RESERVATIONS (exit 3).
    Reservations,
    /// A go/no-go that cannot decide: a blocking criterion is not evidenced (exit 4).
    Incomplete,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(self.code())
    }

    pub fn code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::HarnessError => 2,
            Outcome::Reservations => 3,
            Outcome::Incomplete => 4,
        }
    }
}
