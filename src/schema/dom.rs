//! Reads schema documents (the bundled XSDs, the WSDL's embedded schema) into a small tree that
//! keeps what compiling them needs: element names, attributes, and the namespace declarations in
//! scope, so that QName-valued attributes (`type="tns:Price"`, `ref="xml:space"`) resolve.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::model::{QName, XML_NS};

pub const XS: &str = "http://www.w3.org/2001/XMLSchema";

#[derive(Debug, Clone)]
pub struct Node {
    pub ns: Option<String>,
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// In-scope namespace declarations (prefix "" = default), innermost last.
    scope: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub line: usize,
}

impl Node {
    /// Whether this is the XML Schema element `xs:{name}`.
    pub fn is_xs(&self, name: &str) -> bool {
        self.ns.as_deref() == Some(XS) && self.name == name
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// XML Schema children, annotations left out.
    pub fn xs_children(&self) -> impl Iterator<Item = &Node> {
        self.children
            .iter()
            .filter(|c| c.ns.as_deref() == Some(XS) && c.name != "annotation")
    }

    /// Resolves a QName-valued attribute value against the namespaces in scope here.
    pub fn resolve(&self, value: &str) -> Result<QName, String> {
        let value = value.trim();
        let (prefix, local) = value.split_once(':').unwrap_or(("", value));
        if prefix == "xml" {
            return Ok(QName::new(Some(XML_NS), local));
        }
        let ns = self
            .scope
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.as_str())
            .filter(|u| !u.is_empty());
        if ns.is_none() && !prefix.is_empty() {
            return Err(format!(
                "line {}: undeclared namespace prefix '{prefix}' in '{value}'",
                self.line
            ));
        }
        Ok(QName::new(ns, local))
    }

    /// Every `xs:schema` element in this tree (the root itself, or those inside a WSDL).
    pub fn schemas(&self) -> Vec<&Node> {
        if self.is_xs("schema") {
            return vec![self];
        }
        self.children.iter().flat_map(Node::schemas).collect()
    }
}

fn start_node(
    s: &BytesStart<'_>,
    parent_scope: &[(String, String)],
    line: usize,
) -> Result<Node, String> {
    let mut scope = parent_scope.to_vec();
    let mut attrs = Vec::new();
    for a in s.attributes() {
        let a = a.map_err(|e| format!("line {line}: {e}"))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|e| format!("line {line}: {e}"))?
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
    let mut node = Node {
        ns: None,
        name: String::new(),
        attrs,
        scope,
        children: Vec::new(),
        line,
    };
    let q = node.resolve(&raw)?;
    node.ns = q.ns;
    node.name = q.local;
    Ok(node)
}

/// Parses a schema document (or a WSDL) into its root node; text content is dropped.
pub fn parse(text: &str) -> Result<Node, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Node> = Vec::new();
    let mut root = None;
    // Lines are counted incrementally: positions only grow.
    let (mut counted, mut line) = (0usize, 1usize);
    let mut line_at = |pos: usize| {
        let pos = pos.min(text.len());
        if pos > counted {
            line += text.as_bytes()[counted..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted = pos;
        }
        line
    };
    loop {
        let pos = reader.buffer_position() as usize;
        let ev = reader
            .read_event()
            .map_err(|e| format!("line {}: {e}", line_at(reader.error_position() as usize)))?;
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                let scope = stack.last().map(|n| n.scope.as_slice()).unwrap_or(&[]);
                let node = start_node(s, scope, line_at(pos))?;
                if matches!(ev, Event::Start(_)) {
                    stack.push(node);
                } else {
                    match stack.last_mut() {
                        Some(p) => p.children.push(node),
                        None => root = Some(node),
                    }
                }
            }
            Event::End(_) => {
                let node = stack.pop().ok_or("unbalanced end tag")?;
                match stack.last_mut() {
                    Some(p) => p.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    root.ok_or_else(|| "empty schema document".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qnames_resolve_through_scope() {
        let root = parse(
            r#"<w:definitions xmlns:w="urn:w" xmlns:t="urn:t"><w:types>
                 <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:d">
                   <xs:element name="a" type="t:A"/><xs:element ref="b"/><xs:attribute ref="xml:space"/>
                   <xs:element name="c" type="xs:string"/><xs:element name="d" type="q:x"/>
                 </xs:schema></w:types></w:definitions>"#,
        )
        .unwrap();
        let schemas = root.schemas();
        assert_eq!(schemas.len(), 1);
        let kids: Vec<&Node> = schemas[0].xs_children().collect();
        assert_eq!(
            kids[0].resolve("t:A").unwrap(),
            QName::new(Some("urn:t"), "A")
        );
        assert_eq!(
            kids[1].resolve("b").unwrap(),
            QName::new(Some("urn:d"), "b")
        );
        assert_eq!(
            kids[2].resolve("xml:space").unwrap(),
            QName::new(Some(XML_NS), "space")
        );
        assert_eq!(
            kids[3].resolve("xs:string").unwrap(),
            QName::new(Some(XS), "string")
        );
        assert!(kids[4].resolve("q:x").is_err());
    }
}
