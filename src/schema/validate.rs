//! Validates a parsed document against a [`SchemaSet`], collecting every problem with the line
//! and column of the element it concerns.

use std::collections::HashSet;

use crate::xml::{Attribute, Element};

use super::automaton::{Label, Step};
use super::datatypes::{shorten, Builtin};
use super::model::{
    ns_equal, AttributeUse, Content, DeclId, NsConstraint, Process, SchemaSet, TypeDef, TypeId,
    Wildcard, XSI_NS,
};
use super::simple::SimpleType;

/// One validation error.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Issue {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

pub(super) struct Validator<'s> {
    set: &'s SchemaSet,
    issues: Vec<Issue>,
    ids: HashSet<String>,
}

/// How an element is named in messages: its local name, and its namespace where that is what
/// is wrong.
fn shown(ns: Option<&str>, local: &str, with_ns: bool) -> String {
    match (with_ns, ns) {
        (false, _) => format!("'{local}'"),
        (true, Some(ns)) => format!("'{local}' (namespace '{ns}')"),
        (true, None) => format!("'{local}' (no namespace)"),
    }
}

fn one_of(items: &[String]) -> String {
    match items {
        [] => "no more elements".into(),
        [one] => one.clone(),
        many => {
            let mut shown: Vec<String> = many.iter().take(12).cloned().collect();
            if many.len() > 12 {
                shown.push("…".into());
            }
            format!("one of {}", shown.join(", "))
        }
    }
}

impl<'s> Validator<'s> {
    /// Validates `root` as a whole document.
    pub(super) fn run(set: &'s SchemaSet, root: &Element) -> Vec<Issue> {
        let mut v = Validator {
            set,
            issues: Vec::new(),
            ids: HashSet::new(),
        };
        match set.global_element(root.ns.as_deref(), &root.name) {
            Some(d) => v.element(root, d),
            None => v.issue(
                root,
                format!(
                    "no schema declares the root element {}",
                    shown(root.ns.as_deref(), &root.name, true)
                ),
            ),
        }
        v.issues
    }

    fn issue(&mut self, at: &Element, message: String) {
        self.issues.push(Issue {
            line: at.line,
            column: at.column,
            message,
        });
    }

    fn element(&mut self, el: &Element, decl: DeclId) {
        let Some(d) = self.set.decls.get(decl) else {
            return;
        };
        if let Some(nil) = el.attr_ns(XSI_NS, "nil") {
            if !d.nillable {
                self.issue(
                    el,
                    format!(
                        "element '{}' is not nillable, so xsi:nil is not allowed",
                        el.name
                    ),
                );
            } else if matches!(nil.trim(), "true" | "1") {
                if !el.children.is_empty() || !el.text.is_empty() {
                    self.issue(
                        el,
                        format!("element '{}' is nil (xsi:nil) but has content", el.name),
                    );
                }
                self.attributes_of(el, d.ty);
                return;
            }
        }
        self.typed(el, d.ty, d.fixed.as_deref());
    }

    fn attributes_of(&mut self, el: &Element, ty: TypeId) {
        match self.set.types.get(ty) {
            Some(TypeDef::Complex(ct)) => {
                self.attributes(el, &ct.attributes, ct.any_attribute.as_ref())
            }
            _ => self.attributes(el, &[], None),
        }
    }

    fn typed(&mut self, el: &Element, ty: TypeId, fixed: Option<&str>) {
        let set = self.set;
        match set.types.get(ty) {
            Some(TypeDef::Simple(st)) => {
                self.attributes(el, &[], None);
                self.simple_content(el, st, fixed);
            }
            Some(TypeDef::Complex(ct)) => {
                self.attributes(el, &ct.attributes, ct.any_attribute.as_ref());
                match &ct.content {
                    Content::Empty => {
                        if let Some(c) = el.children.first() {
                            self.issue(
                                c,
                                format!(
                                    "element '{}' must be empty, but contains element '{}'",
                                    el.name, c.name
                                ),
                            );
                        } else if !ct.mixed && !el.text_is_blank() {
                            self.issue(
                                el,
                                format!("element '{}' must be empty, but contains text", el.name),
                            );
                        }
                    }
                    Content::Simple(s) => match set.types.get(*s) {
                        Some(TypeDef::Simple(st)) => self.simple_content(el, st, fixed),
                        _ => self.issue(
                            el,
                            format!("element '{}' has a type this validator cannot use", el.name),
                        ),
                    },
                    Content::Elements(auto) => {
                        if !ct.mixed && !el.text_is_blank() {
                            self.issue(
                                el,
                                format!(
                                    "element '{}' may contain only elements, but contains text '{}'",
                                    el.name,
                                    shorten(el.text.trim())
                                ),
                            );
                        }
                        self.children(el, auto);
                    }
                }
            }
            None => self.issue(el, format!("element '{}' has an unknown type", el.name)),
        }
    }

