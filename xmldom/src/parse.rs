//! Reading a document into its root [`Element`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use quick_xml::escape::EscapeError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::chars::first_non_xml_char;
use crate::element::{lookup, Attribute, Declarations, Element, Scope};
use crate::{XMLNS_NS, XML_NS};

/// Bounds enforced by [`parse`], each checked before the work it bounds is done, so that no
/// document costs more than linear time in its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseLimits {
    /// Maximum element nesting depth (the root is depth 1).
    pub max_depth: usize,
    /// Maximum number of elements in the document.
    pub max_elements: usize,
    /// Maximum attributes on one element, namespace declarations not counted.
    pub max_attributes: usize,
    /// Maximum namespace declarations in scope at once (on an element and its ancestors):
    /// every name is resolved against them.
    pub max_namespace_declarations: usize,
    /// Maximum bytes of character data directly inside one element.
    pub max_text_bytes: usize,
}

impl ParseLimits {
    /// No bounds, for the project's own files only (schemas, WSDL): nesting is still limited
    /// by the stack, as dropping a tree recurses.
    pub const UNLIMITED: ParseLimits = ParseLimits {
        max_depth: usize::MAX,
        max_elements: usize::MAX,
        max_attributes: usize::MAX,
        max_namespace_declarations: usize::MAX,
        max_text_bytes: usize::MAX,
    };
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_depth: 64,
            max_elements: 100_000,
            max_attributes: 256,
            max_namespace_declarations: 256,
            max_text_bytes: 4 * 1024 * 1024,
        }
    }
}

/// Why a document could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("XML document type declarations (DOCTYPE) are not allowed (line {line})")]
    DocType { line: usize },
    #[error("reference to undeclared entity '&{name};' at line {line}")]
    UnknownEntity { name: String, line: usize },
    #[error("undeclared namespace prefix '{prefix}' at line {line}")]
    UnknownPrefix { prefix: String, line: usize },
    #[error("elements nested deeper than {max} levels at line {line}")]
    TooDeep { max: usize, line: usize },
    #[error("document has more than {max} elements (line {line})")]
    TooManyElements { max: usize, line: usize },
    #[error("element has more than {max} attributes at line {line}")]
    TooManyAttributes { max: usize, line: usize },
    #[error("more than {max} namespace declarations in scope at line {line}")]
    TooManyNamespaces { max: usize, line: usize },
    #[error("element text longer than {max} bytes at line {line}")]
    TextTooLong { max: usize, line: usize },
    #[error("attribute '{name}' given twice at line {line}")]
    DuplicateAttribute { name: String, line: usize },
    #[error("character U+{code:04X} is not allowed in XML 1.0 (line {line})")]
    NotACharacter { code: u32, line: usize },
    #[error("the document is not UTF-8 (line {line})")]
    NotUtf8 { line: usize },
    #[error("document has no root element")]
    NoRoot,
    #[error("unexpected content after the root element at line {line}")]
    TrailingContent { line: usize },
    #[error("text outside the root element at line {line}")]
    TextOutsideRoot { line: usize },
    #[error("document ended before element '{name}' was closed")]
    Unclosed { name: String },
    #[error("malformed XML at line {line}: {message}")]
    Syntax { line: usize, message: String },
}

impl ParseError {
    /// 1-based line the error was found at, if known.
    pub fn line(&self) -> Option<usize> {
        match self {
            ParseError::DocType { line }
            | ParseError::UnknownEntity { line, .. }
            | ParseError::UnknownPrefix { line, .. }
            | ParseError::TooDeep { line, .. }
            | ParseError::TooManyElements { line, .. }
            | ParseError::TooManyAttributes { line, .. }
            | ParseError::TooManyNamespaces { line, .. }
            | ParseError::TextTooLong { line, .. }
            | ParseError::DuplicateAttribute { line, .. }
            | ParseError::NotACharacter { line, .. }
            | ParseError::NotUtf8 { line }
            | ParseError::TrailingContent { line }
            | ParseError::TextOutsideRoot { line }
            | ParseError::Syntax { line, .. } => Some(*line),
            ParseError::NoRoot | ParseError::Unclosed { .. } => None,
        }
    }
}

/// Incremental line counter over the input.
struct Lines<'a> {
    input: &'a [u8],
    pos: usize,
    line: usize,
    /// 1-based column, in characters, of `pos`.
    col: usize,
}

