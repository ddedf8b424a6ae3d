//! Where a check runs: the API base URL and the token endpoint of each realm. The layouts of
//! the real platforms (API-SHAPES.md §1.3) are presets; the embedded simulators serve
//! everything from one loopback address.

use std::fmt;

/// A target platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Scheme, host and port of the APIs; operation paths start with `/partenaire`.
    pub api_base: String,
    /// Token endpoint of realm `/partenaire` (n-1), without the `realm` query parameter.
    pub token_partenaire: String,
    /// Token endpoint of realm `/agent` (n).
    pub token_agent: String,
    /// Shown in reports.
    pub label: String,
}

/// The real platforms' layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// France Travail production (2024+): api.francetravail.io, entreprise.francetravail.fr
    /// (/partenaire), proxyproconnect.francetravail.net (/agent).
    FtProd,
    /// France Travail recette: api-r.ft-qvr.io, proxyproconnect-r.ft-qvr.net.
    FtRecette,
    /// Pôle emploi production (2023): api.pole-emploi.io, entreprise.pole-emploi.fr.
    PeProd2023,
    /// Pôle emploi recette (2023): api.peio.pe-qvr.fr, entreprise.pe-qvr.fr.
    PeRecette2023,
}

const TOKEN_PATH: &str = "/connexion/oauth2/access_token";

impl Preset {
    pub fn target(self) -> Target {
        let (api, partenaire, agent, label) = match self {
            Preset::FtProd => (
                "https://api.francetravail.io",
                "https://entreprise.francetravail.fr",
                "https://proxyproconnect.francetravail.net",
                "France Travail production",
            ),
            Preset::FtRecette => (
                "https://api-r.ft-qvr.io",
                "https://entreprise.ft-qvr.fr",
                "https://proxyproconnect-r.ft-qvr.net",
                "France Travail recette",
            ),
            Preset::PeProd2023 => (
                "https://api.pole-emploi.io",
                "https://entreprise.pole-emploi.fr",
                "https://entreprise.pole-emploi.fr",
                "Pôle emploi production (2023)",
            ),
            Preset::PeRecette2023 => (
                "https://api.peio.pe-qvr.fr",
                "https://entreprise.pe-qvr.fr",
                "https://entreprise.pe-qvr.fr",
                "Pôle emploi recette (2023)",
            ),
        };
        Target {
            api_base: api.into(),
            token_partenaire: format!("{partenaire}{TOKEN_PATH}"),
            token_agent: format!("{agent}{TOKEN_PATH}"),
            label: label.into(),
        }
    }
}

/// Why a target is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("target URL refused: {0}")]
    Url(contracts::url::BaseUrlError),
}

impl Target {
    /// One address serves the APIs and both token realms (the simulators).
    pub fn single(base: &str, label: &str) -> Result<Target, TargetError> {
        let base = checked(base)?;
        Ok(Target {
            token_partenaire: format!("{base}{TOKEN_PATH}"),
            token_agent: format!("{base}{TOKEN_PATH}"),
            api_base: base,
            label: label.into(),
        })
    }

    /// A base URL with its own token endpoint (`--target` with `--token-url`).
    pub fn custom(base: &str, token_url: Option<&str>) -> Result<Target, TargetError> {
        let mut t = Target::single(base, "custom target")?;
        if let Some(u) = token_url {
            let u = checked(u)?;
            t.token_partenaire = u.clone();
            t.token_agent = u;
        }
        Ok(t)
    }

    /// The token endpoint of a realm (`/partenaire` or `/agent`), with its query parameter.
    pub fn token_url(&self, realm: &str) -> String {
        let base = if realm == "/agent" {
            &self.token_agent
        } else {
            &self.token_partenaire
        };
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}realm={}", realm.replace('/', "%2F"))
    }

    /// Whether every address of the target is on this machine (writes are then allowed
    /// without `--allow-writes`).
    pub fn is_loopback(&self) -> bool {
        [&self.api_base, &self.token_partenaire, &self.token_agent]
            .iter()
            .all(|u| contracts::url::is_loopback(u))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.label, self.api_base)
    }
}

fn checked(url: &str) -> Result<String, TargetError> {
    contracts::url::base_url(url).map_err(TargetError::Url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_realms() {
        let t = Preset::FtRecette.target();
        assert_eq!(
            t.token_url("/agent"),
            "https://proxyproconnect-r.ft-qvr.net/connexion/oauth2/access_token?realm=%2Fagent"
        );
        assert!(!t.is_loopback());
        let s = Target::single("http://127.0.0.1:8400/", "sim").unwrap();
        assert_eq!(s.api_base, "http://127.0.0.1:8400");
        assert_eq!(
            s.token_url("/partenaire"),
            "http://127.0.0.1:8400/connexion/oauth2/access_token?realm=%2Fpartenaire"
        );
        assert!(s.is_loopback());
        assert!(
            Target::single("http://[::1]:80", "x")
                .unwrap()
                .is_loopback()
        );
        assert!(
            Target::single("http://localhost", "x")
                .unwrap()
                .is_loopback()
        );
        assert!(
            !Target::single("http://127.0.0.1.evil.fr", "x")
                .unwrap()
                .is_loopback()
        );
    }

    #[test]
    fn a_bad_url_says_what_to_give() {
        let e = Target::custom("api-r.ft-qvr.io", None).unwrap_err();
        assert!(e.to_string().contains("give scheme and host"));
        assert!(Target::custom("https://x", Some("ftp://y")).is_err());
        // Userinfo hides the real host (and would carry credentials): refused, for the base
        // and for the token endpoint, without printing what stood before the `@`.
        for (base, token) in [
            ("http://127.0.0.1:1@api.example.invalid", None),
            (
                "http://127.0.0.1:1",
                Some("http://id:secret@auth.example.invalid/token"),
            ),
        ] {
            let e = Target::custom(base, token).unwrap_err().to_string();
            assert!(e.contains("credentials never go in a URL"), "{e}");
            assert!(!e.contains("secret@") && !e.contains(":1@"), "{e}");
        }
    }
}
