//! What every schema set has before any document is read: the built-in datatypes,
//! `xs:anyType`, and the XML namespace's attributes (which the XHTML subset imports from the
//! network, so they are built in here instead).

use super::{any_particle, xs, Compiler, TState};
use crate::schema::automaton::Automaton;
use crate::schema::datatypes::{Builtin, Whitespace};
use crate::schema::model::{
    AttributeUse, ComplexType, Content, NsConstraint, Process, QName, TypeDef, Wildcard, XML_NS,
};
use crate::schema::simple::{Facets, SimpleType};
use crate::schema::xsd_regex;

impl Compiler<'_> {
    /// Registers the built-in datatypes, `xs:anyType`, and the XML namespace's attributes.
    pub(super) fn builtins(&mut self) -> Result<(), String> {
        for &b in Builtin::ALL {
            let id = self.push_type(TypeDef::Simple(SimpleType::builtin(b)), TState::Done);
            self.named.insert(xs(b.name()), id);
        }
        let any = Wildcard {
            ns: NsConstraint::Any,
            process: Process::Lax,
        };
        let any_type = ComplexType {
            name: Some(xs("anyType")),
            mixed: true,
            content: Content::Elements(Automaton::build(&any_particle(Process::Lax))?),
            attributes: Vec::new(),
            any_attribute: Some(any),
        };
        let id = self.push_type(TypeDef::Complex(any_type), TState::Done);
        self.named.insert(xs("anyType"), id);
        self.set.any_type = id;
        // The XML namespace's attributes, which the XHTML subset imports from the network.
        let mut lang = SimpleType::builtin(Builtin::String);
        lang.name = Some(QName::new(Some(XML_NS), "lang"));
        lang.whitespace = Whitespace::Collapse;
        lang.layers.push(Facets {
            patterns: vec![(
                "([a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*)?".into(),
                xsd_regex::compile("([a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*)?")?,
            )],
            ..Default::default()
        });
        let mut space = SimpleType::builtin(Builtin::NCName);
        space.name = Some(QName::new(Some(XML_NS), "space"));
        space.layers.push(Facets {
            enumeration: vec!["default".into(), "preserve".into()],
            ..Default::default()
        });
        let lang = self.push_type(TypeDef::Simple(lang), TState::Done);
        let space = self.push_type(TypeDef::Simple(space), TState::Done);
        let builtin = |c: &Self, b: Builtin| c.named.get(&xs(b.name())).copied().unwrap_or(0);
        for (local, ty) in [
            ("lang", lang),
            ("space", space),
            ("base", builtin(self, Builtin::AnyUri)),
            ("id", builtin(self, Builtin::Id)),
        ] {
            let name = QName::new(Some(XML_NS), local);
            self.set.attributes.insert(
                name.clone(),
                AttributeUse {
                    name,
                    ty,
                    required: false,
                    fixed: None,
                },
            );
        }
        Ok(())
    }
}
