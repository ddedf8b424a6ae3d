//! NIR (numéro d'inscription au répertoire) rules: 13 characters plus a 2-digit key equal to
//! 97 − (number mod 97), where the Corsican departments 2A and 2B are mapped to 19 and 18
//! before the computation.

/// Why a NIR is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NirError {
    #[error("a NIR has 13 characters, or 15 with its key; this one has {0}")]
    Length(usize),
    #[error("a NIR holds digits only, except 2A/2B for Corsica at positions 6-7")]
    Characters,
    #[error("the NIR key does not match the 13 first characters")]
    Key,
}

/// The key of a 13-character NIR body.
pub fn key(body: &str) -> Result<u8, NirError> {
    if body.len() != 13 || !body.is_ascii() {
        let n = body.chars().count();
        return Err(if n == 13 {
            NirError::Characters
        } else {
            NirError::Length(n)
        });
    }
    let number = numeric_body(body)?;
    Ok((97 - (number % 97)) as u8)
}

/// Checks a NIR of 13 characters (no key) or 15 (with key).
pub fn validate(nir: &str) -> Result<(), NirError> {
    // Byte offsets below are character offsets only for ASCII text.
    if !nir.is_ascii() {
        return Err(NirError::Characters);
    }
    match nir.len() {
        13 => numeric_body(nir).map(|_| ()),
        15 => {
            let (body, k) = nir.split_at(13);
            let given: u8 = k.parse().map_err(|_| NirError::Characters)?;
            if key(body)? == given {
                Ok(())
            } else {
                Err(NirError::Key)
            }
        }
        n => Err(NirError::Length(n)),
    }
}

/// A 15-character NIR from a 13-character body.
pub fn with_key(body: &str) -> Result<String, NirError> {
    let k = key(body)?;
    let mut out = String::with_capacity(15);
    out.push_str(body);
    out.push(char::from(b'0' + k / 10));
    out.push(char::from(b'0' + k % 10));
    Ok(out)
}

/// The 13 characters as a number, Corsica's 2A/2B read as 19/18 (without allocating: this
/// runs on every search).
fn numeric_body(body: &str) -> Result<u64, NirError> {
    let b = body.as_bytes();
    if b.len() != 13 {
        return Err(NirError::Characters);
    }
    let corsica = match (b[5], b[6].to_ascii_uppercase()) {
        (b'2', b'A') => Some(*b"19"),
        (b'2', b'B') => Some(*b"18"),
        _ => None,
    };
    let mut n: u64 = 0;
    for (i, &c) in b.iter().enumerate() {
        let c = match (corsica, i) {
            (Some(d), 5 | 6) => d[i - 5],
            _ => c,
        };
        if !c.is_ascii_digit() {
            return Err(NirError::Characters);
        }
        n = n * 10 + u64::from(c - b'0');
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_of_the_documented_example() {
        // API-SHAPES §2.1: 181036290874034 (the carnet-de-bord test NIR).
        assert_eq!(key("1810362908740"), Ok(34));
        assert!(validate("181036290874034").is_ok());
        assert_eq!(validate("181036290874035"), Err(NirError::Key));
    }

    #[test]
    fn corsica_is_mapped_before_the_computation() {
        let body = "185052A012345";
        let k = key(body).unwrap();
        let mapped: u64 = "1850519012345".parse().unwrap();
        assert_eq!(k as u64, 97 - mapped % 97);
        assert!(validate(&with_key(body).unwrap()).is_ok());
        assert!(validate(&with_key("299032B123456").unwrap()).is_ok());
    }

    #[test]
    fn multibyte_text_is_refused_not_a_panic() {
        // Found by fuzzing the simulators: 15 bytes, 7 characters.
        assert_eq!(
            validate("0\u{80}\u{80}\u{10000}\u{10000}"),
            Err(NirError::Characters)
        );
        assert_eq!(validate("1810362908740é"), Err(NirError::Characters));
        assert_eq!(key("181036290874é"), Err(NirError::Characters));
    }

    #[test]
    fn bad_lengths_and_characters() {
        assert_eq!(validate("12345"), Err(NirError::Length(5)));
        assert_eq!(validate("18103629087X0"), Err(NirError::Characters));
        assert_eq!(validate("1810362908740AB"), Err(NirError::Characters));
    }
}