    fn simple_content(&mut self, el: &Element, st: &SimpleType, fixed: Option<&str>) {
        if let Some(c) = el.children.first() {
            self.issue(
                c,
                format!(
                    "element '{}' holds a value ({}) and cannot contain element '{}'",
                    el.name,
                    st.display_name(),
                    c.name
                ),
            );
            return;
        }
        match st.check(&el.text) {
            Ok(v) => {
                if let Some(f) = fixed {
                    if st.whitespace.apply(f) != v {
                        self.issue(
                            el,
                            format!("element '{}' must have the fixed value '{f}'", el.name),
                        );
                    }
                }
                self.note_id(el, st, &v, || format!("element '{}'", el.name));
            }
            Err(e) => self.issue(el, format!("element '{}': {e}", el.name)),
        }
    }

    fn note_id(&mut self, el: &Element, st: &SimpleType, v: &str, what: impl Fn() -> String) {
        if st.builtin == Builtin::Id && st.item.is_none() && !self.ids.insert(v.to_string()) {
            self.issue(
                el,
                format!(
                    "{}: ID '{}' is already used in this document",
                    what(),
                    shorten(v)
                ),
            );
        }
    }

    fn label_name(&self, l: &Label, with_ns: bool) -> String {
        match l {
            Label::Element(d) => match self.set.decls.get(*d) {
                Some(decl) => shown(decl.name.ns.as_deref(), &decl.name.local, with_ns),
                None => "?".into(),
            },
            Label::Any(w) => w.describe(),
        }
    }

    fn fits(&self, l: &Label, c: &Element) -> bool {
        match l {
            Label::Element(d) => self.set.decl_matches(*d, c.ns.as_deref(), &c.name),
            Label::Any(w) => w.allows(c.ns.as_deref()),
        }
    }

    fn children(&mut self, el: &Element, auto: &super::automaton::Automaton) {
        let mut m = auto.matcher();
        let mut reported = false;
        for (i, c) in el.children.iter().enumerate() {
            match m.step(|l| self.fits(l, c)) {
                Step::Matched(l) => self.child(c, l),
                Step::Unexpected { expected, resumed } => {
                    let message = self.unexpected(el, c, i, &expected, resumed.is_some(), auto);
                    self.issue(c, message);
                    reported = true;
                    if let Some(l) = resumed {
                        self.child(c, l);
                    }
                }
            }
        }
        if !m.accepts() && !reported {
            let names: Vec<String> = m
                .expected()
                .iter()
                .map(|l| self.label_name(l, false))
                .collect();
            self.issue(
                el,
                format!(
                    "element '{}' is incomplete; expected {}",
                    el.name,
                    one_of(&names)
                ),
            );
        }
    }

    /// Why child `c` (the `i`th of `el`) does not fit where it stands.
    fn unexpected(
        &self,
        el: &Element,
        c: &Element,
        i: usize,
        expected: &[&Label],
        fits_elsewhere: bool,
        auto: &super::automaton::Automaton,
    ) -> String {
        let decl_ns = |l: &Label| match l {
            Label::Element(d) => self.set.decls.get(*d).map(|decl| decl.name.ns.as_deref()),
            Label::Any(_) => None,
        };
        // Say which namespaces are involved only when the child's is not one expected here.
        let ns_differs = !expected.is_empty()
            && !expected.iter().any(|l| match l {
                Label::Element(_) => decl_ns(l).is_some_and(|ns| ns_equal(ns, c.ns.as_deref())),
                Label::Any(w) => w.allows(c.ns.as_deref()),
            });
        let names: Vec<String> = expected.iter().map(|l| self.label_name(l, false)).collect();
        let mut wanted = one_of(&names);
        if ns_differs {
            let mut spaces: Vec<Option<&str>> =
                expected.iter().filter_map(|l| decl_ns(l)).collect();
            spaces.dedup();
            if let [ns] = spaces[..] {
                wanted.push_str(&match ns {
                    Some(ns) => format!(" in namespace '{ns}'"),
                    None => " in no namespace".into(),
                });
            }
        }
        let repeated = i > 0 && el.children[i - 1].name == c.name && el.children[i - 1].ns == c.ns;
        let known_name = auto.labels().iter().any(|l| match l {
            Label::Element(d) => self
                .set
                .decls
                .get(*d)
                .is_some_and(|decl| decl.name.local == c.name),
            Label::Any(_) => false,
        });
        let why = match (fits_elsewhere, repeated, known_name) {
            (true, true, _) => "is one too many",
            (true, false, _) => "is out of place",
            (false, _, true) => "is not allowed here",
            (false, _, false) => "is not allowed",
        };
        format!(
            "element {} {why} in '{}'; expected {wanted}",
            shown(c.ns.as_deref(), &c.name, ns_differs),
            el.name
        )
    }

