//! The README matches the binary: its usage blocks are the real `--help`, and `.ci/run` runs
//! the README's test command.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use crate::support;

fn block(readme: &str, name: &str) -> String {
    let start = format!("<!-- usage:{name} -->\n```text\n");
    let end = format!("\n```\n<!-- /usage:{name} -->");
    let a = readme
        .find(&start)
        .unwrap_or_else(|| panic!("README lacks the {name} usage block"))
        + start.len();
    let b = readme[a..].find(&end).unwrap() + a;
    readme[a..b].to_string()
}

fn help(args: &[&str]) -> String {
    let o = support::vigie().args(args).output().unwrap();
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap().trim_end().to_string()
}

#[test]
fn the_readme_usage_blocks_are_the_real_help() {
    let readme = std::fs::read_to_string(support::repo().join("README.md")).unwrap();
    assert_eq!(
        block(&readme, "vigie"),
        help(&["--help"]),
        "README usage:vigie is stale: paste `vigie --help`"
    );
    assert_eq!(
        block(&readme, "contracts"),
        help(&["contracts", "--help"]),
        "README usage:contracts is stale: paste `vigie contracts --help`"
    );
    assert_eq!(
        block(&readme, "simulate"),
        help(&["simulate", "--help"]),
        "README usage:simulate is stale: paste `vigie simulate --help`"
    );
    assert_eq!(
        block(&readme, "check"),
        help(&["check", "--help"]),
        "README usage:check is stale: paste `vigie check --help`"
    );
    for name in ["probe", "report", "gonogo", "qualify"] {
        assert_eq!(
            block(&readme, name),
            help(&[name, "--help"]),
            "README usage:{name} is stale: paste `vigie {name} --help`"
        );
    }
    assert_eq!(
        block(&readme, "load"),
        help(&["load", "--help"]),
        "README usage:load is stale: paste `vigie load --help`"
    );
    assert_eq!(
        block(&readme, "incidents"),
        help(&["incidents", "--help"]),
        "README usage:incidents is stale: paste `vigie incidents --help`"
    );
    assert_eq!(
        block(&readme, "incidents-ack"),
        help(&["incidents", "ack", "--help"]),
        "README usage:incidents-ack is stale: paste `vigie incidents ack --help`"
    );
}

