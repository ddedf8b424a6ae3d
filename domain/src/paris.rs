//! Europe/Paris civil time, as the convention's months are counted, from the IANA time-zone
//! database (bundled with `jiff`, so that every machine counts the same; today's rule: UTC+1 in
//! winter, UTC+2 from the last Sunday of March to the last Sunday of October, both changes at
//! 01:00 UTC). Instants are milliseconds since the Unix epoch, UTC.

use std::sync::LazyLock;

use jiff::civil;
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};

use crate::civil::{Date, civil_from_days, days_from_civil};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// Europe/Paris. The database is compiled in, so the look-up cannot miss; were it to, winter
/// time is the answer (an hour off for half the year, never a crash).
static PARIS: LazyLock<TimeZone> = LazyLock::new(|| {
    TimeZone::get("Europe/Paris").unwrap_or_else(|_| TimeZone::fixed(Offset::constant(1)))
});

/// Offset from UTC at an instant: one or two hours (one outside jiff's range of years).
pub fn offset_ms(utc_ms: i64) -> i64 {
    Timestamp::from_millisecond(utc_ms)
        .map(|t| i64::from(PARIS.to_offset(t).seconds()) * 1000)
        .unwrap_or(HOUR_MS)
}

/// Whether summer time is in force at a UTC instant.
pub fn is_summer(utc_ms: i64) -> bool {
    offset_ms(utc_ms) == 2 * HOUR_MS
}

/// The UTC instant of a Paris local midnight (never inside a change: they happen at 02:00
/// and 03:00 local time).
pub fn midnight_utc(date: Date) -> i64 {
    local_instant(date, 0)
}

/// The UTC instant of a Paris local time (`minute` of the day, 0..=1440). In the hour that
/// does not exist (last Sunday of March, 02:00–03:00) it is read as winter time; in the hour
/// that happens twice (last Sunday of October) it is the first one (jiff's "compatible"
/// choice, RFC 5545's).
pub fn local_instant(date: Date, minute: u32) -> i64 {
    let naive = days_from_civil(date) * DAY_MS + i64::from(minute) * 60_000;
    let local = i8::try_from(date.month)
        .ok()
        .zip(i8::try_from(date.day).ok())
        .zip(i16::try_from(date.year).ok())
        .and_then(|((m, d), y)| civil::Date::new(y, m, d).ok())
        .and_then(|d| {
            d.to_datetime(civil::Time::midnight())
                .checked_add(i64::from(minute).minutes())
                .ok()
        });
    local
        .and_then(|dt| PARIS.to_ambiguous_timestamp(dt).compatible().ok())
        .map(|t| t.as_millisecond())
        .unwrap_or(naive - HOUR_MS)
}

/// The Paris date of a UTC instant.
pub fn local_date(utc_ms: i64) -> Date {
    civil_from_days((utc_ms + offset_ms(utc_ms)).div_euclid(DAY_MS))
}

/// `[start, end)` of a calendar month in Paris, as UTC instants.
pub fn month_bounds(year: i32, month: u32) -> (i64, i64) {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    (
        midnight_utc(Date {
            year,
            month,
            day: 1,
        }),
        midnight_utc(Date {
            year: ny,
            month: nm,
            day: 1,
        }),
    )
}

/// The Paris days of a month, each as `[start, end)` in UTC.
pub fn days_of_month(year: i32, month: u32) -> Vec<(Date, i64, i64)> {
    let (start, end) = month_bounds(year, month);
    let mut out = Vec::new();
    let mut day = 1;
    let mut from = start;
    while from < end {
        let d = Date { year, month, day };
        let next = midnight_utc(civil_from_days(days_from_civil(d) + 1));
        out.push((d, from, next.min(end)));
        from = next;
        day += 1;
    }
    out
}

/// A UTC instant as Paris local time, `AAAA-MM-JJ HH:MM`.
pub fn local_text(utc_ms: i64) -> String {
    // The local time written as a UTC one, cut to the minute.
    let text = crate::civil::DateTime(utc_ms + offset_ms(utc_ms)).to_string();
    text.get(..16).unwrap_or(&text).replacen('T', " ", 1)
}

