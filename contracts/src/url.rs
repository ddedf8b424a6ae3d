//! Two URL facts every client of these APIs needs: how an identifier goes into a path (the
//! n-1 APIs take the encrypted id in the path, URL-encoded: `#` → `%23`), and whether a base
//! URL is this machine (writes and load are only made freely against loopback).

/// Percent-encodes one path segment (RFC 3986 unreserved characters kept).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Why a base URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    #[error(
        "{0:?} is not an http(s) URL with a host: give scheme and host, e.g. https://api-r.ft-qvr.io"
    )]
    NotAUrl(String),
    #[error(
        "{0:?} carries a user name or password before its host: credentials never go in a URL \
         (they would be logged and could hide the real host); give the URL without `user@` and \
         the client id and secret through the environment"
    )]
    Userinfo(String),
}

/// Parses a base URL as a guard must: a real URL parser, http or https, a host, no userinfo,
/// no fragment. Returns it normalised by the parser, without a trailing `/`.
pub fn base_url(text: &str) -> Result<String, BaseUrlError> {
    let trimmed = text.trim().trim_end_matches('/');
    let u = url::Url::parse(trimmed).map_err(|_| BaseUrlError::NotAUrl(redact(trimmed)))?;
    if !matches!(u.scheme(), "http" | "https")
        || u.host_str().is_none_or(str::is_empty)
        || u.fragment().is_some()
    {
        return Err(BaseUrlError::NotAUrl(redact(trimmed)));
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(BaseUrlError::Userinfo(redact(trimmed)));
    }
    // The parser's own spelling: what the guard judged is what the client will use.
    Ok(u.as_str().trim_end_matches('/').to_string())
}

/// A URL as it may be printed: whatever stands before an `@` of the authority is masked.
fn redact(text: &str) -> String {
    let (scheme, rest) = text.split_once("://").unwrap_or(("", text));
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => text.chars().take(200).collect(),
    }
}

/// Whether the host of a URL is this machine (`localhost`, 127.0.0.0/8, `::1`), by a real URL
/// parser. A URL with userinfo (`http://127.0.0.1:1@remote.example`), or one that does not
/// parse, is never loopback.
pub fn is_loopback(text: &str) -> bool {
    let Ok(u) = url::Url::parse(text.trim()) else {
        return false;
    };
    if !u.username().is_empty() || u.password().is_some() {
        return false;
    }
    match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_and_loopback() {
        assert_eq!(encode_segment("ab#c/d é"), "ab%23c%2Fd%20%C3%A9");
        assert!(is_loopback("http://127.0.0.1:8400"));
        assert!(is_loopback("http://[::1]:80/x"));
        assert!(is_loopback("http://localhost"));
        assert!(!is_loopback("http://127.0.0.1.nip.io"));
        assert!(!is_loopback("https://api-r.ft-qvr.io"));
        assert!(!is_loopback("http://127.0.0.1:1@api.example.invalid"));
        assert!(!is_loopback("http://user@127.0.0.1"));
        assert!(!is_loopback("http://127.0.0.1%2F@api.example.invalid"));
        // WHATWG (the parser reqwest uses too): `\` ends the host, so this one is loopback,
        // for the guard and for the client alike.
        assert!(is_loopback("http://127.0.0.1\\@api.example.invalid"));
        assert!(!is_loopback("not a url"));
        // The parser normalises what a hand-written split would miss.
        assert!(
            is_loopback("http://2130706433:8080"),
            "127.0.0.1 as one number"
        );
        assert!(is_loopback("HTTP://LOCALHOST:1/"));
    }

    #[test]
    fn base_urls_refuse_userinfo_without_printing_it() {
        assert_eq!(
            base_url(" https://api-r.ft-qvr.io/ ").unwrap(),
            "https://api-r.ft-qvr.io"
        );
        for bad in [
            "http://127.0.0.1:1@api.example.invalid",
            "https://client:s3cret@api.example.invalid/x",
        ] {
            let e = base_url(bad).unwrap_err();
            assert!(matches!(e, BaseUrlError::Userinfo(_)), "{bad}");
            let text = e.to_string();
            assert!(
                !text.contains("s3cret") && !text.contains("127.0.0.1:1@"),
                "{text}"
            );
            assert!(text.contains("***@api.example.invalid"), "{text}");
        }
        assert_eq!(
            base_url("http://127.0.0.1\\@x.invalid").unwrap(),
            "http://127.0.0.1/@x.invalid"
        );
        for bad in ["ftp://x", "http://", "api-r.ft-qvr.io", "http://x#frag"] {
            assert!(
                matches!(base_url(bad), Err(BaseUrlError::NotAUrl(_))),
                "{bad}"
            );
        }
    }
}
