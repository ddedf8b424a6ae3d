//! The identifiers the APIs hand out, bound to a person and tamper-proof:
//! - the encrypted national id (idRci) of version n-1, `<uuid>#<base64url>`;
//! - the `ft-jeton-usager` of version n: base64 of the same JSON as the real jeton
//!   (`vers`, `uuid`, `expire`, `type`, `data` = the idRci), where `uuid` is a MAC of the
//!   expiry and the data, so that a changed expiry or person is refused.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The length of an idRci: a UUID, `#`, 64 base64url characters.
const ID_RCI_LEN: usize = 36 + 1 + 64;

/// How long a jeton usager lives: one day.
pub(crate) const JETON_LIFETIME_MS: i64 = 86_400_000;

/// The keys of one simulator instance.
#[derive(Clone)]
pub struct Keys {
    /// HMAC state with the key already absorbed: cloned for each MAC instead of keying again.
    keyed: HmacSha256,
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
    /// Changed, or issued to another client (the MAC cannot tell which).
    #[error("jeton usager altéré ou délivré à un autre client")]
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
        Keys { keyed }
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
    /// A UUID keyed to the person, then 48 bytes in base64url: the index masked by a key drawn
    /// from that UUID, a MAC of the index (what makes the id genuine), and 8 more keyed bytes.
    /// Nothing in it can be computed from an index without the keys: an id does not tell which
    /// synthetic person it is.
    pub fn id_rci(&self, index: u64) -> String {
        let mut out = String::with_capacity(ID_RCI_LEN);
        let uuid = crate::population::rng::uuid_ascii(&self.id_rci_uuid(index));
        let mut bytes = [0u8; 48];
        let masked = index ^ self.index_mask(&uuid);
        bytes[..8].copy_from_slice(&masked.to_le_bytes());
        let tag = self.mac(&[b"idrci", &index.to_le_bytes()]);
        bytes[8..40].copy_from_slice(&tag);
        let fill = self.mac(&[b"idrci-fill", &index.to_le_bytes()]);
        bytes[40..].copy_from_slice(&fill[..8]);
        out.push_str(std::str::from_utf8(&uuid).unwrap_or_default());
        out.push('#');
        URL_SAFE_NO_PAD.encode_string(bytes, &mut out);
        out
    }

