//! REST form parameters (`application/x-www-form-urlencoded` bodies and query
//! strings) and their structured view: `Reward.1.Amount`, `WorkerId.3`, ….

use std::cmp::Ordering;

use crate::xml::{first_non_xml_char, DecodeError, Element, Scalar};

/// A form whose text XML could not carry: refused at the door, so never stored or echoed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadForm {
    #[error("The parameter {name} is not UTF-8 once percent-decoded.")]
    NotUtf8 { name: String },
    #[error(
        "The parameter {name} holds the character U+{code:04X}, which XML 1.0 does not allow."
    )]
    NotACharacter { name: String, code: u32 },
}

/// A parsed form: the pairs in order of appearance plus a key-sorted index.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
    /// Indices into `pairs`, sorted by key (stable: equal keys keep their order).
    sorted: Vec<u32>,
}

impl Params {
    /// Parses a query string or form body liberally: `+` is a space, percent-escapes
    /// are decoded (invalid UTF-8 replaced), empty `&&` segments and a trailing `&`
    /// are ignored, a key without `=` has an empty value. Keys are case-sensitive.
    pub fn parse(query_or_body: &str) -> Params {
        let pairs = form_urlencoded::parse(query_or_body.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Params::from_pairs(pairs)
    }

    /// Parses a query string or form body as [`Params::parse`] does, but refuses any key or
    /// value that is not UTF-8 once decoded or holds a character XML 1.0 does not allow.
    pub fn parse_text(query_or_body: &str) -> Result<Params, BadForm> {
        let text = |raw: &str, name: Option<&str>| -> Result<String, BadForm> {
            // Most keys and values hold no '+': they are decoded without a copy made first.
            let plus_as_space = if raw.contains('+') {
                std::borrow::Cow::Owned(raw.replace('+', " "))
            } else {
                std::borrow::Cow::Borrowed(raw)
            };
            let shown = || name.unwrap_or(raw).to_string();
            let decoded = percent_encoding::percent_decode_str(&plus_as_space)
                .decode_utf8()
                .map_err(|_| BadForm::NotUtf8 { name: shown() })?;
            match first_non_xml_char(&decoded) {
                Some((_, c)) => Err(BadForm::NotACharacter {
                    name: shown(),
                    code: u32::from(c),
                }),
                None => Ok(decoded.into_owned()),
            }
        };
        let mut pairs = Vec::new();
        for segment in query_or_body.split('&').filter(|s| !s.is_empty()) {
            let (k, v) = segment.split_once('=').unwrap_or((segment, ""));
            let key = text(k, None)?;
            let value = text(v, Some(&key))?;
            pairs.push((key, value));
        }
        Ok(Params::from_pairs(pairs))
    }

    /// Builds the index over already-decoded pairs.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Params {
        let mut sorted: Vec<u32> = (0..pairs.len() as u32).collect();
        sorted.sort_by(|&a, &b| pairs[a as usize].0.cmp(&pairs[b as usize].0));
        Params { pairs, sorted }
    }

    /// Appends the pairs of another form (e.g. query string + body).
    pub fn extend(&mut self, other: Params) {
        let mut pairs = std::mem::take(&mut self.pairs);
        pairs.extend(other.pairs);
        *self = Params::from_pairs(pairs);
    }

