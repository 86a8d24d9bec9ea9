//! A tiny namespace-aware DOM for reading schema files (build-time only).

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::Error;

pub const XS: &str = "http://www.w3.org/2001/XMLSchema";
pub const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";

/// A resolved qualified name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QName {
    pub ns: Option<String>,
    pub local: String,
}

impl std::fmt::Display for QName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.ns {
            Some(ns) => write!(f, "{{{}}}{}", ns, self.local),
            None => f.write_str(&self.local),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub ns: Option<String>,
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// In-scope namespace declarations (prefix "" = default), innermost last.
    pub scope: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub line: usize,
}

impl Node {
    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.ns.as_deref() == Some(ns) && self.name == name
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn req_attr(&self, name: &str) -> Result<&str, Error> {
        self.attr(name).ok_or_else(|| {
            Error::new(format!(
                "line {}: <{}> lacks attribute '{}'",
                self.line, self.name, name
            ))
        })
    }

    /// Resolves a QName-valued attribute (`tns:Price`, `xs:string`).
    pub fn resolve(&self, value: &str) -> Result<QName, Error> {
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (p, l),
            None => ("", value),
        };
        let ns = self
            .scope
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.clone());
        if ns.is_none() && !prefix.is_empty() {
            return Err(Error::new(format!(
                "line {}: undeclared namespace prefix '{}' in '{}'",
                self.line, prefix, value
            )));
        }
        Ok(QName {
            ns,
            local: local.to_string(),
        })
    }

    pub fn elements<'a>(&'a self, ns: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children
            .iter()
            .filter(move |c| c.ns.as_deref() == Some(ns))
    }
}

fn line_of(input: &[u8], pos: usize) -> usize {
    1 + input[..pos.min(input.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

fn start_node(
    s: &BytesStart<'_>,
    parent_scope: &[(String, String)],
    line: usize,
) -> Result<Node, Error> {
    let mut scope = parent_scope.to_vec();
    let mut attrs = Vec::new();
    for a in s.attributes() {
        let a = a.map_err(|e| Error::new(format!("line {line}: {e}")))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|e| Error::new(format!("line {line}: {e}")))?
            .into_owned();
        if key == "xmlns" {
            scope.push((String::new(), value));
        } else if let Some(p) = key.strip_prefix("xmlns:") {
            scope.push((p.to_string(), value));
        } else {
            attrs.push((key, value));
        }
    }
    let raw = String::from_utf8_lossy(s.name().as_ref()).into_owned();
    let (prefix, local) = match raw.split_once(':') {
        Some((p, l)) => (p.to_string(), l.to_string()),
        None => (String::new(), raw.clone()),
    };
    let ns = scope
        .iter()
        .rev()
        .find(|(p, _)| *p == prefix)
        .map(|(_, u)| u.clone());
    if ns.is_none() && !prefix.is_empty() {
        return Err(Error::new(format!(
            "line {line}: undeclared prefix '{prefix}'"
        )));
    }
    Ok(Node {
        ns,
        name: local,
        attrs,
        scope,
        children: Vec::new(),
        line,
    })
}

/// Parses a document into its root node (text content is ignored).
pub fn parse(text: &str) -> Result<Node, Error> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Node> = Vec::new();
    let mut root = None;
    let (mut last, mut line) = (0usize, 1usize);
    let mut line_at = |pos: usize| {
        line += text.as_bytes()[last..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        last = pos;
        line
    };
    loop {
        let pos = reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| {
            Error::new(format!(
                "line {}: {}",
                line_of(text.as_bytes(), reader.error_position() as usize),
                e
            ))
        })?;
        match ev {
            Event::Start(ref s) => {
                let scope = stack.last().map(|n| n.scope.as_slice()).unwrap_or(&[]);
                let node = start_node(s, scope, line_at(pos))?;
                stack.push(node);
            }
            Event::Empty(ref s) => {
                let scope = stack.last().map(|n| n.scope.as_slice()).unwrap_or(&[]);
                let node = start_node(s, scope, line_at(pos))?;
                match stack.last_mut() {
                    Some(p) => p.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::End(_) => {
                let node = stack
                    .pop()
                    .ok_or_else(|| Error::new("unbalanced end tag"))?;
                match stack.last_mut() {
                    Some(p) => p.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::DocType(_) => return Err(Error::new("DOCTYPE not supported in schema files")),
            Event::Eof => break,
            _ => {}
        }
    }
    root.ok_or_else(|| Error::new("empty document"))
}
