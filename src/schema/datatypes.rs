//! The XSD 1.0 built-in datatypes the bundled schemas use (and their usual relatives): their
//! lexical forms and value ranges, their whitespace handling, and exact decimals for comparing
//! numbers of any size.

use std::cmp::Ordering;
use std::sync::OnceLock;

use regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whitespace {
    Preserve,
    Replace,
    Collapse,
}

impl Whitespace {
    pub fn apply(self, s: &str) -> String {
        match self {
            Whitespace::Preserve => s.to_string(),
            Whitespace::Replace => s.replace(['\t', '\n', '\r'], " "),
            Whitespace::Collapse => s
                .split([' ', '\t', '\n', '\r'])
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

macro_rules! builtins {
    ($($variant:ident = $name:literal),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Builtin { $($variant),* }
        impl Builtin {
            pub const ALL: &'static [Builtin] = &[$(Builtin::$variant),*];
            pub fn name(self) -> &'static str {
                match self { $(Builtin::$variant => $name),* }
            }
        }
    };
}

builtins! {
    AnySimpleType = "anySimpleType",
    String = "string",
    NormalizedString = "normalizedString",
    Token = "token",
    Language = "language",
    Name = "Name",
    NCName = "NCName",
    NmToken = "NMTOKEN",
    NmTokens = "NMTOKENS",
    Id = "ID",
    IdRef = "IDREF",
    IdRefs = "IDREFS",
    Entity = "ENTITY",
    Entities = "ENTITIES",
    QName = "QName",
    Boolean = "boolean",
    Decimal = "decimal",
    Integer = "integer",
    NonPositiveInteger = "nonPositiveInteger",
    NegativeInteger = "negativeInteger",
    NonNegativeInteger = "nonNegativeInteger",
    PositiveInteger = "positiveInteger",
    Long = "long",
    Int = "int",
    Short = "short",
    Byte = "byte",
    UnsignedLong = "unsignedLong",
    UnsignedInt = "unsignedInt",
    UnsignedShort = "unsignedShort",
    UnsignedByte = "unsignedByte",
    Float = "float",
    Double = "double",
    DateTime = "dateTime",
    Date = "date",
    Time = "time",
    Duration = "duration",
    GYear = "gYear",
    GYearMonth = "gYearMonth",
    GMonth = "gMonth",
    GMonthDay = "gMonthDay",
    GDay = "gDay",
    AnyUri = "anyURI",
    Base64Binary = "base64Binary",
    HexBinary = "hexBinary",
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    // Only fixed patterns come here (the unit tests compile each); never input.
    cell.get_or_init(|| Regex::new(pattern).expect("built-in pattern compiles"))
}

macro_rules! static_re {
    ($pattern:literal) => {{
        static CELL: OnceLock<Regex> = OnceLock::new();
        re(&CELL, $pattern)
    }};
}

/// Characters that may start an XML name (XML 1.0 fifth edition), without ':'.
pub(super) const NAME_START: &str = "A-Z_a-z\\u{C0}-\\u{D6}\\u{D8}-\\u{F6}\\u{F8}-\\u{2FF}\\u{370}-\\u{37D}\\u{37F}-\\u{1FFF}\\u{200C}-\\u{200D}\\u{2070}-\\u{218F}\\u{2C00}-\\u{2FEF}\\u{3001}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFFD}\\u{10000}-\\u{EFFFF}";
/// Characters that may continue an XML name, without ':'.
pub(super) const NAME_REST: &str = "\\-.0-9\\u{B7}\\u{300}-\\u{36F}\\u{203F}-\\u{2040}";

fn is_ncname(s: &str) -> bool {
    static_re!(
        r"^[A-Z_a-z\u{C0}-\u{D6}\u{D8}-\u{F6}\u{F8}-\u{2FF}\u{370}-\u{37D}\u{37F}-\u{1FFF}\u{200C}-\u{200D}\u{2070}-\u{218F}\u{2C00}-\u{2FEF}\u{3001}-\u{D7FF}\u{F900}-\u{FDCF}\u{FDF0}-\u{FFFD}\u{10000}-\u{EFFFF}][A-Z_a-z\u{C0}-\u{D6}\u{D8}-\u{F6}\u{F8}-\u{2FF}\u{370}-\u{37D}\u{37F}-\u{1FFF}\u{200C}-\u{200D}\u{2070}-\u{218F}\u{2C00}-\u{2FEF}\u{3001}-\u{D7FF}\u{F900}-\u{FDCF}\u{FDF0}-\u{FFFD}\u{10000}-\u{EFFFF}\-.0-9\u{B7}\u{300}-\u{36F}\u{203F}-\u{2040}]*$"
    )
    .is_match(s)
}

fn is_nmtoken(s: &str) -> bool {
    static_re!(
        r"^[:A-Z_a-z\u{C0}-\u{D6}\u{D8}-\u{F6}\u{F8}-\u{2FF}\u{370}-\u{37D}\u{37F}-\u{1FFF}\u{200C}-\u{200D}\u{2070}-\u{218F}\u{2C00}-\u{2FEF}\u{3001}-\u{D7FF}\u{F900}-\u{FDCF}\u{FDF0}-\u{FFFD}\u{10000}-\u{EFFFF}\-.0-9\u{B7}\u{300}-\u{36F}\u{203F}-\u{2040}]+$"
    )
    .is_match(s)
}

fn is_name(s: &str) -> bool {
    !s.starts_with(|c: char| c == '-' || c == '.' || c.is_ascii_digit())
        && is_nmtoken(s)
        && !s.starts_with(|c: char| {
            ('\u{300}'..='\u{36F}').contains(&c)
                || c == '\u{B7}'
                || ('\u{203F}'..='\u{2040}').contains(&c)
        })
}

/// An exact decimal number, for range facets and integer bounds of any size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Dec {
    neg: bool,
    /// Integer digits without leading zeros.
    int: String,
    /// Fraction digits without trailing zeros.
    frac: String,
}

impl Dec {
    pub(super) fn parse(s: &str) -> Option<Dec> {
        if !static_re!(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$").is_match(s) {
            return None;
        }
        let (neg, body) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (i, f) = body.split_once('.').unwrap_or((body, ""));
        let int = i.trim_start_matches('0').to_string();
        let frac = f.trim_end_matches('0').to_string();
        let zero = int.is_empty() && frac.is_empty();
        Some(Dec {
            neg: neg && !zero,
            int,
            frac,
        })
    }

