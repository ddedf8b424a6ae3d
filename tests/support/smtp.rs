//! A real SMTP server on 127.0.0.1 for the tests: `tests/support/smtp_sink.py` (Python
//! aiosmtpd, installed by `.ci/run`), each message kept as a file with its arrival time.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The SMTP server: `tests/support/smtp_sink.py`, one file per message.
pub struct Sink {
    child: Child,
    dir: PathBuf,
}

impl Sink {
    /// `env`: SINK_USER/SINK_PASSWORD (AUTH required), SINK_TLS_CERT/SINK_TLS_KEY (STARTTLS).
    pub fn start(port: u16, dir: &Path, env: &[(&str, &str)]) -> Sink {
        let script = super::repo().join("tests/support/smtp_sink.py");
        let mut cmd = Command::new("python3");
        cmd.arg(script)
            .arg(port.to_string())
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        cmd.envs(env.iter().copied());
        let mut child = cmd
            .spawn()
            .expect("python3 with aiosmtpd (pip install aiosmtpd; .ci/run installs it)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Sink {
            child,
            dir: dir.to_path_buf(),
        }
    }

    /// (arrival ms, whole message) of every mail, in arrival order.
    pub fn mails(&self) -> Vec<(i64, String)> {
        mails_in(&self.dir)
    }
}

pub fn mails_in(dir: &Path) -> Vec<(i64, String)> {
    let mut out: Vec<(i64, String)> = std::fs::read_dir(dir)
        .map(|d| d.flatten().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .map(|e| {
            let ms = std::fs::read_to_string(e.path().with_extension("ms"))
                .unwrap_or_default()
                .trim()
                .parse()
                .unwrap_or(0);
            (ms, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    out.sort_by_key(|(ms, _)| *ms);
    out
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A mail's subject (headers unfolded).
pub fn subject(mail: &str) -> String {
    // Headers may be folded over several lines.
    let head = mail.split("\r\n\r\n").next().unwrap_or(mail);
    let head = head.split("\n\n").next().unwrap_or(head);
    let unfolded = head.replace("\r\n ", " ").replace("\n ", " ");
    unfolded
        .lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .unwrap_or_default()
        .to_string()
}
