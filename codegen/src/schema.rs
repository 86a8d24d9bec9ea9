//! The subset of XML Schema (and WSDL 1.1) the bindings are generated from.
//!
//! Supported: named and anonymous simpleType restrictions (with or without
//! enumerations; list/union read as strings), complexType with sequence / choice /
//! all (nested, with occurrences) and attributes, global elements, element refs.
//! Anything else (group refs, attributeGroups, complexContent, simpleContent,
//! wildcards, imports) fails loudly rather than generating wrong code.

use crate::dom::{self, Node, NodeExt, QName, WSDL, XS};
use crate::Error;

/// minOccurs / maxOccurs (`max: None` = unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurs {
    pub min: u64,
    pub max: Option<u64>,
}

impl Occurs {
    pub const ONE: Occurs = Occurs {
        min: 1,
        max: Some(1),
    };

    fn of(n: &Node) -> Result<Occurs, Error> {
        let num = |v: &str| {
            v.trim()
                .parse::<u64>()
                .map_err(|_| Error::new(format!("line {}: bad occurrence value '{}'", n.line, v)))
        };
        let min = match n.attr("minOccurs") {
            Some(v) => num(v)?,
            None => 1,
        };
        let max = match n.attr("maxOccurs") {
            Some("unbounded") => None,
            Some(v) => Some(num(v)?),
            None => Some(1),
        };
        Ok(Occurs { min, max })
    }