impl Lines<'_> {
    /// 1-based column, in characters, of byte offset `pos`.
    fn column(&mut self, pos: usize) -> usize {
        self.at(pos);
        self.col
    }

    fn at(&mut self, pos: usize) -> usize {
        let pos = pos.min(self.input.len());
        let from = if pos >= self.pos {
            self.pos
        } else {
            self.line = 1;
            self.col = 1;
            0
        };
        // Incremental, so that long single-line documents stay linear; counted in passes the
        // compiler vectorises rather than a byte at a time. Most runs (one tag to the next)
        // hold no newline, so the backward search for the last one runs only when one is there.
        let run = &self.input[from..pos];
        let newlines = run.iter().filter(|&&b| b == b'\n').count();
        let last_newline = (newlines > 0)
            .then(|| run.iter().rposition(|&b| b == b'\n'))
            .flatten();
        let tail = match last_newline {
            Some(last) => {
                self.line += newlines;
                self.col = 1;
                &run[last + 1..]
            }
            None => run,
        };
        // Only UTF-8 lead bytes start a character; in ASCII, every byte does.
        self.col += if tail.is_ascii() {
            tail.len()
        } else {
            tail.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
        };
        self.pos = pos;
        self.line
    }
}

fn map_err(e: quick_xml::Error, line: usize) -> ParseError {
    match e {
        quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(_, name)) => {
            ParseError::UnknownEntity { name, line }
        }
        quick_xml::Error::Escape(EscapeError::UnterminatedEntity(_)) => ParseError::Syntax {
            line,
            message: "'&' not followed by an entity or character reference".into(),
        },
        other => ParseError::Syntax {
            line,
            message: other.to_string(),
        },
    }
}

fn utf8(b: &[u8], line: usize) -> Result<&str, ParseError> {
    std::str::from_utf8(b).map_err(|_| ParseError::Syntax {
        line,
        message: "invalid UTF-8 in a name".into(),
    })
}

/// Refuses a value holding a character XML 1.0 does not allow. Only values that references
/// changed need this: the raw input was checked whole.
#[allow(clippy::ptr_arg)] // Borrowed or owned is the point: only owned values changed.
fn check_unescaped(value: &Cow<'_, str>, line: usize) -> Result<(), ParseError> {
    match value {
        Cow::Owned(s) => match first_non_xml_char(s) {
            Some((_, c)) => Err(ParseError::NotACharacter {
                code: u32::from(c),
                line,
            }),
            None => Ok(()),
        },
        Cow::Borrowed(_) => Ok(()),
    }
}

/// The whole input is UTF-8 and holds only XML 1.0 characters: one linear pass, before any
/// element is built.
fn check_characters(input: &[u8], lines: &mut Lines<'_>) -> Result<(), ParseError> {
    let text = std::str::from_utf8(input).map_err(|e| ParseError::NotUtf8 {
        line: lines.at(e.valid_up_to()),
    })?;
    match first_non_xml_char(text) {
        Some((at, c)) => Err(ParseError::NotACharacter {
            code: u32::from(c),
            line: lines.at(at),
        }),
        None => Ok(()),
    }
}

