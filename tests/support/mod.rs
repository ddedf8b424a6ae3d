//! What the end-to-end tests share: the repository, the built `vigie`, free ports, the
//! clock, schema checks, metrics, and hostile servers (`hostile`).

#![allow(clippy::unwrap_used, dead_code)] // tests: a failed unwrap is a failed test

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

pub mod hostile;
pub mod smtp;

use serde_json::Value;

/// The repository's root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// The `vigie` binary Cargo built for this test run.
pub fn vigie() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
}

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A port free on 127.0.0.1 when asked.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Asserts that `value` follows the committed schema at `schema` (relative to the
/// repository), naming every error.
pub fn assert_follows_schema(schema: &str, value: &Value) {
    let root = repo();
    let text = std::fs::read_to_string(root.join(schema)).unwrap();
    let schema_value: Value = serde_json::from_str(&text).unwrap();
    let v = contracts::checker::validation_options()
        .build(&schema_value)
        .unwrap();
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "breaks {schema}: {errors:?}");
}

/// The body of `GET /metrics` at `addr`.
pub fn scrape(addr: &str) -> String {
    get(addr, "/metrics").1
}

/// The banner `vigie simulate` prints, read from its standard output up to "Stop: Ctrl-C".
pub fn simulate_banner(out: &mut impl std::io::BufRead) -> String {
    let mut banner = String::new();
    while !banner.contains("Stop: Ctrl-C") {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        banner.push_str(&line);
    }
    banner
}

/// The port of the first `127.0.0.1:PORT` in a banner.
pub fn banner_port(banner: &str) -> u16 {
    banner
        .split("127.0.0.1:")
        .nth(1)
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// `GET path` at `addr`: the status code and the body.
pub fn get(addr: &str, path: &str) -> (u16, String) {
    request(addr, "GET", path, &[], "")
}

/// One HTTP/1.1 request at `addr` with headers and a body: the status code and the body.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    write!(s, "{head}Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, body.to_string())
}

/// Asserts that `promtool check metrics` accepts an exposition, as Prometheus would read it.
pub fn assert_promtool_accepts(text: &str) {
    let mut promtool = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool is needed (Debian package prometheus; .ci/run installs it)");
    promtool
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = promtool.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