    /// Whether more than one occurrence is allowed.
    pub fn repeats(&self) -> bool {
        self.max.is_none_or(|m| m > 1)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `type="prefix:Name"`.
    Named(QName),
    Simple(SimpleType),
    Complex(Box<ComplexType>),
    /// No type given (xs:anyType).
    Any,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimpleType {
    pub name: Option<String>,
    /// Restriction base (xs:string for list/union).
    pub base: QName,
    pub enums: Vec<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ComplexType {
    pub name: Option<String>,
    pub particle: Option<Particle>,
    pub attributes: Vec<AttributeDecl>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttributeDecl {
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Particle {
    Element(ElementDecl),
    Sequence(Group),
    Choice(Group),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub occurs: Occurs,
    pub items: Vec<Particle>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ElementDecl {
    /// Local name (for a ref: the referenced element's).
    pub name: String,
    pub ty: TypeRef,
    pub occurs: Occurs,
    /// `ref="prefix:Name"`.
    pub reference: Option<QName>,
    pub line: usize,
}

/// A top-level schema component, in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Simple(SimpleType),
    Complex(ComplexType),
    Element(ElementDecl),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub name: String,
    /// Element of the input message's part.
    pub input: QName,
    /// Element of the output message's part.
    pub output: QName,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    pub target_ns: String,
    pub items: Vec<Item>,
    /// portType operations in document order (empty for a plain XSD).
    pub operations: Vec<Operation>,
}

/// Parses an XSD document or a WSDL 1.1 document with embedded schemas.
pub fn parse_schema(text: &str) -> Result<Schema, Error> {
    let root = dom::parse(text)?;
    if root.is(XS, "schema") {
        let mut s = Schema::default();
        read_schema(&root, &mut s)?;
        Ok(s)
    } else if root.is(WSDL, "definitions") {
        read_wsdl(&root)
    } else {
        Err(Error::new(format!(
            "root element <{}> is neither xs:schema nor wsdl:definitions",
            root.name
        )))
    }
}

fn read_wsdl(root: &Node) -> Result<Schema, Error> {
    let mut s = Schema::default();
    let mut n_schemas = 0;
    for types in root.elements(WSDL).filter(|n| n.name == "types") {
        for sch in types.elements(XS).filter(|n| n.name == "schema") {
            n_schemas += 1;
            read_schema(sch, &mut s)?;
        }
    }
    if n_schemas == 0 {
        return Err(Error::new("WSDL has no embedded xs:schema"));
    }
    let mut messages: Vec<(QName, QName)> = Vec::new();
    let tns = root.attr("targetNamespace").map(str::to_string);
    for m in root.elements(WSDL).filter(|n| n.name == "message") {
        let name = QName {
            ns: tns.clone(),
            local: m.req_attr("name")?.to_string(),
        };
        let parts: Vec<&Node> = m.elements(WSDL).filter(|n| n.name == "part").collect();
        if parts.len() != 1 {
            return Err(Error::new(format!(
                "line {}: message {} must have exactly one part (document/literal)",
                m.line, name.local
            )));
        }
        let el = parts[0].attr("element").ok_or_else(|| {
            Error::new(format!(
                "line {}: message part must reference an element",
                parts[0].line
            ))
        })?;
        messages.push((name, parts[0].resolve(el)?));
    }
    let port_types: Vec<&Node> = root
        .elements(WSDL)
        .filter(|n| n.name == "portType")
        .collect();
    if port_types.len() > 1 {
        return Err(Error::new("more than one portType"));
    }
    for pt in port_types {
        for op in pt.elements(WSDL).filter(|n| n.name == "operation") {
            let name = op.req_attr("name")?.to_string();
            let msg_el = |dir: &str| -> Result<QName, Error> {
                let io = op.elements(WSDL).find(|n| n.name == dir).ok_or_else(|| {
                    Error::new(format!(
                        "line {}: operation {} has no {}",
                        op.line, name, dir
                    ))
                })?;
                let m = io.resolve(io.req_attr("message")?)?;
                messages
                    .iter()
                    .find(|(n, _)| *n == m)
                    .map(|(_, e)| e.clone())
                    .ok_or_else(|| {
                        Error::new(format!(
                            "line {}: operation {}: unknown message {}",
                            io.line, name, m
                        ))
                    })
            };
            let input = msg_el("input")?;
            let output = msg_el("output")?;
            s.operations.push(Operation {
                name,
                input,
                output,
            });
        }
    }
    Ok(s)
}

fn unsupported(n: &Node) -> Error {
    Error::new(format!(
        "line {}: unsupported schema construct <xs:{}>",
        n.line, n.name
    ))
}

fn is_ignorable(n: &Node) -> bool {
    n.ns.as_deref() != Some(XS) || n.name == "annotation"
}

fn read_schema(sch: &Node, s: &mut Schema) -> Result<(), Error> {
    let tns = sch.req_attr("targetNamespace")?.to_string();
    if !s.target_ns.is_empty() && s.target_ns != tns {
        return Err(Error::new(format!(
            "line {}: schemas with different target namespaces ({} and {}) in one module",
            sch.line, s.target_ns, tns
        )));
    }
    if sch.attr("elementFormDefault") != Some("qualified") {
        return Err(Error::new(format!(
            "line {}: only elementFormDefault=\"qualified\" schemas are supported",
            sch.line
        )));
    }
    s.target_ns = tns;
    for n in &sch.children {
        if is_ignorable(n) {
            continue;
        }
        match n.name.as_str() {
            "simpleType" => s.items.push(Item::Simple(read_simple(n, true)?)),
            "complexType" => s.items.push(Item::Complex(read_complex(n, true)?)),
            "element" => s.items.push(Item::Element(read_element(n, true)?)),
            _ => return Err(unsupported(n)),
        }
    }
    Ok(())
}

fn read_simple(n: &Node, named: bool) -> Result<SimpleType, Error> {
    let name = if named {
        Some(n.req_attr("name")?.to_string())
    } else {
        None
    };
    let mut base = None;
    let mut enums = Vec::new();
    for c in n.children.iter().filter(|c| !is_ignorable(c)) {
        match c.name.as_str() {
            "restriction" => {
                base = Some(match c.attr("base") {
                    Some(b) => c.resolve(b)?,
                    None => {
                        // restriction of an anonymous simpleType: use its base
                        let inner = c
                            .elements(XS)
                            .find(|x| x.name == "simpleType")
                            .ok_or_else(|| unsupported(c))?;
                        read_simple(inner, false)?.base
                    }
                });
                for f in c.children.iter().filter(|f| !is_ignorable(f)) {
                    if f.name == "enumeration" {
                        enums.push(f.req_attr("value")?.to_string());
                    }
                }
            }
            "list" | "union" => {
                base = Some(QName {
                    ns: Some(XS.to_string()),
                    local: "string".to_string(),
                })
            }
            _ => return Err(unsupported(c)),
        }
    }
    let base = base.ok_or_else(|| unsupported(n))?;
    Ok(SimpleType {
        name,
        base,
        enums,
        line: n.line,
    })
}

fn read_complex(n: &Node, named: bool) -> Result<ComplexType, Error> {
    let name = if named {
        Some(n.req_attr("name")?.to_string())
    } else {
        None
    };
    let mut particle = None;
    let mut attributes = Vec::new();
    for c in n.children.iter().filter(|c| !is_ignorable(c)) {
        match c.name.as_str() {
            "sequence" | "choice" | "all" => {
                if particle.is_some() {
                    return Err(unsupported(c));
                }
                particle = Some(read_particle(c)?);
            }
            "attribute" => attributes.push(read_attribute(c)?),
            _ => return Err(unsupported(c)),
        }
    }
    Ok(ComplexType {
        name,
        particle,
        attributes,
        line: n.line,
    })
}

fn read_attribute(n: &Node) -> Result<AttributeDecl, Error> {
    if n.attr("ref").is_some() {
        return Err(Error::new(format!(
            "line {}: attribute refs are not supported",
            n.line
        )));
    }
    let name = n.req_attr("name")?.to_string();
    let ty = match n.attr("type") {
        Some(t) => TypeRef::Named(n.resolve(t)?),
        None => match n.elements(XS).find(|c| c.name == "simpleType") {
            Some(st) => TypeRef::Simple(read_simple(st, false)?),
            None => TypeRef::Any,
        },
    };
    let required = n.attr("use") == Some("required");
    Ok(AttributeDecl {
        name,
        ty,
        required,
        line: n.line,
    })
}

fn read_particle(n: &Node) -> Result<Particle, Error> {
    match n.name.as_str() {
        "element" => Ok(Particle::Element(read_element(n, false)?)),
        "sequence" | "all" | "choice" => {
            let mut items = Vec::new();
            for c in n.children.iter().filter(|c| !is_ignorable(c)) {
                match c.name.as_str() {
                    "element" | "sequence" | "choice" => items.push(read_particle(c)?),
                    _ => return Err(unsupported(c)),
                }
            }
            let g = Group {
                occurs: Occurs::of(n)?,
                items,
            };
            Ok(if n.name == "choice" {
                Particle::Choice(g)
            } else {
                Particle::Sequence(g)
            })
        }
        _ => Err(unsupported(n)),
    }
}

fn read_element(n: &Node, global: bool) -> Result<ElementDecl, Error> {
    let occurs = if global { Occurs::ONE } else { Occurs::of(n)? };
    if let Some(r) = n.attr("ref") {
        let q = n.resolve(r)?;
        return Ok(ElementDecl {
            name: q.local.clone(),
            ty: TypeRef::Any,
            occurs,
            reference: Some(q),
            line: n.line,
        });
    }
    let name = n.req_attr("name")?.to_string();
    let ty = match n.attr("type") {
        Some(t) => TypeRef::Named(n.resolve(t)?),
        None => {
            let mut ty = TypeRef::Any;
            for c in n.children.iter().filter(|c| !is_ignorable(c)) {
                ty = match c.name.as_str() {
                    "complexType" => TypeRef::Complex(Box::new(read_complex(c, false)?)),
                    "simpleType" => TypeRef::Simple(read_simple(c, false)?),
                    "unique" | "key" | "keyref" => continue,
                    _ => return Err(unsupported(c)),
                };
            }
            ty
        }
    };
    Ok(ElementDecl {
        name,
        ty,
        occurs,
        reference: None,
        line: n.line,
    })
}
