//! Business time in Europe/Paris: configurable opening hours on weekdays, French public
//! holidays closed, DST-correct (a business day of 8 hours is 8 hours of real time, whether
//! the clocks changed that weekend or not). The convention's "1 day (8 business hours)" to
//! restore an availability incident is counted here.

use std::collections::BTreeSet;

use domain::civil::{Date, civil_from_days, days_from_civil};

use crate::holidays::holiday_name;
use crate::paris::{local_date, local_instant};

const MINUTE_MS: i64 = 60_000;

/// Opening hours and closed days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    /// Opening and closing time, minutes after local midnight (default 09:00–17:00: the
    /// convention's business day of 8 hours).
    pub open_minute: u32,
    pub close_minute: u32,
    /// Days closed besides weekends and French public holidays (local closures, Alsace-Moselle).
    pub extra_holidays: BTreeSet<Date>,
}

impl Default for BusinessCalendar {
    fn default() -> Self {
        BusinessCalendar {
            open_minute: 9 * 60,
            close_minute: 17 * 60,
            extra_holidays: BTreeSet::new(),
        }
    }
}

/// Why a calendar cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("business hours \"{0}\" are not HH:MM (for example 09:00)")]
    Time(String),
    #[error("business hours must open before they close (open {open}, close {close})")]
    Empty { open: String, close: String },
    #[error("\"{0}\" is not a date AAAA-MM-JJ: fix extra_holidays")]
    Date(String),
}