#[test]
fn ci_runs_the_readme_test_command_and_the_main_job_exists() {
    let readme = std::fs::read_to_string(support::repo().join("README.md")).unwrap();
    let ci = std::fs::read_to_string(support::repo().join(".ci/run")).unwrap();
    let test_cmd = "cargo test --workspace --locked";
    assert!(
        readme.contains(&format!("\n{test_cmd}\n")),
        "README lacks the test command"
    );
    assert!(
        ci.lines().any(|l| l.trim() == test_cmd),
        ".ci/run does not run `{test_cmd}`"
    );
    let main_job = "cargo run --release -- qualify";
    assert!(
        readme.contains(&format!("\n{main_job}\n")),
        "README lacks the main job"
    );
    // The main job's arguments are a real command line: it runs the chain and writes every
    // report into vigie-out/.
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<&str> = main_job.split(' ').skip(4).collect();
    let o = support::vigie()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("5/5 go/no-go of n against n-1"), "{stdout}");
    let out = dir.path().join("vigie-out");
    for f in [
        "index.md",
        "check.json",
        "check.xml",
        "check.md",
        "diff.md",
        "sla.html",
        "sla.json",
        "load.json",
        "fault-profile.toml",
        "incidents.md",
        "load/goose-report.html",
        "gonogo-statut-usager.html",
        "gonogo-statut-usager.json",
    ] {
        assert!(out.join(f).exists(), "{f} not written");
    }
    // index.md and index.html link every file written, each with what it holds.
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let mut stack = vec![out.clone()];
    let mut files = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel.starts_with("index.") || rel.ends_with("-wal") || rel.ends_with("-shm") {
                continue;
            }
            files += 1;
            assert!(
                index.contains(&format!("[{rel}]({rel})")),
                "index.md lacks {rel}"
            );
            assert!(
                html.contains(&format!("<a href=\"{rel}\">")),
                "index.html lacks {rel}"
            );
        }
    }
    assert!(files >= 20, "{files} files");
    assert!(index.contains("embedded simulators"), "{index}");
    // Every report says, in its title area, that its evidence comes from the simulators, and
    // the SLA report names the fault profile it ran under.
    for f in [
        "check.md",
        "sla.md",
        "sla.html",
        "gonogo-statut-usager.md",
        "gonogo-statut-usager.html",
    ] {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(
            text.contains("SIMULATED"),
            "{f} does not say it was made on the simulators"
        );
    }
    let sla_md = std::fs::read_to_string(out.join("sla.md")).unwrap();
    assert!(sla_md.contains("fault-profile.toml"), "{sla_md}");
    assert!(
        sla_md.contains("insufficient data"),
        "an 8 s window is no month: {sla_md}"
    );
    // ... and when, for how long, the evidence was gathered.
    assert!(sla_md.contains("Evidence gathered from "), "{sla_md}");
    let gonogo_md = std::fs::read_to_string(out.join("gonogo-statut-usager.md")).unwrap();
    for line in [
        "Evidence from: contract check: embedded simulators",
        "Evidence from: probe window: gathered from ",
        "Evidence from: load run: embedded simulators",
    ] {
        assert!(gonogo_md.contains(line), "{line}: {gonogo_md}");
    }
    assert_eq!(
        gonogo_md.matches(", started 20").count(),
        2,
        "the check's and the load run's start: {gonogo_md}"
    );
    let load: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("load.json")).unwrap()).unwrap();
    assert!(
        load["source"]
            .as_str()
            .unwrap()
            .starts_with("embedded simulators"),
        "{load}"
    );
    assert!(load["started_at"].as_str().is_some(), "{load}");
    // One vocabulary, the same counts everywhere: incidents (opened by the engine) in the
    // console and incidents.md; down intervals (measured) in sla.* and in the go/no-go.
    let confirmed: usize = stdout
        .lines()
        .find_map(|l| l.trim().split_once(" incident(s) confirmed"))
        .map(|(n, _)| n.trim().parse().unwrap())
        .expect("the console counts the incidents");
    let incidents_md = std::fs::read_to_string(out.join("incidents.md")).unwrap();
    assert_eq!(
        incidents_md.matches("# Pre-diagnosis — incident #").count(),
        confirmed,
        "{incidents_md}"
    );
    let sla_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sla.json")).unwrap()).unwrap();
    for api in sla_json["apis"].as_array().unwrap() {
        let name = api["api"].as_str().unwrap();
        let n = api["down_intervals"].as_array().unwrap().len();
        let g: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(format!("gonogo-{name}.json"))).unwrap(),
        )
        .unwrap();
        let availability = g["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "availability")
            .unwrap()["detail"]
            .as_str()
            .unwrap()
            .to_string();
        let expected = if n == 0 {
            "no down interval".to_string()
        } else {
            format!("{n} down interval(s)")
        };
        assert!(
            availability.contains(&expected),
            "{name}: {availability} vs {n}"
        );
    }
    let overall = sla_json["down_intervals"].as_array().unwrap().len();
    let sla_md = std::fs::read_to_string(out.join("sla.md")).unwrap();
    let section = sla_md.split("## Down intervals (measured)").nth(1).unwrap();
    let section = section.split("\n## ").next().unwrap();
    let rows = section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| API"))
        .count();
    assert_eq!(rows, overall, "{section}");
    assert!(
        !sla_md.contains("## Incidents"),
        "down intervals are not incidents"
    );
    // The fault profile shows in the SLA report: statut-usager n answers 503 at times.
    let sla: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sla.json")).unwrap()).unwrap();
    assert!(sla["overall"]["probes"].as_u64().unwrap() > 100);
}

#[test]
fn the_example_consumer_file_is_accepted() {
    let o = support::vigie()
        .current_dir(support::repo())
        .args([
            "contracts",
            "diff",
            "--all",
            "--consumer",
            "examples/consumer.json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("affecting the consumer"));
}

#[test]
fn the_example_simulate_config_is_valid() {
    let env = |v: &str| Some(format!("value-of-{v}"));
    let c = simulators::SimConfig::load(&support::repo().join("examples/simulate.toml"), 0, &env)
        .unwrap();
    assert_eq!(c.clients.len(), 3);
    assert_eq!(c.faults.rules.len(), 3);
    assert!(c.admin_token.is_some());
}
