//! Attribute declarations and uses, attribute groups, and wildcards (`xs:any`,
//! `xs:anyAttribute`).

use super::{xs, Compiler, SchemaNode, TState};
use crate::schema::model::{AttributeUse, NsConstraint, Process, QName, TypeDef, TypeId, Wildcard};
use crate::xml::Element;

impl<'a> Compiler<'a> {
    pub(super) fn wildcard(&self, node: &Element, ci: usize) -> Wildcard {
        let target = self.ctxs[ci].target.clone();
        let ns = match node.attr("namespace").map(str::trim) {
            None | Some("##any") => NsConstraint::Any,
            Some("##other") => NsConstraint::Other(target),
            Some(list) => NsConstraint::List(
                list.split_whitespace()
                    .map(|n| match n {
                        "##targetNamespace" => target.clone(),
                        "##local" => None,
                        uri => Some(uri.to_string()),
                    })
                    .collect(),
            ),
        };
        let process = match node.attr("processContents") {
            Some("lax") => Process::Lax,
            Some("skip") => Process::Skip,
            _ => Process::Strict,
        };
        Wildcard { ns, process }
    }

    pub(super) fn attribute_type(
        &mut self,
        node: &'a Element,
        ci: usize,
    ) -> Result<TypeId, String> {
        if let Some(t) = node.attr("type") {
            let id = self.resolve_type(node, t)?;
            self.ensure_type(id)?;
            return Ok(id);
        }
        match node.xs_children().find(|c| c.name == "simpleType") {
            Some(st) => {
                let st = self.simple_type(st, ci, None)?;
                Ok(self.push_type(TypeDef::Simple(st), TState::Done))
            }
            None => Ok(self.named.get(&xs("anySimpleType")).copied().unwrap_or(0)),
        }
    }

    pub(super) fn global_attribute(&mut self, q: &QName) -> Result<AttributeUse, String> {
        if let Some(u) = self.set.attributes.get(q) {
            return Ok(u.clone());
        }
        let (node, ci) = *self
            .global_attrs
            .get(q)
            .ok_or_else(|| format!("unknown attribute {q}"))?;
        Ok(AttributeUse {
            name: q.clone(),
            ty: self.attribute_type(node, ci)?,
            required: false,
            fixed: node.attr("fixed").map(str::to_owned),
        })
    }

    pub(super) fn attributes(
        &mut self,
        node: &'a Element,
        ci: usize,
        out: &mut Vec<AttributeUse>,
        prohibited: &mut Vec<QName>,
        any: &mut Option<Wildcard>,
    ) -> Result<(), String> {
        for c in node.xs_children() {
            match c.name.as_str() {
                "attribute" => {
                    let mut u = match c.attr("ref") {
                        Some(r) => self.global_attribute(&c.qname(r)?)?,
                        None => {
                            let local = c.attr("name").ok_or_else(|| {
                                format!("line {}: xs:attribute without a name or ref", c.line)
                            })?;
                            let ctx = &self.ctxs[ci];
                            let qualified = match c.attr("form") {
                                Some(f) => f == "qualified",
                                None => ctx.qualified_attributes,
                            };
                            let ns = if qualified { ctx.target.clone() } else { None };
                            AttributeUse {
                                name: QName {
                                    ns,
                                    local: local.to_string(),
                                },
                                ty: self.attribute_type(c, ci)?,
                                required: false,
                                fixed: None,
                            }
                        }
                    };
                    if let Some(f) = c.attr("fixed") {
                        u.fixed = Some(f.to_string());
                    }
                    match c.attr("use") {
                        Some("prohibited") => {
                            prohibited.push(u.name);
                            continue;
                        }
                        Some("required") => u.required = true,
                        _ => {}
                    }
                    out.retain(|o| o.name != u.name);
                    out.push(u);
                }
                "attributeGroup" => {
                    let r = c.attr("ref").ok_or_else(|| {
                        format!("line {}: local xs:attributeGroup without a ref", c.line)
                    })?;
                    let q = c.qname(r)?;
                    let (g, gci) = *self
                        .attr_groups
                        .get(&q)
                        .ok_or_else(|| format!("line {}: unknown attribute group {q}", c.line))?;
                    if !self.busy_attr_groups.insert(q.clone()) {
                        return Err(format!("attribute group {q} contains itself"));
                    }
                    self.attributes(g, gci, out, prohibited, any)?;
                    self.busy_attr_groups.remove(&q);
                }
                "anyAttribute" => *any = Some(self.wildcard(c, ci)),
                _ => {}
            }
        }
        Ok(())
    }
}
