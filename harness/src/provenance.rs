//! Where a report's evidence comes from, said the same way in every report: the embedded
//! simulators (with their seed and fault profile) or a platform (its label and URL). A report
//! made on the simulators says so in its title area, visibly: it qualifies a client or a
//! version, it says nothing of Pôle emploi's service.

/// How the embedded simulators are named in every target and source.
pub const SIMULATED: &str = "embedded simulators";

/// Whether a target or source names the embedded simulators.
pub fn is_simulated(source: &str) -> bool {
    source.contains(SIMULATED)
}

/// The warning a report made on the simulators carries in its title area, if any of
/// `sources` is them.
pub fn banner<'a>(sources: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut sources = sources.into_iter();
    sources.any(is_simulated).then(|| {
        format!(
            "SIMULATED — evidence gathered on the {SIMULATED} (seed and fault profile below), not on the real platform: it qualifies a client or a version, it measures nothing of Pôle emploi's service."
        )
    })
}

/// [`banner`] as the HTML reports show it: a framed paragraph `#provenance`, or nothing.
pub fn banner_html<'a>(sources: impl IntoIterator<Item = &'a str>) -> String {
    banner(sources).map_or_else(String::new, |b| {
        format!(
            "<p id=\"provenance\" style=\"background:#fff3e0;border:2px solid #ef6c00;padding:8px;font-weight:bold\">{}</p>",
            crate::render::check::junit::escape(&b)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_simulated_source_gets_the_banner() {
        assert_eq!(banner(["Pôle emploi (https://api.francetravail.io)"]), None);
        let b = banner([
            "embedded simulators (seed 42, 100000 people, fault profile vigie-out/fault-profile.toml) (http://127.0.0.1:4000)",
        ])
        .unwrap();
        assert!(
            b.starts_with("SIMULATED — evidence gathered on the embedded simulators"),
            "{b}"
        );
    }
}
