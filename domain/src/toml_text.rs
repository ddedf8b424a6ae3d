//! Messages about a TOML file a person wrote.

/// A TOML error as `line N: what`, without the parser's quote of the line: a secret typed
/// into a file by mistake must not be echoed to a terminal or a log.
pub fn toml_error(text: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => format!(
            "line {}: {}",
            text[..span.start.min(text.len())].matches('\n').count() + 1,
            e.message().trim()
        ),
        None => e.message().trim().to_string(),
    }
}
