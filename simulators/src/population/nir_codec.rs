//! Person index ↔ NIR, without storing anyone: a seeded affine permutation of the index space
//! onto the mixed-radix digits of a NIR (sex, year and month of birth, department, order).
//!
//! Every synthetic NIR has commune `000`. No INSEE commune has that code, so no real person
//! can hold one of these numbers: the population is synthetic by construction.

use crate::civil::Date;
use crate::population::rng::{Draw, mix};

/// Departments of birth: 01–19, 2A, 2B, 21–95, as their two characters.
fn department(i: u64) -> [u8; 2] {
    let two = |n: u64| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
    match i {
        0..=18 => two(i + 1),
        19 => *b"2A",
        20 => *b"2B",
        _ => two(i),
    }
}

fn department_index(code: &str) -> Option<u64> {
    match code {
        "2A" | "2a" => Some(19),
        "2B" | "2b" => Some(20),
        _ => {
            let n: u64 = code.parse().ok()?;
            match n {
                1..=19 => Some(n - 1),
                21..=95 => Some(n),
                _ => None,
            }
        }
    }
}

const SEXES: u64 = 2;
/// Years of birth 1960–2004: adults of working age.
pub(crate) const FIRST_YEAR: i32 = 1960;
const YEARS: u64 = 45;
const MONTHS: u64 = 12;
const DEPARTMENTS: u64 = 96;
const ORDERS: u64 = 999;
/// How many distinct synthetic NIRs exist.
pub const CAPACITY: u64 = SEXES * YEARS * MONTHS * DEPARTMENTS * ORDERS;

/// The identity of a synthetic person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// 13 characters, without the key.
    pub nir13: String,
    /// 15 characters, with the key.
    pub nir15: String,
    pub birth: Date,
    /// 1 man, 2 woman (first NIR digit).
    pub sex: u8,
}