    /// All pairs, in order of appearance (as decoded).
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The first value of the exact key `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.view().get(name)
    }

    /// The top-level view (empty prefix).
    pub fn view(&self) -> ParamView<'_> {
        ParamView {
            params: self,
            prefix: String::new(),
        }
    }

    fn key(&self, i: u32) -> &str {
        &self.pairs[i as usize].0
    }

    fn value(&self, i: u32) -> &str {
        &self.pairs[i as usize].1
    }

    /// Sorted-index slice of keys exactly equal to `a ++ b`.
    fn exact(&self, a: &str, b: &str) -> &[u32] {
        let lo = self
            .sorted
            .partition_point(|&i| cmp_concat(self.key(i), a, b) == Ordering::Less);
        let n = self.sorted[lo..]
            .iter()
            .take_while(|&&i| cmp_concat(self.key(i), a, b) == Ordering::Equal)
            .count();
        &self.sorted[lo..lo + n]
    }

    /// Sorted-index slice of keys starting with `a ++ b ++ c`.
    fn with_prefix(&self, a: &str, b: &str, c: &str) -> &[u32] {
        let lo = self.sorted.partition_point(|&i| {
            let k = self.key(i).as_bytes();
            cmp3(k, a.as_bytes(), b.as_bytes(), c.as_bytes()) == Ordering::Less
        });
        let n = self.sorted[lo..]
            .iter()
            .take_while(|&&i| starts_with3(self.key(i).as_bytes(), a, b, c))
            .count();
        &self.sorted[lo..lo + n]
    }
}

fn cmp_concat(key: &str, a: &str, b: &str) -> Ordering {
    cmp3(key.as_bytes(), a.as_bytes(), b.as_bytes(), b"")
}

/// Compares `key` with the concatenation `a ++ b ++ c` without building it. Byte by byte: keys
/// are short and mostly differ in their first bytes, where a `memcmp` call for each part (two
/// of them often empty) cost more than the comparing, on every lookup of a REST call.
fn cmp3(key: &[u8], a: &[u8], b: &[u8], c: &[u8]) -> Ordering {
    let mut k = key.iter();
    for x in a.iter().chain(b).chain(c) {
        match k.next().map(|y| y.cmp(x)) {
            Some(Ordering::Equal) => {}
            Some(o) => return o,
            None => return Ordering::Less, // key ran out first
        }
    }
    if k.next().is_none() {
        Ordering::Equal
    } else {
        Ordering::Greater
    }
}

fn starts_with3(key: &[u8], a: &str, b: &str, c: &str) -> bool {
    key.len() >= a.len() + b.len() + c.len()
        && key.starts_with(a.as_bytes())
        && key[a.len()..].starts_with(b.as_bytes())
        && key[a.len() + b.len()..].starts_with(c.as_bytes())
}

/// `"12"` → 12; anything but ASCII digits → None.
fn parse_index(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A view of the parameters under a prefix such as `QualificationRequirement.2.`.
#[derive(Debug, Clone)]
pub struct ParamView<'a> {
    params: &'a Params,
    prefix: String,
}

impl<'a> ParamView<'a> {
    /// The prefix of this view (`""` at top level, else ending in `.`).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The underlying form.
    pub fn params(&self) -> &'a Params {
        self.params
    }

    /// First value of exactly `prefix + name`.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.params
            .exact(&self.prefix, name)
            .first()
            .map(|&i| self.params.value(i))
    }

    /// A single value: `prefix + name`, else `prefix + name + ".1"`.
    pub fn scalar(&self, name: &str) -> Option<&'a str> {
        if let Some(v) = self.get(name) {
            return Some(v);
        }
        let idx = self.params.with_prefix(&self.prefix, name, ".1");
        idx.iter()
            .find(|&&i| self.params.key(i).len() == self.prefix.len() + name.len() + 2)
            .map(|&i| self.params.value(i))
    }

    /// All values of `prefix + name` (in order of appearance) followed by those of
    /// `prefix + name + ".N"` ordered by N.
    pub fn list(&self, name: &str) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = self
            .params
            .exact(&self.prefix, name)
            .iter()
            .map(|&i| self.params.value(i))
            .collect();
        let cut = self.prefix.len() + name.len() + 1;
        let mut indexed: Vec<(u64, u32)> = self
            .params
            .with_prefix(&self.prefix, name, ".")
            .iter()
            .filter_map(|&i| parse_index(&self.params.key(i)[cut..]).map(|n| (n, i)))
            .collect();
        indexed.sort_by_key(|&(n, i)| (n, i));
        out.extend(indexed.into_iter().map(|(_, i)| self.params.value(i)));
        out
    }

    /// Whether any parameter starts with `prefix + name + "."`.
    pub fn has_children(&self, name: &str) -> bool {
        !self.params.with_prefix(&self.prefix, name, ".").is_empty()
    }

    /// The structure `name`: the view under `name.1.`, else under `name.`.
    pub fn child(&self, name: &str) -> Option<ParamView<'a>> {
        if !self
            .params
            .with_prefix(&self.prefix, name, ".1.")
            .is_empty()
        {
            return Some(self.sub(name, Some(1)));
        }
        let cut = self.prefix.len() + name.len() + 1;
        let unindexed = self
            .params
            .with_prefix(&self.prefix, name, ".")
            .iter()
            .any(|&i| !is_indexed(&self.params.key(i)[cut..]));
        unindexed.then(|| self.sub(name, None))
    }

    /// Every structure `name.N.` present, ordered by N, followed by the un-indexed
    /// `name.` if present.
    pub fn children(&self, name: &str) -> Vec<ParamView<'a>> {
        let cut = self.prefix.len() + name.len() + 1;
        let mut idx: Vec<u64> = Vec::new();
        let mut unindexed = false;
        for &i in self.params.with_prefix(&self.prefix, name, ".") {
            let rest = &self.params.key(i)[cut..];
            match rest.split_once('.') {
                Some((n, _)) if parse_index(n).is_some() => idx.push(parse_index(n).unwrap_or(0)),
                _ if parse_index(rest).is_some() => {} // `name.N` = a list item, not a structure
                _ => unindexed = true,
            }
        }
        idx.sort_unstable();
        idx.dedup();
        let mut out: Vec<ParamView<'a>> =
            idx.into_iter().map(|n| self.sub(name, Some(n))).collect();
        if unindexed {
            out.push(self.sub(name, None));
        }
        out
    }

    fn sub(&self, name: &str, index: Option<u64>) -> ParamView<'a> {
        let mut prefix = String::with_capacity(self.prefix.len() + name.len() + 8);
        prefix.push_str(&self.prefix);
        prefix.push_str(name);
        prefix.push('.');
        if let Some(n) = index {
            prefix.push_str(&n.to_string());
            prefix.push('.');
        }
        ParamView {
            params: self.params,
            prefix,
        }
    }

    // ----- helpers used by the generated `FromParams` impls -----

    fn owner(&self, type_name: &str) -> String {
        if self.prefix.is_empty() {
            type_name.to_owned()
        } else {
            self.prefix.trim_end_matches('.').to_owned()
        }
    }

    /// A `Missing` error for `name` under this view.
    pub fn missing(&self, name: &str, type_name: &str) -> DecodeError {
        DecodeError::Missing {
            parent: self.owner(type_name),
            child: name.to_owned(),
        }
    }

    fn parse_value<T: Scalar>(&self, name: &str, v: &str) -> Result<T, DecodeError> {
        T::parse_xml(v)
            .ok_or_else(|| DecodeError::invalid::<T>(format!("{}{}", self.prefix, name), v))
    }

    /// An optional scalar; an empty value counts as absent for non-strings.
    pub fn opt<T: Scalar>(&self, name: &str) -> Result<Option<T>, DecodeError> {
        match self.scalar(name) {
            None => Ok(None),
            Some(v) if !T::IS_STRING && v.trim().is_empty() => Ok(None),
            Some(v) => self.parse_value(name, v).map(Some),
        }
    }

    /// A required scalar.
    pub fn req<T: Scalar>(&self, name: &str, type_name: &str) -> Result<T, DecodeError> {
        self.opt(name)?.ok_or_else(|| self.missing(name, type_name))
    }

    /// A repeated scalar (empty values skipped for non-strings).
    pub fn many<T: Scalar>(&self, name: &str) -> Result<Vec<T>, DecodeError> {
        self.list(name)
            .into_iter()
            .filter(|v| T::IS_STRING || !v.trim().is_empty())
            .map(|v| self.parse_value(name, v))
            .collect()
    }

    /// A repeated enumeration: like [`many`](Self::many), also splitting values on commas
    /// (`AssignmentStatus=Approved,Rejected`).
    pub fn many_split<T: Scalar>(&self, name: &str) -> Result<Vec<T>, DecodeError> {
        let mut out = Vec::new();
        for v in self.list(name) {
            for part in v.split(',') {
                if !part.trim().is_empty() {
                    out.push(self.parse_value(name, part)?);
                }
            }
        }
        Ok(out)
    }

    /// An optional structure.
    pub fn opt_child<T: FromParams>(&self, name: &str) -> Result<Option<T>, DecodeError> {
        self.child(name).map(|v| T::from_params(&v)).transpose()
    }

    /// A required structure.
    pub fn req_child<T: FromParams>(&self, name: &str, type_name: &str) -> Result<T, DecodeError> {
        self.opt_child(name)?
            .ok_or_else(|| self.missing(name, type_name))
    }

    /// A repeated structure.
    pub fn many_children<T: FromParams>(&self, name: &str) -> Result<Vec<T>, DecodeError> {
        self.children(name).iter().map(T::from_params).collect()
    }
}

fn is_indexed(rest: &str) -> bool {
    match rest.split_once('.') {
        Some((n, _)) => parse_index(n).is_some(),
        None => parse_index(rest).is_some(),
    }
}

/// Decoding from REST form parameters.
pub trait FromParams: Sized {
    fn from_params(p: &ParamView<'_>) -> Result<Self, DecodeError>;
}

/// An operation's input as it arrived.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// The SOAP body child (the operation element, e.g. `CreateHIT`).
    Xml(&'a Element),
    /// The REST form: one top-level view per request (a batch, `GetHIT.1.HITId=…&GetHIT.2.HITId=…`,
    /// has several).
    Params(&'a [ParamView<'a>]),
}

impl Input<'_> {
    /// Whether the call carries `Validate`: the legacy service then checked the requests and
    /// answered whether they were valid, performing nothing.
    pub fn validate_only(&self) -> bool {
        match self {
            Input::Xml(el) => el
                .children
                .iter()
                .any(|c| c.name == "Validate" && c.ns == el.ns),
            Input::Params(views) => views.iter().any(|v| v.scalar("Validate").is_some()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_liberal() {
        let p = Params::parse(
            "Operation=CreateHIT&&Title=Hello+World%21&Empty=&NoEq&Reward=&Title=again&",
        );
        assert_eq!(p.len(), 6);
        assert_eq!(p.get("Operation"), Some("CreateHIT"));
        assert_eq!(p.get("Title"), Some("Hello World!"));
        assert_eq!(p.get("Empty"), Some(""));
        assert_eq!(p.get("NoEq"), Some(""));
        assert_eq!(p.get("operation"), None);
        assert_eq!(p.pairs()[5], ("Title".to_string(), "again".to_string()));
        assert_eq!(p.view().list("Title"), vec!["Hello World!", "again"]);
        let u = Params::parse("Q=%3CQuestionForm%20xmlns%3D%22x%22%3E%C3%A9");
        assert_eq!(u.get("Q"), Some("<QuestionForm xmlns=\"x\">é"));
        assert!(Params::parse("").is_empty());
    }

    #[test]
    fn scalars_lists_children() {
        let p = Params::parse(
            "Reward.1.Amount=0.32&Reward.1.CurrencyCode=USD&WorkerId.2=B&WorkerId.10=C&WorkerId.1=A\
             &ResponseGroup=Minimal&QualificationRequirement.2.Comparator=In\
             &QualificationRequirement.2.IntegerValue.3=30&QualificationRequirement.2.IntegerValue.1=10\
             &QualificationRequirement.1.LocaleValue.Country=US&QualificationRequirement.1.Comparator=EqualTo\
             &QualificationRequirement.2.LocaleValue.2.Country=DE&QualificationRequirement.2.LocaleValue.1.Country=GB\
             &Single.1=x&BonusAmount.Amount=1.00",
        );
        let v = p.view();
        let r = v.child("Reward").unwrap();
        assert_eq!(r.prefix(), "Reward.1.");
        assert_eq!(r.scalar("Amount"), Some("0.32"));
        assert_eq!(
            v.child("BonusAmount").unwrap().scalar("Amount"),
            Some("1.00")
        );
        assert!(v.child("Nothing").is_none());
        assert!(v.child("WorkerId").is_none());
        assert_eq!(v.list("WorkerId"), vec!["A", "B", "C"]);
        assert_eq!(v.list("ResponseGroup"), vec!["Minimal"]);
        assert_eq!(v.scalar("Single"), Some("x"));
        assert_eq!(v.scalar("WorkerId"), Some("A"));
        let qs = v.children("QualificationRequirement");
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].scalar("Comparator"), Some("EqualTo"));
        assert_eq!(
            qs[0].children("LocaleValue")[0].scalar("Country"),
            Some("US")
        );
        assert_eq!(qs[1].list("IntegerValue"), vec!["10", "30"]);
        let locs: Vec<_> = qs[1]
            .children("LocaleValue")
            .iter()
            .map(|l| l.scalar("Country").unwrap())
            .collect();
        assert_eq!(locs, vec!["GB", "DE"]);
        assert!(v.children("WorkerId").is_empty());
    }

    #[test]
    fn typed_helpers() {
        let p = Params::parse("A=5&B=&C=x&S=&E=Approved,Rejected&E.2=Submitted&N.1=1&N.2=&N.3=3");
        let v = p.view();
        assert_eq!(v.opt::<i32>("A").unwrap(), Some(5));
        assert_eq!(v.opt::<i32>("B").unwrap(), None);
        assert_eq!(v.opt::<String>("S").unwrap(), Some(String::new()));
        assert_eq!(v.opt::<i32>("Z").unwrap(), None);
        let e = v.opt::<i32>("C").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Value 'x' of element C is not a valid xs:int"
        );
        let e = v.req::<i32>("B", "CreateHITRequest").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Element CreateHITRequest is missing required element B"
        );
        assert_eq!(v.many::<i64>("N").unwrap(), vec![1, 3]);
        assert_eq!(
            v.many_split::<String>("E").unwrap(),
            vec!["Approved", "Rejected", "Submitted"]
        );
        let p = Params::parse("Q.1.X=abc");
        let q = p.view().child("Q").unwrap();
        let e = q.req::<i32>("Y", "T").unwrap_err();
        assert_eq!(e.to_string(), "Element Q.1 is missing required element Y");
        let e = q.req::<i32>("X", "T").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Value 'abc' of element Q.1.X is not a valid xs:int"
        );
    }

    #[test]
    fn concat_compare() {
        assert_eq!(cmp3(b"abc", b"a", b"b", b"c"), Ordering::Equal);
        assert_eq!(cmp3(b"ab", b"a", b"b", b"c"), Ordering::Less);
        assert_eq!(cmp3(b"abd", b"a", b"b", b"c"), Ordering::Greater);
        assert_eq!(cmp3(b"abcd", b"a", b"bc", b""), Ordering::Greater);
        assert!(starts_with3(b"Reward.1.Amount", "", "Reward", ".1."));
        assert!(!starts_with3(b"Reward.1", "", "Reward", ".1."));
        // Every way of cutting a name in three compares as the whole name does.
        let names = [
            "",
            "A",
            "AB",
            "Reward",
            "Reward.1",
            "Reward.1.Amount",
            "Rewards",
            "Q",
        ];
        for key in names {
            for whole in names {
                for i in 0..=whole.len() {
                    for j in i..=whole.len() {
                        let w = whole.as_bytes();
                        assert_eq!(
                            cmp3(key.as_bytes(), &w[..i], &w[i..j], &w[j..]),
                            key.cmp(whole),
                            "{key:?} against {whole:?} cut at {i} and {j}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn strict_forms_decode_as_the_lenient_ones_and_refuse_what_xml_cannot_carry() {
        let q = "a=1+2&&b=%C3%A9%20x&c&d=%F0%9F%98%80&";
        let strict = Params::parse_text(q).unwrap();
        assert_eq!(strict.pairs(), Params::parse(q).pairs());
        for (bad, expected) in [
            (
                "Title=a%00b",
                BadForm::NotACharacter {
                    name: "Title".into(),
                    code: 0,
                },
            ),
            (
                "Title=%EF%BF%BE",
                BadForm::NotACharacter {
                    name: "Title".into(),
                    code: 0xFFFE,
                },
            ),
            (
                "Title=%FF",
                BadForm::NotUtf8 {
                    name: "Title".into(),
                },
            ),
            (
                "T%01=x",
                BadForm::NotACharacter {
                    name: "T%01".into(),
                    code: 1,
                },
            ),
        ] {
            assert_eq!(Params::parse_text(bad).unwrap_err(), expected, "{bad}");
        }
    }
}