    fn child(&mut self, c: &Element, l: &Label) {
        match l {
            Label::Element(d) => self.element(c, *d),
            Label::Any(w) => self.wildcard_element(c, w),
        }
    }

    fn wildcard_element(&mut self, c: &Element, w: &Wildcard) {
        if w.process == Process::Skip {
            return;
        }
        match self.set.global_element(c.ns.as_deref(), &c.name) {
            Some(d) => self.element(c, d),
            None if w.process == Process::Strict => self.issue(
                c,
                format!(
                    "no schema declares element {}",
                    shown(c.ns.as_deref(), &c.name, true)
                ),
            ),
            None => {
                // Lax: an undeclared element's own children and attributes may still be declared.
                let lax = Wildcard {
                    ns: NsConstraint::Any,
                    process: Process::Lax,
                };
                self.attributes(c, &[], Some(&lax));
                for cc in &c.children {
                    self.wildcard_element(cc, &lax);
                }
            }
        }
    }

    fn attributes(&mut self, el: &Element, uses: &[AttributeUse], any: Option<&Wildcard>) {
        for a in &el.attrs {
            if a.ns.as_deref() == Some(XSI_NS) {
                match a.name.as_str() {
                    "schemaLocation" | "noNamespaceSchemaLocation" | "nil" => {}
                    "type" => self.issue(
                        el,
                        format!(
                            "element '{}': xsi:type is not supported by this validator",
                            el.name
                        ),
                    ),
                    other => self.issue(
                        el,
                        format!("unknown attribute xsi:{other} on element '{}'", el.name),
                    ),
                }
                continue;
            }
            if let Some(u) = uses
                .iter()
                .find(|u| u.name.local == a.name && ns_equal(u.name.ns.as_deref(), a.ns.as_deref()))
            {
                self.attribute_value(el, a, u);
                continue;
            }
            match any.filter(|w| w.allows(a.ns.as_deref())) {
                Some(w) if w.process == Process::Skip => {}
                Some(w) => match self.set.global_attribute(a.ns.as_deref(), &a.name) {
                    Some(u) => {
                        let u = u.clone();
                        self.attribute_value(el, a, &u);
                    }
                    None if w.process == Process::Strict => self.issue(
                        el,
                        format!(
                            "no schema declares attribute '{}' of element '{}'",
                            attr_name(a),
                            el.name
                        ),
                    ),
                    None => {}
                },
                None => self.issue(
                    el,
                    format!(
                        "attribute '{}' is not allowed on element '{}'",
                        attr_name(a),
                        el.name
                    ),
                ),
            }
        }
        for u in uses.iter().filter(|u| u.required) {
            let present = el
                .attrs
                .iter()
                .any(|a| a.name == u.name.local && ns_equal(u.name.ns.as_deref(), a.ns.as_deref()));
            if !present {
                self.issue(
                    el,
                    format!(
                        "element '{}' is missing required attribute '{}'",
                        el.name, u.name.local
                    ),
                );
            }
        }
    }

    fn attribute_value(&mut self, el: &Element, a: &Attribute, u: &AttributeUse) {
        let Some(TypeDef::Simple(st)) = self.set.types.get(u.ty) else {
            return;
        };
        match st.check(&a.value) {
            Ok(v) => {
                if let Some(f) = &u.fixed {
                    if st.whitespace.apply(f) != v {
                        self.issue(
                            el,
                            format!(
                                "attribute '{}' of element '{}' must have the fixed value '{f}'",
                                attr_name(a),
                                el.name
                            ),
                        );
                    }
                }
                self.note_id(el, st, &v, || {
                    format!("attribute '{}' of element '{}'", attr_name(a), el.name)
                });
            }
            Err(e) => self.issue(
                el,
                format!("attribute '{}' of element '{}': {e}", attr_name(a), el.name),
            ),
        }
    }
}

fn attr_name(a: &Attribute) -> String {
    match a.ns.as_deref() {
        None => a.name.clone(),
        Some(super::model::XML_NS) => format!("xml:{}", a.name),
        Some(ns) => format!("{{{ns}}}{}", a.name),
    }
}
