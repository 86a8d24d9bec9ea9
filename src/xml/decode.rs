//! Decoding element trees into generated types, and encoding them back.

use super::{Element, Scalar, Writer, XSI_NS};

/// Every requester namespace starts with this; the rest is the API version.
pub const REQUESTER_NS_PREFIX: &str = "http://requester.mturk.amazonaws.com/doc/";

/// Whether an element's namespace `found` matches the schema namespace `schema_ns`.
/// Exact, except that for a requester namespace any requester API version matches
/// (older clients send `…/doc/2012-03-25`, `…/doc/2008-08-02`).
#[inline]
pub fn ns_matches(found: Option<&str>, schema_ns: &str) -> bool {
    let Some(found) = found else { return false };
    if found == schema_ns {
        return true;
    }
    match (
        found.strip_prefix(REQUESTER_NS_PREFIX),
        schema_ns.strip_prefix(REQUESTER_NS_PREFIX),
    ) {
        (Some(v), Some(_)) => {
            let v = v.strip_suffix('/').unwrap_or(v);
            !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        }
        _ => false,
    }
}

/// A document (or REST form) that does not match the schema. Element paths are
/// `/`-separated local names from the decoded root (or REST parameter prefixes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("Element {parent} is missing required element {child}")]
    Missing { parent: String, child: String },
    #[error("Element {parent} is missing required attribute {attribute}")]
    MissingAttribute { parent: String, attribute: String },
    #[error("Element {parent} contains unexpected element {child}")]
    Unexpected { parent: String, child: String },
    #[error("Element {parent} contains element {child} more than once")]
    Duplicate { parent: String, child: String },
    #[error("Value '{value}' of element {element} is not a valid {expected}")]
    Invalid {
        element: String,
        value: String,
        expected: String,
    },
}

impl DecodeError {
    pub fn missing(parent: &Element, child: &str) -> DecodeError {
        DecodeError::Missing {
            parent: parent.name.clone(),
            child: child.to_owned(),
        }
    }

    pub fn missing_attribute(parent: &Element, attribute: &str) -> DecodeError {
        DecodeError::MissingAttribute {
            parent: parent.name.clone(),
            attribute: attribute.to_owned(),
        }
    }

    pub fn unexpected(parent: &Element, child: &Element) -> DecodeError {
        let child = match &child.ns {
            Some(ns) => format!("{{{}}}{}", ns, child.name),
            None => child.name.clone(),
        };
        DecodeError::Unexpected {
            parent: parent.name.clone(),
            child,
        }
    }

    pub fn duplicate(parent: &Element, child: &Element) -> DecodeError {
        DecodeError::Duplicate {
            parent: parent.name.clone(),
            child: child.name.clone(),
        }
    }

    pub fn invalid<T: Scalar>(element: String, value: &str) -> DecodeError {
        DecodeError::Invalid {
            element,
            value: value.to_owned(),
            expected: T::TYPE_NAME.to_owned(),
        }
    }

    /// Prefixes the path of this error with the enclosing element's name.
    pub fn within(mut self, outer: &str) -> DecodeError {
        let p = match &mut self {
            DecodeError::Missing { parent, .. }
            | DecodeError::MissingAttribute { parent, .. }
            | DecodeError::Unexpected { parent, .. }
            | DecodeError::Duplicate { parent, .. } => parent,
            DecodeError::Invalid { element, .. } => element,
        };
        p.insert(0, '/');
        p.insert_str(0, outer);
        self
    }

    /// The element (path) the error is about: the parent for structural errors, the
    /// offending element for invalid values.
    pub fn path(&self) -> &str {
        match self {
            DecodeError::Missing { parent, .. }
            | DecodeError::MissingAttribute { parent, .. }
            | DecodeError::Unexpected { parent, .. }
            | DecodeError::Duplicate { parent, .. } => parent,
            DecodeError::Invalid { element, .. } => element,
        }
    }

    /// The parameter the error is about, named as the documentation names parameters: dotted
    /// from the request down (`HITId`, `Reward.Amount`, `Reward.1.Amount` over REST), without the
    /// request element or type that decoding started from.
    pub fn parameter(&self) -> String {
        // Element paths start at the decoded root; REST prefixes name parameters already, and
        // a REST prefix without a dot is the request's own type name.
        let below_root = |path: &str| -> String {
            match path.split_once('/') {
                Some((_, rest)) => rest.replace('/', "."),
                None if path.contains('.') => path.to_owned(),
                None => String::new(),
            }
        };
        let join = |parent: String, item: &str| {
            if parent.is_empty() {
                item.to_owned()
            } else {
                format!("{parent}.{item}")
            }
        };
        match self {
            DecodeError::Invalid { element, .. } if element.contains('/') => below_root(element),
            DecodeError::Invalid { element, .. } => element.clone(),
            DecodeError::Missing { parent, .. }
            | DecodeError::MissingAttribute { parent, .. }
            | DecodeError::Unexpected { parent, .. }
            | DecodeError::Duplicate { parent, .. } => join(below_root(parent), self.item()),
        }
    }

