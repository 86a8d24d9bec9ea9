//! Lowering a [`Schema`] to Rust-shaped items: enums, aliases, flattened structs,
//! and the operation table.

use std::collections::HashMap;

use crate::dom::{QName, XS};
use crate::names::{snake_ident, type_ident, variant_ident};
use crate::schema::{
    ComplexType, ElementDecl, Item, Operation, Particle, Schema, SimpleType, TypeRef,
};
use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occ {
    One,
    Opt,
    Many,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ty {
    /// The Rust type as written in generated code.
    pub rust: String,
    /// A generated struct (else a scalar).
    pub is_struct: bool,
    /// A generated enumeration.
    pub is_enum: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub ident: String,
    pub xml: String,
    pub attr: bool,
    pub occ: Occ,
    /// For `Many`: at least one occurrence is required.
    pub required: bool,
    pub ty: Ty,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Struct {
    pub name: String,
    /// Where it comes from, for the doc comment.
    pub origin: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enum {
    pub name: String,
    pub origin: String,
    /// (identifier, value)
    pub variants: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decl {
    Enum(Enum),
    Alias {
        name: String,
        origin: String,
        rust: String,
    },
    Struct(Struct),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    pub name: String,
    pub method: String,
    /// Struct of the input element (`CreateHIT`).
    pub input: String,
    /// Field of `input` holding the requests.
    pub input_requests_field: String,
    pub request: String,
    pub response_element: String,
    pub result_xml: String,
    pub result: String,
    /// Field of `Request` that echoes this operation's request, if any.
    pub echo_field: Option<String>,
    /// The element of `Request` that echoes this operation's request, when it has one and the
    /// request can ask for it (has a `ResponseGroup`).
    pub echo_element: Option<String>,
    /// Whether the request struct has a `response_group` field.
    pub has_response_group: bool,
    /// The request's parameters in schema order: (element name, required).
    pub parameters: Vec<(String, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub name: String,
    pub namespace: String,
    pub decls: Vec<Decl>,
    pub ops: Vec<Op>,
}

impl Module {
    /// Makes each (type, element) a list, for input the schema is stricter about than the
    /// service was.
    pub fn repeat(&mut self, elements: &[(&str, &str)]) -> Result<(), Error> {
        for (ty, element) in elements {
            let field = self
                .decls
                .iter_mut()
                .find_map(|d| match d {
                    Decl::Struct(s) if s.name == *ty => Some(s),
                    _ => None,
                })
                .and_then(|s| s.fields.iter_mut().find(|f| f.xml == *element && !f.attr))
                .ok_or_else(|| Error::new(format!("no element {element} in {ty} to repeat")))?;
            field.occ = Occ::Many;
            field.required = false;
        }
        Ok(())
    }

    pub fn find_struct(&self, name: &str) -> Option<&Struct> {
        self.decls.iter().find_map(|d| match d {
            Decl::Struct(s) if s.name == name => Some(s),
            _ => None,
        })
    }
}

fn builtin(local: &str) -> &'static str {
    match local {
        "int" | "short" | "byte" => "i32",
        "long" | "integer" | "negativeInteger" | "nonPositiveInteger" => "i64",
        "positiveInteger" | "nonNegativeInteger" | "unsignedInt" | "unsignedLong"
        | "unsignedShort" | "unsignedByte" => "u64",
        "boolean" => "bool",
        "double" | "float" => "f64",
        "decimal" => "rust_decimal::Decimal",
        "dateTime" => "chrono::DateTime<chrono::Utc>",
        _ => "String", // string, anyURI, token, language, NMTOKEN(S), ID, date, base64Binary…
    }
}

fn scalar(rust: &str, is_enum: bool) -> Ty {
    Ty {
        rust: rust.to_string(),
        is_struct: false,
        is_enum,
    }
}

struct Ctx<'a> {
    schema: &'a Schema,
    simple: HashMap<&'a str, &'a SimpleType>,
    complex: HashMap<&'a str, &'a ComplexType>,
    elements: HashMap<&'a str, &'a ElementDecl>,
    decls: Vec<Decl>,
    taken: HashMap<String, String>,
}

/// Lowers a parsed schema into module `name`.
pub fn lower(name: &str, schema: &Schema) -> Result<Module, Error> {
    lower_with(name, schema, true)
}

/// Lowers an older version of an interface, only to compare it with the newest: operations
/// whose shape the runtime could not answer (2007-06-21's worker accept limits) are left out
/// instead of refused, as they are never answered in that version.
pub(crate) fn lower_older(name: &str, schema: &Schema) -> Result<Module, Error> {
    lower_with(name, schema, false)
}

fn lower_with(name: &str, schema: &Schema, strict: bool) -> Result<Module, Error> {
    let mut cx = Ctx {
        schema,
        simple: HashMap::new(),
        complex: HashMap::new(),
        elements: HashMap::new(),
        decls: Vec::new(),
        taken: HashMap::new(),
    };
    for it in &schema.items {
        let dup = match it {
            Item::Simple(s) => cx
                .simple
                .insert(s.name.as_deref().unwrap_or(""), s)
                .is_some(),
            Item::Complex(c) => cx
                .complex
                .insert(c.name.as_deref().unwrap_or(""), c)
                .is_some(),
            Item::Element(e) => cx.elements.insert(&e.name, e).is_some(),
        };
        if dup {
            return Err(Error::new(format!(
                "duplicate global declaration in {}",
                name
            )));
        }
    }
    for it in &schema.items {
        match it {
            Item::Simple(s) => {
                let n = s.name.clone().unwrap_or_default();
                cx.simple_decl(&n, s, &format!("simpleType {}", n))?;
            }
            Item::Complex(c) => {
                let n = c.name.clone().unwrap_or_default();
                cx.struct_decl(&n, c, &format!("complexType {}", n))?;
            }
            Item::Element(e) => match &e.ty {
                TypeRef::Complex(c) => {
                    cx.struct_decl(&e.name, c, &format!("element {}", e.name))?;
                }
                TypeRef::Simple(s) => {
                    cx.simple_decl(&e.name, s, &format!("element {}", e.name))?;
                }
                _ => {}
            },
        }
    }
    let mut module = Module {
        name: name.to_string(),
        namespace: schema.target_ns.clone(),
        decls: cx.decls,
        ops: Vec::new(),
    };
    let mut ops = Vec::new();
    for o in &schema.operations {
        match lower_op(&module, o) {
            Ok(op) => ops.push(op),
            Err(e) if strict => return Err(e),
            Err(_) => {}
        }
    }
    module.ops = ops;
    Ok(module)
}

impl<'a> Ctx<'a> {
    fn claim(&mut self, name: &str, origin: &str) -> Result<(), Error> {
        if let Some(prev) = self.taken.insert(name.to_string(), origin.to_string()) {
            return Err(Error::new(format!(
                "generated type name {} is used by both {} and {}",
                name, prev, origin
            )));
        }
        Ok(())
    }

    fn is_target(&self, q: &QName) -> bool {
        q.ns.as_deref() == Some(self.schema.target_ns.as_str())
    }

    /// Declares a (named or anonymous) simple type called `name`; returns its type.
    fn simple_decl(&mut self, name: &str, s: &SimpleType, origin: &str) -> Result<Ty, Error> {
        let ident = type_ident(name);
        self.claim(&ident, origin)?;
        if s.enums.is_empty() {
            let base = self.resolve_simple_base(&s.base, 0)?;
            self.decls.push(Decl::Alias {
                name: ident.clone(),
                origin: origin.to_string(),
                rust: base,
            });
            Ok(scalar(&ident, false))
        } else {
            let mut variants: Vec<(String, String)> = Vec::new();
            for v in &s.enums {
                let id = variant_ident(v);
                if let Some((_, prev)) = variants.iter().find(|(i, _)| *i == id) {
                    return Err(Error::new(format!(
                        "{}: enumeration values '{}' and '{}' map to the same variant {}",
                        origin, prev, v, id
                    )));
                }
                variants.push((id, v.clone()));
            }
            self.decls.push(Decl::Enum(Enum {
                name: ident.clone(),
                origin: origin.to_string(),
                variants,
            }));
            Ok(scalar(&ident, true))
        }
    }

    /// The Rust scalar type a simple type's base chain ends in.
    fn resolve_simple_base(&self, base: &QName, depth: usize) -> Result<String, Error> {
        if depth > 16 {
            return Err(Error::new(format!(
                "simple type derivation loop at {}",
                base
            )));
        }
        if base.ns.as_deref() == Some(XS) {
            return Ok(builtin(&base.local).to_string());
        }
        if self.is_target(base) {
            if let Some(s) = self.simple.get(base.local.as_str()) {
                if !s.enums.is_empty() {
                    return Ok(type_ident(&base.local));
                }
                return self.resolve_simple_base(&s.base, depth + 1);
            }
        }
        Err(Error::new(format!("unknown simple type {}", base)))
    }

    fn named_type(&self, q: &QName, line: usize) -> Result<Ty, Error> {
        if q.ns.as_deref() == Some(XS) {
            if q.local == "anyType" {
                return Ok(scalar("String", false));
            }
            return Ok(scalar(builtin(&q.local), false));
        }
        if self.is_target(q) {
            if let Some(s) = self.simple.get(q.local.as_str()) {
                return Ok(scalar(&type_ident(&q.local), !s.enums.is_empty()));
            }
            if self.complex.contains_key(q.local.as_str()) {
                return Ok(Ty {
                    rust: type_ident(&q.local),
                    is_struct: true,
                    is_enum: false,
                });
            }
        }
        Err(Error::new(format!("line {}: unknown type {}", line, q)))
    }

    /// The type of a (local) element declaration; anonymous types are declared as
    /// `{owner}{Element}`.
    fn element_type(&mut self, owner: &str, e: &ElementDecl) -> Result<Ty, Error> {
        if let Some(r) = &e.reference {
            if !self.is_target(r) {
                return Err(Error::new(format!(
                    "line {}: ref to foreign element {}",
                    e.line, r
                )));
            }
            let g = *self.elements.get(r.local.as_str()).ok_or_else(|| {
                Error::new(format!("line {}: ref to unknown element {}", e.line, r))
            })?;
            return match &g.ty {
                TypeRef::Named(q) => self.named_type(q, g.line),
                TypeRef::Complex(_) => Ok(Ty {
                    rust: type_ident(&g.name),
                    is_struct: true,
                    is_enum: false,
                }),
                TypeRef::Simple(s) => {
                    if s.enums.is_empty() {
                        Ok(scalar(&type_ident(&g.name), false))
                    } else {
                        Ok(scalar(&type_ident(&g.name), true))
                    }
                }
                TypeRef::Any => Ok(scalar("String", false)),
            };
        }
        let anon = format!("{}{}", owner, e.name);
        match &e.ty {
            TypeRef::Named(q) => self.named_type(q, e.line),
            TypeRef::Any => Ok(scalar("String", false)),
            TypeRef::Simple(s) => {
                if s.enums.is_empty() {
                    Ok(scalar(&self.resolve_simple_base(&s.base, 0)?, false))
                } else {
                    let origin = format!("element {} of {}", e.name, owner);
                    self.simple_decl(&anon, s, &origin)
                }
            }
            TypeRef::Complex(c) => {
                let origin = format!("element {} of {}", e.name, owner);
                self.struct_decl(&anon, c, &origin)?;
                Ok(Ty {
                    rust: type_ident(&anon),
                    is_struct: true,
                    is_enum: false,
                })
            }
        }
    }

    fn struct_decl(&mut self, name: &str, c: &ComplexType, origin: &str) -> Result<(), Error> {
        let ident = type_ident(name);
        self.claim(&ident, origin)?;
        let slot = self.decls.len();
        // Placeholder keeps the owner before its anonymous children.
        self.decls.push(Decl::Alias {
            name: String::new(),
            origin: String::new(),
            rust: String::new(),
        });
        let mut fields: Vec<Field> = Vec::new();
        if let Some(p) = &c.particle {
            self.flatten(&ident, p, false, false, true, &mut fields)?;
        }
        for a in &c.attributes {
            let ty = match &a.ty {
                TypeRef::Named(q) => self.named_type(q, a.line)?,
                TypeRef::Simple(s) if s.enums.is_empty() => {
                    scalar(&self.resolve_simple_base(&s.base, 0)?, false)
                }
                TypeRef::Simple(s) => {
                    let origin = format!("attribute {} of {}", a.name, ident);
                    self.simple_decl(&format!("{}{}", ident, a.name), s, &origin)?
                }
                _ => scalar("String", false),
            };
            let f = Field {
                ident: snake_ident(&a.name),
                xml: a.name.clone(),
                attr: true,
                occ: if a.required { Occ::One } else { Occ::Opt },
                required: a.required,
                ty,
            };
            if fields.iter().any(|x| x.ident == f.ident) {
                return Err(Error::new(format!(
                    "{}: attribute {} clashes with another field named {}",
                    origin, a.name, f.ident
                )));
            }
            fields.push(f);
        }
        self.decls[slot] = Decl::Struct(Struct {
            name: ident,
            origin: origin.to_string(),
            fields,
        });
        Ok(())
    }

    /// Flattens `p` into `out`. `opt`/`many`: whether an enclosing group makes the
    /// element optional/repeating; `required`: whether every enclosing group is required.
    fn flatten(
        &mut self,
        owner: &str,
        p: &Particle,
        opt: bool,
        many: bool,
        required: bool,
        out: &mut Vec<Field>,
    ) -> Result<(), Error> {
        match p {
            Particle::Element(e) => {
                let ty = self.element_type(owner, e)?;
                let occ = if many || e.occurs.repeats() {
                    Occ::Many
                } else if opt || e.occurs.min == 0 {
                    Occ::Opt
                } else {
                    Occ::One
                };
                let f = Field {
                    ident: snake_ident(&e.name),
                    xml: e.name.clone(),
                    attr: false,
                    occ,
                    required: required && !opt && e.occurs.min >= 1,
                    ty,
                };
                if let Some(prev) = out.iter_mut().find(|x| x.ident == f.ident) {
                    if prev.xml != f.xml || prev.ty != f.ty {
                        return Err(Error::new(format!(
                            "line {}: {}: elements {} and {} flatten to one field {} with different types",
                            e.line, owner, prev.xml, f.xml, f.ident
                        )));
                    }
                    prev.occ = if prev.occ == Occ::Opt && f.occ == Occ::Opt {
                        Occ::Opt
                    } else {
                        Occ::Many
                    };
                    prev.required = prev.required || f.required;
                } else {
                    out.push(f);
                }
            }
            Particle::Sequence(g) | Particle::Choice(g) => {
                let is_choice = matches!(p, Particle::Choice(_)) && g.items.len() > 1;
                let many = many || g.occurs.repeats();
                let opt = opt || g.occurs.min == 0;
                let required = required && g.occurs.min >= 1;
                for it in &g.items {
                    self.flatten(
                        owner,
                        it,
                        opt || is_choice,
                        many,
                        required && !is_choice,
                        out,
                    )?;
                }
            }
        }
        Ok(())
    }
}

fn lower_op(m: &Module, o: &Operation) -> Result<Op, Error> {
    {
        let err = |msg: String| Error::new(format!("operation {}: {}", o.name, msg));
        let input = m.find_struct(&type_ident(&o.input.local)).ok_or_else(|| {
            err(format!(
                "input element {} is not a structure",
                o.input.local
            ))
        })?;
        let req_field = input
            .fields
            .iter()
            .find(|f| f.xml == "Request" && f.ty.is_struct && f.occ == Occ::Many)
            .ok_or_else(|| {
                err(format!(
                    "input element {} has no repeated Request child",
                    input.name
                ))
            })?;
        let request = m
            .find_struct(&req_field.ty.rust)
            .ok_or_else(|| err(format!("request type {} not found", req_field.ty.rust)))?;
        let output = m.find_struct(&type_ident(&o.output.local)).ok_or_else(|| {
            err(format!(
                "output element {} is not a structure",
                o.output.local
            ))
        })?;
        let results: Vec<&Field> = output
            .fields
            .iter()
            .filter(|f| f.xml != "OperationRequest")
            .collect();
        if results.len() != 1 || !results[0].ty.is_struct {
            return Err(err(format!(
                "response element {} must have exactly one structured child besides OperationRequest",
                output.name
            )));
        }
        if !output
            .fields
            .iter()
            .any(|f| f.xml == "OperationRequest" && f.ty.rust == "OperationRequest")
        {
            return Err(err(format!(
                "response element {} has no OperationRequest",
                output.name
            )));
        }
        let result_field = results[0];
        let result = m
            .find_struct(&result_field.ty.rust)
            .ok_or_else(|| err(format!("result type {} not found", result_field.ty.rust)))?;
        let is_request = |f: &Field| {
            f.xml == "Request"
                && f.ident == "request"
                && f.ty.rust == "Request"
                && f.occ == Occ::Opt
        };
        if !result.fields.iter().any(is_request) {
            return Err(err(format!(
                "result type {} has no optional `ref tns:Request` field",
                result.name
            )));
        }
        // The runtime writes the Request element itself, as the result's first child.
        if !result.fields.first().is_some_and(is_request) || result.fields.iter().any(|f| f.attr) {
            return Err(err(format!(
                "result type {} must start with its `ref tns:Request` and have no attributes",
                result.name
            )));
        }
        let req_el = m
            .find_struct("Request")
            .ok_or_else(|| err("no Request element".to_string()))?;
        for (xml, ident) in [("IsValid", "is_valid"), ("Errors", "errors")] {
            if !req_el
                .fields
                .iter()
                .any(|f| f.xml == xml && f.ident == ident && f.occ == Occ::Opt)
            {
                return Err(err(format!(
                    "the Request element lacks an optional {} field",
                    xml
                )));
            }
        }
        let echo = req_el
            .fields
            .iter()
            .find(|f| f.ty.is_struct && f.ty.rust == request.name && f.occ == Occ::Opt);
        let has_response_group = request
            .fields
            .iter()
            .any(|f| f.ident == "response_group" && f.occ == Occ::Many && f.ty.rust == "String");
        let parameters = request
            .fields
            .iter()
            .filter(|f| !f.attr)
            .map(|f| {
                let required = match f.occ {
                    Occ::One => true,
                    Occ::Opt => false,
                    Occ::Many => f.required,
                };
                (f.xml.clone(), required)
            })
            .collect();
        Ok(Op {
            name: o.name.clone(),
            method: snake_ident(&o.name),
            input: input.name.clone(),
            input_requests_field: req_field.ident.clone(),
            request: request.name.clone(),
            response_element: o.output.local.clone(),
            result_xml: result_field.xml.clone(),
            result: result.name.clone(),
            echo_field: echo.map(|f| f.ident.clone()),
            echo_element: echo.filter(|_| has_response_group).map(|f| f.xml.clone()),
            has_response_group,
            parameters,
        })
    }
}