    fn int(v: i128) -> Dec {
        Dec {
            neg: v < 0,
            int: v
                .unsigned_abs()
                .to_string()
                .trim_start_matches('0')
                .to_string(),
            frac: String::new(),
        }
    }

    pub(super) fn total_digits(&self) -> usize {
        (self.int.len() + self.frac.len()).max(1)
    }

    pub(super) fn fraction_digits(&self) -> usize {
        self.frac.len()
    }

    fn magnitude_cmp(&self, other: &Dec) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            .then_with(|| self.frac.cmp(&other.frac))
    }
}

impl Ord for Dec {
    fn cmp(&self, other: &Dec) -> Ordering {
        match (self.neg, other.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.magnitude_cmp(other),
            (true, true) => other.magnitude_cmp(self),
        }
    }
}

impl std::fmt::Display for Dec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.neg {
            f.write_str("-")?;
        }
        f.write_str(if self.int.is_empty() { "0" } else { &self.int })?;
        if !self.frac.is_empty() {
            write!(f, ".{}", self.frac)?;
        }
        Ok(())
    }
}

impl PartialOrd for Dec {
    fn partial_cmp(&self, other: &Dec) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Builtin {
    pub fn from_name(name: &str) -> Option<Builtin> {
        Builtin::ALL.iter().copied().find(|b| b.name() == name)
    }

    pub fn whitespace(self) -> Whitespace {
        match self {
            Builtin::String | Builtin::AnySimpleType => Whitespace::Preserve,
            Builtin::NormalizedString => Whitespace::Replace,
            _ => Whitespace::Collapse,
        }
    }

    fn integer_bounds(self) -> Option<(Option<Dec>, Option<Dec>)> {
        let b = |lo: Option<i128>, hi: Option<i128>| Some((lo.map(Dec::int), hi.map(Dec::int)));
        match self {
            Builtin::Integer => b(None, None),
            Builtin::NonPositiveInteger => b(None, Some(0)),
            Builtin::NegativeInteger => b(None, Some(-1)),
            Builtin::NonNegativeInteger => b(Some(0), None),
            Builtin::PositiveInteger => b(Some(1), None),
            Builtin::Long => b(Some(i64::MIN.into()), Some(i64::MAX.into())),
            Builtin::Int => b(Some(i32::MIN.into()), Some(i32::MAX.into())),
            Builtin::Short => b(Some(i16::MIN.into()), Some(i16::MAX.into())),
            Builtin::Byte => b(Some(i8::MIN.into()), Some(i8::MAX.into())),
            Builtin::UnsignedLong => b(Some(0), Some(u64::MAX.into())),
            Builtin::UnsignedInt => b(Some(0), Some(u32::MAX.into())),
            Builtin::UnsignedShort => b(Some(0), Some(u16::MAX.into())),
            Builtin::UnsignedByte => b(Some(0), Some(u8::MAX.into())),
            _ => None,
        }
    }

    /// Whether values are compared as numbers (decimal and the integer types).
    pub fn is_decimal(self) -> bool {
        self == Builtin::Decimal || self.integer_bounds().is_some()
    }

    pub fn is_list(self) -> bool {
        matches!(
            self,
            Builtin::NmTokens | Builtin::IdRefs | Builtin::Entities
        )
    }

    /// Checks the (already whitespace-normalised) lexical form.
    pub fn check(self, v: &str) -> Result<(), String> {
        let ok = match self {
            Builtin::AnySimpleType | Builtin::String | Builtin::NormalizedString => true,
            Builtin::Token => true,
            Builtin::Language => static_re!(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$").is_match(v),
            Builtin::Name => is_name(v),
            Builtin::NCName | Builtin::Id | Builtin::IdRef | Builtin::Entity => is_ncname(v),
            Builtin::NmToken => is_nmtoken(v),
            Builtin::NmTokens => !v.is_empty() && v.split(' ').all(is_nmtoken),
            Builtin::IdRefs | Builtin::Entities => !v.is_empty() && v.split(' ').all(is_ncname),
            Builtin::QName => match v.split_once(':') {
                Some((p, l)) => is_ncname(p) && is_ncname(l),
                None => is_ncname(v),
            },
            Builtin::Boolean => matches!(v, "true" | "false" | "1" | "0"),
            Builtin::Float | Builtin::Double => {
                matches!(v, "INF" | "-INF" | "NaN")
                    || static_re!(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
                        .is_match(v)
            }
            Builtin::Decimal => Dec::parse(v).is_some(),
            Builtin::DateTime => check_date_time(v),
            Builtin::Date => check_date(v),
            Builtin::Time => check_time(v),
            Builtin::Duration => static_re!(
                r"^-?P([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?$"
            )
            .is_match(v)
                && !v.ends_with('P')
                && !v.ends_with('T'),
            Builtin::GYear => {
                static_re!(r"^-?([1-9][0-9]{4,}|[0-9]{4})(Z|[+-][0-9]{2}:[0-9]{2})?$").is_match(v)
            }
            Builtin::GYearMonth => static_re!(
                r"^-?([1-9][0-9]{4,}|[0-9]{4})-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$"
            )
            .is_match(v),
            Builtin::GMonth => {
                static_re!(r"^--(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$").is_match(v)
            }
            Builtin::GMonthDay => static_re!(
                r"^--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$"
            )
            .is_match(v),
            Builtin::GDay => {
                static_re!(r"^---(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$").is_match(v)
            }
            Builtin::AnyUri => check_any_uri(v),
            Builtin::HexBinary => {
                v.len().is_multiple_of(2) && v.bytes().all(|b| b.is_ascii_hexdigit())
            }
            Builtin::Base64Binary => {
                let s: String = v.chars().filter(|c| *c != ' ').collect();
                s.len().is_multiple_of(4) && static_re!(r"^[A-Za-z0-9+/]*(=|==)?$").is_match(&s)
            }
            Builtin::Integer
            | Builtin::NonPositiveInteger
            | Builtin::NegativeInteger
            | Builtin::NonNegativeInteger
            | Builtin::PositiveInteger
            | Builtin::Long
            | Builtin::Int
            | Builtin::Short
            | Builtin::Byte
            | Builtin::UnsignedLong
            | Builtin::UnsignedInt
            | Builtin::UnsignedShort
            | Builtin::UnsignedByte => {
                let valid = static_re!(r"^[+-]?[0-9]+$").is_match(v);
                let (Some(d), Some((lo, hi))) =
                    (Dec::parse(v).filter(|_| valid), self.integer_bounds())
                else {
                    return Err(format!(
                        "'{}' is not a valid xs:{}",
                        shorten(v),
                        self.name()
                    ));
                };
                let below = lo.as_ref().is_some_and(|lo| d < *lo);
                let above = hi.as_ref().is_some_and(|hi| d > *hi);
                if below || above {
                    let bounds = match (lo, hi) {
                        (Some(lo), Some(hi)) => format!("from {lo} to {hi}"),
                        (Some(lo), None) => format!("at least {lo}"),
                        (None, Some(hi)) => format!("at most {hi}"),
                        (None, None) => String::new(),
                    };
                    return Err(format!(
                        "'{}' is out of range for xs:{} (which must be {bounds})",
                        shorten(v),
                        self.name()
                    ));
                }
                true
            }
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "'{}' is not a valid xs:{}",
                shorten(v),
                self.name()
            ))
        }
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

fn check_zone(z: Option<&str>) -> bool {
    let Some(z) = z else { return true };
    if z == "Z" {
        return true;
    }
    let (Ok(h), Ok(m)) = (z[1..3].parse::<u32>(), z[4..6].parse::<u32>()) else {
        return false;
    };
    m <= 59 && (h < 14 || (h == 14 && m == 0))
}

fn check_ymd(y: &str, mo: &str, d: &str) -> bool {
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i64>(), mo.parse::<u32>(), d.parse::<u32>())
    else {
        return false;
    };
    year != 0 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

/// Hours, minutes, seconds (and any fraction); 24:00:00 is the next day's midnight.
fn check_hms(h: &str, mi: &str, s: &str, frac: Option<&str>) -> bool {
    let (Ok(h), Ok(mi), Ok(s)) = (h.parse::<u32>(), mi.parse::<u32>(), s.parse::<u32>()) else {
        return false;
    };
    let zero_frac = frac.is_none_or(|f| f[1..].bytes().all(|b| b == b'0'));
    (h <= 23 && mi <= 59 && s <= 59) || (h == 24 && mi == 0 && s == 0 && zero_frac)
}

/// The groups of a match: `text(i)` is "" and `opt(i)` `None` for a group that took no part.
struct Groups<'v>(regex::Captures<'v>);

impl<'v> Groups<'v> {
    fn opt(&self, i: usize) -> Option<&'v str> {
        self.0.get(i).map(|m| m.as_str())
    }

    fn text(&self, i: usize) -> &'v str {
        self.opt(i).unwrap_or("")
    }
}

