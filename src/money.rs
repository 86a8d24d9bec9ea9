//! Money, kept as whole US cents so balance arithmetic is exact.

use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Cents(pub i64);

impl Cents {
    /// Parses a dollar amount such as `0.25` or `10000`. More than two decimals is refused.
    pub fn parse_dollars(s: &str) -> Option<Cents> {
        Cents::from_decimal(s.trim().parse::<Decimal>().ok()?)
    }

    pub fn from_decimal(d: Decimal) -> Option<Cents> {
        let d = d.normalize();
        if d.is_sign_negative() && !d.is_zero() || d.scale() > 2 {
            return None;
        }
        let cents = d.checked_mul(Decimal::from(100))?;
        i64::try_from(cents).ok().map(Cents)
    }

    /// A price as legacy clients sent it, rounded to the nearest cent (a tie to the even cent):
    /// Amazon's Java SDK built amounts with `new BigDecimal(double)` and so sent every binary
    /// digit of `0.01`. A negative amount is refused.
    pub fn from_decimal_rounded(d: Decimal) -> Option<Cents> {
        if d.is_sign_negative() && !d.is_zero() {
            return None;
        }
        Cents::from_decimal(d.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven))
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// `$1,234.50`, the legacy `FormattedPrice`.
    pub fn formatted(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let dollars = (abs / 100).to_string();
        let mut grouped = String::with_capacity(dollars.len() + dollars.len() / 3);
        for (i, ch) in dollars.chars().enumerate() {
            if i > 0 && (dollars.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        format!("{sign}${grouped}.{:02}", abs % 100)
    }

    /// The Mechanical Turk commission on a payment: 20%, or 40% for HITs with ten or more
    /// assignments, never less than one cent. Fractions of a cent round half up.
    pub fn commission(self, max_assignments: i64) -> Cents {
        let percent = if max_assignments >= 10 { 40 } else { 20 };
        Cents(((self.0 * percent + 50) / 100).max(1))
    }

    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dollars_exactly() {
        assert_eq!(Cents::parse_dollars("0.25"), Some(Cents(25)));
        assert_eq!(Cents::parse_dollars("10000"), Some(Cents(1_000_000)));
        assert_eq!(Cents::parse_dollars("10000.000"), Some(Cents(1_000_000)));
        assert_eq!(Cents::parse_dollars("0.255"), None);
        assert_eq!(Cents::parse_dollars("-1"), None);
        assert_eq!(Cents::parse_dollars("abc"), None);
    }

    #[test]
    fn prices_round_to_the_nearest_cent() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let java_cent = d("0.01000000000000000020816681711721685132943093776702880859375");
        assert_eq!(Cents::from_decimal_rounded(java_cent), Some(Cents(1)));
        assert_eq!(
            Cents::from_decimal_rounded(d("0.2499999999")),
            Some(Cents(25))
        );
        assert_eq!(Cents::from_decimal_rounded(d("0.015")), Some(Cents(2)));
        assert_eq!(Cents::from_decimal_rounded(d("0.005")), Some(Cents(0)));
        assert_eq!(Cents::from_decimal_rounded(d("0")), Some(Cents(0)));
        assert_eq!(Cents::from_decimal_rounded(d("-0.01")), None);
        assert_eq!(Cents::from_decimal_rounded(d("-0.001")), None);
    }

    #[test]
    fn formats_like_the_legacy_service() {
        assert_eq!(Cents(1_000_000).formatted(), "$10,000.00");
        assert_eq!(Cents(5).formatted(), "$0.05");
        assert_eq!(Cents(123_456_789).formatted(), "$1,234,567.89");
        assert_eq!(Cents(25).to_decimal().to_string(), "0.25");
    }

    #[test]
    fn commission_is_twenty_or_forty_percent_with_a_one_cent_minimum() {
        assert_eq!(Cents(25).commission(2), Cents(5));
        assert_eq!(Cents(25).commission(10), Cents(10));
        assert_eq!(Cents(1).commission(1), Cents(1));
        assert_eq!(Cents(3).commission(1), Cents(1));
        assert_eq!(Cents(7).commission(1), Cents(1));
        assert_eq!(Cents(13).commission(1), Cents(3));
    }
}
