//! What installing `vigie` as a service takes: the systemd unit (verified by systemd's own
//! analyzer, and its exposure score kept low), shell completions and manual pages generated
//! from the command line.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::process::Command;

use crate::support;

fn available(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

#[test]
fn the_systemd_unit_verifies_and_is_hardened() {
    if !available("systemd-analyze") {
        eprintln!("systemd-analyze is not installed: the unit is not checked here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let unit = std::fs::read_to_string(support::repo().join("deploy/vigie-probe.service")).unwrap();
    // The unit names the installed binary; verify it against the one just built.
    assert!(unit.contains("ExecStart=/usr/local/bin/vigie probe --config /etc/vigie/vigie.toml"));
    let local = unit.replace("/usr/local/bin/vigie", env!("CARGO_BIN_EXE_vigie"));
    let path = dir.path().join("vigie-probe.service");
    std::fs::write(&path, local).unwrap();
    let o = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // Exposure 2.0 at most on systemd's 0–10 scale ("OK"); it is 1.2 today.
    let o = Command::new("systemd-analyze")
        .args(["security", "--offline=true", "--threshold=20"])
        .arg(&path)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{report}");
    for (setting, why) in [
        (
            "ProtectSystem=strict",
            "only the state directory is writable",
        ),
        ("DynamicUser=yes", "a dedicated user"),
        ("StateDirectory=vigie", "the store's directory"),
        ("Restart=on-failure", "restarted when it fails"),
        ("ExecReload=/bin/kill -HUP $MAINPID", "reload is SIGHUP"),
        ("LoadCredential=", "secrets from systemd credentials"),
    ] {
        assert!(unit.contains(setting), "{setting}: {why}");
    }
}

#[test]
fn completions_and_manual_pages_cover_every_command() {
    let o = support::vigie()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let script = String::from_utf8(o.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vigie.bash");
    std::fs::write(&path, &script).unwrap();
    // bash loads it and registers the completion of `vigie`.
    let o = Command::new("bash")
        .arg("-c")
        .arg(format!("source {} && complete -p vigie", path.display()))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("vigie"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let o = support::vigie()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(o.status.success() && !o.stdout.is_empty(), "{shell}");
    }
    // A page per command, subcommands included.
    let man = dir.path().join("man");
    let o = support::vigie()
        .args(["man", "--out"])
        .arg(&man)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let help = String::from_utf8(support::vigie().arg("--help").output().unwrap().stdout).unwrap();
    let commands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 14, "{commands:?}");
    for c in commands
        .iter()
        .map(|c| format!("vigie-{c}.1"))
        .chain(["vigie.1".into(), "vigie-incidents-deliver.1".into()])
    {
        let page = std::fs::read_to_string(man.join(&c)).unwrap_or_else(|_| panic!("{c} missing"));
        assert!(
            page.starts_with(".ie") || page.contains(".TH"),
            "{c} is not roff"
        );
    }
    let probe = std::fs::read_to_string(man.join("vigie-probe.1")).unwrap();
    assert!(probe.contains("for\\-seconds"), "{probe}");
}
