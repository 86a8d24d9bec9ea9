//! Simple types: a built-in datatype, or a list of one, narrowed by layers of constraining
//! facets (one per restriction step).

use std::cmp::Ordering;

use regex::Regex;

use super::datatypes::{shorten, Builtin, Dec, Whitespace};
use super::model::QName;
use crate::xml::XS_NS;

/// One restriction step's constraining facets. A value must satisfy every step of its type's
/// derivation.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    /// Allowed values, whitespace-normalised as the type does.
    pub enumeration: Vec<String>,
    /// Patterns as written, each with its compiled, anchored translation; one must match.
    pub patterns: Vec<(String, Regex)>,
    pub length: Option<usize>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_inclusive: Option<String>,
    pub max_inclusive: Option<String>,
    pub min_exclusive: Option<String>,
    pub max_exclusive: Option<String>,
    pub total_digits: Option<usize>,
    pub fraction_digits: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct SimpleType {
    pub name: Option<QName>,
    pub builtin: Builtin,
    /// The item type of a list type derived with `xs:list`.
    pub item: Option<Box<SimpleType>>,
    pub whitespace: Whitespace,
    pub layers: Vec<Facets>,
}

impl SimpleType {
    pub fn builtin(b: Builtin) -> SimpleType {
        SimpleType {
            name: Some(QName::new(Some(XS_NS), b.name())),
            builtin: b,
            item: None,
            whitespace: b.whitespace(),
            layers: Vec::new(),
        }
    }