/// A UTC instant as Paris local time with its offset, RFC 3339 to the second
/// (`2026-12-04T17:30:00+01:00`): what machines read (webhooks), unambiguous in the hour that
/// repeats when summer time ends.
pub fn rfc3339(utc_ms: i64) -> String {
    let offset = offset_ms(utc_ms);
    let local = crate::civil::DateTime(utc_ms + offset).to_string();
    let minutes = offset / 60_000;
    let sign = if minutes < 0 { '-' } else { '+' };
    format!(
        "{}{sign}{:02}:{:02}",
        local.get(..19).unwrap_or(&local),
        minutes.abs() / 60,
        minutes.abs() % 60
    )
}

/// Where Paris stands against UTC at an instant: `Paris, UTC+01:00` (winter) or `Paris,
/// UTC+02:00` (summer), for texts that give a local time to people in other places.
pub fn zone_text(utc_ms: i64) -> String {
    let text = rfc3339(utc_ms);
    format!("Paris, UTC{}", text.get(19..).unwrap_or("+00:00"))
}

/// `AAAA-MM` → (year, month), checked.
pub fn parse_month(text: &str) -> Option<(i32, u32)> {
    let (y, m) = text.trim().split_once('-')?;
    let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
    ((1970..=9999).contains(&y) && (1..=12).contains(&m) && text.trim().len() == 7)
        .then_some((y, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: i64) -> i64 {
        days_from_civil(Date {
            year: y,
            month: m,
            day: d,
        }) * DAY_MS
            + h * HOUR_MS
    }

    #[test]
    fn changes_of_2026() {
        // Summer time 2026: from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC.
        assert!(!is_summer(utc(2026, 3, 29, 0) + HOUR_MS - 1));
        assert!(is_summer(utc(2026, 3, 29, 1)));
        assert!(is_summer(utc(2026, 10, 25, 1) - 1));
        assert!(!is_summer(utc(2026, 10, 25, 1)));
        // The EU rule since 1996, every year: the last Sundays of March and October.
        assert!(is_summer(utc(2027, 3, 28, 1)) && !is_summer(utc(2027, 3, 28, 0)));
        assert!(!is_summer(utc(2028, 10, 29, 1)) && is_summer(utc(2028, 10, 29, 0)));
    }

    #[test]
    fn local_times_in_the_changes() {
        let march = Date {
            year: 2026,
            month: 3,
            day: 29,
        };
        // 02:30 does not exist: read as winter time, 01:30 UTC.
        assert_eq!(local_instant(march, 150), utc(2026, 3, 29, 1) + 30 * 60_000);
        // 03:00 is summer time: 01:00 UTC.
        assert_eq!(local_instant(march, 180), utc(2026, 3, 29, 1));
        let october = Date {
            year: 2026,
            month: 10,
            day: 25,
        };
        // 02:30 happens twice: the first, still in summer time, 00:30 UTC.
        assert_eq!(
            local_instant(october, 150),
            utc(2026, 10, 25, 0) + 30 * 60_000
        );
        // 24:00 is the next midnight.
        assert_eq!(local_instant(october, 1440), utc(2026, 10, 25, 23));
        assert_eq!(local_date(utc(2026, 10, 25, 23)).day, 26);
        // Far outside the database's years: winter time, no panic.
        assert_eq!(offset_ms(i64::MAX), HOUR_MS);
    }

    #[test]
    fn months_have_the_right_length() {
        let hours = |y, m| {
            let (a, b) = month_bounds(y, m);
            (b - a) / HOUR_MS
        };
        assert_eq!(
            hours(2026, 3),
            31 * 24 - 1,
            "March loses the hour of the change"
        );
        assert_eq!(hours(2026, 10), 31 * 24 + 1, "October gains it");
        assert_eq!(hours(2026, 1), 31 * 24);
        assert_eq!(hours(2026, 2), 28 * 24);
        assert_eq!(hours(2028, 2), 29 * 24);
        assert_eq!(hours(2026, 4), 30 * 24);
        // A month starts at Paris midnight: 1 July 2026 00:00 local = 30 June 22:00 UTC.
        assert_eq!(month_bounds(2026, 7).0, utc(2026, 6, 30, 22));
        assert_eq!(month_bounds(2026, 12).1, utc(2026, 12, 31, 23));
        let days = days_of_month(2026, 3);
        assert_eq!(days.len(), 31);
        assert_eq!(
            days[28].2 - days[28].1,
            23 * HOUR_MS,
            "29 March has 23 hours"
        );
        assert_eq!(local_text(utc(2026, 6, 30, 22)), "2026-07-01 00:00");
        assert_eq!(parse_month("2026-02"), Some((2026, 2)));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("2026-2"), None);
    }
}
