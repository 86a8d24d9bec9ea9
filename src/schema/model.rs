//! The compiled schema model: element declarations, complex types with their content automata,
//! simple types with their facets, attribute uses and wildcards. Everything refers to everything
//! else by index into [`SchemaSet`]'s arenas, so recursive content models (XHTML's Flow contains
//! `li`, which extends Flow) need no reference counting.

use std::collections::HashMap;

use super::automaton::Automaton;
use super::simple::SimpleType;

pub(super) use crate::xml::{QName, XML_NS, XSI_NS};

pub(super) type TypeId = usize;
pub(super) type DeclId = usize;

#[derive(Debug, Clone)]
pub struct ElementDecl {
    pub name: QName,
    pub ty: TypeId,
    pub nillable: bool,
    pub fixed: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Process {
    Strict,
    Lax,
    Skip,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NsConstraint {
    Any,
    /// `##other`: any namespace but this one (the schema's target), and not unqualified.
    Other(Option<String>),
    /// An explicit list; `None` stands for `##local` (no namespace).
    List(Vec<Option<String>>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wildcard {
    pub ns: NsConstraint,
    pub process: Process,
}

impl Wildcard {
    pub fn allows(&self, ns: Option<&str>) -> bool {
        match &self.ns {
            NsConstraint::Any => true,
            NsConstraint::Other(target) => ns.is_some() && ns != target.as_deref(),
            NsConstraint::List(list) => list.iter().any(|n| n.as_deref() == ns),
        }
    }

    pub fn describe(&self) -> String {
        match &self.ns {
            NsConstraint::Any => "any element".into(),
            NsConstraint::Other(Some(t)) => format!("any element not in namespace '{t}'"),
            NsConstraint::Other(None) => "any namespace-qualified element".into(),
            NsConstraint::List(l) => {
                let names: Vec<String> = l
                    .iter()
                    .map(|n| match n {
                        Some(n) => format!("'{n}'"),
                        None => "no namespace".into(),
                    })
                    .collect();
                format!("any element in {}", names.join(" or "))
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct AttributeUse {
    pub name: QName,
    pub ty: TypeId,
    pub required: bool,
    pub fixed: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Content {
    /// No child elements; only whitespace (or, if mixed, any text).
    Empty,
    /// Character data of a simple type.
    Simple(TypeId),
    /// Child elements as the automaton allows.
    Elements(Automaton),
}

#[derive(Debug, Clone)]
pub struct ComplexType {
    pub name: Option<QName>,
    pub mixed: bool,
    pub content: Content,
    pub attributes: Vec<AttributeUse>,
    pub any_attribute: Option<Wildcard>,
}

#[derive(Debug, Clone)]
pub enum TypeDef {
    Simple(SimpleType),
    Complex(ComplexType),
}

/// A particle of a content model, before it becomes an automaton.
#[derive(Debug, Clone)]
pub struct Particle {
    pub min: u32,
    /// `None` is unbounded.
    pub max: Option<u32>,
    pub term: Term,
}

#[derive(Debug, Clone)]
pub enum Term {
    Element(DeclId),
    Any(Wildcard),
    Sequence(Vec<Particle>),
    Choice(Vec<Particle>),
    All(Vec<Particle>),
}

/// Every bundled schema, compiled into one set (their target namespaces differ).
#[derive(Debug, Default)]
pub struct SchemaSet {
    pub decls: Vec<ElementDecl>,
    pub types: Vec<TypeDef>,
    pub elements: HashMap<QName, DeclId>,
    pub attributes: HashMap<QName, AttributeUse>,
    /// `xs:anyType`, the type of an element declared without one.
    pub any_type: TypeId,
}

impl SchemaSet {
    /// The global element declaration for `{ns}local`. A requester API version without a
    /// bundled schema is read as the bundled version that answers it, as the server answers it.
    pub fn global_element(&self, ns: Option<&str>, local: &str) -> Option<DeclId> {
        if let Some(&d) = self.elements.get(&QName::new(ns, local)) {
            return Some(d);
        }
        let version = ns?.strip_prefix(crate::xml::REQUESTER_NS_PREFIX)?;
        let answering = format!(
            "{}{}",
            crate::xml::REQUESTER_NS_PREFIX,
            turkstand_documents::answering_version(Some(version))
        );
        self.elements
            .get(&QName::new(Some(&answering), local))
            .copied()
    }

    /// Whether an instance element `{ns}local` is the one `decl` declares.
    pub fn decl_matches(&self, decl: DeclId, ns: Option<&str>, local: &str) -> bool {
        let Some(d) = self.decls.get(decl) else {
            return false;
        };
        d.name.local == local && ns_equal(d.name.ns.as_deref(), ns)
    }

    pub fn global_attribute(&self, ns: Option<&str>, local: &str) -> Option<&AttributeUse> {
        self.attributes.get(&QName::new(ns, local))
    }
}

/// Namespace equality between a schema component and an instance item, where any requester API
/// version stands for the schema's 2014-08-15 one.
pub(super) fn ns_equal(schema: Option<&str>, instance: Option<&str>) -> bool {
    match schema {
        None => instance.is_none(),
        Some(s) => crate::xml::ns_matches(instance, s),
    }
}
