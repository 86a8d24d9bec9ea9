//! The element tree: names resolved to namespace URIs, attributes, text, positions, and the
//! namespace declarations in scope.

use std::sync::Arc;

use crate::escape::{escape_attr_into, escape_text_into};
use crate::XML_NS;

/// A name resolved to its namespace URI (`None`: no namespace) and local part.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QName {
    pub ns: Option<String>,
    pub local: String,
}

impl QName {
    pub fn new(ns: Option<&str>, local: &str) -> QName {
        QName {
            ns: ns.map(str::to_owned),
            local: local.to_owned(),
        }
    }
}

impl std::fmt::Display for QName {
    /// `{namespace}local`, or just `local` when in no namespace.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.ns {
            Some(ns) => write!(f, "{{{ns}}}{}", self.local),
            None => f.write_str(&self.local),
        }
    }
}

/// A QName-valued attribute value whose prefix no declaration in scope binds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: undeclared namespace prefix '{prefix}' in '{value}'")]
pub struct UndeclaredPrefix {
    pub prefix: String,
    pub value: String,
    /// Line of the element the value was read on.
    pub line: usize,
}

/// An attribute with its namespace resolved (unprefixed attributes have no namespace).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribute {
    pub ns: Option<String>,
    pub name: String,
    pub value: String,
}

/// The namespace declarations in scope: those of the nearest declaring element, then its
/// ancestors'. Elements that declare nothing share their parent's, so keeping them costs a
/// reference count per element.
pub(crate) type Scope = Option<Arc<Declarations>>;

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Declarations {
    /// `(prefix, URI)`, prefix "" for the default namespace, in document order.
    pub(crate) here: Vec<(String, String)>,
    pub(crate) outer: Scope,
}

/// The namespace URI `prefix` ("" for the default namespace) is bound to in `scope`; `None`
/// when unbound or undeclared (`xmlns=""`).
pub(crate) fn lookup<'a>(mut scope: Option<&'a Declarations>, prefix: &str) -> Option<&'a str> {
    if prefix == "xml" {
        return Some(XML_NS);
    }
    while let Some(d) = scope {
        // Compared as bytes: prefixes are a few letters or none, and `==` on strings calls
        // `memcmp` even for two empty ones, for each element's name.
        let same = |p: &String| p.len() == prefix.len() && p.bytes().eq(prefix.bytes());
        if let Some((_, uri)) = d.here.iter().rev().find(|(p, _)| same(p)) {
            return Some(uri.as_str()).filter(|uri| !uri.is_empty());
        }
        scope = d.outer.as_deref();
    }
    None
}

/// An element with its namespace resolved. `text` is the concatenation of all
/// direct character data (text and CDATA) of the element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// Namespace URI, `None` when the element is in no namespace.
    pub ns: Option<String>,
    /// Local name.
    pub name: String,
    /// Attributes other than namespace declarations.
    pub attrs: Vec<Attribute>,
    pub children: Vec<Element>,
    pub text: String,
    /// 1-based line of the start tag (0 when built by hand).
    pub line: usize,
    /// 1-based column, in characters, of the start tag's `<` (0 when built by hand).
    pub column: usize,
    /// Byte offset into the parent's `text` at which this element occurs
    /// (keeps mixed content re-serialisable in order).
    pub text_offset: usize,
    pub(crate) scope: Scope,
}

impl Element {
    /// A new element with no attributes, children or text.
    pub fn new(ns: Option<&str>, name: &str) -> Element {
        Element {
            ns: ns.map(str::to_owned),
            name: name.to_owned(),
            ..Default::default()
        }
    }