/// The codec of one population.
#[derive(Debug, Clone)]
pub struct NirCodec {
    people: u64,
    seed: u64,
    a: u64,
    a_inv: u64,
    b: u64,
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl NirCodec {
    /// `people` ≤ [`CAPACITY`].
    pub fn new(seed: u64, people: u64) -> NirCodec {
        let mut a = (mix(seed ^ 0x5EED) % CAPACITY) | 1;
        while gcd(a, CAPACITY) != 1 {
            a = (a + 2) % CAPACITY;
        }
        NirCodec {
            people: people.min(CAPACITY),
            seed,
            a,
            a_inv: crate::population::rng::mod_inverse(a, CAPACITY),
            b: mix(seed ^ 0xB0B) % CAPACITY,
        }
    }

    pub fn people(&self) -> u64 {
        self.people
    }

    /// The identity of person `index` (< people).
    pub fn identity(&self, index: u64) -> Identity {
        let mut code = ((u128::from(self.a) * u128::from(index) + u128::from(self.b))
            % u128::from(CAPACITY)) as u64;
        let order = code % ORDERS + 1;
        code /= ORDERS;
        let dept = code % DEPARTMENTS;
        code /= DEPARTMENTS;
        let month = code % MONTHS + 1;
        code /= MONTHS;
        let year = code % YEARS;
        code /= YEARS;
        let sex = code % SEXES + 1;
        let birth_year = FIRST_YEAR + year as i32;
        // sex, year, month, department, commune 000, order: 13 ASCII digits (or 2A/2B),
        // written without the formatting machinery (this runs on every search).
        let yy = (birth_year % 100) as u64;
        let dep = department(dept);
        let digits = [
            b'0' + sex as u8,
            b'0' + (yy / 10) as u8,
            b'0' + (yy % 10) as u8,
            b'0' + (month / 10) as u8,
            b'0' + (month % 10) as u8,
            dep[0],
            dep[1],
            b'0',
            b'0',
            b'0',
            b'0' + (order / 100 % 10) as u8,
            b'0' + (order / 10 % 10) as u8,
            b'0' + (order % 10) as u8,
        ];
        // Digits and the letters of 2A/2B: ASCII.
        let nir13 = std::str::from_utf8(&digits).unwrap_or_default().to_owned();
        let nir15 = contracts::nir::with_key(&nir13).unwrap_or_else(|_| nir13.clone());
        let day = Draw::new(self.seed, index, "birth-day").range(1, 28) as u32;
        Identity {
            nir13,
            nir15,
            birth: Date {
                year: birth_year,
                month: month as u32,
                day,
            },
            sex: sex as u8,
        }
    }

    /// The index of the person with this NIR (13 or 15 characters, key already checked), if
    /// the NIR is one of this population's.
    pub fn index_of(&self, nir: &str) -> Option<u64> {
        if !nir.is_ascii() {
            return None;
        }
        let n = nir.get(..13)?.to_ascii_uppercase();
        if &n[7..10] != "000" {
            return None;
        }
        let sex: u64 = n[0..1].parse().ok()?;
        let yy: i32 = n[1..3].parse().ok()?;
        let month: u64 = n[3..5].parse().ok()?;
        let dept = department_index(&n[5..7])?;
        let order: u64 = n[10..13].parse().ok()?;
        if !(1..=2).contains(&sex) || !(1..=12).contains(&month) || !(1..=ORDERS).contains(&order) {
            return None;
        }
        let year = (1900 + yy - FIRST_YEAR).rem_euclid(100);
        if year as u64 >= YEARS {
            return None;
        }
        let code = ((((sex - 1) * YEARS + year as u64) * MONTHS + month - 1) * DEPARTMENTS + dept)
            * ORDERS
            + order
            - 1;
        let shifted = (code + CAPACITY - self.b) % CAPACITY;
        let index = ((u128::from(shifted) * u128::from(self.a_inv)) % u128::from(CAPACITY)) as u64;
        (index < self.people).then_some(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_valid_keys() {
        let c = NirCodec::new(42, 10_000_000);
        for i in [0, 1, 2, 99, 12_345, 9_999_999] {
            let id = c.identity(i);
            assert_eq!(id.nir13.len(), 13);
            assert!(contracts::nir::validate(&id.nir15).is_ok(), "{}", id.nir15);
            assert_eq!(&id.nir13[7..10], "000", "synthetic marker");
            assert_eq!(c.index_of(&id.nir13), Some(i));
            assert_eq!(c.index_of(&id.nir15), Some(i));
            assert_eq!(id.birth.year % 100, id.nir13[1..3].parse::<i32>().unwrap());
        }
    }

    #[test]
    fn every_department_round_trips() {
        let codes: Vec<String> = (0..DEPARTMENTS)
            .map(|i| String::from_utf8_lossy(&department(i)).into_owned())
            .collect();
        assert_eq!(codes.first().map(String::as_str), Some("01"));
        assert_eq!(codes.last().map(String::as_str), Some("95"));
        assert!(codes.contains(&"2A".to_string()) && !codes.contains(&"20".to_string()));
        for (i, c) in codes.iter().enumerate() {
            assert_eq!(department_index(c), Some(i as u64), "{c}");
        }
    }

    #[test]
    fn other_seeds_and_out_of_range_are_unknown() {
        let c = NirCodec::new(42, 1000);
        let other = NirCodec::new(43, 1000);
        let id = c.identity(7);
        assert_ne!(other.index_of(&id.nir13), Some(7));
        assert_eq!(
            c.index_of("1810362908740"),
            None,
            "commune 908 is not synthetic"
        );
        let big = NirCodec::new(42, CAPACITY);
        let far = big.identity(5_000_000);
        assert_eq!(c.index_of(&far.nir13), None, "index beyond the population");
    }

    #[test]
    fn different_people_have_different_nirs() {
        let c = NirCodec::new(1, 100_000);
        let mut seen = std::collections::HashSet::new();
        for i in 0..100_000 {
            assert!(seen.insert(c.identity(i).nir13));
        }
    }
}
