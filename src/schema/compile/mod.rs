//! Compiles schema documents into a [`SchemaSet`].
//!
//! Global components are registered first, so references resolve whatever their order in the
//! file, and recursion through element references (XHTML's Flow → `li` → Flow) needs nothing
//! special: a particle names an element declaration by index. Complex type derivations are
//! resolved last, each base before its derived types; then every content model becomes an
//! automaton.

use std::collections::{HashMap, HashSet};

use super::automaton::Automaton;
use super::datatypes::{Builtin, Whitespace};
use super::model::{
    AttributeUse, ComplexType, Content, ElementDecl, NsConstraint, Particle, Process, QName,
    SchemaSet, Term, TypeDef, TypeId, Wildcard,
};
use super::simple::SimpleType;
use crate::xml::{self, Element, ParseLimits, XS_NS as XS};

mod attributes;
mod builtins;
mod derivation;
mod facets;

#[derive(Debug, Clone)]
struct Ctx {
    target: Option<String>,
    qualified_elements: bool,
    qualified_attributes: bool,
}

#[derive(Debug, Clone)]
enum Derivation {
    None,
    Extension(TypeId),
    Restriction(TypeId),
    SimpleExtension(TypeId),
}

#[derive(Debug, Clone)]
struct RawComplex {
    name: Option<QName>,
    mixed: bool,
    derivation: Derivation,
    particle: Option<Particle>,
    attrs: Vec<AttributeUse>,
    prohibited: Vec<QName>,
    any_attr: Option<Wildcard>,
}

#[derive(Debug, Clone)]
struct Effective {
    particle: Option<Particle>,
    mixed: bool,
    simple: Option<TypeId>,
    attrs: Vec<AttributeUse>,
    any_attr: Option<Wildcard>,
}

enum TState<'a> {
    Done,
    Pending(&'a Element, usize),
    Compiling,
    Raw(RawComplex),
}