fn groups<'v>(re: &Regex, v: &'v str) -> Option<Groups<'v>> {
    re.captures(v).map(Groups)
}

fn check_date_time(v: &str) -> bool {
    let re = static_re!(
        r"^(-?(?:[1-9][0-9]{4,}|[0-9]{4}))-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$"
    );
    groups(re, v).is_some_and(|g| {
        check_ymd(g.text(1), g.text(2), g.text(3))
            && check_hms(g.text(4), g.text(5), g.text(6), g.opt(7))
            && check_zone(g.opt(8))
    })
}

fn check_date(v: &str) -> bool {
    let re = static_re!(
        r"^(-?(?:[1-9][0-9]{4,}|[0-9]{4}))-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?$"
    );
    groups(re, v)
        .is_some_and(|g| check_ymd(g.text(1), g.text(2), g.text(3)) && check_zone(g.opt(4)))
}

fn check_time(v: &str) -> bool {
    let re = static_re!(r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$");
    groups(re, v).is_some_and(|g| {
        check_hms(g.text(1), g.text(2), g.text(3), g.opt(4)) && check_zone(g.opt(5))
    })
}

/// libxml2's reading of xs:anyURI: characters a URI cannot hold are taken as escaped, and what
/// remains must parse as an RFC 3986 URI reference.
fn check_any_uri(v: &str) -> bool {
    let s: String = v
        .chars()
        .map(|c| match c {
            c if (c as u32) < 32 || (c as u32) >= 127 => '_',
            ' ' | '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`' | '\'' => '_',
            c => c,
        })
        .collect();
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return false;
        }
    }
    let (before_fragment, fragment) = s.split_once('#').unwrap_or((&s, ""));
    // Brackets belong only to an IP-literal host.
    let host_end = match before_fragment
        .strip_prefix("//")
        .map(|_| 2)
        .or_else(|| before_fragment.find("://").map(|i| i + 3))
    {
        Some(start) => {
            start
                + before_fragment[start..]
                    .find(['/', '?'])
                    .unwrap_or(before_fragment.len() - start)
        }
        None => 0,
    };
    if before_fragment[host_end..].contains(['[', ']']) {
        return false;
    }
    if fragment.contains('#') || fragment.contains('[') || fragment.contains(']') {
        return false;
    }
    let has_scheme = static_re!(r"^[A-Za-z][A-Za-z0-9+.\-]*:").is_match(before_fragment);
    if !has_scheme {
        let first_segment = before_fragment.split(['/', '?']).next().unwrap_or("");
        if first_segment.contains(':') {
            return false;
        }
    }
    true
}

