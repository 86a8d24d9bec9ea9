//! Versions of one interface answered in their own shape. The newest version's types are the
//! ones generated; every older version is lowered the same way and compared with it by type
//! and element name, which gives, for each element, enumeration value and operation, the
//! versions that have it. The emitted code consults the writer's `Shape` at those points only.

use std::collections::HashMap;

use crate::lower::{lower_older, Decl, Enum, Field, Module, Occ, Struct};
use crate::names::type_ident;
use crate::schema::parse_schema;
use crate::Error;

/// How an element of the newest version appears in one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    Absent,
    /// At most once, where the newest version repeats it.
    Single,
    /// As in the newest version.
    Same,
}

pub(crate) struct Version {
    /// `2014-08-15`
    pub(crate) name: String,
    /// `V2014_08_15`
    pub(crate) ident: String,
    pub(crate) namespace: String,
    module: Module,
}

/// Every version of an interface, newest first; the first is the generated one.
pub(crate) struct Versions {
    pub(crate) list: Vec<Version>,
    /// Structs that hold, directly or below, an enumeration some version lacks values of.
    checked: HashMap<String, bool>,
}

impl Versions {
    /// Lowers every version (`(name, text)`, newest first; the first is `newest`) and checks that
    /// the older ones can be written from the newest one's types: shared elements in the same
    /// order, and no required element the newest version lacks.
    pub(crate) fn new(newest: &Module, inputs: &[(&str, &str)]) -> Result<Versions, Error> {
        let mut list = Vec::new();
        for (i, (name, text)) in inputs.iter().enumerate() {
            let module = if i == 0 {
                newest.clone()
            } else {
                let schema = parse_schema(text).map_err(|e| Error::new(format!("{name}: {e}")))?;
                lower_older(&newest.name, &schema)
                    .map_err(|e| Error::new(format!("{name}: {e}")))?
            };
            list.push(Version {
                name: name.to_string(),
                ident: type_ident(&format!("V{}", name.replace('-', "_"))),
                namespace: module.namespace.clone(),
                module,
            });
        }
        for v in list.iter().skip(1) {
            for s in newest.decls.iter().filter_map(as_struct) {
                if let Some(old) = v.module.find_struct(&s.name) {
                    check_writable(s, old).map_err(|e| Error::new(format!("{}: {e}", v.name)))?;
                }
            }
        }
        let mut versions = Versions {
            list,
            checked: HashMap::new(),
        };
        for s in newest.decls.iter().filter_map(as_struct) {
            versions.needs_check(newest, &s.name);
        }
        Ok(versions)
    }

    fn older(&self) -> impl Iterator<Item = &Version> {
        self.list.iter().skip(1)
    }

    /// Where field `f` of struct `s` appears in each version (the newest first).
    pub(crate) fn field(&self, s: &Struct, f: &Field) -> Vec<Presence> {
        let mut out = vec![Presence::Same];
        for v in self.older() {
            // A type the version lacks is never reached there: the element holding it is gated.
            let Some(old) = v.module.find_struct(&s.name) else {
                out.push(Presence::Same);
                continue;
            };
            let old = old
                .fields
                .iter()
                .find(|x| x.xml == f.xml && x.attr == f.attr);
            out.push(match old {
                None => Presence::Absent,
                Some(o) if f.occ == Occ::Many && o.occ != Occ::Many => Presence::Single,
                Some(_) => Presence::Same,
            });
        }
        out
    }

    /// Which versions have `value` of enumeration `e`.
    pub(crate) fn enum_value(&self, e: &Enum, value: &str) -> Vec<bool> {
        let mut out = vec![true];
        for v in self.older() {
            out.push(
                find_enum(&v.module, &e.name)
                    .is_some_and(|o| o.variants.iter().any(|(_, x)| x == value)),
            );
        }
        out
    }

    /// Whether some version lacks a value of enumeration `name`.
    pub(crate) fn enum_is_gated(&self, newest: &Module, name: &str) -> bool {
        find_enum(newest, name).is_some_and(|e| {
            e.variants
                .iter()
                .any(|(_, value)| self.enum_value(e, value).contains(&false))
        })
    }

    /// Which versions have operation `op`.
    pub(crate) fn operation(&self, op: &str) -> Vec<bool> {
        let mut out = vec![true];
        for v in self.older() {
            out.push(v.module.ops.iter().any(|o| o.name == op));
        }
        out
    }

    /// The echo element of operation `op` in each version.
    pub(crate) fn echo(&self, op: &str) -> Vec<Option<String>> {
        self.list
            .iter()
            .map(|v| {
                v.module
                    .ops
                    .iter()
                    .find(|o| o.name == op)
                    .and_then(|o| o.echo_element.clone())
            })
            .collect()
    }

    /// Whether struct `name` holds, directly or below, an enumeration some version lacks
    /// values of (and so gets a `value_outside` check).
    pub(crate) fn is_checked(&self, name: &str) -> bool {
        self.checked.get(name).copied().unwrap_or(false)
    }

    fn needs_check(&mut self, newest: &Module, name: &str) -> bool {
        if let Some(&known) = self.checked.get(name) {
            return known;
        }
        // Provisional answer, so a recursive type ends the walk.
        self.checked.insert(name.to_string(), false);
        let Some(s) = newest.find_struct(name) else {
            return false;
        };
        let mut needed = false;
        for f in &s.fields {
            let ty = f.ty.rust.as_str();
            needed |= if f.ty.is_enum {
                self.enum_is_gated(newest, ty)
            } else if f.ty.is_struct {
                self.needs_check(newest, ty)
            } else {
                false
            };
        }
        self.checked.insert(name.to_string(), needed);
        needed
    }

    /// `matches!(version, …)` for the versions marked true, or `None` when all are.
    pub(crate) fn condition(&self, which: &[bool]) -> Option<String> {
        if which.iter().all(|&b| b) {
            return None;
        }
        let names: Vec<String> = self
            .list
            .iter()
            .zip(which)
            .filter(|(_, &b)| b)
            .map(|(v, _)| format!("Version::{}", v.ident))
            .collect();
        Some(if names.is_empty() {
            "false".to_string()
        } else {
            format!("matches!(version, {})", names.join(" | "))
        })
    }
}

fn as_struct(d: &Decl) -> Option<&Struct> {
    match d {
        Decl::Struct(s) => Some(s),
        _ => None,
    }
}

fn find_enum<'m>(m: &'m Module, name: &str) -> Option<&'m Enum> {
    m.decls.iter().find_map(|d| match d {
        Decl::Enum(e) if e.name == name => Some(e),
        _ => None,
    })
}

/// An older version's struct can be written from the newest one's when the elements they
/// share come in the same order and every element it requires exists in the newest.
fn check_writable(newest: &Struct, old: &Struct) -> Result<(), Error> {
    let shared = |a: &Struct, b: &Struct| -> Vec<String> {
        a.fields
            .iter()
            .filter(|f| b.fields.iter().any(|g| g.xml == f.xml && g.attr == f.attr))
            .map(|f| f.xml.clone())
            .collect()
    };
    if shared(newest, old) != shared(old, newest) {
        return Err(Error::new(format!(
            "{} orders its elements differently from the newest version",
            old.name
        )));
    }
    if let Some(f) = old.fields.iter().find(|f| {
        (f.occ == Occ::One || f.required)
            && !newest
                .fields
                .iter()
                .any(|g| g.xml == f.xml && g.attr == f.attr)
    }) {
        return Err(Error::new(format!(
            "{} requires {}, which the newest version lacks",
            old.name, f.xml
        )));
    }
    Ok(())
}