/// Parses a complete document into its root element.
pub fn parse(input: &[u8], limits: &ParseLimits) -> Result<Element, ParseError> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut lines = Lines {
        input,
        pos: 0,
        line: 1,
        col: 1,
    };
    check_characters(input, &mut lines)?;
    // Names are resolved here rather than by quick-xml's `NsReader`, which takes in every
    // declaration of a start tag before the caps could be checked.
    let mut reader = Reader::from_reader(input);
    reader.config_mut().expand_empty_elements = false;
    let mut stack: Vec<Element> = Vec::new();
    // Namespace declarations in scope at each open element (its own and its ancestors').
    let mut in_scope: Vec<usize> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;

    loop {
        let before = reader.buffer_position() as usize;
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let line = lines.at(reader.error_position() as usize);
                return Err(map_err(e, line));
            }
        };
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                let empty = matches!(ev, Event::Empty(_));
                let line = lines.at(before);
                if root.is_some() {
                    return Err(ParseError::TrailingContent { line });
                }
                count += 1;
                if count > limits.max_elements {
                    return Err(ParseError::TooManyElements {
                        max: limits.max_elements,
                        line,
                    });
                }
                if stack.len() + 1 > limits.max_depth {
                    return Err(ParseError::TooDeep {
                        max: limits.max_depth,
                        line,
                    });
                }
                let scope = stack.last().and_then(|parent| parent.scope.clone());
                let outer = in_scope.last().copied().unwrap_or(0);
                let (mut el, declared) = start_element(s, line, scope, outer, limits)?;
                el.column = lines.column(before);
                if empty {
                    attach(&mut stack, &mut root, el);
                } else {
                    stack.push(el);
                    in_scope.push(outer + declared);
                }
            }
            Event::End(_) => {
                // quick-xml checks that end names match.
                if let Some(el) = stack.pop() {
                    in_scope.pop();
                    attach(&mut stack, &mut root, el);
                }
            }
            Event::Text(t) => {
                let s = match t.unescape() {
                    Ok(s) => s,
                    Err(quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(r, name))) => {
                        let line = lines.at(before + r.start);
                        return Err(ParseError::UnknownEntity { name, line });
                    }
                    Err(e) => return Err(map_err(e, lines.at(before))),
                };
                let line = lines.at(before);
                check_unescaped(&s, line)?;
                match stack.last_mut() {
                    Some(el) => push_text(el, &s, line, limits)?,
                    None => {
                        if !s.chars().all(char::is_whitespace) {
                            return Err(if root.is_some() {
                                ParseError::TrailingContent { line }
                            } else {
                                ParseError::TextOutsideRoot { line }
                            });
                        }
                    }
                }
            }
            Event::CData(c) => {
                let line = lines.at(before);
                let s = std::str::from_utf8(&c).map_err(|_| ParseError::Syntax {
                    line,
                    message: "invalid UTF-8 in CDATA".into(),
                })?;
                match stack.last_mut() {
                    Some(el) => push_text(el, s, line, limits)?,
                    None => return Err(ParseError::TextOutsideRoot { line }),
                }
            }
            Event::DocType(_) => {
                return Err(ParseError::DocType {
                    line: lines.at(before),
                });
            }
            Event::Decl(_) if count > 0 => {
                return Err(ParseError::Syntax {
                    line: lines.at(before),
                    message: "an XML declaration may only open the document".into(),
                });
            }
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.pop() {
        return Err(ParseError::Unclosed { name: open.name });
    }
    root.ok_or(ParseError::NoRoot)
}

fn push_text(
    el: &mut Element,
    s: &str,
    line: usize,
    limits: &ParseLimits,
) -> Result<(), ParseError> {
    if el.text.len() + s.len() > limits.max_text_bytes {
        return Err(ParseError::TextTooLong {
            max: limits.max_text_bytes,
            line,
        });
    }
    el.text.push_str(s);
    Ok(())
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, mut el: Element) {
    match stack.last_mut() {
        Some(parent) => {
            el.text_offset = parent.text.len();
            parent.children.push(el);
        }
        None => *root = Some(el),
    }
}

/// Whether `items` holds two equal keys: pairwise while that is cheaper than hashing, through a
/// set beyond, so that an element's checks stay linear in its attributes.
fn first_duplicate<K: Eq + std::hash::Hash + Copy>(
    items: impl ExactSizeIterator<Item = K>,
) -> Option<K> {
    const PAIRWISE: usize = 8;
    if items.len() <= PAIRWISE {
        let all: Vec<K> = items.collect();
        return (1..all.len())
            .find(|&i| all[..i].contains(&all[i]))
            .map(|i| all[i]);
    }
    let mut seen = HashSet::with_capacity(items.len());
    let mut items = items;
    items.find(|&k| !seen.insert(k))
}

/// Refuses an element or attribute name that is not a QName.
fn check_name(name: &str, line: usize) -> Result<(), ParseError> {
    if crate::chars::is_qname(name) {
        return Ok(());
    }
    Err(ParseError::Syntax {
        line,
        message: format!("'{name}' is not a qualified name"),
    })
}

/// Refuses attributes that are not separated by white space (`a="1"b="2"`), which quick-xml
/// takes. `raw` is the start tag after its name.
fn check_attribute_separation(raw: &[u8], line: usize) -> Result<(), ParseError> {
    // From quote to quote rather than a byte at a time: namespace URIs make most of a tag.
    let mut rest = raw;
    while let Some(open) = rest.iter().position(|&b| b == b'"' || b == b'\'') {
        let quote = rest[open];
        let value = &rest[open + 1..];
        // An unclosed value is quick-xml's to refuse.
        let Some(close) = value.iter().position(|&b| b == quote) else {
            break;
        };
        rest = &value[close + 1..];
        if rest
            .first()
            .is_some_and(|&b| !b.is_ascii_whitespace() && b != b'/')
        {
            return Err(ParseError::Syntax {
                line,
                message: "attributes must be separated by white space".into(),
            });
        }
    }
    Ok(())
}