    /// The UUID of a person's idRci: keyed (a version-4 UUID's layout).
    fn id_rci_uuid(&self, index: u64) -> [u8; 16] {
        let t = self.mac(&[b"idrci-uuid", &index.to_le_bytes()]);
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&t[..16]);
        bytes[6] = 0x40 | (bytes[6] & 0x0f);
        bytes[8] = 0x80 | (bytes[8] & 0x3f);
        bytes
    }

    /// What masks the index in an idRci with this UUID text.
    fn index_mask(&self, uuid_text: &[u8]) -> u64 {
        let t = self.mac(&[b"idrci-mask", uuid_text]);
        u64::from_le_bytes(t[..8].try_into().unwrap_or_default())
    }

    /// The person of an idRci, if it is genuine.
    pub fn parse_id_rci(&self, id: &str) -> Option<u64> {
        let (uuid, tail) = id.split_once('#')?;
        if uuid.len() != 36 || tail.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 48];
        if URL_SAFE_NO_PAD.decode_slice(tail, &mut bytes).ok()? != 48 {
            return None;
        }
        let masked = u64::from_le_bytes(bytes[..8].try_into().ok()?);
        let index = masked ^ self.index_mask(uuid.as_bytes());
        // The id it would have, MAC included, compared whole.
        (self.id_rci(index) == id).then_some(index)
    }

    /// A jeton usager for a person, issued to `client`, valid until `now + 1 day`: the base64
    /// of its JSON payload.
    pub fn jeton(&self, client: &str, index: u64, now_ms: i64) -> String {
        let expire = now_ms + JETON_LIFETIME_MS;
        let payload = JetonPayload {
            vers: "0.1".into(),
            uuid: crate::population::rng::uuid_text(&self.jeton_tag(expire, index, client)),
            expire,
            kind: "/partenaire".into(),
            data: self.id_rci(index),
        };
        STANDARD.encode(serde_json::to_vec(&payload).unwrap_or_default())
    }

    /// The jeton's `uuid`: a MAC of its expiry, its person and the client it was issued to,
    /// so that changing either is refused, and another client cannot use it (the `data` is
    /// checked as a genuine idRci of that person).
    fn jeton_tag(&self, expire: i64, index: u64, client: &str) -> [u8; 16] {
        let t = self.mac(&[
            b"jeton",
            &expire.to_le_bytes(),
            &index.to_le_bytes(),
            client.as_bytes(),
        ]);
        let mut head = [0u8; 16];
        head.copy_from_slice(&t[..16]);
        head
    }

    /// The person a jeton usager names and its expiry, checked for tampering, for the client
    /// presenting it (`client`: the one it was issued to) and for expiry.
    pub fn parse_jeton(&self, jeton: &str, now_ms: i64, client: &str) -> Result<Jeton, JetonError> {
        let raw = STANDARD
            .decode(jeton.trim())
            .map_err(|_| JetonError::Malformed)?;
        let JetonPayload {
            uuid, expire, data, ..
        } = serde_json::from_slice(&raw).map_err(|_| JetonError::Malformed)?;
        let data = data.as_str();
        let index = self.parse_id_rci(data).ok_or(JetonError::Tampered)?;
        if crate::population::rng::uuid_text(&self.jeton_tag(expire, index, client)) != uuid {
            return Err(JetonError::Tampered);
        }
        if now_ms >= expire {
            return Err(JetonError::Expired);
        }
        Ok(Jeton {
            index,
            expire,
            id_rci: IdRciUuid::of(data),
            client: client_key(client),
        })
    }
}

/// The JSON inside a jeton usager, as the real one (API-SHAPES.md §2.2): `data` is the person's
/// idRci, `uuid` the MAC that makes the jeton genuine.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct JetonPayload {
    vers: String,
    uuid: String,
    expire: i64,
    #[serde(rename = "type")]
    kind: String,
    data: String,
}

/// What a genuine jeton says: whose it is, until when, and the UUID of that person's
/// idRci (its `data`, checked genuine), which the person's métier ids repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jeton {
    pub index: u64,
    pub expire: i64,
    pub id_rci: IdRciUuid,
    /// The client it was verified for ([`client_key`]): a remembered jeton is reused only by
    /// that client.
    pub client: u64,
}

/// A short key of a client id, to compare the client of a remembered jeton (the MAC did the
/// real check when it was first verified).
pub(crate) fn client_key(client: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    client.hash(&mut h);
    h.finish()
}

/// The UUID of an idRci (the [`ID_RCI_UUID`] characters before its `#`), which the
/// person's métier ids share, as real ones do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdRciUuid([u8; ID_RCI_UUID]);

/// See [`IdRciUuid`].
pub(crate) const ID_RCI_UUID: usize = 36;

impl IdRciUuid {
    /// The UUID of `id_rci` (a genuine idRci: ASCII, a 36-character UUID before the `#`).
    pub fn of(id_rci: &str) -> IdRciUuid {
        let head = id_rci.split_once('#').map_or(id_rci, |(h, _)| h).as_bytes();
        let mut uuid = [b'0'; ID_RCI_UUID];
        let n = head.len().min(ID_RCI_UUID);
        uuid[..n].copy_from_slice(&head[..n]);
        IdRciUuid(uuid)
    }

