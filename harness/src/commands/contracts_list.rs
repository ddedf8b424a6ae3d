//! `vigie contracts list`: APIs, versions (n / n-1), operations.

use std::io::Write;

use contracts::ContractStore;
use serde_json::json;

use crate::Outcome;
use crate::cli::{ListArgs, TextOrJson};

pub fn run(args: &ListArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let store = ContractStore::active()?;
    let mut apis = Vec::new();
    for info in &store.catalogue().apis {
        let mut versions = Vec::new();
        for v in &info.versions {
            let loaded = store.raw(&info.id, &v.major);
            let ops: Vec<_> = loaded
                .map(|l| {
                    l.manifest
                        .operations
                        .iter()
                        .map(|o| {
                            json!({"id": o.id, "method": o.method, "path": o.path, "write": o.write,
                                   "statuses": o.responses.iter().map(|r| r.status).collect::<Vec<_>>(),
                                   "inferred": o.evidence.is_some()})
                        })
                        .collect()
                })
                .unwrap_or_default();
            versions.push(json!({
                "major": v.major, "aliases": v.aliases, "style": v.era.alias(), "realm": v.realm,
                "basePath": v.base_path, "scopes": v.scopes, "provenance": v.provenance,
                "origin": v.origin.label(),
                "operations": ops,
            }));
        }
        apis.push(json!({"id": info.id, "title": info.title, "versions": versions}));
    }
    match args.format {
        TextOrJson::Json => writeln!(out, "{}", serde_json::to_string_pretty(&apis)?)?,
        TextOrJson::Text => {
            for api in &apis {
                writeln!(
                    out,
                    "{}  {}",
                    api["id"].as_str().unwrap_or_default(),
                    api["title"].as_str().unwrap_or_default()
                )?;
                for v in api["versions"].as_array().into_iter().flatten() {
                    let aliases: Vec<&str> = v["aliases"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|a| a.as_str())
                        .collect();
                    writeln!(
                        out,
                        "  {}{}  [{}]  realm {}  base {}  scopes: {}",
                        v["major"].as_str().unwrap_or_default(),
                        if aliases.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", aliases.join(", "))
                        },
                        v["origin"].as_str().unwrap_or_default(),
                        v["realm"].as_str().unwrap_or_default(),
                        v["basePath"].as_str().unwrap_or_default(),
                        v["scopes"]
                            .as_array()
                            .map(|s| s
                                .iter()
                                .filter_map(|x| x.as_str())
                                .collect::<Vec<_>>()
                                .join(" "))
                            .unwrap_or_default(),
                    )?;
                    for o in v["operations"].as_array().into_iter().flatten() {
                        writeln!(
                            out,
                            "    {:<6} {:<50} {}{}{}",
                            o["method"].as_str().unwrap_or_default(),
                            o["path"].as_str().unwrap_or_default(),
                            o["id"].as_str().unwrap_or_default(),
                            if o["write"] == true { "  [write]" } else { "" },
                            if o["inferred"] == true {
                                "  [inferred]"
                            } else {
                                ""
                            },
                        )?;
                    }
                }
            }
        }
    }
    Ok(Outcome::Clean)
}