    /// The name used in messages: `xs:int`, `URLType`, or the builtin an anonymous type restricts.
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(q) if q.ns.as_deref() == Some(XS_NS) => format!("xs:{}", q.local),
            Some(q) => q.local.clone(),
            None if self.item.is_some() => "list".into(),
            None => format!("xs:{}", self.builtin.name()),
        }
    }

    fn is_list(&self) -> bool {
        self.item.is_some() || self.builtin.is_list()
    }

    /// Compares two values of this type for equality (enumerations), by value where that
    /// differs from the text.
    fn same_value(&self, a: &str, b: &str) -> bool {
        if self.item.is_none() && self.builtin.is_decimal() {
            return match (Dec::parse(a), Dec::parse(b)) {
                (Some(x), Some(y)) => x == y,
                _ => a == b,
            };
        }
        if self.builtin == Builtin::Boolean {
            let v = |s: &str| matches!(s, "true" | "1");
            return v(a) == v(b);
        }
        if matches!(self.builtin, Builtin::Float | Builtin::Double) {
            return match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(x), Ok(y)) => x == y,
                _ => a == b,
            };
        }
        a == b
    }

    fn compare(&self, a: &str, b: &str) -> Option<Ordering> {
        if self.builtin.is_decimal() {
            return Dec::parse(a)?.partial_cmp(&Dec::parse(b)?);
        }
        if matches!(self.builtin, Builtin::Float | Builtin::Double) {
            return a.parse::<f64>().ok()?.partial_cmp(&b.parse::<f64>().ok()?);
        }
        // Date and time values of one zone compare as text.
        Some(a.cmp(b))
    }

    /// Checks `raw`; on success gives the normalised value.
    pub fn check(&self, raw: &str) -> Result<String, String> {
        let v = self.whitespace.apply(raw);
        match &self.item {
            Some(item) => {
                for token in v.split(' ').filter(|t| !t.is_empty()) {
                    item.check(token)?;
                }
            }
            None => self.builtin.check(&v)?,
        }
        // Facets of a named type say whose they are; an anonymous type's are the element's own.
        let of = match &self.name {
            Some(_) => format!(" for {}", self.display_name()),
            None => String::new(),
        };
        for f in &self.layers {
            let len = if self.is_list() {
                v.split(' ').filter(|t| !t.is_empty()).count()
            } else if self.builtin == Builtin::HexBinary {
                v.len() / 2
            } else {
                v.chars().count()
            };
            let unit = if self.is_list() {
                "items"
            } else {
                "characters"
            };
            if let Some(n) = f.length.filter(|&n| n != len) {
                return Err(format!(
                    "'{}' is {len} {unit} long; exactly {n} allowed{of}",
                    shorten(&v)
                ));
            }
            if let Some(n) = f.min_length.filter(|&n| len < n) {
                return Err(format!(
                    "'{}' is {len} {unit} long; at least {n} needed{of}",
                    shorten(&v)
                ));
            }
            if let Some(n) = f.max_length.filter(|&n| len > n) {
                return Err(format!(
                    "'{}' is {len} {unit} long; at most {n} allowed{of}",
                    shorten(&v)
                ));
            }
            if !f.patterns.is_empty() && !f.patterns.iter().any(|(_, r)| r.is_match(&v)) {
                let pats: Vec<&str> = f.patterns.iter().map(|(p, _)| p.as_str()).collect();
                return Err(format!(
                    "'{}' does not match the pattern '{}'{of}",
                    shorten(&v),
                    pats.join("' or '")
                ));
            }
            if !f.enumeration.is_empty() && !f.enumeration.iter().any(|e| self.same_value(&v, e)) {
                let mut allowed: Vec<String> = f
                    .enumeration
                    .iter()
                    .take(12)
                    .map(|e| format!("'{e}'"))
                    .collect();
                if f.enumeration.len() > 12 {
                    allowed.push("…".into());
                }
                return Err(format!(
                    "'{}' is not one of the values allowed{of}: {}",
                    shorten(&v),
                    allowed.join(", ")
                ));
            }
            let bound =
                |limit: &Option<String>, bad: &[Ordering], what: &str| -> Result<(), String> {
                    match limit {
                        Some(l) if self.compare(&v, l).is_some_and(|o| bad.contains(&o)) => {
                            Err(format!("'{}' is {what} {l} allowed{of}", shorten(&v)))
                        }
                        _ => Ok(()),
                    }
                };
            bound(&f.min_inclusive, &[Ordering::Less], "less than the minimum")?;
            bound(
                &f.max_inclusive,
                &[Ordering::Greater],
                "greater than the maximum",
            )?;
            bound(
                &f.min_exclusive,
                &[Ordering::Less, Ordering::Equal],
                "not greater than the exclusive minimum",
            )?;
            bound(
                &f.max_exclusive,
                &[Ordering::Greater, Ordering::Equal],
                "not less than the exclusive maximum",
            )?;
            if let Some(d) = Dec::parse(&v).filter(|_| self.builtin.is_decimal()) {
                if let Some(n) = f.total_digits.filter(|&n| d.total_digits() > n) {
                    return Err(format!(
                        "'{}' has more than the {n} digits allowed{of}",
                        shorten(&v)
                    ));
                }
                if let Some(n) = f.fraction_digits.filter(|&n| d.fraction_digits() > n) {
                    return Err(format!(
                        "'{}' has more than the {n} fraction digits allowed{of}",
                        shorten(&v)
                    ));
                }
            }
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn restricted(base: Builtin, facets: Facets) -> SimpleType {
        let mut t = SimpleType::builtin(base);
        t.layers.push(facets);
        t
    }

    #[test]
    fn facets_apply_per_layer() {
        let mut t = restricted(
            Builtin::PositiveInteger,
            Facets {
                max_inclusive: Some("2000000000".into()),
                ..Default::default()
            },
        );
        t.name = Some(QName::new(Some("urn:x"), "MaxFileSizeType"));
        assert_eq!(t.check(" 2000000000 ").unwrap(), "2000000000");
        let e = t.check("2000000001").unwrap_err();
        assert!(e.contains("greater than the maximum 2000000000"), "{e}");
        assert!(t.check("0").is_err());

        let mut s = restricted(
            Builtin::String,
            Facets {
                enumeration: vec!["image".into(), "audio".into()],
                ..Default::default()
            },
        );
        s.name = None;
        assert!(s.check("image").is_ok());
        assert!(s.check(" image").is_err());
        let e = s.check("movie").unwrap_err();
        assert!(e.contains("allowed: 'image', 'audio'"), "{e}");

        let c = restricted(
            Builtin::String,
            Facets {
                length: Some(1),
                ..Default::default()
            },
        );
        assert!(c.check("é").is_ok());
        assert!(c.check("ab").is_err());
    }
}
