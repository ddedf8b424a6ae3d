//! Injected faults, per API and version: added latency (fixed, or a distribution such as
//! "20 % of calls between 1 and 3 s, 2 % beyond 6 s"), error rates (500/503 with the real
//! bodies), full outage windows, timeouts that never answer, and data defects.

use serde::{Deserialize, Serialize};

use crate::population::rng::Draw;

/// A share of calls slowed by a delay drawn in `min_ms..=max_ms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slow {
    pub share: f64,
    pub min_ms: u64,
    pub max_ms: u64,
}

/// A share of calls answered with an error status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Errors {
    pub share: f64,
    /// 500 or 503.
    pub status: u16,
}

/// A window of full outage: absolute (`from_ms`/`to_ms`, epoch ms) or relative to when the
/// plan is installed (`after_s`/`for_s`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_s: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_s: Option<u64>,
}

/// Kinds of data defect, for applicative incidents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DefectKind {
    /// A field the contract requires (else the first field) is left out.
    MissingField,
    /// A string field comes back as a number.
    WrongType,
    /// The inscription category contradicts the statut (statut usager).
    IncoherentCategory,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defect {
    pub kind: DefectKind,
    pub share: f64,
}

/// One rule: which API and version it hits, and what it does.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// API id, or `*`.
    #[serde(default = "star")]
    pub api: String,
    /// `n`, `n-1`, a major (`v4`), or `*`.
    #[serde(default = "star")]
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slow: Vec<Slow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Errors>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outages: Vec<Window>,
    /// Share of calls that never get an answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defect: Option<Defect>,
}

fn star() -> String {
    "*".into()
}

/// All rules in force.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultPlan {
    #[serde(default)]
    pub rules: Vec<FaultRule>,
}

/// What to do to one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Decision {
    pub outage: bool,
    pub timeout: bool,
    pub error: Option<u16>,
    pub delay_ms: u64,
    pub defect: Option<DefectKind>,
}

/// Why a fault plan is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FaultError {
    #[error("fault rule {rule}: unknown API `{api}`; use an API id of `vigie contracts list` or *")]
    Api { rule: usize, api: String },
    #[error("fault rule {rule}: unknown version `{version}` of {api}; use n, n-1, a major or *")]
    Version {
        rule: usize,
        api: String,
        version: String,
    },
    #[error("fault rule {rule}: {what} must be a share between 0 and 1, not {value}")]
    Share {
        rule: usize,
        what: &'static str,
        value: f64,
    },
    #[error("fault rule {rule}: errors.status must be 500 or 503, not {status}")]
    Status { rule: usize, status: u16 },
    #[error("fault rule {rule}: slow.min_ms ({min}) is above slow.max_ms ({max})")]
    Slow { rule: usize, min: u64, max: u64 },
    #[error("fault rule {rule}: an outage window needs from_ms and to_ms, or after_s and for_s")]
    Window { rule: usize },
}

impl FaultPlan {
    /// Checks the plan and turns relative outage windows into absolute ones.
    pub fn install(mut self, now_ms: i64) -> Result<FaultPlan, FaultError> {
        for (i, r) in self.rules.iter_mut().enumerate() {
            let rule = i + 1;
            if r.api != "*" {
                let info = contracts::catalogue::api(&r.api).map_err(|_| FaultError::Api {
                    rule,
                    api: r.api.clone(),
                })?;
                if r.version != "*" && info.version(&r.version).is_err() {
                    return Err(FaultError::Version {
                        rule,
                        api: r.api.clone(),
                        version: r.version.clone(),
                    });
                }
            } else if !matches!(r.version.as_str(), "*" | "n" | "n-1") {
                return Err(FaultError::Version {
                    rule,
                    api: "*".into(),
                    version: r.version.clone(),
                });
            }
            let share = |what, v: f64| {
                if (0.0..=1.0).contains(&v) {
                    Ok(())
                } else {
                    Err(FaultError::Share {
                        rule,
                        what,
                        value: v,
                    })
                }
            };
            for s in &r.slow {
                share("slow.share", s.share)?;
                if s.min_ms > s.max_ms {
                    return Err(FaultError::Slow {
                        rule,
                        min: s.min_ms,
                        max: s.max_ms,
                    });
                }
            }
            if let Some(e) = &r.errors {
                share("errors.share", e.share)?;
                if !matches!(e.status, 500 | 503) {
                    return Err(FaultError::Status {
                        rule,
                        status: e.status,
                    });
                }
            }
            if let Some(t) = r.timeouts {
                share("timeouts", t)?;
            }
            if let Some(d) = &r.defect {
                share("defect.share", d.share)?;
            }
            for w in &mut r.outages {
                match (w.from_ms, w.to_ms, w.after_s, w.for_s) {
                    (Some(_), Some(_), None, None) => {}
                    (None, None, Some(a), Some(f)) => {
                        let from = now_ms + (a as i64) * 1000;
                        *w = Window {
                            from_ms: Some(from),
                            to_ms: Some(from + (f as i64) * 1000),
                            after_s: None,
                            for_s: None,
                        };
                    }
                    _ => return Err(FaultError::Window { rule }),
                }
            }
        }
        Ok(self)
    }

