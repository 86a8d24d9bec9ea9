//! Complex type derivations: a type's effective content model and attributes come from its
//! base's (extension appends, restriction replaces), each base resolved before its derived
//! types.

use super::{any_particle, is_empty, show, Compiler, Derivation, Effective, TState};
use crate::schema::model::{
    AttributeUse, NsConstraint, Particle, Process, QName, Term, TypeId, Wildcard,
};

impl Compiler<'_> {
    /// The content and attributes of complex type `id` once its derivation is applied.
    pub(super) fn effective(&mut self, id: TypeId) -> Result<Effective, String> {
        if let Some(e) = self.effective.get(&id) {
            return Ok(e.clone());
        }
        if id == self.set.any_type {
            return Ok(Effective {
                particle: Some(any_particle(Process::Lax)),
                mixed: true,
                simple: None,
                attrs: Vec::new(),
                any_attr: Some(Wildcard {
                    ns: NsConstraint::Any,
                    process: Process::Lax,
                }),
            });
        }
        let raw = match self.state.get(id) {
            Some(TState::Raw(r)) => r.clone(),
            _ => {
                // A simple type: the base of a simpleContent extension.
                return Ok(Effective {
                    particle: None,
                    mixed: false,
                    simple: Some(id),
                    attrs: Vec::new(),
                    any_attr: None,
                });
            }
        };
        if !self.busy_types.insert(id) {
            return Err(format!("type {} is derived from itself", show(&raw.name)));
        }
        let merge = |base: Vec<AttributeUse>, own: &[AttributeUse], prohibited: &[QName]| {
            let mut out: Vec<AttributeUse> = base
                .into_iter()
                .filter(|b| !own.iter().any(|o| o.name == b.name) && !prohibited.contains(&b.name))
                .collect();
            out.extend(own.iter().cloned());
            out
        };
        let eff = match raw.derivation {
            Derivation::None => Effective {
                particle: raw.particle,
                mixed: raw.mixed,
                simple: None,
                attrs: raw.attrs,
                any_attr: raw.any_attr,
            },
            Derivation::Extension(b) => {
                let base = self.effective(b)?;
                if base.simple.is_some() {
                    return Err(format!(
                        "type {} extends a simple-content type with complex content",
                        show(&raw.name)
                    ));
                }
                let particle = match (base.particle, raw.particle) {
                    (Some(a), Some(b)) if !is_empty(&a) => Some(Particle {
                        min: 1,
                        max: Some(1),
                        term: Term::Sequence(vec![a, b]),
                    }),
                    (a, None) => a,
                    (_, b) => b,
                };
                Effective {
                    particle,
                    mixed: raw.mixed,
                    simple: None,
                    attrs: merge(base.attrs, &raw.attrs, &[]),
                    any_attr: raw.any_attr.or(base.any_attr),
                }
            }
            Derivation::Restriction(b) => {
                let base = self.effective(b)?;
                Effective {
                    particle: raw.particle,
                    mixed: raw.mixed,
                    simple: None,
                    attrs: merge(base.attrs, &raw.attrs, &raw.prohibited),
                    any_attr: raw.any_attr,
                }
            }
            Derivation::SimpleExtension(b) => {
                let base = self.effective(b)?;
                let simple = base.simple.ok_or_else(|| {
                    format!(
                        "type {}: simpleContent needs a simple base",
                        show(&raw.name)
                    )
                })?;
                Effective {
                    particle: None,
                    mixed: false,
                    simple: Some(simple),
                    attrs: merge(base.attrs, &raw.attrs, &[]),
                    any_attr: raw.any_attr.or(base.any_attr),
                }
            }
        };
        self.busy_types.remove(&id);
        self.effective.insert(id, eff.clone());
        Ok(eff)
    }
}