/// `HH:MM` → minutes after midnight (24:00 allowed, as a closing time).
pub fn parse_hhmm(text: &str) -> Result<u32, CalendarError> {
    let bad = || CalendarError::Time(text.to_string());
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 || h > 24 || (h == 24 && m > 0) || text.trim().len() != 5 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

impl BusinessCalendar {
    /// A calendar from its configuration text.
    pub fn new(open: &str, close: &str, extra: &[String]) -> Result<Self, CalendarError> {
        let (o, c) = (parse_hhmm(open)?, parse_hhmm(close)?);
        if o >= c {
            return Err(CalendarError::Empty {
                open: open.into(),
                close: close.into(),
            });
        }
        let extra_holidays = extra
            .iter()
            .map(|d| domain::civil::parse_date(d).ok_or_else(|| CalendarError::Date(d.clone())))
            .collect::<Result<_, _>>()?;
        Ok(BusinessCalendar {
            open_minute: o,
            close_minute: c,
            extra_holidays,
        })
    }

    /// Whether a date is worked: Monday to Friday, not a public holiday, not an extra one.
    pub fn is_business_day(&self, date: Date) -> bool {
        // 1970-01-01 was a Thursday: weekday 0 = Monday … 6 = Sunday.
        let weekday = (days_from_civil(date) + 3).rem_euclid(7);
        weekday < 5 && holiday_name(date).is_none() && !self.extra_holidays.contains(&date)
    }

    /// The opening window of a date, `[open, close)` in UTC, if it is worked.
    fn window(&self, date: Date) -> Option<(i64, i64)> {
        self.is_business_day(date).then(|| {
            (
                local_instant(date, self.open_minute),
                local_instant(date, self.close_minute),
            )
        })
    }

    /// Whether the business is open at an instant.
    pub fn is_open(&self, utc_ms: i64) -> bool {
        self.window(local_date(utc_ms))
            .is_some_and(|(a, b)| (a..b).contains(&utc_ms))
    }

    /// The instant at which `business_ms` of business time have passed since `from`. Zero
    /// gives `from` itself. Every week has worked days (holidays are finite), so the search
    /// ends; a calendar whose days are empty (close not after open) adds real time instead.
    pub fn add_business(&self, from: i64, business_ms: i64) -> i64 {
        let mut left = business_ms.max(0);
        if left == 0 || self.close_minute <= self.open_minute {
            return from + left;
        }
        let mut day = days_from_civil(local_date(from));
        loop {
            if let Some((open, close)) = self.window(civil_from_days(day)) {
                let start = open.max(from);
                if start < close {
                    let here = close - start;
                    if left <= here {
                        return start + left;
                    }
                    left -= here;
                }
            }
            day += 1;
        }
    }

    /// Business time between two instants (zero when `to <= from`).
    pub fn business_between(&self, from: i64, to: i64) -> i64 {
        if to <= from {
            return 0;
        }
        let (first, last) = (
            days_from_civil(local_date(from)),
            days_from_civil(local_date(to)),
        );
        (first..=last)
            .filter_map(|d| self.window(civil_from_days(d)))
            .map(|(open, close)| (close.min(to) - open.max(from)).max(0))
            .sum()
    }

    /// Business hours as text (`09:00–17:00`).
    pub fn hours_text(&self) -> String {
        let t = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        format!("{}–{}", t(self.open_minute), t(self.close_minute))
    }
}

/// Minutes as milliseconds.
pub const fn minutes(m: i64) -> i64 {
    m * MINUTE_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paris::local_text;
    use proptest::prelude::*;

    fn paris(y: i32, m: u32, d: u32, hh: u32, mm: u32) -> i64 {
        local_instant(
            Date {
                year: y,
                month: m,
                day: d,
            },
            hh * 60 + mm,
        )
    }

    const HOUR: i64 = 3_600_000;

    #[test]
    fn eight_business_hours_from_a_friday_afternoon_end_on_monday() {
        let cal = BusinessCalendar::default();
        // Friday 2026-03-06 15:00 → 2 h on Friday, 6 h on Monday: Monday 15:00.
        let due = cal.add_business(paris(2026, 3, 6, 15, 0), 8 * HOUR);
        assert_eq!(local_text(due), "2026-03-09 15:00");
    }

    #[test]
    fn holidays_and_easter_are_skipped() {
        let cal = BusinessCalendar::default();
        // Thursday before Easter 2026 (Easter Monday 6 April is closed) at 16:00.
        let due = cal.add_business(paris(2026, 4, 2, 16, 0), 8 * HOUR);
        assert_eq!(local_text(due), "2026-04-03 16:00");
        let due = cal.add_business(paris(2026, 4, 3, 16, 0), 8 * HOUR);
        assert_eq!(
            local_text(due),
            "2026-04-07 16:00",
            "Easter Monday is closed"
        );
        // Ascension Thursday 14 May 2026 is closed, so is 8 May (a Friday).
        let due = cal.add_business(paris(2026, 5, 7, 12, 0), 8 * HOUR);
        assert_eq!(local_text(due), "2026-05-11 12:00");
        assert!(!cal.is_open(paris(2026, 5, 14, 10, 0)));
        assert!(cal.is_open(paris(2026, 5, 15, 10, 0)));
    }

    #[test]
    fn an_incident_at_night_starts_counting_at_opening() {
        let cal = BusinessCalendar::default();
        let due = cal.add_business(paris(2026, 11, 30, 2, 30), 8 * HOUR);
        assert_eq!(local_text(due), "2026-11-30 17:00");
        // Sunday night before Monday 1 June 2026: an ordinary Monday, open.
        let due = cal.add_business(paris(2026, 5, 31, 23, 0), HOUR);
        assert_eq!(local_text(due), "2026-06-01 10:00");
    }

    #[test]
    fn the_dst_weekends_keep_eight_real_hours() {
        let cal = BusinessCalendar::default();
        // Friday 27 March 2026 13:00 (winter) → Monday 30 March 13:00 (summer).
        let from = paris(2026, 3, 27, 13, 0);
        let due = cal.add_business(from, 8 * HOUR);
        assert_eq!(local_text(due), "2026-03-30 13:00");
        assert_eq!(cal.business_between(from, due), 8 * HOUR);
        // Friday 23 October 2026 13:00 (summer) → Monday 26 October 13:00 (winter).
        let due = cal.add_business(paris(2026, 10, 23, 13, 0), 8 * HOUR);
        assert_eq!(local_text(due), "2026-10-26 13:00");
        // 09:00 in winter is 08:00 UTC, in summer 07:00 UTC.
        assert_eq!(paris(2026, 3, 27, 9, 0) % (24 * HOUR), 8 * HOUR);
        assert_eq!(paris(2026, 3, 30, 9, 0) % (24 * HOUR), 7 * HOUR);
    }

    #[test]
    fn configuration_text() {
        let cal = BusinessCalendar::new("08:30", "18:00", &["2026-12-24".into()]).unwrap();
        assert_eq!(cal.hours_text(), "08:30–18:00");
        assert!(!cal.is_business_day(Date {
            year: 2026,
            month: 12,
            day: 24
        }));
        assert_eq!(
            BusinessCalendar::new("9h", "17:00", &[])
                .unwrap_err()
                .to_string(),
            "business hours \"9h\" are not HH:MM (for example 09:00)"
        );
        assert!(BusinessCalendar::new("17:00", "09:00", &[]).is_err());
        assert!(BusinessCalendar::new("09:00", "17:00", &["24/12".into()]).is_err());
    }

    // Instants from 2024 to 2030, durations up to two business weeks.
    const FROM: i64 = 1_704_067_200_000;
    const SPAN: i64 = 6 * 366 * 24 * HOUR;

    fn calendars() -> impl Strategy<Value = BusinessCalendar> {
        (0u32..=12 * 60, 30u32..=12 * 60).prop_map(|(open, len)| BusinessCalendar {
            open_minute: open,
            close_minute: open + len,
            extra_holidays: BTreeSet::new(),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn adding_then_measuring_gives_the_duration_back(
            cal in calendars(), t in FROM..FROM + SPAN, d in 0i64..80 * HOUR
        ) {
            let due = cal.add_business(t, d);
            prop_assert!(due >= t);
            prop_assert_eq!(cal.business_between(t, due), d);
        }

        #[test]
        fn the_due_instant_is_inside_business_hours(
            cal in calendars(), t in FROM..FROM + SPAN, d in 1i64..80 * HOUR
        ) {
            let due = cal.add_business(t, d);
            // The last millisecond counted was open.
            prop_assert!(cal.is_open(due - 1), "{} not open", local_text(due - 1));
        }

        #[test]
        fn business_time_adds_up_and_never_exceeds_real_time(
            cal in calendars(), t in FROM..FROM + SPAN, a in 0i64..200 * HOUR, b in 0i64..200 * HOUR
        ) {
            let (m, e) = (t + a, t + a + b);
            let total = cal.business_between(t, e);
            prop_assert_eq!(total, cal.business_between(t, m) + cal.business_between(m, e));
            prop_assert!(total <= e - t);
        }

        #[test]
        fn adding_is_monotonic(cal in calendars(), t in FROM..FROM + SPAN, a in 0i64..40 * HOUR, b in 0i64..40 * HOUR) {
            prop_assert!(cal.add_business(t, a.min(b)) <= cal.add_business(t, a.max(b)));
        }

        #[test]
        fn one_business_day_at_most_five_real_days(t in FROM..FROM + SPAN) {
            // The longest closure: a weekend next to a holiday bridge (at most 4 closed days).
            let cal = BusinessCalendar::default();
            let due = cal.add_business(t, 8 * HOUR);
            prop_assert!(due - t <= 5 * 24 * HOUR, "{} → {}", local_text(t), local_text(due));
        }
    }
}