    /// Whether this is the element `{ns}local`.
    #[inline]
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.ns.as_deref() == Some(ns) && self.name == local
    }

    /// The value of the un-namespaced attribute `local`.
    #[inline]
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is_none() && a.name == local)
            .map(|a| a.value.as_str())
    }

    /// The value of attribute `{ns}local`.
    #[inline]
    pub fn attr_ns(&self, ns: &str, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.as_deref() == Some(ns) && a.name == local)
            .map(|a| a.value.as_str())
    }

    /// The first child named `{ns}local` (`ns` `None` = no namespace).
    #[inline]
    pub fn child(&self, ns: Option<&str>, local: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.ns.as_deref() == ns && c.name == local)
    }

    /// All children named `{ns}local`.
    #[inline]
    pub fn children_named<'a>(
        &'a self,
        ns: Option<&'a str>,
        local: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children
            .iter()
            .filter(move |c| c.ns.as_deref() == ns && c.name == local)
    }

    /// The children in namespace `ns`, whatever their names.
    pub fn elements<'a>(&'a self, ns: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children
            .iter()
            .filter(move |c| c.ns.as_deref() == Some(ns))
    }

    /// Whether `text` is only whitespace.
    #[inline]
    pub fn text_is_blank(&self) -> bool {
        self.text.bytes().all(|b| b.is_ascii_whitespace())
    }

    /// The namespace URI `prefix` ("" for the default namespace) is bound to here; `None` when
    /// unbound or undeclared (`xmlns=""`).
    pub fn lookup_namespace(&self, prefix: &str) -> Option<&str> {
        lookup(self.scope.as_deref(), prefix)
    }

    /// Resolves a QName-valued attribute value (`tns:Price`, `xs:string`, `xml:space`) against
    /// the namespace declarations in scope here; an unprefixed name takes the default
    /// namespace, as XML Schema reads type and element references.
    pub fn resolve(&self, value: &str) -> Result<QName, UndeclaredPrefix> {
        let value = value.trim();
        let (prefix, local) = value.split_once(':').unwrap_or(("", value));
        let ns = self.lookup_namespace(prefix);
        if ns.is_none() && !prefix.is_empty() {
            return Err(UndeclaredPrefix {
                prefix: prefix.to_owned(),
                value: value.to_owned(),
                line: self.line,
            });
        }
        Ok(QName::new(ns, local))
    }

    /// Serialises this element as XML, declaring its namespaces (no XML declaration).
    pub fn to_xml_string(&self) -> String {
        let mut out = String::new();
        self.write_xml(&mut out, None);
        out
    }

    /// Serialises the content (text and child elements, in document order) of this
    /// element; each top-level child declares its namespace.
    pub fn inner_xml(&self) -> String {
        let mut out = String::new();
        self.write_content(&mut out, None);
        out
    }

    fn write_content(&self, out: &mut String, default_ns: Option<&str>) {
        let mut pos = 0usize;
        for c in &self.children {
            let off = c.text_offset.clamp(pos, self.text.len());
            if let Some(seg) = self.text.get(pos..off) {
                escape_text_into(out, seg);
            }
            pos = off;
            c.write_xml(out, default_ns);
        }
        if let Some(seg) = self.text.get(pos..) {
            escape_text_into(out, seg);
        }
    }

    fn write_xml(&self, out: &mut String, default_ns: Option<&str>) {
        out.push('<');
        out.push_str(&self.name);
        if self.ns.as_deref() != default_ns {
            out.push_str(" xmlns=\"");
            escape_attr_into(out, self.ns.as_deref().unwrap_or(""));
            out.push('"');
        }
        let mut n = 0;
        for a in &self.attrs {
            out.push(' ');
            match a.ns.as_deref() {
                None => {}
                Some(XML_NS) => out.push_str("xml:"),
                Some(ns) => {
                    out.push_str("xmlns:a");
                    out.push_str(&n.to_string());
                    out.push_str("=\"");
                    escape_attr_into(out, ns);
                    out.push_str("\" a");
                    out.push_str(&n.to_string());
                    out.push(':');
                    n += 1;
                }
            }
            out.push_str(&a.name);
            out.push_str("=\"");
            escape_attr_into(out, &a.value);
            out.push('"');
        }
        if self.children.is_empty() && self.text.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        self.write_content(out, self.ns.as_deref());
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}