/// Shortens a value for messages.
pub(super) fn shorten(v: &str) -> String {
    const MAX: usize = 60;
    if v.chars().count() <= MAX {
        v.to_string()
    } else {
        let cut: String = v.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_compare_exactly() {
        let d = |s| Dec::parse(s).unwrap();
        assert!(d("10") > d("9"));
        assert!(d("-10") < d("-9"));
        assert!(d("0.10") == d("+.1"));
        assert!(d("-0") == d("0"));
        assert!(d("99999999999999999999999999999999") > d("2147483647"));
        assert!(d("1.05") < d("1.5"));
        assert!(Dec::parse("1e5").is_none());
        assert!(Dec::parse("").is_none());
        assert!(Dec::parse(".").is_none());
    }

    /// Asserts that `b` accepts every one of `good` and refuses every one of `bad`.
    fn check_all(b: Builtin, good: &[&str], bad: &[&str]) {
        for v in good {
            assert!(
                b.check(v).is_ok(),
                "'{v}' should be a valid xs:{}",
                b.name()
            );
        }
        for v in bad {
            assert!(
                b.check(v).is_err(),
                "'{v}' should not be a valid xs:{}",
                b.name()
            );
        }
    }

    #[test]
    fn integer_types_check_their_ranges() {
        check_all(
            Builtin::Int,
            &["2147483647", "-2147483648", "+007"],
            &["1.0", ""],
        );
        let e = Builtin::Int.check("2147483648").unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        check_all(Builtin::PositiveInteger, &[], &["0"]);
        check_all(Builtin::NonNegativeInteger, &["0"], &["-1"]);
        check_all(Builtin::Integer, &["123456789012345678901234567890"], &[]);
        check_all(Builtin::Long, &[], &["9223372036854775808"]);
    }

    #[test]
    fn other_builtins() {
        check_all(
            Builtin::Boolean,
            &["true", "false", "1", "0"],
            &["yes", "True"],
        );
        check_all(Builtin::Double, &["1.5e10", "-INF", "NaN"], &["1,5"]);
        check_all(Builtin::Decimal, &["-.5"], &["1e3"]);
        check_all(
            Builtin::DateTime,
            &[
                "2014-08-15T12:00:00Z",
                "2014-08-15T12:00:00.123+02:00",
                "2016-02-29T00:00:00",
            ],
            &[
                "2015-02-29T00:00:00",
                "2014-13-01T00:00:00Z",
                "2014-08-15 12:00:00",
                "0000-01-01T00:00:00",
            ],
        );
        check_all(Builtin::Language, &["en-US"], &["englishlanguage"]);
        check_all(Builtin::NmTokens, &["a b c"], &[""]);
        check_all(Builtin::NCName, &[], &["a:b"]);
        check_all(Builtin::Id, &[], &["1abc"]);
        check_all(
            Builtin::AnyUri,
            &["https://example.com/a b", "a:b:c"],
            &["http://x/%zz", ":nope"],
        );
    }

    #[test]
    fn whitespace_rules() {
        assert_eq!(Whitespace::Collapse.apply("  a \n\t b  "), "a b");
        assert_eq!(Whitespace::Replace.apply("a\tb\n"), "a b ");
        assert_eq!(Whitespace::Preserve.apply(" a "), " a ");
    }
}
