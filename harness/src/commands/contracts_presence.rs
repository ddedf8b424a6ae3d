//! `vigie contracts presence`: the presence rules of every API version (required, nullable,
//! optional, with their evidence), derived from the contracts' sources; `--write` files them
//! beside the schemas, `--check` tells whether the files on disk are up to date.

use std::io::Write;

use contracts::ContractStore;
use contracts::fields::FieldCatalogue;
use contracts::presence::{Facts, PRESENCE_FILE, Presence, derive};

use crate::Outcome;
use crate::cli::PresenceArgs;

pub fn run(args: &PresenceArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let store = ContractStore::from_dir(&args.dir)?;
    // The convention's tables are the embedded field catalogue (`contracts/fields/`).
    // and the presence facts (`contracts/fields/presence-facts.json`).
    let fields = FieldCatalogue::from_store(ContractStore::active()?)?;
    // Facts beside the folder (`<dir>/../fields/presence-facts.json`) win over the embedded ones.
    let on_disk = args.dir.join("..").join(contracts::presence::FACTS_FILE);
    let facts = match std::fs::read_to_string(&on_disk) {
        Ok(text) => serde_json::from_str(&text)
            .map_err(|e| contracts::ContractsError::not_json(on_disk.display().to_string(), &e))?,
        Err(_) => Facts::from_store(ContractStore::active()?)?,
    };
    let keys: Vec<(String, String)> = store
        .keys()
        .map(|(a, v)| (a.to_string(), v.to_string()))
        .collect();
    let mut stale = Vec::new();
    for (api, major) in keys {
        let Some(loaded) = store.raw(&api, &major) else {
            continue;
        };
        let derived = derive(&api, &major, loaded, &fields, &facts);
        let (mut required, mut optional, mut nullable, mut disagree) = (0, 0, 0, 0);
        for r in derived.bodies.iter().flat_map(|b| &b.fields) {
            match r.presence {
                Presence::Required => required += 1,
                Presence::Optional => optional += 1,
            }
            nullable += usize::from(r.nullable);
            disagree += usize::from(r.presence != r.publisher);
        }
        writeln!(
            out,
            "{api} {major}: {required} required, {optional} optional, {nullable} nullable; {disagree} where the publisher's schema says otherwise"
        )?;
        let text = format!("{}\n", serde_json::to_string_pretty(&derived)?);
        let path = args.dir.join(&api).join(&major).join(PRESENCE_FILE);
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        if on_disk != text {
            if args.write {
                std::fs::write(&path, &text).map_err(|source| {
                    contracts::ContractsError::Write {
                        path: path.clone(),
                        source,
                    }
                })?;
                writeln!(out, "  wrote {}", path.display())?;
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    if args.check && !stale.is_empty() {
        writeln!(
            out,
            "out of date (run `vigie contracts presence --write`): {}",
            stale.join(", ")
        )?;
        return Ok(Outcome::Findings);
    }
    Ok(Outcome::Clean)
}