/// `name` split at its first colon into prefix ("" when there is none) and local part.
fn split_name(name: &str) -> (&str, &str) {
    name.split_once(':').unwrap_or(("", name))
}

/// Refuses a declaration the Namespaces in XML recommendation forbids: the `xmlns` prefix, the
/// `xml` prefix bound elsewhere, or another prefix bound to either reserved namespace.
fn check_declaration(prefix: &str, uri: &str, line: usize) -> Result<(), ParseError> {
    let refused = match prefix {
        "xmlns" => Some("the prefix 'xmlns' cannot be declared".to_owned()),
        "xml" if uri != XML_NS => Some(format!("the prefix 'xml' can only be bound to {XML_NS}")),
        "xml" => None,
        _ if uri == XML_NS || uri == XMLNS_NS => {
            Some(format!("only its reserved prefix can be bound to {uri}"))
        }
        _ => None,
    };
    match refused {
        Some(message) => Err(ParseError::Syntax { line, message }),
        None => Ok(()),
    }
}

/// The namespace `prefix` names on an element or attribute in `scope`.
fn resolve_prefix(scope: &Scope, prefix: &str, line: usize) -> Result<Option<String>, ParseError> {
    match lookup(scope.as_deref(), prefix) {
        Some(ns) => Ok(Some(ns.to_owned())),
        None if prefix.is_empty() => Ok(None),
        None => Err(ParseError::UnknownPrefix {
            prefix: prefix.to_owned(),
            line,
        }),
    }
}