    /// The name of the missing/unexpected/duplicated/invalid item, without path.
    pub fn item(&self) -> &str {
        match self {
            DecodeError::Missing { child, .. }
            | DecodeError::Unexpected { child, .. }
            | DecodeError::Duplicate { child, .. } => child,
            DecodeError::MissingAttribute { attribute, .. } => attribute,
            DecodeError::Invalid { element, .. } => {
                element.rsplit(['/', '.']).next().unwrap_or(element)
            }
        }
    }
}

/// Decoding from a parsed element.
pub trait Decode: Sized {
    fn decode(el: &Element) -> Result<Self, DecodeError>;
}

/// Encoding as an element named `name` (children unprefixed, so they inherit the
/// default namespace declared by the caller on the root).
pub trait Encode {
    /// Writes `<name attrs…>children…</name>`.
    fn encode(&self, w: &mut Writer, name: &str);
    /// Writes only the child elements, in schema order (attributes are dropped);
    /// for callers that write the root start tag themselves.
    fn encode_children(&self, w: &mut Writer);
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self, w: &mut Writer, name: &str) {
        (**self).encode(w, name)
    }
    fn encode_children(&self, w: &mut Writer) {
        (**self).encode_children(w)
    }
}

/// Reads the scalar child `c` of `parent`. Non-string values are trimmed; a string
/// element holding child elements (an unescaped XML document) yields that content
/// re-serialised.
#[inline]
pub fn scalar<T: Scalar>(parent: &Element, c: &Element) -> Result<T, DecodeError> {
    let parsed = if T::IS_STRING && !c.children.is_empty() {
        T::parse_xml(&c.inner_xml())
    } else {
        T::parse_xml(&c.text)
    };
    parsed.ok_or_else(|| DecodeError::invalid::<T>(format!("{}/{}", parent.name, c.name), &c.text))
}

/// Reads an optional scalar child: like [`scalar`], but an empty non-string element
/// (`<MaxAssignments/>`) or one marked `xsi:nil="true"` counts as absent.
#[inline]
pub fn scalar_opt<T: Scalar>(parent: &Element, c: &Element) -> Result<Option<T>, DecodeError> {
    if c.children.is_empty() && !c.attrs.is_empty() {
        if let Some(nil) = c.attr_ns(XSI_NS, "nil") {
            if matches!(nil.trim(), "true" | "1") {
                return Ok(None);
            }
        }
    }
    if !T::IS_STRING && c.children.is_empty() && c.text_is_blank() {
        return Ok(None);
    }
    scalar(parent, c).map(Some)
}

/// Decodes the structured child `c` of `parent`.
#[inline]
pub fn child<T: Decode>(parent: &Element, c: &Element) -> Result<T, DecodeError> {
    T::decode(c).map_err(|e| e.within(&parent.name))
}

/// A required attribute.
pub fn attr_req<T: Scalar>(el: &Element, name: &str) -> Result<T, DecodeError> {
    attr_opt(el, name)?.ok_or_else(|| DecodeError::missing_attribute(el, name))
}

/// An optional attribute.
pub fn attr_opt<T: Scalar>(el: &Element, name: &str) -> Result<Option<T>, DecodeError> {
    match el.attr(name) {
        None => Ok(None),
        Some(v) => T::parse_xml(v)
            .map(Some)
            .ok_or_else(|| DecodeError::invalid::<T>(format!("{}/@{}", el.name, name), v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_matching() {
        let ns = "http://requester.mturk.amazonaws.com/doc/2014-08-15";
        assert!(ns_matches(Some(ns), ns));
        assert!(ns_matches(
            Some("http://requester.mturk.amazonaws.com/doc/2012-03-25"),
            ns
        ));
        assert!(ns_matches(
            Some("http://requester.mturk.amazonaws.com/doc/2008-08-02"),
            ns
        ));
        assert!(!ns_matches(
            Some("http://requester.mturk.amazonaws.com/doc/"),
            ns
        ));
        assert!(!ns_matches(
            Some("http://requester.mturk.amazonaws.com/doc/x/y"),
            ns
        ));
        assert!(!ns_matches(Some("urn:other"), ns));
        assert!(!ns_matches(None, ns));
        let q = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd";
        assert!(ns_matches(Some(q), q));
        assert!(!ns_matches(
            Some("http://requester.mturk.amazonaws.com/doc/2014-08-15"),
            q
        ));
    }

    #[test]
    fn error_paths_and_messages() {
        let e = DecodeError::Missing {
            parent: "Request".into(),
            child: "LifetimeInSeconds".into(),
        }
        .within("CreateHIT");
        assert_eq!(
            e.to_string(),
            "Element CreateHIT/Request is missing required element LifetimeInSeconds"
        );
        assert_eq!(e.item(), "LifetimeInSeconds");
        let mut p = Element::new(None, "Request");
        let mut c = Element::new(None, "MaxAssignments");
        c.text = "abc".into();
        p.children.push(c.clone());
        let e = scalar::<i32>(&p, &c).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Value 'abc' of element Request/MaxAssignments is not a valid xs:int"
        );
        assert_eq!(e.item(), "MaxAssignments");
    }
}