    pub fn as_str(&self) -> &str {
        // Hex digits and dashes only (see `of`): never the fallback.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// A number drawn from the UUID, to seed what is derived from it.
    pub fn seed(&self) -> u64 {
        self.0.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        })
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
        assert_eq!(id.len(), ID_RCI_LEN);
        assert_eq!(k.parse_id_rci(&id), Some(12_345));
        let mut forged = id.clone();
        forged.replace_range(40..41, if &id[40..41] == "A" { "B" } else { "A" });
        assert_eq!(k.parse_id_rci(&forged), None);
        assert_eq!(Keys::new(1, b"other").parse_id_rci(&id), None);
        assert_eq!(k.parse_id_rci("../../etc/passwd"), None);
    }

    #[test]
    fn an_id_does_not_tell_which_person_it_is() {
        let k = Keys::new(2023, b"vigie-simulators");
        for index in [0u64, 1, 7, 99_999] {
            let id = k.id_rci(index);
            assert_eq!(k.parse_id_rci(&id), Some(index));
            let (uuid, tail) = id.split_once('#').unwrap();
            let bytes = URL_SAFE_NO_PAD.decode(tail).unwrap();
            // The index is not in clear, and the UUID is not the seed's draw for it.
            assert_ne!(&bytes[..8], &index.to_le_bytes(), "{id}");
            let public = crate::population::rng::Draw::new(2023, index, "idrci-uuid").uuid_bytes();
            assert_ne!(uuid, crate::population::rng::uuid_text(&public));
        }
        // Another instance's keys read nothing in it.
        assert_eq!(Keys::new(2023, b"other").parse_id_rci(&k.id_rci(7)), None);
        // A person's métier ids share the person's UUID, and differ after it.
        let of = crate::api::profile::views::id_metier_of(IdRciUuid::of(&k.id_rci(7)));
        let (a, b) = (of(0), of(1));
        let uuid = k.id_rci(7).split_once('#').unwrap().0.to_string();
        assert!(a.starts_with(&format!("{uuid}#")) && b.starts_with(&format!("{uuid}#")));
        assert_ne!(a, b);
        assert_eq!(a.len(), 36 + 1 + 64);
    }

    #[test]
    fn jeton_expires_and_resists_tampering() {
        let k = Keys::new(1, b"s");
        // The real jeton's JSON (API-SHAPES.md §2.2), in base64.
        let today: serde_json::Value =
            serde_json::from_slice(&STANDARD.decode(k.jeton("c", 7, 1_796_000_000_000)).unwrap())
                .unwrap();
        let keys: Vec<&str> = today
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["vers", "uuid", "expire", "type", "data"]);
        assert_eq!(today["data"], k.id_rci(7));
        let j = k.jeton("c", 7, 1_000);
        assert_eq!(k.parse_jeton(&j, 2_000, "c").map(|p| p.index), Ok(7));
        // It carries the UUID of the person's idRci, as the idRci has it.
        let id = k.id_rci(7);
        let start = id.split_once('#').unwrap().0;
        assert_eq!(
            k.parse_jeton(&j, 2_000, "c").unwrap().id_rci.as_str(),
            start
        );
        assert_eq!(
            k.parse_jeton(&j, 1_000 + JETON_LIFETIME_MS, "c"),
            Err(JetonError::Expired)
        );
        // Push the expiry: refused.
        let mut v: serde_json::Value =
            serde_json::from_slice(&STANDARD.decode(&j).unwrap()).unwrap();
        v["expire"] = serde_json::json!(9_999_999_999_999i64);
        let forged = STANDARD.encode(v.to_string());
        assert_eq!(
            k.parse_jeton(&forged, 2_000, "c"),
            Err(JetonError::Tampered)
        );
        // Another person's idRci: refused.
        v["data"] = serde_json::json!(k.id_rci(8));
        assert_eq!(
            k.parse_jeton(&STANDARD.encode(v.to_string()), 2_000, "c"),
            Err(JetonError::Tampered)
        );
        assert_eq!(
            k.parse_jeton("not base64!", 0, "c"),
            Err(JetonError::Malformed)
        );
        // Another client presenting it: refused as not its own.
        assert_eq!(k.parse_jeton(&j, 2_000, "other"), Err(JetonError::Tampered));
    }
}
