//! Text codecs of the XML Schema simple types used by the bindings.

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use rust_decimal::Decimal;

use super::escape_text_into;

/// A value carried as element or attribute text.
pub trait Scalar: Sized {
    /// Name used in error messages (`xs:int`, or the enumeration's name).
    const TYPE_NAME: &'static str;
    /// Whether this is a string type (kept verbatim, never trimmed, may be empty).
    const IS_STRING: bool = false;

    /// Parses the text of an element or attribute (non-strings tolerate surrounding whitespace).
    fn parse_xml(s: &str) -> Option<Self>;

    /// The canonical text form (unescaped).
    fn to_xml(&self) -> Cow<'_, str>;

    /// Appends the escaped text form to `out`.
    fn write_xml(&self, out: &mut String) {
        escape_text_into(out, &self.to_xml());
    }
}

impl Scalar for String {
    const TYPE_NAME: &'static str = "xs:string";
    const IS_STRING: bool = true;
    fn parse_xml(s: &str) -> Option<Self> {
        Some(s.to_owned())
    }
    fn to_xml(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

macro_rules! int_scalar {
    ($t:ty, $name:literal) => {
        impl Scalar for $t {
            const TYPE_NAME: &'static str = $name;
            fn parse_xml(s: &str) -> Option<Self> {
                s.trim().parse().ok()
            }
            fn to_xml(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
            fn write_xml(&self, out: &mut String) {
                let _ = write!(out, "{}", self);
            }
        }
    };
}
int_scalar!(i32, "xs:int");
int_scalar!(i64, "xs:long");
int_scalar!(u64, "xs:nonNegativeInteger");

impl Scalar for bool {
    const TYPE_NAME: &'static str = "xs:boolean";
    fn parse_xml(s: &str) -> Option<Self> {
        match s.trim() {
            "true" | "1" | "True" | "TRUE" | "T" | "t" => Some(true),
            "false" | "0" | "False" | "FALSE" | "F" | "f" => Some(false),
            _ => None,
        }
    }
    fn to_xml(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

impl Scalar for f64 {
    const TYPE_NAME: &'static str = "xs:double";
    fn parse_xml(s: &str) -> Option<Self> {
        match s.trim() {
            "INF" => Some(f64::INFINITY),
            "-INF" => Some(f64::NEG_INFINITY),
            "NaN" => Some(f64::NAN),
            t if t.eq_ignore_ascii_case("inf")
                || t.eq_ignore_ascii_case("-inf")
                || t.eq_ignore_ascii_case("+inf")
                || t.eq_ignore_ascii_case("infinity")
                || t.eq_ignore_ascii_case("-infinity")
                || t.eq_ignore_ascii_case("nan") =>
            {
                None
            }
            t => t.parse().ok(),
        }
    }
    fn to_xml(&self) -> Cow<'_, str> {
        if self.is_nan() {
            Cow::Borrowed("NaN")
        } else if self.is_infinite() {
            Cow::Borrowed(if *self > 0.0 { "INF" } else { "-INF" })
        } else {
            Cow::Owned(self.to_string())
        }
    }
}

impl Scalar for Decimal {
    const TYPE_NAME: &'static str = "xs:decimal";
    fn parse_xml(s: &str) -> Option<Self> {
        let t = s.trim();
        let body = t.strip_prefix(['+', '-']).unwrap_or(t);
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return None;
        }
        t.strip_prefix('+').unwrap_or(t).parse().ok()
    }
    fn to_xml(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
    fn write_xml(&self, out: &mut String) {
        let _ = write!(out, "{}", self);
    }
}

/// The xs:dateTime form dates are written in: whole seconds, in UTC.
const DATE_TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

impl Scalar for DateTime<Utc> {
    const TYPE_NAME: &'static str = "xs:dateTime";
    /// RFC 3339 / xs:dateTime, with or without fractional seconds; an offset or `Z`
    /// (a missing offset is taken as UTC).
    fn parse_xml(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            return Some(dt.with_timezone(&Utc));
        }
        // No offset: treat as UTC.
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()
            .map(|n| n.and_utc())
    }
    fn to_xml(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_rfc3339_opts(SecondsFormat::Secs, true))
    }
    fn write_xml(&self, out: &mut String) {
        let (date, time) = (self.date_naive(), self.time());
        // chrono's formatter parses its pattern on every call, and a page of HITs writes
        // dozens of dates; its own form is kept for the years and leap seconds it writes
        // differently (`+10000`, `:60`).
        if (0..=9999).contains(&date.year()) && time.nanosecond() < 1_000_000_000 {
            let _ = write!(
                out,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                date.year(),
                date.month(),
                date.day(),
                time.hour(),
                time.minute(),
                time.second()
            );
        } else {
            let _ = write!(out, "{}", self.format(DATE_TIME_FORMAT));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut secs = Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap().timestamp();
        let last = Utc
            .with_ymd_and_hms(10001, 1, 1, 0, 0, 0)
            .unwrap()
            .timestamp();
        // About 5,800 instants from year 0 to 10001, at times of day all over the clock.
        while secs < last {
            let t = Utc.timestamp_opt(secs, 0).unwrap();
            let mut ours = String::new();
            t.write_xml(&mut ours);
            assert_eq!(ours, t.format(DATE_TIME_FORMAT).to_string());
            secs += 54_321_987;
        }
        let mut before_zero = String::new();
        Utc.with_ymd_and_hms(-1, 12, 31, 23, 59, 59)
            .unwrap()
            .write_xml(&mut before_zero);
        assert_eq!(before_zero, "-0001-12-31T23:59:59Z");
    }

    fn w<T: Scalar>(v: &T) -> String {
        let mut s = String::new();
        v.write_xml(&mut s);
        let mut e = String::new();
        escape_text_into(&mut e, &v.to_xml());
        assert_eq!(s, e);
        s
    }

    #[test]
    fn ints() {
        assert_eq!(i32::parse_xml(" 42\n"), Some(42));
        assert_eq!(i32::parse_xml("+7"), Some(7));
        assert_eq!(i32::parse_xml("-7"), Some(-7));
        assert_eq!(i32::parse_xml("abc"), None);
        assert_eq!(i32::parse_xml(""), None);
        assert_eq!(i32::parse_xml("2147483648"), None);
        assert_eq!(i32::parse_xml("1.5"), None);
        assert_eq!(i64::parse_xml("31536000"), Some(31_536_000));
        assert_eq!(u64::parse_xml("-1"), None);
        assert_eq!(w(&-5i64), "-5");
        assert_eq!(w(&5u64), "5");
    }

    #[test]
    fn bools() {
        for t in ["true", "1", "True", " TRUE ", "T"] {
            assert_eq!(bool::parse_xml(t), Some(true), "{t}");
        }
        for f in ["false", "0", "False", "F"] {
            assert_eq!(bool::parse_xml(f), Some(false), "{f}");
        }
        assert_eq!(bool::parse_xml("yes"), None);
        assert_eq!(w(&true), "true");
        assert_eq!(w(&false), "false");
    }

    #[test]
    fn doubles_and_decimals() {
        assert_eq!(f64::parse_xml(" 1.5 "), Some(1.5));
        assert_eq!(f64::parse_xml("INF"), Some(f64::INFINITY));
        assert_eq!(f64::parse_xml("inf"), None);
        assert_eq!(f64::parse_xml("x"), None);
        assert_eq!(w(&2.0f64), "2");
        assert_eq!(w(&0.25f64), "0.25");
        let d = Decimal::parse_xml(" 0.32 ").unwrap();
        assert_eq!(d.to_string(), "0.32");
        assert_eq!(w(&d), "0.32");
        assert_eq!(w(&Decimal::parse_xml("5.00").unwrap()), "5.00");
        assert_eq!(Decimal::parse_xml("+1.0").unwrap().to_string(), "1.0");
        assert_eq!(Decimal::parse_xml("1e3"), None);
        assert_eq!(Decimal::parse_xml(""), None);
        assert_eq!(Decimal::parse_xml("abc"), None);
    }

    #[test]
    fn datetimes() {
        let want = Utc.with_ymd_and_hms(2026, 11, 22, 9, 45, 43).unwrap();
        for text in [
            "2026-11-22T09:45:43Z",
            " 2026-11-22T09:45:43.000Z ",
            "2026-11-22T10:45:43+01:00",
            "2026-11-22T09:45:43",
        ] {
            assert_eq!(DateTime::<Utc>::parse_xml(text), Some(want), "{text}");
        }
        let ms = DateTime::<Utc>::parse_xml("2026-11-22T09:45:43.419Z").unwrap();
        assert_eq!(ms.timestamp_subsec_millis(), 419);
        assert_eq!(w(&ms), "2026-11-22T09:45:43Z");
        assert_eq!(ms.to_xml(), "2026-11-22T09:45:43Z");
        assert_eq!(DateTime::<Utc>::parse_xml("yesterday"), None);
        assert_eq!(DateTime::<Utc>::parse_xml("2026-13-01T00:00:00Z"), None);
    }

    #[test]
    fn strings_are_verbatim() {
        assert_eq!(String::parse_xml("  a "), Some("  a ".to_string()));
        assert_eq!(w(&"<&>".to_string()), "&lt;&amp;&gt;");
    }
}
