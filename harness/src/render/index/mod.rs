//! The index of a folder of reports (`vigie qualify`'s `vigie-out/`): every file written,
//! linked, with one line on what it holds; the go/no-go decisions on top.

pub mod html;
pub mod markdown;

use std::path::Path;

use anyhow::Context;

use crate::gonogo::report::GoNoGo;

/// One file of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the folder, with `/` separators: what the link points to.
    pub path: String,
    pub what: String,
}

/// What the index shows.
#[derive(Debug, Clone)]
pub struct Index {
    pub title: String,
    /// Where the evidence came from (the embedded simulators, under the fault profile).
    pub provenance: String,
    /// (API, decision, report file).
    pub decisions: Vec<(String, String, String)>,
    pub files: Vec<Entry>,
}

/// What a file of `vigie qualify` holds, from its name.
pub fn what(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let format = match ext {
        "html" => "HTML",
        "md" => "Markdown",
        "json" => "JSON",
        "xml" => "JUnit XML",
        _ => "",
    };
    let what = match stem {
        "check" => "contract check of n and n-1, every call with its verdict",
        "diff" => "changes n-1 → n per API, breaking ones first",
        "sla" => {
            "monthly SLA report of the probe window (availability, response time, down intervals)"
        }
        "incidents" => "incidents the probe window confirmed, each with its pre-diagnosis",
        "load" => "load run of the n journey: the pass mark per API",
        "goose-report" => "goose's own report of the load run",
        "fault-profile" => "the faults the embedded simulators served during the probe window",
        "probe" => "the probe configuration of the window",
        "probes" => "the store: every probe record, the incidents and their outbox (SQLite)",
        s if s.starts_with("gonogo-") => {
            "go/no-go of n against n-1 for this API, with its criteria"
        }
        s if s.starts_with("check-") => "contract check the go/no-go ran for this API",
        _ => "",
    };
    match (what, format) {
        ("", "") => "written by this run".to_string(),
        ("", f) => format!("written by this run ({f})"),
        (w, "") => w.to_string(),
        (w, f) => format!("{w} ({f})"),
    }
}

/// Every file under `dir`, sorted, but the index itself and SQLite's side files.
pub fn files(dir: &Path) -> anyhow::Result<Vec<Entry>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).with_context(|| format!("cannot list {}", d.display()))?;
        for entry in entries {
            let p = entry?.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(dir)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            if rel.starts_with("index.") || rel.ends_with("-wal") || rel.ends_with("-shm") {
                continue;
            }
            out.push(Entry {
                what: what(&rel),
                path: rel,
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Writes `index.md` and `index.html` into `dir`; returns how many files they list.
pub fn write(dir: &Path, decisions: &[GoNoGo], provenance: &str) -> anyhow::Result<usize> {
    let index = Index {
        title: "vigie qualify".into(),
        provenance: provenance.into(),
        decisions: decisions
            .iter()
            .map(|r| {
                (
                    r.api.clone(),
                    r.decision.label().to_string(),
                    format!("gonogo-{}.html", r.api),
                )
            })
            .collect(),
        files: files(dir)?,
    };
    for (name, text) in [
        ("index.md", markdown::render(&index)),
        ("index.html", html::render(&index)),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, text).with_context(|| format!("cannot write {}", p.display()))?;
    }
    Ok(index.files.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_listed_with_what_it_holds_but_the_index_and_sqlite_side_files() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "check.json",
            "sla.html",
            "fault-profile.toml",
            "probe.toml",
            "probes.sqlite",
            "probes.sqlite-wal",
            "index.md",
            "load/goose-report.html",
            "notes.txt",
        ] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let files = files(dir.path()).unwrap();
        let paths: Vec<&str> = files.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "check.json",
                "fault-profile.toml",
                "load/goose-report.html",
                "notes.txt",
                "probe.toml",
                "probes.sqlite",
                "sla.html"
            ]
        );
        assert!(files.iter().all(|e| !e.what.is_empty()));
        assert_eq!(files[3].what, "written by this run");
        assert!(files[0].what.contains("(JSON)"));
    }
}
