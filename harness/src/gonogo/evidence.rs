//! Evidence read from the reports vigie writes (`vigie check --json`, `vigie load --json`,
//! `vigie report --format json`), for one API: a go/no-go decides on files a reviewer can
//! open, not on memory.

use serde_json::Value;

/// (calls, failed calls) of one API version in a check report.
pub fn from_check(check: &Value, api: &str, major: &str) -> Option<(u64, u64)> {
    let calls: Vec<&Value> = check["calls"]
        .as_array()?
        .iter()
        .filter(|c| c["api"] == api && c["version"] == major)
        .collect();
    if calls.is_empty() {
        return None;
    }
    let failed = calls.iter().filter(|c| c["verdict"] != "pass").count() as u64;
    Some((calls.len() as u64, failed))
}

/// (passed, share under 1 s, what missed) of a load summary, for one API when it was
/// measured, else for the whole run.
pub fn from_load(load: &Value, api: &str) -> Option<(bool, f64, String)> {
    let apis = load["apis"].as_array()?;
    match apis.iter().find(|a| a["api"] == api) {
        Some(a) => Some((
            a["passed"].as_bool()?,
            a["share_under_1s"].as_f64()?,
            a["reasons"]
                .get(0)
                .and_then(Value::as_str)
                .map_or_else(|| api.to_string(), |r| format!("{api}: {r}")),
        )),
        None => {
            let calls: u64 = apis.iter().filter_map(|a| a["calls"].as_u64()).sum();
            let under: u64 = apis.iter().filter_map(|a| a["under_1s"].as_u64()).sum();
            (calls > 0).then(|| {
                let worst = apis
                    .iter()
                    .filter(|a| a["passed"] == false)
                    .filter_map(|a| a["api"].as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                (
                    load["passed"].as_bool().unwrap_or(false),
                    under as f64 / calls as f64,
                    worst,
                )
            })
        }
    }
}

/// (availability, down intervals) of one API in a monthly report (its `incidents` list holds
/// the down intervals the probes measured, not the engine's incidents).
pub fn from_sla(sla: &Value, api: &str) -> Option<(f64, usize)> {
    let a = sla["apis"].as_array()?.iter().find(|a| a["api"] == api)?;
    Some((
        a["availability"].as_f64()?,
        // `incidents` in reports written before the down intervals had their own name.
        a["down_intervals"]
            .as_array()
            .or(a["incidents"].as_array())
            .map_or(0, Vec::len),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_each_report() {
        let check = json!({"calls": [
            {"api": "statut-usager", "version": "v2", "verdict": "pass"},
            {"api": "statut-usager", "version": "v2", "verdict": "fail"},
            {"api": "statut-usager", "version": "v1", "verdict": "pass"}]});
        assert_eq!(from_check(&check, "statut-usager", "v2"), Some((2, 1)));
        assert_eq!(from_check(&check, "recherche-usager", "v2"), None);
        let load = json!({"passed": false, "apis": [
            {"api": "statut-usager", "passed": false, "share_under_1s": 0.8, "calls": 10, "under_1s": 8, "reasons": ["80.0 % of calls under 1 s"]},
            {"api": "recherche-usager", "passed": true, "share_under_1s": 1.0, "calls": 10, "under_1s": 10, "reasons": []}]});
        assert_eq!(
            from_load(&load, "statut-usager"),
            Some((
                false,
                0.8,
                "statut-usager: 80.0 % of calls under 1 s".into()
            ))
        );
        assert_eq!(
            from_load(&load, "metiers-recherches"),
            Some((false, 0.9, "statut-usager".into()))
        );
        let sla = json!({"apis": [{"api": "statut-usager", "availability": 0.97, "down_intervals": [{}, {}]}]});
        assert_eq!(from_sla(&sla, "statut-usager"), Some((0.97, 2)));
    }
}
