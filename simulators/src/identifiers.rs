//! The identifiers the APIs hand out, bound to a person and tamper-proof:
//! - the encrypted national id (idRci) of version n-1, `<uuid>#<base64url>`;
//! - the `ft-jeton-usager` of version n: base64 of the same JSON as the real jeton
//!   (`vers`, `uuid`, `expire`, `type`, `data` = the idRci), where `uuid` is a MAC of the
//!   expiry and the data, so that a changed expiry or person is refused.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::rng::Draw;

type HmacSha256 = Hmac<Sha256>;

/// How long a jeton usager lives: one day.
pub const JETON_LIFETIME_MS: i64 = 86_400_000;

/// The keys of one simulator instance.
#[derive(Clone)]
pub struct Keys {
    /// HMAC state with the key already absorbed: cloned for each MAC instead of keying again.
    keyed: HmacSha256,
    seed: u64,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(redacted)")
    }
}

/// Why a jeton usager is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JetonError {
    #[error("jeton usager absent")]
    Missing,
    #[error("jeton usager illisible")]
    Malformed,
    #[error("jeton usager altéré")]
    Tampered,
    #[error("jeton usager expiré")]
    Expired,
}

impl Keys {
    /// Keys derived from the seed and an instance secret (so that another instance's ids
    /// are refused).
    pub fn new(seed: u64, secret: &[u8]) -> Keys {
        let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
        mac.update(&seed.to_le_bytes());
        mac.update(b"vigie-simulators-keys");
        let key = mac.finalize().into_bytes();
        let keyed = HmacSha256::new_from_slice(&key).expect("HMAC takes keys of any length");
        Keys { keyed, seed }
    }

    fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = self.keyed.clone();
        for p in parts {
            mac.update(&(p.len() as u64).to_le_bytes());
            mac.update(p);
        }
        let mut out = [0u8; 32];
        out.copy_from_slice(&mac.finalize().into_bytes());
        out
    }

    /// Signs arbitrary bytes (access tokens).
    pub fn sign(&self, data: &[u8]) -> [u8; 32] {
        self.mac(&[b"token", data])
    }

    /// Checks a signature in constant time.
    pub fn verify(&self, data: &[u8], tag: &[u8]) -> bool {
        let mut mac = self.keyed.clone();
        for p in [b"token".as_slice(), data] {
            mac.update(&(p.len() as u64).to_le_bytes());
            mac.update(p);
        }
        mac.verify_slice(tag).is_ok()
    }

    /// The idRci of a person: `<uuid>#<64 base64url characters>`.
    pub fn id_rci(&self, index: u64) -> String {
        let uuid = Draw::new(self.seed, index, "idrci-uuid").uuid();
        let mut bytes = [0u8; 48];
        bytes[..8].copy_from_slice(&index.to_le_bytes());
        let tag = self.mac(&[b"idrci", &index.to_le_bytes(), uuid.as_bytes()]);
        bytes[8..40].copy_from_slice(&tag);
        bytes[40..].copy_from_slice(&self.mac(&[b"pad", &tag])[..8]);
        let mut out = uuid;
        out.reserve(65);
        out.push('#');
        URL_SAFE_NO_PAD.encode_string(bytes, &mut out);
        out
    }

    /// The person of an idRci, if it is genuine.
    pub fn parse_id_rci(&self, id: &str) -> Option<u64> {
        let (uuid, tail) = id.split_once('#')?;
        let bytes = URL_SAFE_NO_PAD.decode(tail).ok()?;
        if bytes.len() != 48 {
            return None;
        }
        let index = u64::from_le_bytes(bytes[..8].try_into().ok()?);
        let tag = self.mac(&[b"idrci", &index.to_le_bytes(), uuid.as_bytes()]);
        (bytes[8..40] == tag && self.id_rci(index) == id).then_some(index)
    }

    /// A jeton usager for a person, valid until `now + 1 day`.
    pub fn jeton(&self, index: u64, now_ms: i64) -> String {
        let expire = now_ms + JETON_LIFETIME_MS;
        let data = self.id_rci(index);
        let uuid = self.jeton_uuid(expire, &data);
        // uuid and data are ASCII without quotes or backslashes: written as they are.
        let mut json = String::with_capacity(256);
        json.push_str(r#"{"vers":"0.1","uuid":""#);
        json.push_str(&uuid);
        json.push_str(r#"","expire":"#);
        json.push_str(itoa::Buffer::new().format(expire));
        json.push_str(r#","type":"/partenaire","data":""#);
        json.push_str(&data);
        json.push_str(r#""}"#);
        STANDARD.encode(json)
    }

    fn jeton_uuid(&self, expire: i64, data: &str) -> String {
        let t = self.mac(&[b"jeton", &expire.to_le_bytes(), data.as_bytes()]);
        let mut head = [0u8; 16];
        head.copy_from_slice(&t[..16]);
        crate::rng::uuid_text(&head)
    }

    /// The person a jeton usager names and its expiry, checked for tampering and expiry.
    pub fn parse_jeton(&self, jeton: &str, now_ms: i64) -> Result<(u64, i64), JetonError> {
        let raw = STANDARD
            .decode(jeton.trim())
            .map_err(|_| JetonError::Malformed)?;
        let v: serde_json::Value =
            serde_json::from_slice(&raw).map_err(|_| JetonError::Malformed)?;
        let (Some(expire), Some(data), Some(uuid)) =
            (v["expire"].as_i64(), v["data"].as_str(), v["uuid"].as_str())
        else {
            return Err(JetonError::Malformed);
        };
        if self.jeton_uuid(expire, data) != uuid {
            return Err(JetonError::Tampered);
        }
        let index = self.parse_id_rci(data).ok_or(JetonError::Tampered)?;
        if now_ms >= expire {
            return Err(JetonError::Expired);
        }
        Ok((index, expire))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_rci_round_trip_and_tamper() {
        let k = Keys::new(1, b"s");
        let id = k.id_rci(12_345);
        let (uuid, tail) = id.split_once('#').unwrap();
        assert_eq!(uuid.len(), 36);
        assert_eq!(tail.len(), 64);
        assert_eq!(k.parse_id_rci(&id), Some(12_345));
        let mut forged = id.clone();
        forged.replace_range(40..41, if &id[40..41] == "A" { "B" } else { "A" });
        assert_eq!(k.parse_id_rci(&forged), None);
        assert_eq!(Keys::new(1, b"other").parse_id_rci(&id), None);
        assert_eq!(k.parse_id_rci("../../etc/passwd"), None);
    }

    #[test]
    fn jeton_expires_and_resists_tampering() {
        let k = Keys::new(1, b"s");
        let j = k.jeton(7, 1_000);
        assert_eq!(k.parse_jeton(&j, 2_000).map(|p| p.0), Ok(7));
        assert_eq!(
            k.parse_jeton(&j, 1_000 + JETON_LIFETIME_MS),
            Err(JetonError::Expired)
        );
        // Push the expiry: refused.
        let mut v: serde_json::Value =
            serde_json::from_slice(&STANDARD.decode(&j).unwrap()).unwrap();
        v["expire"] = serde_json::json!(9_999_999_999_999i64);
        let forged = STANDARD.encode(v.to_string());
        assert_eq!(k.parse_jeton(&forged, 2_000), Err(JetonError::Tampered));
        // Another person's idRci: refused.
        v["data"] = serde_json::json!(k.id_rci(8));
        assert_eq!(
            k.parse_jeton(&STANDARD.encode(v.to_string()), 2_000),
            Err(JetonError::Tampered)
        );
        assert_eq!(k.parse_jeton("not base64!", 0), Err(JetonError::Malformed));
    }
}
