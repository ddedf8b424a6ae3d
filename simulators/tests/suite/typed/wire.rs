//! The wire types a strict client reads values into: a key always present though possibly
//! null, a date-time and a date as the documents write them.

use serde::Deserialize;
use serde::de::{Deserializer, Error};
use serde_json::Value;

/// A key the documents show in every answer, possibly `null`: absent is a surprise.
///
/// (`Option<T>` would take an absent key for `None`: serde's derive gives a missing field to
/// `deserialize_option`. Reading a `Value` first refuses it.)
#[derive(Debug)]
pub struct Nullable<T>(pub Option<T>);

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(Nullable(None)),
            v => serde_json::from_value(v)
                .map(|t| Nullable(Some(t)))
                .map_err(D::Error::custom),
        }
    }
}

/// `yyyy-MM-dd'T'HH:mm:ss[.SSS](Z|±HH:mm)`, the documents' `date-time`.
#[derive(Debug)]
pub struct DateTime(#[allow(dead_code)] pub String);

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if is_date_time(&s) {
            Ok(DateTime(s))
        } else {
            Err(D::Error::custom(format!("not a date-time: {s:?}")))
        }
    }
}

/// `AAAA-MM-JJ`, the documents' `date`.
#[derive(Debug)]
pub struct Date(#[allow(dead_code)] pub String);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if is_date(&s) {
            Ok(Date(s))
        } else {
            Err(D::Error::custom(format!("not a date: {s:?}")))
        }
    }
}

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn is_date(s: &str) -> bool {
    let p: Vec<&str> = s.split('-').collect();
    p.len() == 3
        && p[0].len() == 4
        && p[1].len() == 2
        && p[2].len() == 2
        && digits(p[0]).is_some()
        && digits(p[1]).is_some_and(|m| (1..=12).contains(&m))
        && digits(p[2]).is_some_and(|d| (1..=31).contains(&d))
}

fn is_date_time(s: &str) -> bool {
    let Some((date, rest)) = s.split_once('T') else {
        return false;
    };
    let (time, offset) = if let Some(t) = rest.strip_suffix('Z') {
        (t, "+00:00")
    } else if rest.len() > 6 {
        rest.split_at(rest.len() - 6)
    } else {
        return false;
    };
    let (hms, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let hms: Vec<&str> = hms.split(':').collect();
    is_date(date)
        && hms.len() == 3
        && hms.iter().all(|x| x.len() == 2)
        && digits(hms[0]).is_some_and(|h| h < 24)
        && digits(hms[1]).is_some_and(|m| m < 60)
        && digits(hms[2]).is_some_and(|x| x < 60)
        && digits(fraction).is_some()
        && (offset.starts_with('+') || offset.starts_with('-'))
        && offset[1..].split_once(':').is_some_and(|(h, m)| {
            h.len() == 2 && m.len() == 2 && digits(h).is_some() && digits(m).is_some()
        })
}

#[test]
fn dates_as_the_documents_write_them() {
    assert!(is_date_time("2021-05-17T16:47:11.000+02:00"));
    assert!(is_date_time("2021-05-17T16:47:11Z"));
    assert!(!is_date_time("2021-05-17 16:47:11"));
    assert!(!is_date_time("2021-05-17T16:47:11"));
    assert!(is_date("2023-06-28"));
    assert!(!is_date("28/06/2023"));
    #[derive(Deserialize, Debug)]
    struct K {
        #[allow(dead_code)]
        k: Nullable<u8>,
    }
    assert!(serde_json::from_str::<K>(r#"{"k": null}"#).is_ok());
    assert!(
        serde_json::from_str::<K>("{}").is_err(),
        "absent is not null"
    );
}