/// The element `s` starts, and how many namespace declarations it makes. `outer` is how many
/// are in scope around it. Each cap is checked as the attribute it counts is met, so that a
/// start tag over one costs no more than the attributes up to it.
fn start_element(
    s: &BytesStart<'_>,
    line: usize,
    mut scope: Scope,
    outer: usize,
    limits: &ParseLimits,
) -> Result<(Element, usize), ParseError> {
    // Names are resolved once every declaration of the tag is known: one may follow its use.
    let mut raw_attrs: Vec<(&str, String)> = Vec::new();
    let mut declared = Vec::new();
    // quick-xml's own duplicate check compares each key with every earlier one; ours hashes.
    check_attribute_separation(s.attributes_raw(), line)?;
    for a in s.attributes().with_checks(false) {
        let a = a.map_err(|e| ParseError::Syntax {
            line,
            message: e.to_string(),
        })?;
        // quick-xml takes a raw '<' in a value; XML does not.
        if a.value.contains(&b'<') {
            return Err(ParseError::Syntax {
                line,
                message: "'<' in an attribute value".into(),
            });
        }
        let key = utf8(a.key.into_inner(), line)?;
        // quick-xml takes any run of bytes up to '=' as a name; written back, such a name
        // could read as another (`:p:a` as `p:a`).
        check_name(key, line)?;
        let prefix = match key.strip_prefix("xmlns") {
            Some("") => Some(""),
            Some(rest) => rest.strip_prefix(':'),
            None => None,
        };
        if let Some(prefix) = prefix {
            if outer + declared.len() >= limits.max_namespace_declarations {
                return Err(ParseError::TooManyNamespaces {
                    max: limits.max_namespace_declarations,
                    line,
                });
            }
            if prefix.is_empty() && key != "xmlns" {
                return Err(ParseError::Syntax {
                    line,
                    message: "'xmlns:' declares no prefix".into(),
                });
            }
            let uri = a.unescape_value().map_err(|e| map_err(e, line))?;
            check_unescaped(&uri, line)?;
            check_declaration(prefix, &uri, line)?;
            declared.push((prefix.to_owned(), uri.into_owned()));
            continue;
        }
        if raw_attrs.len() >= limits.max_attributes {
            return Err(ParseError::TooManyAttributes {
                max: limits.max_attributes,
                line,
            });
        }
        let value = a.unescape_value().map_err(|e| map_err(e, line))?;
        check_unescaped(&value, line)?;
        raw_attrs.push((key, value.into_owned()));
    }
    if let Some(dup) = first_duplicate(declared.iter().map(|(p, _)| p.as_str())) {
        return Err(ParseError::DuplicateAttribute {
            name: if dup.is_empty() {
                "xmlns".to_owned()
            } else {
                format!("xmlns:{dup}")
            },
            line,
        });
    }
    let declared_here = declared.len();
    if !declared.is_empty() {
        scope = Some(Arc::new(Declarations {
            here: declared,
            outer: scope,
        }));
    }
    let qname = utf8(s.name().into_inner(), line)?;
    check_name(qname, line)?;
    let (prefix, name) = split_name(qname);
    let ns = resolve_prefix(&scope, prefix, line)?;
    let mut attrs = Vec::with_capacity(raw_attrs.len());
    for (key, value) in raw_attrs {
        let (prefix, local) = split_name(key);
        // An unprefixed attribute is in no namespace, whatever the default.
        let ans = match prefix {
            "" => None,
            _ => resolve_prefix(&scope, prefix, line)?,
        };
        attrs.push(Attribute {
            ns: ans,
            name: local.to_owned(),
            value,
        });
    }
    // Equal prefixed names resolve to equal expanded names, so this catches both.
    if let Some(dup) = first_duplicate(attrs.iter().map(|a| (a.ns.as_deref(), a.name.as_str()))) {
        return Err(ParseError::DuplicateAttribute {
            name: match dup.0 {
                Some(ns) => format!("{{{ns}}}{}", dup.1),
                None => dup.1.to_owned(),
            },
            line,
        });
    }
    Ok((
        Element {
            ns,
            name: name.to_owned(),
            attrs,
            children: Vec::new(),
            text: String::new(),
            line,
            column: 0,
            text_offset: 0,
            scope,
        },
        declared_here,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::QName;

    fn p(s: &str) -> Result<Element, ParseError> {
        parse(s.as_bytes(), &ParseLimits::default())
    }

    const SOAP: &str = "http://schemas.xmlsoap.org/soap/envelope/";
    const MT: &str = "http://requester.mturk.amazonaws.com/doc/2014-08-15";

    #[test]
    fn prefixes_resolve_to_the_same_namespace() {
        for doc in [
            format!(
                r#"<soap:Envelope xmlns:soap="{SOAP}"><soap:Body><mt:GetHIT xmlns:mt="{MT}"><mt:Request/></mt:GetHIT></soap:Body></soap:Envelope>"#
            ),
            format!(
                r#"<S:Envelope xmlns:S="{SOAP}"><S:Body><GetHIT xmlns="{MT}"><Request/></GetHIT></S:Body></S:Envelope>"#
            ),
            format!(
                r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP}" xmlns:ns1="{MT}"><SOAP-ENV:Body><ns1:GetHIT><ns1:Request></ns1:Request></ns1:GetHIT></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
            ),
        ] {
            let env = p(&doc).unwrap();
            assert_eq!(env.ns.as_deref(), Some(SOAP));
            assert_eq!(env.name, "Envelope");
            let body = env.child(Some(SOAP), "Body").unwrap();
            let op = body.child(Some(MT), "GetHIT").unwrap();
            assert!(op.child(Some(MT), "Request").is_some(), "{doc}");
        }
    }

    #[test]
    fn doubly_declared_envelope_namespace() {
        let doc = format!(
            r#"<?xml version="1.0"?><soap:Envelope xmlns:soap="{SOAP}" xmlns:soapenv="{SOAP}"><soapenv:Body><x:A xmlns:x="{MT}" soap:encodingStyle="e"/></soapenv:Body></soap:Envelope>"#
        );
        let env = p(&doc).unwrap();
        let body = env.child(Some(SOAP), "Body").unwrap();
        let a = body.child(Some(MT), "A").unwrap();
        assert_eq!(a.attr_ns(SOAP, "encodingStyle"), Some("e"));
        assert_eq!(a.attr("encodingStyle"), None);
    }

    #[test]
    fn default_namespace_and_undeclaring() {
        let e = p(r#"<a xmlns="urn:x"><b/><c xmlns=""><d/></c></a>"#).unwrap();
        assert_eq!(e.ns.as_deref(), Some("urn:x"));
        assert_eq!(e.children[0].ns.as_deref(), Some("urn:x"));
        assert_eq!(e.children[1].ns, None);
        assert_eq!(e.children[1].children[0].ns, None);
    }

    #[test]
    fn doctype_is_refused() {
        let err =
            p(r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>"#).unwrap_err();
        assert!(matches!(err, ParseError::DocType { line: 1 }), "{err:?}");
        assert!(err.to_string().contains("DOCTYPE"));
        let err = p("<!DOCTYPE a SYSTEM \"file:///etc/passwd\">\n<a/>").unwrap_err();
        assert!(matches!(err, ParseError::DocType { .. }));
    }

    #[test]
    fn unknown_entity_is_refused() {
        let err = p("<a>\n&xxe;</a>").unwrap_err();
        assert_eq!(
            err,
            ParseError::UnknownEntity {
                name: "xxe".into(),
                line: 2
            }
        );
        let err = p(r#"<a b="&nbsp;"/>"#).unwrap_err();
        assert!(matches!(err, ParseError::UnknownEntity { .. }), "{err:?}");
    }

    #[test]
    fn predefined_entities_char_refs_cdata_comments_pis() {
        let e = p("<a>x &amp; &lt;&gt;&quot;&apos; &#65;&#x42;<!-- c --><?pi x?><![CDATA[<b>&amp;</b>]]>y</a>").unwrap();
        assert_eq!(e.text, "x & <>\"' AB<b>&amp;</b>y");
        assert!(e.children.is_empty());
    }

    #[test]
    fn mixed_content_text_is_concatenated_and_reserialisable() {
        let e = p(r#"<a xmlns="urn:a">one <b x="1&amp;">two</b> three<c/></a>"#).unwrap();
        assert_eq!(e.text, "one  three");
        assert_eq!(
            e.inner_xml(),
            r#"one <b xmlns="urn:a" x="1&amp;">two</b> three<c xmlns="urn:a"/>"#
        );
        assert_eq!(
            e.to_xml_string(),
            r#"<a xmlns="urn:a">one <b x="1&amp;">two</b> three<c/></a>"#
        );
        let q = p(r#"<Question><QuestionForm xmlns="urn:q"><Overview><Text>&lt;hi&gt;</Text></Overview></QuestionForm></Question>"#).unwrap();
        assert_eq!(
            q.inner_xml(),
            r#"<QuestionForm xmlns="urn:q"><Overview><Text>&lt;hi&gt;</Text></Overview></QuestionForm>"#
        );
    }

    #[test]
    fn depth_and_count_limits() {
        let deep = "<a>".repeat(70) + &"</a>".repeat(70);
        assert!(matches!(
            p(&deep).unwrap_err(),
            ParseError::TooDeep { max: 64, .. }
        ));
        let ok = "<a>".repeat(64) + &"</a>".repeat(64);
        assert!(p(&ok).is_ok());
        let many = format!("<r>{}</r>", "<x/>".repeat(20));
        let lim = ParseLimits {
            max_depth: 8,
            max_elements: 10,
            ..ParseLimits::default()
        };
        assert!(matches!(
            parse(many.as_bytes(), &lim).unwrap_err(),
            ParseError::TooManyElements { max: 10, .. }
        ));
    }

    #[test]
    fn malformed_documents() {
        let err = |doc: &str| p(doc).unwrap_err();
        assert!(matches!(err("<a><b></a>"), ParseError::Syntax { .. }));
        assert!(matches!(
            err("<a>"),
            ParseError::Unclosed { .. } | ParseError::Syntax { .. }
        ));
        assert_eq!(err(""), ParseError::NoRoot);
        assert!(matches!(
            err("<a/><b/>"),
            ParseError::TrailingContent { .. }
        ));
        assert!(matches!(
            err("hello<a/>"),
            ParseError::TextOutsideRoot { .. }
        ));
        assert!(matches!(err("<x:a/>"), ParseError::UnknownPrefix { .. }));
        assert!(matches!(err("<a>&</a>"), ParseError::Syntax { .. }));
    }

    /// Found by the `document` fuzz target: names quick-xml takes that XML does not, which
    /// written back would read as other names.
    #[test]
    fn names_separation_and_a_late_declaration() {
        let syntax = |doc: &str| match p(doc) {
            Err(ParseError::Syntax { message, .. }) => message,
            other => panic!("{doc}: {other:?}"),
        };
        let doc = r#"<a xmlns:xsi="urn:x" :xsi:s)l="1"/>"#;
        assert_eq!(syntax(doc), "':xsi:s)l' is not a qualified name");
        assert!(syntax("<1a/>").contains("not a qualified name"));
        assert!(syntax("<a:b:c xmlns:a='urn:a'/>").contains("not a qualified name"));
        assert!(syntax("<a xmlns:1='urn:a'/>").contains("not a qualified name"));
        for doc in [
            r#"<a x="1"y="2"/>"#,
            r#"<a x='"'y="2"/>"#,
            r#"<a x="'"y='2'/>"#,
        ] {
            assert_eq!(
                syntax(doc),
                "attributes must be separated by white space",
                "{doc}"
            );
        }
        assert_eq!(p(r#"<a x="'" y='"'/>"#).unwrap().attr("y"), Some("\""));
        assert_eq!(
            syntax("<a><?xml version='1.0'?></a>"),
            "an XML declaration may only open the document"
        );
        let fine = p("<?xml version='1.0'?>\n<a x='1' y=\"2\"\n z='3'/>").unwrap();
        assert_eq!(fine.attrs.len(), 3);
    }

    #[test]
    fn lines_and_bom() {
        let e = parse(
            "\u{feff}<a>\n<b/>\n\n<c/></a>".as_bytes(),
            &ParseLimits::default(),
        )
        .unwrap();
        assert_eq!(e.line, 1);
        assert_eq!(e.children[0].line, 2);
        assert_eq!(e.children[1].line, 4);
    }

    #[test]
    fn columns_count_characters_from_the_line_start() {
        let e = p("<a>\n  <b/><c/>\n\u{e9}\u{e9}<d/></a>").unwrap();
        assert_eq!((e.line, e.column), (1, 1));
        assert_eq!((e.children[0].line, e.children[0].column), (2, 3));
        assert_eq!((e.children[1].line, e.children[1].column), (2, 7));
        assert_eq!((e.children[2].line, e.children[2].column), (3, 3));
    }

    #[test]
    fn qname_values_resolve_through_the_declarations_in_scope() {
        let root = p(r#"<w:definitions xmlns:w="urn:w" xmlns:t="urn:t"><w:types>
                 <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:d">
                   <xs:element name="a" type="t:A"/><xs:element ref="b"/><xs:attribute ref="xml:space"/>
                   <xs:element name="c" type=" xs:string "/><xs:element name="d" type="q:x"/>
                   <e xmlns=""/><w:f xmlns:w="urn:w2"/>
                 </xs:schema></w:types></w:definitions>"#)
        .unwrap();
        let types = root.elements("urn:w").next().unwrap();
        let schema = types.elements(crate::XS_NS).next().unwrap();
        assert!(schema.is(crate::XS_NS, "schema"));
        let kids = &schema.children;
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
            QName::new(Some(crate::XML_NS), "space")
        );
        assert_eq!(
            kids[3].resolve(kids[3].attr("type").unwrap()).unwrap(),
            QName::new(Some(crate::XS_NS), "string")
        );
        let err = kids[4].resolve("q:x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 4: undeclared namespace prefix 'q' in 'q:x'"
        );
        assert_eq!(kids[5].ns, None);
        assert_eq!(kids[5].resolve("b").unwrap(), QName::new(None, "b"));
        assert_eq!(kids[6].ns.as_deref(), Some("urn:w2"));
        assert_eq!(kids[6].lookup_namespace("w"), Some("urn:w2"));
        assert_eq!(kids[5].lookup_namespace("w"), Some("urn:w"));
        assert!(kids[6].attrs.is_empty());
    }

    #[test]
    fn attribute_namespace_and_text_caps() {
        let lim = ParseLimits {
            max_attributes: 3,
            max_namespace_declarations: 2,
            max_text_bytes: 4,
            ..ParseLimits::default()
        };
        let q = |doc: &str| parse(doc.as_bytes(), &lim);
        assert!(q(r#"<a x="1" y="2" z="3" xmlns="urn:a" xmlns:b="urn:b">abcd</a>"#).is_ok());
        assert!(matches!(
            q(r#"<a w="0" x="1" y="2" z="3"/>"#).unwrap_err(),
            ParseError::TooManyAttributes { max: 3, .. }
        ));
        // Declarations count across the elements in scope, and no longer once closed.
        assert!(matches!(
            q(r#"<a xmlns:p="urn:p"><b xmlns:q="urn:q"><c xmlns:r="urn:r"/></b></a>"#).unwrap_err(),
            ParseError::TooManyNamespaces { max: 2, .. }
        ));
        assert!(q(r#"<a xmlns:p="urn:p"><b xmlns:q="urn:q"/><c xmlns:r="urn:r"/></a>"#).is_ok());
        assert!(matches!(
            q("<a>ab<![CDATA[cde]]></a>").unwrap_err(),
            ParseError::TextTooLong { max: 4, .. }
        ));
    }

    #[test]
    fn duplicate_attributes_are_refused_by_expanded_name() {
        for doc in [
            r#"<a x="1" x="2"/>"#,
            r#"<a xmlns:p="urn:p" xmlns:q="urn:p" p:x="1" q:x="2"/>"#,
            r#"<a xmlns:p="urn:p" xmlns:p="urn:q"/>"#,
        ] {
            assert!(
                matches!(p(doc).unwrap_err(), ParseError::DuplicateAttribute { .. }),
                "{doc}"
            );
        }
        let many: String = (0..100).map(|i| format!(" a{i}=\"\"")).collect();
        assert!(p(&format!("<e{many}/>")).is_ok());
        assert!(matches!(
            p(&format!("<e{many} a57=\"\"/>")).unwrap_err(),
            ParseError::DuplicateAttribute { name, .. } if name == "a57"
        ));
        assert!(p(r#"<a xmlns:p="urn:p" x="1" p:x="2"/>"#).is_ok());
    }

    #[test]
    fn only_xml_characters_are_taken_raw_or_referenced() {
        for doc in [
            "<a>\u{1}</a>",
            "<a>&#x1;</a>",
            "<a>&#1;</a>",
            "<a>\u{FFFE}</a>",
            "<a>&#xFFFE;</a>",
            "<a>&#xFFFF;</a>",
            "<a x=\"&#x1F;\"/>",
            "<a xmlns:p=\"urn:&#xB;\"/>",
            "<a><!-- \u{0} --></a>",
            "<a><![CDATA[\u{FFFF}]]></a>",
        ] {
            assert!(
                matches!(p(doc).unwrap_err(), ParseError::NotACharacter { .. }),
                "{doc:?}"
            );
        }
        assert!(matches!(
            parse(b"<a>\xFF</a>", &ParseLimits::default()).unwrap_err(),
            ParseError::NotUtf8 { line: 1 }
        ));
        let ok = p("<a x=\"&#x9;&#xA;&#xD;\">&#xFFFD;&#x10FFFF;\u{E000}\t\r\n</a>").unwrap();
        assert_eq!(ok.text, "\u{FFFD}\u{10FFFF}\u{E000}\t\r\n");
    }

    #[test]
    fn namespace_names_have_their_references_replaced() {
        let e = p(r#"<a xmlns="urn:x&amp;y" xmlns:p="urn:&#x3C;" p:b="1"/>"#).unwrap();
        assert_eq!(e.ns.as_deref(), Some("urn:x&y"));
        assert_eq!(e.attrs[0].ns.as_deref(), Some("urn:<"));
        assert_eq!(e.lookup_namespace("p"), Some("urn:<"));
        let again = p(&e.to_xml_string()).unwrap();
        assert_eq!(again.to_xml_string(), e.to_xml_string());
        assert!(matches!(
            p(r#"<a b="x<y"/>"#).unwrap_err(),
            ParseError::Syntax { .. }
        ));
    }

    #[test]
    fn declarations_apply_to_the_whole_tag_and_reserved_ones_are_refused() {
        let e = p(r#"<p:a p:x="1" xml:lang="en" xmlns:p="urn:p"/>"#).unwrap();
        assert_eq!(e.ns.as_deref(), Some("urn:p"));
        assert_eq!(e.attr_ns("urn:p", "x"), Some("1"));
        assert_eq!(e.attr_ns(crate::XML_NS, "lang"), Some("en"));
        assert!(p(&format!(r#"<a xmlns:xml="{}"/>"#, crate::XML_NS)).is_ok());
        for doc in [
            r#"<a xmlns:xml="urn:x"/>"#,
            r#"<a xmlns:xmlns="urn:x"/>"#,
            r#"<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>"#,
            r#"<a xmlns="http://www.w3.org/2000/xmlns/"/>"#,
            r#"<a xmlns:="urn:x"/>"#,
        ] {
            assert!(
                matches!(p(doc).unwrap_err(), ParseError::Syntax { .. }),
                "{doc}"
            );
        }
        for doc in [
            r#"<xmlns:a/>"#,
            r#"<a xmlns:p=""><p:b/></a>"#,
            r#"<a q:x="1"/>"#,
        ] {
            assert!(
                matches!(p(doc).unwrap_err(), ParseError::UnknownPrefix { .. }),
                "{doc}"
            );
        }
    }

    #[test]
    fn unlimited_limits_take_what_defaults_refuse() {
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(p(&deep).is_err());
        assert!(parse(deep.as_bytes(), &ParseLimits::UNLIMITED).is_ok());
    }
}
