//! The log of a long-running `vigie probe`, through `tracing`: one event per state change
//! (a probe's outcome, an incident, a notification attempt, the store, a reload, a stop) with
//! stable fields (`event` names it), a level, and a timestamp in RFC 3339 with the Paris offset.
//! Text for people, or JSON lines for a log pipeline (`--log-format json`); filtered like
//! `RUST_LOG` (default `info`). No personal data and no secret in any event: probes carry
//! targets and outcomes only, incidents their titles, notifications their keys and channels.

use clap::ValueEnum;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::FormatTime;

/// How the log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    /// One line per event, for people.
    #[default]
    Text,
    /// One JSON object per line, for a log pipeline.
    Json,
}

/// Paris time with its offset and milliseconds: `2026-12-04T17:30:00.123+01:00`.
#[derive(Debug, Clone, Copy)]
struct ParisTime;

impl FormatTime for ParisTime {
    fn format_time(&self, w: &mut Writer<'_>) -> std::fmt::Result {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        write!(w, "{}", stamp(now))
    }
}

/// An instant as the log writes it.
pub fn stamp(utc_ms: i64) -> String {
    let text = domain::paris::rfc3339(utc_ms);
    let (seconds, offset) = text.split_at(19.min(text.len()));
    format!("{seconds}.{:03}{offset}", utc_ms.rem_euclid(1000))
}

/// Installs the log on standard error (once per process; later calls keep the first).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_timer(ParisTime)
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(false).try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_carry_milliseconds_and_the_paris_offset() {
        assert_eq!(stamp(1_782_986_400_123), "2026-07-02T12:00:00.123+02:00");
        assert_eq!(stamp(1_796_000_000_005), "2026-11-30T01:53:20.005+01:00");
    }
}
