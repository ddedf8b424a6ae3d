//! French public holidays (jours fériés, Code du travail L3133-1): eight fixed dates and three
//! that follow Easter (Easter Monday, Ascension, Whit Monday). Alsace-Moselle's two extra
//! days and any local closure are added through the calendar's `extra_holidays`.

use domain::civil::{Date, civil_from_days, days_from_civil};

/// Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date {
        year,
        month: month as u32,
        day: day as u32,
    }
}

/// The public holidays of a year, in date order, with their names.
pub fn french_holidays(year: i32) -> Vec<(Date, &'static str)> {
    let fixed = |month, day| Date { year, month, day };
    let easter = days_from_civil(easter_sunday(year));
    let after_easter = |days| civil_from_days(easter + days);
    let mut all = vec![
        (fixed(1, 1), "Jour de l'an"),
        (after_easter(1), "Lundi de Pâques"),
        (fixed(5, 1), "Fête du Travail"),
        (fixed(5, 8), "Victoire 1945"),
        (after_easter(39), "Ascension"),
        (after_easter(50), "Lundi de Pentecôte"),
        (fixed(7, 14), "Fête nationale"),
        (fixed(8, 15), "Assomption"),
        (fixed(11, 1), "Toussaint"),
        (fixed(11, 11), "Armistice 1918"),
        (fixed(12, 25), "Noël"),
    ];
    all.sort();
    all
}

/// The name of the holiday on a date, if it is one.
pub fn holiday_name(date: Date) -> Option<&'static str> {
    french_holidays(date.year)
        .into_iter()
        .find(|(d, _)| *d == date)
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn easter_of_known_years() {
        // Published dates, including the extremes (22 March, 25 April).
        for (y, m, d) in [
            (1818, 3, 22),
            (1943, 4, 25),
            (2000, 4, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
        ] {
            assert_eq!(easter_sunday(y), date(y, m, d), "Easter {y}");
        }
    }

    #[test]
    fn holidays_of_2026() {
        let names: Vec<String> = french_holidays(2026)
            .iter()
            .map(|(d, n)| format!("{:02}-{:02} {n}", d.month, d.day))
            .collect();
        assert_eq!(
            names,
            [
                "01-01 Jour de l'an",
                "04-06 Lundi de Pâques",
                "05-01 Fête du Travail",
                "05-08 Victoire 1945",
                "05-14 Ascension",
                "05-25 Lundi de Pentecôte",
                "07-14 Fête nationale",
                "08-15 Assomption",
                "11-01 Toussaint",
                "11-11 Armistice 1918",
                "12-25 Noël",
            ]
        );
        assert_eq!(holiday_name(date(2026, 5, 14)), Some("Ascension"));
        assert_eq!(holiday_name(date(2026, 5, 15)), None);
    }
}