struct Compiler<'a> {
    set: SchemaSet,
    ctxs: Vec<Ctx>,
    state: Vec<TState<'a>>,
    named: HashMap<QName, TypeId>,
    element_nodes: Vec<(usize, &'a Element, usize)>,
    groups: HashMap<QName, (&'a Element, usize)>,
    group_terms: HashMap<QName, Term>,
    busy_groups: HashSet<QName>,
    attr_groups: HashMap<QName, (&'a Element, usize)>,
    busy_attr_groups: HashSet<QName>,
    global_attrs: HashMap<QName, (&'a Element, usize)>,
    effective: HashMap<TypeId, Effective>,
    busy_types: HashSet<TypeId>,
}

/// Reading schema documents with the shared element tree.
trait SchemaNode {
    /// XML Schema children, annotations left out.
    fn xs_children(&self) -> impl Iterator<Item = &Element>;
    /// Every `xs:schema` element in this tree (the root itself, or those inside a WSDL).
    fn schemas(&self) -> Vec<&Element>;
    /// Resolves a QName-valued attribute value against the namespaces in scope here.
    fn qname(&self, value: &str) -> Result<QName, String>;
}

impl SchemaNode for Element {
    fn xs_children(&self) -> impl Iterator<Item = &Element> {
        self.elements(XS).filter(|c| c.name != "annotation")
    }

    fn schemas(&self) -> Vec<&Element> {
        if self.is(XS, "schema") {
            return vec![self];
        }
        self.children.iter().flat_map(SchemaNode::schemas).collect()
    }

    fn qname(&self, value: &str) -> Result<QName, String> {
        self.resolve(value).map_err(|e| e.to_string())
    }
}

fn xs(local: &str) -> QName {
    QName::new(Some(XS), local)
}

fn any_particle(process: Process) -> Particle {
    Particle {
        min: 0,
        max: None,
        term: Term::Any(Wildcard {
            ns: NsConstraint::Any,
            process,
        }),
    }
}

/// Compiles the given schema documents (XSD files, or WSDL files with embedded schemas).
pub(super) fn compile(texts: &[&str]) -> Result<SchemaSet, String> {
    let roots: Vec<Element> = texts
        .iter()
        // The bundled schemas are the project's own files, not requests.
        .map(|t| xml::parse(t.as_bytes(), &ParseLimits::UNLIMITED).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let mut c = Compiler {
        set: SchemaSet::default(),
        ctxs: Vec::new(),
        state: Vec::new(),
        named: HashMap::new(),
        element_nodes: Vec::new(),
        groups: HashMap::new(),
        group_terms: HashMap::new(),
        busy_groups: HashSet::new(),
        attr_groups: HashMap::new(),
        busy_attr_groups: HashSet::new(),
        global_attrs: HashMap::new(),
        effective: HashMap::new(),
        busy_types: HashSet::new(),
    };
    c.builtins()?;
    for root in &roots {
        for schema in root.schemas() {
            c.register(schema)?;
        }
    }
    c.compile_all()?;
    c.finish()
}

impl<'a> Compiler<'a> {
    fn push_type(&mut self, def: TypeDef, state: TState<'a>) -> TypeId {
        self.set.types.push(def);
        self.state.push(state);
        self.set.types.len() - 1
    }

    fn placeholder() -> TypeDef {
        TypeDef::Simple(SimpleType::builtin(Builtin::AnySimpleType))
    }

    fn register(&mut self, schema: &'a Element) -> Result<(), String> {
        let ctx = Ctx {
            target: schema.attr("targetNamespace").map(str::to_owned),
            qualified_elements: schema.attr("elementFormDefault") == Some("qualified"),
            qualified_attributes: schema.attr("attributeFormDefault") == Some("qualified"),
        };
        let ci = self.ctxs.len();
        let target = ctx.target.clone();
        self.ctxs.push(ctx);
        for child in schema.xs_children() {
            let name = || -> Result<QName, String> {
                let local = child.attr("name").ok_or_else(|| {
                    format!("line {}: global {} without a name", child.line, child.name)
                })?;
                Ok(QName::new(target.as_deref(), local))
            };
            match child.name.as_str() {
                "element" => {
                    let q = name()?;
                    if self.set.elements.contains_key(&q) {
                        return Err(format!("element {q} is declared twice"));
                    }
                    self.set.decls.push(ElementDecl {
                        name: q.clone(),
                        ty: self.set.any_type,
                        nillable: false,
                        fixed: None,
                    });
                    let id = self.set.decls.len() - 1;
                    self.set.elements.insert(q, id);
                    self.element_nodes.push((id, child, ci));
                }
                "complexType" | "simpleType" => {
                    let q = name()?;
                    if self.named.contains_key(&q) {
                        return Err(format!("type {q} is defined twice"));
                    }
                    let id = self.push_type(Self::placeholder(), TState::Pending(child, ci));
                    self.named.insert(q, id);
                }
                "group" => {
                    self.groups.insert(name()?, (child, ci));
                }
                "attributeGroup" => {
                    self.attr_groups.insert(name()?, (child, ci));
                }
                "attribute" => {
                    self.global_attrs.insert(name()?, (child, ci));
                }
                // Imported namespaces are either built in (XML) or another bundled schema.
                "import" | "notation" => {}
                other => return Err(format!("line {}: xs:{other} is not supported", child.line)),
            }
        }
        Ok(())
    }

    fn compile_all(&mut self) -> Result<(), String> {
        for id in 0..self.state.len() {
            self.ensure_type(id)?;
        }
        for i in 0..self.element_nodes.len() {
            let (id, node, ci) = self.element_nodes[i];
            let ty = self.decl_type(node, ci)?;
            let d = &mut self.set.decls[id];
            d.ty = ty;
            d.nillable = node.attr("nillable") == Some("true");
            d.fixed = node.attr("fixed").map(str::to_owned);
        }
        let names: Vec<QName> = self.global_attrs.keys().cloned().collect();
        for q in names {
            let u = self.global_attribute(&q)?;
            self.set.attributes.insert(q, u);
        }
        Ok(())
    }

    fn finish(mut self) -> Result<SchemaSet, String> {
        for id in 0..self.state.len() {
            let TState::Raw(raw) = &self.state[id] else {
                continue;
            };
            let name = raw.name.clone();
            let eff = self.effective(id)?;
            let content = match (eff.simple, eff.particle) {
                (Some(s), _) => Content::Simple(s),
                (None, Some(p)) if !is_empty(&p) => Content::Elements(
                    Automaton::build(&p).map_err(|e| format!("type {}: {e}", show(&name)))?,
                ),
                (None, _) => Content::Empty,
            };
            self.set.types[id] = TypeDef::Complex(ComplexType {
                name,
                mixed: eff.mixed,
                content,
                attributes: eff.attrs,
                any_attribute: eff.any_attr,
            });
        }
        Ok(self.set)
    }

    fn resolve_type(&self, node: &Element, value: &str) -> Result<TypeId, String> {
        let q = node.qname(value)?;
        self.named
            .get(&q)
            .copied()
            .ok_or_else(|| format!("line {}: unknown type {q}", node.line))
    }

    fn ensure_type(&mut self, id: TypeId) -> Result<(), String> {
        let (node, ci) = match self.state.get(id) {
            Some(TState::Pending(node, ci)) => (*node, *ci),
            Some(TState::Compiling) => {
                return Err(format!("type #{id} is derived from itself"));
            }
            _ => return Ok(()),
        };
        self.state[id] = TState::Compiling;
        let target = self.ctxs[ci].target.clone();
        let name = node.attr("name").map(|n| QName::new(target.as_deref(), n));
        if node.name == "simpleType" {
            let st = self.simple_type(node, ci, name)?;
            self.set.types[id] = TypeDef::Simple(st);
            self.state[id] = TState::Done;
        } else {
            let raw = self.complex_type(node, ci, name)?;
            self.state[id] = TState::Raw(raw);
        }
        Ok(())
    }

    fn simple_of(&mut self, node: &Element, value: &str) -> Result<SimpleType, String> {
        let id = self.resolve_type(node, value)?;
        self.ensure_type(id)?;
        match &self.set.types[id] {
            TypeDef::Simple(s) => Ok(s.clone()),
            TypeDef::Complex(_) => Err(format!(
                "line {}: {value} is a complex type where a simple type is needed",
                node.line
            )),
        }
    }

    fn simple_type(
        &mut self,
        node: &'a Element,
        ci: usize,
        name: Option<QName>,
    ) -> Result<SimpleType, String> {
        let inner = node
            .xs_children()
            .next()
            .ok_or_else(|| format!("line {}: empty xs:simpleType", node.line))?;
        match inner.name.as_str() {
            "restriction" => self.restriction(inner, ci, name),
            "list" => {
                let item = match inner.attr("itemType") {
                    Some(t) => self.simple_of(inner, t)?,
                    None => {
                        let st = inner
                            .xs_children()
                            .find(|c| c.name == "simpleType")
                            .ok_or_else(|| {
                                format!("line {}: xs:list without an item type", inner.line)
                            })?;
                        self.simple_type(st, ci, None)?
                    }
                };
                Ok(SimpleType {
                    name,
                    builtin: Builtin::AnySimpleType,
                    item: Some(Box::new(item)),
                    whitespace: Whitespace::Collapse,
                    layers: Vec::new(),
                })
            }
            other => Err(format!(
                "line {}: xs:{other} in a simple type is not supported",
                inner.line
            )),
        }
    }

    fn restriction(
        &mut self,
        node: &'a Element,
        ci: usize,
        name: Option<QName>,
    ) -> Result<SimpleType, String> {
        let mut st = match node.attr("base") {
            Some(b) => self.simple_of(node, b)?,
            None => {
                let inline = node
                    .xs_children()
                    .find(|c| c.name == "simpleType")
                    .ok_or_else(|| format!("line {}: xs:restriction without a base", node.line))?;
                self.simple_type(inline, ci, None)?
            }
        };
        st.name = name;
        let facet_nodes: Vec<&Element> = node
            .xs_children()
            .filter(|c| c.name != "simpleType")
            .collect();
        facets::restrict(&mut st, &facet_nodes)?;
        Ok(st)
    }

    fn complex_type(
        &mut self,
        node: &'a Element,
        ci: usize,
        name: Option<QName>,
    ) -> Result<RawComplex, String> {
        let mut raw = RawComplex {
            name,
            mixed: node.attr("mixed") == Some("true"),
            derivation: Derivation::None,
            particle: None,
            attrs: Vec::new(),
            prohibited: Vec::new(),
            any_attr: None,
        };
        let mut body = node;
        for child in node.xs_children() {
            match child.name.as_str() {
                "simpleContent" | "complexContent" => {
                    if let Some(m) = child.attr("mixed") {
                        raw.mixed = m == "true";
                    }
                    let inner = child
                        .xs_children()
                        .next()
                        .ok_or_else(|| format!("line {}: empty xs:{}", child.line, child.name))?;
                    let base = inner
                        .attr("base")
                        .ok_or_else(|| format!("line {}: derivation without a base", inner.line))?;
                    let base = self.resolve_type(inner, base)?;
                    raw.derivation = match (child.name.as_str(), inner.name.as_str()) {
                        ("simpleContent", "extension") => Derivation::SimpleExtension(base),
                        ("complexContent", "extension") if base != self.set.any_type => {
                            Derivation::Extension(base)
                        }
                        ("complexContent", "restriction") if base == self.set.any_type => {
                            Derivation::None
                        }
                        ("complexContent", "restriction") => Derivation::Restriction(base),
                        (outer, how) => {
                            return Err(format!(
                                "line {}: xs:{outer}/xs:{how} of this base is not supported",
                                inner.line
                            ))
                        }
                    };
                    body = inner;
                }
                _ => {}
            }
        }
        for child in body.xs_children() {
            match child.name.as_str() {
                "sequence" | "choice" | "all" | "group" => {
                    if raw.particle.is_some() {
                        return Err(format!("line {}: two content models", child.line));
                    }
                    raw.particle = self.particle(child, ci)?;
                }
                _ => {}
            }
        }
        self.attributes(
            body,
            ci,
            &mut raw.attrs,
            &mut raw.prohibited,
            &mut raw.any_attr,
        )?;
        Ok(raw)
    }

    fn occurs(node: &Element) -> Result<(u32, Option<u32>), String> {
        let bad = || format!("line {}: bad minOccurs/maxOccurs", node.line);
        let min = match node.attr("minOccurs") {
            Some(v) => v.trim().parse().map_err(|_| bad())?,
            None => 1,
        };
        let max = match node.attr("maxOccurs").map(str::trim) {
            Some("unbounded") => None,
            Some(v) => Some(v.parse().map_err(|_| bad())?),
            None => Some(1),
        };
        if max.is_some_and(|m| m < min) {
            return Err(bad());
        }
        Ok((min, max))
    }

    fn particle(&mut self, node: &'a Element, ci: usize) -> Result<Option<Particle>, String> {
        let (min, max) = Self::occurs(node)?;
        if max == Some(0) {
            return Ok(None);
        }
        let mut kids = || -> Result<Vec<Particle>, String> {
            let mut out = Vec::new();
            for c in node.xs_children() {
                if let Some(p) = self.particle(c, ci)? {
                    out.push(p);
                }
            }
            Ok(out)
        };
        let term = match node.name.as_str() {
            "element" => Term::Element(self.local_element(node, ci)?),
            "any" => Term::Any(self.wildcard(node, ci)),
            "sequence" => Term::Sequence(kids()?),
            "choice" => Term::Choice(kids()?),
            "all" => Term::All(kids()?),
            "group" => {
                let r = node
                    .attr("ref")
                    .ok_or_else(|| format!("line {}: local xs:group without a ref", node.line))?;
                self.group_term(&node.qname(r)?)?
            }
            other => return Err(format!("line {}: xs:{other} is not a particle", node.line)),
        };
        Ok(Some(Particle { min, max, term }))
    }

    fn group_term(&mut self, q: &QName) -> Result<Term, String> {
        if let Some(t) = self.group_terms.get(q) {
            return Ok(t.clone());
        }
        let (node, ci) = *self
            .groups
            .get(q)
            .ok_or_else(|| format!("unknown group {q}"))?;
        if !self.busy_groups.insert(q.clone()) {
            return Err(format!("group {q} contains itself"));
        }
        let term = match node.xs_children().next() {
            Some(model) => self.particle(model, ci)?.map(|p| p.term),
            None => None,
        }
        .unwrap_or(Term::Sequence(Vec::new()));
        self.busy_groups.remove(q);
        self.group_terms.insert(q.clone(), term.clone());
        Ok(term)
    }

    fn local_element(&mut self, node: &'a Element, ci: usize) -> Result<usize, String> {
        if let Some(r) = node.attr("ref") {
            let q = node.qname(r)?;
            return self
                .set
                .elements
                .get(&q)
                .copied()
                .ok_or_else(|| format!("line {}: unknown element {q}", node.line));
        }
        let local = node
            .attr("name")
            .ok_or_else(|| format!("line {}: xs:element without a name or ref", node.line))?;
        let ctx = &self.ctxs[ci];
        let qualified = match node.attr("form") {
            Some(f) => f == "qualified",
            None => ctx.qualified_elements,
        };
        let ns = if qualified { ctx.target.clone() } else { None };
        let ty = self.decl_type(node, ci)?;
        self.set.decls.push(ElementDecl {
            name: QName {
                ns,
                local: local.to_string(),
            },
            ty,
            nillable: node.attr("nillable") == Some("true"),
            fixed: node.attr("fixed").map(str::to_owned),
        });
        Ok(self.set.decls.len() - 1)
    }

    /// The type of an element declaration: named, anonymous, or xs:anyType.
    fn decl_type(&mut self, node: &'a Element, ci: usize) -> Result<TypeId, String> {
        if node.attr("substitutionGroup").is_some() {
            return Err(format!(
                "line {}: substitution groups are not supported",
                node.line
            ));
        }
        if let Some(t) = node.attr("type") {
            return self.resolve_type(node, t);
        }
        for c in node.xs_children() {
            match c.name.as_str() {
                "complexType" => {
                    let id = self.push_type(Self::placeholder(), TState::Compiling);
                    let raw = self.complex_type(c, ci, None)?;
                    self.state[id] = TState::Raw(raw);
                    return Ok(id);
                }
                "simpleType" => {
                    let st = self.simple_type(c, ci, None)?;
                    return Ok(self.push_type(TypeDef::Simple(st), TState::Done));
                }
                _ => {}
            }
        }
        Ok(self.set.any_type)
    }
}

fn show(name: &Option<QName>) -> String {
    name.as_ref()
        .map_or_else(|| "(anonymous)".to_string(), ToString::to_string)
}

/// Whether a particle can only ever match nothing (an empty sequence, say).
fn is_empty(p: &Particle) -> bool {
    match &p.term {
        Term::Sequence(ps) | Term::All(ps) => ps.iter().all(is_empty),
        Term::Choice(_) | Term::Element(_) | Term::Any(_) => false,
    }
}