    /// The decision for one call of `api` in version `major` (era alias `era`).
    pub fn decide(
        &self,
        api: &str,
        major: &str,
        era: contracts::catalogue::Era,
        now_ms: i64,
        draw: &mut Draw,
    ) -> Decision {
        let mut d = Decision::default();
        for r in &self.rules {
            let api_ok = r.api == "*" || r.api == api;
            let ver_ok = r.version == "*"
                || r.version == era.alias()
                || r.version.eq_ignore_ascii_case(major)
                || major.strip_prefix('v') == Some(r.version.as_str());
            if !(api_ok && ver_ok) {
                continue;
            }
            if r.outages.iter().any(|w| {
                w.from_ms.is_some_and(|f| now_ms >= f) && w.to_ms.is_some_and(|t| now_ms < t)
            }) {
                d.outage = true;
            }
            if r.timeouts.is_some_and(|t| draw_share(draw, t)) {
                d.timeout = true;
            }
            if let Some(e) = &r.errors
                && draw_share(draw, e.share)
            {
                d.error = Some(e.status);
            }
            d.delay_ms += r.latency_ms.unwrap_or(0);
            // Slow bands are exclusive: one draw picks at most one band.
            let x = draw.below(1_000_000) as f64 / 1_000_000.0;
            let mut acc = 0.0;
            for s in &r.slow {
                acc += s.share;
                if x < acc {
                    d.delay_ms += s.min_ms + draw.below(s.max_ms - s.min_ms + 1);
                    break;
                }
            }
            if let Some(def) = &r.defect
                && draw_share(draw, def.share)
            {
                d.defect = Some(def.kind);
            }
        }
        d
    }
}

fn draw_share(draw: &mut Draw, share: f64) -> bool {
    (draw.below(1_000_000) as f64) < share * 1_000_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use contracts::catalogue::Era;

    fn plan(toml_text: &str) -> Result<FaultPlan, FaultError> {
        let p: FaultPlan = toml::from_str(toml_text).unwrap();
        p.install(1_000_000)
    }

    #[test]
    fn distribution_matches_its_shares() {
        let p = plan(
            "[[rules]]\napi = \"statut-usager\"\nversion = \"n\"\nslow = [{share = 0.2, min_ms = 1000, max_ms = 3000}, {share = 0.02, min_ms = 6000, max_ms = 8000}]\n",
        )
        .unwrap();
        let mut draw = Draw::new(1, 2, "t");
        let (mut over1, mut over6, n) = (0, 0, 100_000);
        for _ in 0..n {
            let d = p.decide("statut-usager", "v2", Era::Current, 0, &mut draw);
            over1 += u32::from(d.delay_ms > 1000);
            over6 += u32::from(d.delay_ms > 6000);
        }
        assert!((21_000..23_000).contains(&(over1)), "{over1}");
        assert!((1_700..2_300).contains(&over6), "{over6}");
        // Other APIs and versions untouched.
        assert_eq!(
            p.decide("statut-usager", "v1", Era::Previous, 0, &mut draw),
            Decision::default()
        );
    }

    #[test]
    fn relative_outage_window() {
        let p = plan("[[rules]]\noutages = [{after_s = 10, for_s = 60}]\n").unwrap();
        let mut draw = Draw::new(1, 2, "t");
        assert!(
            !p.decide("x", "v1", Era::Previous, 1_000_000 + 9_999, &mut draw)
                .outage
        );
        assert!(
            p.decide("x", "v1", Era::Previous, 1_000_000 + 10_000, &mut draw)
                .outage
        );
        assert!(
            !p.decide("x", "v1", Era::Previous, 1_000_000 + 70_000, &mut draw)
                .outage
        );
    }

    #[test]
    fn bad_plans_say_what_to_fix() {
        assert_eq!(
            plan("[[rules]]\napi = \"statut\"\n")
                .unwrap_err()
                .to_string(),
            "fault rule 1: unknown API `statut`; use an API id of `vigie contracts list` or *"
        );
        assert_eq!(
            plan("[[rules]]\nerrors = {share = 1.5, status = 500}\n")
                .unwrap_err()
                .to_string(),
            "fault rule 1: errors.share must be a share between 0 and 1, not 1.5"
        );
        assert_eq!(
            plan("[[rules]]\nerrors = {share = 0.5, status = 404}\n")
                .unwrap_err()
                .to_string(),
            "fault rule 1: errors.status must be 500 or 503, not 404"
        );
        assert!(plan("[[rules]]\noutages = [{after_s = 10}]\n").is_err());
    }
}
