//! `vigie config check`: a probe configuration validated, with what to fix.

use std::io::Write;

use crate::Outcome;
use crate::cli::ConfigCheckArgs;
use crate::probe::config::{ProbeConfig, TargetConfig};

pub fn run(args: &ConfigCheckArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let c = ProbeConfig::load(&args.file)?;
    let target = match &c.target {
        TargetConfig::Embedded => "the embedded simulators".to_string(),
        TargetConfig::Remote { target, .. } => target.to_string(),
    };
    writeln!(out, "{}: valid", args.file.display())?;
    writeln!(out, "target: {target}")?;
    writeln!(
        out,
        "store: {} (records kept {} days)",
        c.store,
        c.retention.as_secs() / 86_400
    )?;
    writeln!(out, "{} probes:", c.probes.len())?;
    for p in &c.probes {
        writeln!(out, "  {} every {} s", p.key(), p.interval.as_secs())?;
    }
    if let Some(m) = c.metrics {
        writeln!(out, "metrics: http://{m}/metrics")?;
    }
    let a = &c.alerts;
    let t = &a.thresholds;
    writeln!(
        out,
        "incidents: outage after {} failed probes, degradation under {:.0} % of {} answers under 1 s, applicative after {} violations; resolved after {} answers",
        t.open_after_failures,
        t.degradation_min_share * 100.0,
        t.degradation_window,
        t.open_after_violations,
        t.resolve_after_successes
    )?;
    writeln!(
        out,
        "business hours: {} Europe/Paris, weekends and French public holidays closed{}",
        a.calendar.hours_text(),
        if a.calendar.extra_holidays.is_empty() {
            String::new()
        } else {
            format!(" (+{} days)", a.calendar.extra_holidays.len())
        }
    )?;
    if let Some(e) = &a.email {
        let login = match (&e.username, &e.password) {
            (Some(u), Some(p)) => format!(", login {} / password {}", u.describe(), p.describe()),
            _ => String::new(),
        };
        writeln!(
            out,
            "email: {}:{} ({:?}){login} → {}",
            e.server,
            e.port,
            e.security,
            e.to.join(", ")
        )?;
    }
    if let Some(w) = &a.webhook {
        // Chat webhooks carry their token in the path: the host only.
        let url = match &w.url {
            Ok(u) => reqwest::Url::parse(u)
                .map(|u| format!("{}://{}/…", u.scheme(), u.host_str().unwrap_or("?")))
                .unwrap_or_else(|_| "(unparsable URL)".into()),
            Err(source) => source.describe(),
        };
        writeln!(out, "webhook: {url} ({:?})", w.template)?;
    }
    if a.email.is_none() && a.webhook.is_none() {
        writeln!(out, "notifications: none (incidents are recorded only)")?;
    }
    Ok(Outcome::Clean)
}
