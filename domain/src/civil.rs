//! Calendar arithmetic without a date library: days since the epoch ↔ (year, month, day),
//! and the date formats the APIs use.

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

pub const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
pub fn days_from_civil(d: Date) -> i64 {
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(d.month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `date` plus `months` calendar months, the day clamped to the month's length
/// (31 August + 6 months = 28 February, or 29 in a leap year).
pub fn add_months(date: Date, months: u32) -> Date {
    let total = date.month - 1 + months;
    let year = date.year + (total / 12) as i32;
    let month = total % 12 + 1;
    let first = |year: i32, month: u32| {
        days_from_civil(Date {
            year,
            month,
            day: 1,
        })
    };
    let next = if month == 12 {
        first(year + 1, 1)
    } else {
        first(year, month + 1)
    };
    let length = (next - first(year, month)) as u32;
    Date {
        year,
        month,
        day: date.day.min(length),
    }
}

/// How many calendar months from `from` to reach `to`: the least `m` with
/// `add_months(from, m) >= to` (0 when `to` is not after `from`).
pub fn months_until(from: Date, to: Date) -> u32 {
    let mut m = 0;
    while add_months(from, m) < to {
        m += 1;
    }
    m
}

/// The civil date of a day number.
pub fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Date {
        year: (y + i64::from(m <= 2)) as i32,
        month: m,
        day: d,
    }
}

/// `AAAA-MM-JJ`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// A datetime (epoch ms) that serialises as [`format_datetime`] writes it, without
/// allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime(pub i64);

impl std::fmt::Display for DateTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = self.0;
        let d = civil_from_days(ms.div_euclid(DAY_MS));
        let rest = ms.rem_euclid(DAY_MS);
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}+00:00",
            d.year,
            d.month,
            d.day,
            rest / 3_600_000,
            rest / 60_000 % 60,
            rest / 1000 % 60,
            rest % 1000
        )
    }
}

impl DateTime {
    /// The 29 bytes of `yyyy-MM-ddTHH:mm:ss.SSS+00:00`, written without `fmt` (years
    /// 0000-9999; others fall back to `Display`).
    pub fn ascii(&self) -> Option<[u8; 29]> {
        let d = civil_from_days(self.0.div_euclid(DAY_MS));
        if !(0..=9999).contains(&d.year) {
            return None;
        }
        let rest = self.0.rem_euclid(DAY_MS);
        let mut b = *b"0000-00-00T00:00:00.000+00:00";
        let put = |b: &mut [u8; 29], at: usize, width: usize, mut v: u64| {
            for i in (0..width).rev() {
                b[at + i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(&mut b, 0, 4, d.year as u64);
        put(&mut b, 5, 2, u64::from(d.month));
        put(&mut b, 8, 2, u64::from(d.day));
        put(&mut b, 11, 2, (rest / 3_600_000) as u64);
        put(&mut b, 14, 2, (rest / 60_000 % 60) as u64);
        put(&mut b, 17, 2, (rest / 1000 % 60) as u64);
        put(&mut b, 20, 3, (rest % 1000) as u64);
        Some(b)
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.ascii() {
            Some(b) => s.serialize_str(std::str::from_utf8(&b).unwrap_or_default()),
            None => s.collect_str(self),
        }
    }
}

/// `yyyy-MM-dd'T'HH:mm:ss.SSS+00:00` (UTC), the APIs' datetime format.
pub fn format_datetime(ms: i64) -> String {
    let days = ms.div_euclid(DAY_MS);
    let rest = ms.rem_euclid(DAY_MS);
    let d = civil_from_days(days);
    let (h, m, s, milli) = (
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000,
    );
    format!(
        "{:04}-{:02}-{:02}T{h:02}:{m:02}:{s:02}.{milli:03}+00:00",
        d.year, d.month, d.day
    )
}

/// `yyyy-MM-dd'T'HH:mm:ss.SSSZ` (UTC): how Vigie's own reports write an instant.
pub fn utc_text(ms: i64) -> String {
    format_datetime(ms).replace("+00:00", "Z")
}

/// Parses `AAAA-MM-JJ`, checking that the day exists.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i32 = s[0..4].parse().ok()?;
    let month: u32 = s[5..7].parse().ok()?;
    let day: u32 = s[8..10].parse().ok()?;
    if !(1..=12).contains(&month) || day == 0 || !s[0..4].bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let d = Date { year, month, day };
    // Round trip rejects 31 April, 29 February of a common year …
    (civil_from_days(days_from_civil(d)) == d).then_some(d)
}

/// Whole months between two day numbers (floor of days / 30.4).
pub fn months_between(from_day: i64, to_day: i64) -> i64 {
    ((to_day - from_day).max(0) * 10) / 304
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialised_datetime_equals_the_formatted_one() {
        for ms in [
            0,
            1_709_214_331_007,
            1_796_896_800_000,
            -86_400_001,
            253_402_300_799_999,
        ] {
            let json = serde_json::to_string(&DateTime(ms)).unwrap();
            assert_eq!(json, format!("\"{}\"", format_datetime(ms)));
        }
    }

    #[test]
    fn round_trips_and_formats() {
        for z in [-10_000, 0, 19_000, 20_000, 30_000] {
            assert_eq!(days_from_civil(civil_from_days(z)), z);
        }
        assert_eq!(format_datetime(0), "1970-01-01T00:00:00.000+00:00");
        assert_eq!(
            format_datetime(1_709_214_331_000),
            "2024-02-29T13:45:31.000+00:00"
        );
        assert_eq!(
            parse_date("2024-02-29"),
            Some(Date {
                year: 2024,
                month: 2,
                day: 29
            })
        );
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2023-04-31"), None);
        assert_eq!(parse_date("1981/03/15"), None);
        assert_eq!(parse_date("+981-03-15"), None);
    }
}
