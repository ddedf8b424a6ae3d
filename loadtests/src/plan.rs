//! What a load test runs: the target, the era, the scenarios, how many users for how long,
//! the think times, and the bounds that make it stop by itself.

use std::time::Duration;

use contracts::catalogue::Era;

use crate::error::LoadError;

/// Which scenarios run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mix {
    /// The partner's journey: search, then statut, dossier, besoins, contraintes, métiers
    /// and CREF of the person found.
    Journey,
    /// One API: search, then that API's reads.
    Api(String),
    /// The journey (weight 4) and one scenario per API (weight 1 each).
    All,
}

/// A person to search for (synthetic: from the simulators' data set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub nir: String,
    pub date_naissance: String,
}

#[derive(Debug, Clone)]
pub struct LoadPlan {
    /// `http://127.0.0.1:port`: the APIs and the token endpoint.
    pub base_url: String,
    pub era: Era,
    /// The version of the reads, when not the era's alias: a major (`v3`) imported into a
    /// contracts folder; an API without it is read in the era's version.
    pub version: Option<String>,
    pub mix: Mix,
    pub users: usize,
    pub run_time: Duration,
    /// How long one request may take before it counts as an error (goose's `--timeout`); the
    /// whole run ends by `run_time` + this + a few seconds of shutdown, whatever the target does.
    pub request_timeout: Duration,
    /// Requests at most, all users together; the run stops making requests past it.
    pub max_requests: u64,
    /// Requests per second at most (goose's throttle); `None`: as fast as answered.
    pub rate: Option<usize>,
    /// Pause between two calls of a user (an agent reading the screen).
    pub think: (Duration, Duration),
    pub client_id: String,
    pub client_secret: String,
    pub people: Vec<Person>,
    /// Pass mark: share of calls under 1 s, per API.
    pub target_share: f64,
    /// Pass mark: errors per call, per API.
    pub error_ceiling: f64,
    /// Where goose writes its HTML and Markdown reports (`None`: no goose report).
    pub report_dir: Option<std::path::PathBuf>,
}

impl LoadPlan {
    /// Refuses a remote target without `allow_remote` and a rate cap.
    pub fn guard(&self, allow_remote: bool) -> Result<(), LoadError> {
        if let Some(r) = self.rate
            && r == 0
        {
            return Err(LoadError::BadRate);
        }
        contracts::url::base_url(&self.base_url).map_err(LoadError::Target)?;
        let cleared = allow_remote && self.rate.is_some();
        if !(contracts::url::is_loopback(&self.base_url) || cleared) {
            return Err(LoadError::RemoteNeedsFlags(self.base_url.clone()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(url: &str, rate: Option<usize>) -> LoadPlan {
        LoadPlan {
            base_url: url.into(),
            era: Era::Current,
            version: None,
            mix: Mix::Journey,
            users: 1,
            run_time: Duration::from_secs(1),
            request_timeout: Duration::from_secs(10),
            max_requests: 10,
            rate,
            think: (Duration::ZERO, Duration::ZERO),
            client_id: "c".into(),
            client_secret: "s".into(),
            people: vec![Person {
                nir: "1".into(),
                date_naissance: "2000-01-01".into(),
            }],
            target_share: 0.9,
            error_ceiling: 0.01,
            report_dir: None,
        }
    }

    #[test]
    fn the_remote_guard() {
        assert!(plan("http://127.0.0.1:8400", None).guard(false).is_ok());
        let e = plan("https://api-r.ft-qvr.io", None)
            .guard(false)
            .unwrap_err();
        assert!(e.to_string().contains("--allow-remote and a rate cap"));
        assert!(
            plan("https://api-r.ft-qvr.io", Some(5))
                .guard(false)
                .is_err()
        );
        assert!(plan("https://api-r.ft-qvr.io", None).guard(true).is_err());
        assert!(plan("https://api-r.ft-qvr.io", Some(5)).guard(true).is_ok());
        assert!(
            plan("http://127.0.0.1.nip.io", Some(5))
                .guard(false)
                .is_err()
        );
        // Userinfo hiding a remote host is refused outright, flags or not.
        for cleared in [false, true] {
            let e = plan("http://127.0.0.1:1@api.example.invalid", Some(5))
                .guard(cleared)
                .unwrap_err();
            assert!(matches!(e, LoadError::Target(_)), "{e}");
        }
    }
}
