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

/// Whether the host of a URL is this machine (`localhost`, 127.0.0.0/8, `::1`).
pub fn is_loopback(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(url);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // Userinfo (`http://127.0.0.1:1@remote.example`) hides the real host: never loopback.
    if authority.contains('@') {
        return false;
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
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
    }
}
