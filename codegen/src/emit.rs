//! Rust source emission for lowered modules.

use std::fmt::Write as _;

use crate::lower::{Decl, Enum, Field, Module, Occ, Op, Struct};
use crate::versions::{Presence, Versions};

fn field_type(f: &Field) -> String {
    match f.occ {
        Occ::One => f.ty.rust.clone(),
        Occ::Opt => format!("Option<{}>", f.ty.rust),
        Occ::Many => format!("Vec<{}>", f.ty.rust),
    }
}

/// The identifier without a raw prefix (for building local variable names).
fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

fn lit(s: &str) -> String {
    format!("{:?}", s)
}

/// Emits one module.
pub(crate) fn emit_module(
    out: &mut String,
    m: &Module,
    source: &str,
    from_params: bool,
    rt: &str,
    versions: Option<&Versions>,
) {
    let o = out;
    let _ = writeln!(
        o,
        "/// Bindings for namespace `{}` (generated from `{}`).",
        m.namespace, source
    );
    let _ = writeln!(o, "pub mod {} {{", m.name);
    o.push_str(
        "    #![allow(non_camel_case_types, non_snake_case, unused_mut, unused_variables, dead_code)]\n",
    );
    o.push_str("    #![allow(clippy::all, clippy::upper_case_acronyms)]\n\n");
    let _ = writeln!(o, "    /// The target namespace of the schema.");
    let _ = writeln!(o, "    pub const NAMESPACE: &str = {};", lit(&m.namespace));
    if let Some(v) = versions {
        emit_versions(o, v, rt);
    }
    for d in &m.decls {
        o.push('\n');
        match d {
            Decl::Enum(e) => {
                emit_enum(o, e, rt);
                if let Some(v) = versions.filter(|v| v.enum_is_gated(m, &e.name)) {
                    emit_enum_versions(o, e, v);
                }
            }
            Decl::Alias { name, origin, rust } => {
                let _ = writeln!(o, "    /// {}.", origin);
                let _ = writeln!(o, "    pub type {} = {};", name, rust);
            }
            Decl::Struct(s) => {
                emit_struct(o, s);
                emit_decode(o, s, rt);
                emit_encode(o, s, rt, versions);
                if let Some(v) = versions.filter(|v| v.is_checked(&s.name)) {
                    emit_value_outside(o, s, m, v);
                }
                if from_params {
                    emit_from_params(o, s, rt);
                }
            }
        }
    }
    if !m.ops.is_empty() {
        o.push('\n');
        emit_ops(o, m, rt, versions);
    }
    o.push_str("}\n");
}

fn emit_enum(o: &mut String, e: &Enum, rt: &str) {
    let n = &e.name;
    let _ = writeln!(o, "    /// {}.", e.origin);
    o.push_str("    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]\n");
    let _ = writeln!(o, "    pub enum {} {{", n);
    for (i, (id, v)) in e.variants.iter().enumerate() {
        let _ = writeln!(o, "        /// `{}`", v);
        if i == 0 {
            o.push_str("        #[default]\n");
        }
        let _ = writeln!(o, "        {},", id);
    }
    o.push_str("    }\n\n");
    let _ = writeln!(o, "    impl {} {{", n);
    o.push_str("        /// Every value, in schema order.\n");
    let all: Vec<String> = e
        .variants
        .iter()
        .map(|(id, _)| format!("Self::{}", id))
        .collect();
    let _ = writeln!(
        o,
        "        pub const ALL: &'static [Self] = &[{}];\n",
        all.join(", ")
    );
    o.push_str("        /// The schema value.\n");
    o.push_str("        pub fn as_str(&self) -> &'static str {\n            match self {\n");
    for (id, v) in &e.variants {
        let _ = writeln!(o, "                Self::{} => {},", id, lit(v));
    }
    o.push_str("            }\n        }\n\n");
    o.push_str("        /// The variant for a schema value (exact match).\n");
    o.push_str("        pub fn parse(s: &str) -> Option<Self> {\n            match s {\n");
    for (id, v) in &e.variants {
        let _ = writeln!(o, "                {} => Some(Self::{}),", lit(v), id);
    }
    o.push_str("                _ => None,\n            }\n        }\n    }\n\n");
    let _ = writeln!(o, "    impl std::fmt::Display for {} {{", n);
    o.push_str("        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n");
    o.push_str("            f.write_str(self.as_str())\n        }\n    }\n\n");
    let _ = writeln!(o, "    impl {}::Scalar for {} {{", rt, n);
    let _ = writeln!(o, "        const TYPE_NAME: &'static str = {};", lit(n));
    o.push_str("        fn parse_xml(s: &str) -> Option<Self> {\n            Self::parse(s.trim())\n        }\n");
    o.push_str("        fn to_xml(&self) -> std::borrow::Cow<'_, str> {\n");
    o.push_str("            std::borrow::Cow::Borrowed(self.as_str())\n        }\n    }\n");
}

fn emit_struct(o: &mut String, s: &Struct) {
    let _ = writeln!(o, "    /// {}.", s.origin);
    o.push_str("    #[derive(Debug, Clone, Default, PartialEq)]\n");
    let _ = writeln!(o, "    pub struct {} {{", s.name);
    for f in &s.fields {
        let kind = if f.attr { "attribute" } else { "element" };
        let _ = writeln!(o, "        /// {} `{}`", kind, f.xml);
        let _ = writeln!(o, "        pub {}: {},", f.ident, field_type(f));
    }
    o.push_str("    }\n");
}

fn emit_decode(o: &mut String, s: &Struct, rt: &str) {
    let elems: Vec<&Field> = s.fields.iter().filter(|f| !f.attr).collect();
    o.push('\n');
    let _ = writeln!(o, "    impl {}::Decode for {} {{", rt, s.name);
    let _ = writeln!(
        o,
        "        fn decode(el: &{}::Element) -> Result<Self, {}::DecodeError> {{",
        rt, rt
    );
    for f in &elems {
        let init = if f.occ == Occ::Many {
            "Vec::new()"
        } else {
            "None"
        };
        let t = if f.occ == Occ::Many {
            format!("Vec<{}>", f.ty.rust)
        } else {
            format!("Option<{}>", f.ty.rust)
        };
        let _ = writeln!(
            o,
            "            let mut f_{}: {} = {};",
            bare(&f.ident),
            t,
            init
        );
    }
    if elems.is_empty() {
        o.push_str("            if let Some(c) = el.children.first() {\n");
        let _ = writeln!(
            o,
            "                return Err({}::DecodeError::unexpected(el, c));",
            rt
        );
        o.push_str("            }\n");
    } else {
        o.push_str("            for c in &el.children {\n");
        let _ = writeln!(
            o,
            "                if !{}::ns_matches(c.ns.as_deref(), NAMESPACE) {{",
            rt
        );
        let _ = writeln!(
            o,
            "                    return Err({}::DecodeError::unexpected(el, c));",
            rt
        );
        o.push_str("                }\n                match c.name.as_str() {\n");
        for f in &elems {
            let read = if f.ty.is_struct {
                format!("{}::child::<{}>(el, c)?", rt, f.ty.rust)
            } else {
                format!("{}::scalar::<{}>(el, c)?", rt, f.ty.rust)
            };
            let v = format!("f_{}", bare(&f.ident));
            if f.occ == Occ::Many {
                let _ = writeln!(
                    o,
                    "                    {} => {}.push({}),",
                    lit(&f.xml),
                    v,
                    read
                );
            } else {
                let _ = writeln!(o, "                    {} => {{", lit(&f.xml));
                let _ = writeln!(o, "                        if {}.is_some() {{", v);
                let _ = writeln!(
                    o,
                    "                            return Err({}::DecodeError::duplicate(el, c));",
                    rt
                );
                o.push_str("                        }\n");
                if !f.ty.is_struct && f.occ == Occ::Opt {
                    let _ = writeln!(
                        o,
                        "                        {} = {}::scalar_opt::<{}>(el, c)?;",
                        v, rt, f.ty.rust
                    );
                } else {
                    let _ = writeln!(o, "                        {} = Some({});", v, read);
                }
                o.push_str("                    }\n");
            }
        }
        let _ = writeln!(
            o,
            "                    _ => return Err({}::DecodeError::unexpected(el, c)),",
            rt
        );
        o.push_str("                }\n            }\n");
    }
    for f in elems.iter().filter(|f| f.occ == Occ::Many && f.required) {
        let _ = writeln!(o, "            if f_{}.is_empty() {{", bare(&f.ident));
        let _ = writeln!(
            o,
            "                return Err({}::DecodeError::missing(el, {}));",
            rt,
            lit(&f.xml)
        );
        o.push_str("            }\n");
    }
    o.push_str("            Ok(Self {\n");
    for f in &s.fields {
        let v = if f.attr {
            let func = if f.occ == Occ::One {
                "attr_req"
            } else {
                "attr_opt"
            };
            format!("{}::{}::<{}>(el, {})?", rt, func, f.ty.rust, lit(&f.xml))
        } else if f.occ == Occ::One {
            format!(
                "f_{}.ok_or_else(|| {}::DecodeError::missing(el, {}))?",
                bare(&f.ident),
                rt,
                lit(&f.xml)
            )
        } else {
            format!("f_{}", bare(&f.ident))
        };
        let _ = writeln!(o, "                {}: {},", f.ident, v);
    }
    o.push_str("            })\n        }\n    }\n");
}

fn emit_encode(o: &mut String, s: &Struct, rt: &str, versions: Option<&Versions>) {
    o.push('\n');
    let _ = writeln!(o, "    impl {}::Encode for {} {{", rt, s.name);
    let _ = writeln!(
        o,
        "        fn encode(&self, w: &mut {}::Writer, name: &str) {{",
        rt
    );
    let attrs: Vec<&Field> = s.fields.iter().filter(|f| f.attr).collect();
    if attrs.is_empty() {
        o.push_str("            w.start(name, &[]);\n");
    } else {
        for f in &attrs {
            let b = bare(&f.ident);
            if f.occ == Occ::One {
                let _ = writeln!(
                    o,
                    "            let a_{} = {}::Scalar::to_xml(&self.{});",
                    b, rt, f.ident
                );
            } else {
                let _ = writeln!(
                    o,
                    "            let a_{} = self.{}.as_ref().map({}::Scalar::to_xml);",
                    b, f.ident, rt
                );
            }
        }
        let _ = writeln!(
            o,
            "            let mut attrs: Vec<(&str, &str)> = Vec::with_capacity({});",
            attrs.len()
        );
        for f in &attrs {
            let b = bare(&f.ident);
            if f.occ == Occ::One {
                let _ = writeln!(o, "            attrs.push(({}, &a_{}));", lit(&f.xml), b);
            } else {
                let _ = writeln!(
                    o,
                    "            if let Some(v) = &a_{} {{\n                attrs.push(({}, v));\n            }}",
                    b,
                    lit(&f.xml)
                );
            }
        }
        o.push_str("            w.start(name, &attrs);\n");
    }
    let _ = writeln!(
        o,
        "            {}::Encode::encode_children(self, w);\n            w.end(name);\n        }}\n",
        rt
    );
    let _ = writeln!(
        o,
        "        fn encode_children(&self, w: &mut {}::Writer) {{",
        rt
    );
    let presence = |f: &Field| versions.map(|v| v.field(s, f));
    // An optional or repeated item holding a value a version lacks is left out of its answers.
    let skippable = |f: &Field| {
        f.ty.is_struct && f.occ != Occ::One && versions.is_some_and(|v| v.is_checked(&f.ty.rust))
    };
    let gated = s.fields.iter().filter(|f| !f.attr).any(|f| {
        skippable(f) || presence(f).is_some_and(|p| p.iter().any(|x| *x != Presence::Same))
    });
    if let (true, Some(_)) = (gated, versions) {
        o.push_str("            let version = Version::from_shape(w.shape());\n");
    }
    for f in s.fields.iter().filter(|f| !f.attr) {
        let put = |v: &str| {
            if f.ty.is_struct {
                format!("{}::Encode::encode({}, w, {});", rt, v, lit(&f.xml))
            } else {
                format!("w.scalar({}, {});", lit(&f.xml), v)
            }
        };
        let p = presence(f).unwrap_or_default();
        let present: Vec<bool> = p.iter().map(|x| *x != Presence::Absent).collect();
        let single: Vec<bool> = p.iter().map(|x| *x == Presence::Single).collect();
        let cond = versions.and_then(|v| v.condition(&present));
        let indent = if cond.is_some() { "    " } else { "" };
        if let Some(c) = &cond {
            let _ = writeln!(o, "            if {} {{", c);
        }
        match f.occ {
            Occ::One => {
                let _ = writeln!(
                    o,
                    "            {}{}",
                    indent,
                    put(&format!("&self.{}", f.ident))
                );
            }
            Occ::Opt => {
                let keep = if skippable(f) {
                    ".filter(|v| v.value_outside(version).is_none())"
                } else {
                    ""
                };
                let value = if keep.is_empty() {
                    format!("&self.{}", f.ident)
                } else {
                    format!("self.{}.as_ref(){}", f.ident, keep)
                };
                let _ = writeln!(o, "            {}if let Some(v) = {} {{", indent, value);
                let _ = writeln!(o, "                {}{}", indent, put("v"));
                let _ = writeln!(o, "            {}}}", indent);
            }
            Occ::Many => {
                // Where a version allows one, the first is written.
                let limit = match versions.filter(|_| single.contains(&true)) {
                    Some(v) => format!(
                        ".take(if {} {{ 1 }} else {{ usize::MAX }})",
                        v.condition(&single).unwrap_or_else(|| "false".into())
                    ),
                    None => String::new(),
                };
                let keep = if skippable(f) {
                    ".filter(|v| v.value_outside(version).is_none())"
                } else {
                    ""
                };
                let items = if limit.is_empty() && keep.is_empty() {
                    format!("&self.{}", f.ident)
                } else {
                    format!("self.{}.iter(){}{}", f.ident, keep, limit)
                };
                let _ = writeln!(o, "            {}for v in {} {{", indent, items);
                let _ = writeln!(o, "                {}{}", indent, put("v"));
                let _ = writeln!(o, "            {}}}", indent);
            }
        }
        if cond.is_some() {
            o.push_str("            }\n");
        }
    }
    o.push_str("        }\n    }\n");
}

/// The interface versions this module answers, newest first.
fn emit_versions(o: &mut String, v: &Versions, rt: &str) {
    o.push_str(
        "\n    /// The versions of this interface answered in their own shape, newest first.\n",
    );
    o.push_str("    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n    pub enum Version {\n");
    for x in &v.list {
        let _ = writeln!(o, "        /// `{}`", x.name);
        let _ = writeln!(o, "        {},", x.ident);
    }
    o.push_str("    }\n\n    impl Version {\n");
    let all: Vec<String> = v
        .list
        .iter()
        .map(|x| format!("Version::{}", x.ident))
        .collect();
    let _ = writeln!(
        o,
        "        pub const ALL: &'static [Version] = &[{}];\n",
        all.join(", ")
    );
    let per_version = |o: &mut String,
                       doc: &str,
                       name: &str,
                       value: &dyn Fn(&crate::versions::Version) -> &str| {
        let _ = writeln!(o, "        /// {doc}");
        let _ = writeln!(
            o,
            "        pub fn {name}(&self) -> &'static str {{\n            match self {{"
        );
        for x in &v.list {
            let _ = writeln!(
                o,
                "                Version::{} => {},",
                x.ident,
                lit(value(x))
            );
        }
        o.push_str("            }\n        }\n\n");
    };
    per_version(o, "The version's name, its date.", "name", &|x| &x.name);
    per_version(o, "The version's target namespace.", "namespace", &|x| {
        &x.namespace
    });
    let _ = writeln!(
        o,
        "        /// The writer shape that answers in this version.\n        pub fn shape(self) -> {rt}::Shape {{\n            {rt}::Shape(self as u8)\n        }}\n"
    );
    let _ = writeln!(
        o,
        "        /// The version a writer shape answers in (the newest for an unknown shape).\n        pub fn from_shape(shape: {rt}::Shape) -> Version {{\n            Self::ALL.get(usize::from(shape.0)).copied().unwrap_or(Version::{})\n        }}\n    }}",
        v.list[0].ident
    );
}

/// `in_version` for an enumeration some version lacks values of.
fn emit_enum_versions(o: &mut String, e: &Enum, v: &Versions) {
    let _ = writeln!(o, "\n    impl {} {{", e.name);
    o.push_str("        /// Whether interface `version` has this value.\n");
    o.push_str(
        "        pub fn in_version(&self, version: Version) -> bool {\n            match self {\n",
    );
    let mut gated = 0;
    for (id, value) in &e.variants {
        if let Some(c) = v.condition(&v.enum_value(e, value)) {
            let _ = writeln!(o, "                Self::{} => {},", id, c);
            gated += 1;
        }
    }
    if gated < e.variants.len() {
        o.push_str("                _ => true,\n");
    }
    o.push_str("            }\n        }\n    }\n");
}

/// `value_outside` for a struct that holds, directly or below, such an enumeration.
fn emit_value_outside(o: &mut String, s: &Struct, m: &Module, v: &Versions) {
    let _ = writeln!(o, "\n    impl {} {{", s.name);
    o.push_str(
        "        /// The first enumeration value below this one that interface `version` lacks,\n",
    );
    o.push_str("        /// as (element, value).\n");
    o.push_str("        pub fn value_outside(&self, version: Version) -> Option<(&'static str, &'static str)> {\n");
    for f in &s.fields {
        let check = if f.ty.is_enum && v.enum_is_gated(m, &f.ty.rust) {
            format!(
                "if !x.in_version(version) {{\n                return Some(({}, x.as_str()));\n            }}",
                lit(&f.xml)
            )
        } else if f.ty.is_struct && v.is_checked(&f.ty.rust) {
            "if let Some(found) = x.value_outside(version) {\n                return Some(found);\n            }".to_string()
        } else {
            continue;
        };
        let head = match f.occ {
            Occ::One => format!("let x = &self.{};", f.ident),
            Occ::Opt => format!("if let Some(x) = &self.{} {{", f.ident),
            Occ::Many => format!("for x in &self.{} {{", f.ident),
        };
        let _ = writeln!(
            o,
            "            {{\n            {}\n            {}\n            }}",
            head, check
        );
        if f.occ != Occ::One {
            o.push_str("            }\n");
        }
    }
    o.push_str("            None\n        }\n    }\n");
}

fn emit_from_params(o: &mut String, s: &Struct, rt: &str) {
    o.push('\n');
    let _ = writeln!(o, "    impl {}::FromParams for {} {{", rt, s.name);
    let _ = writeln!(
        o,
        "        fn from_params(p: &{}::ParamView<'_>) -> Result<Self, {}::DecodeError> {{",
        rt, rt
    );
    o.push_str("            Ok(Self {\n");
    let owner = lit(&s.name);
    for f in &s.fields {
        let (t, x) = (&f.ty.rust, lit(&f.xml));
        let v = match (f.occ, f.ty.is_struct) {
            (Occ::One, false) => format!("p.req::<{}>({}, {})?", t, x, owner),
            (Occ::Opt, false) => format!("p.opt::<{}>({})?", t, x),
            (Occ::One, true) => format!("p.req_child::<{}>({}, {})?", t, x, owner),
            (Occ::Opt, true) => format!("p.opt_child::<{}>({})?", t, x),
            (Occ::Many, is_struct) => {
                let call = if is_struct {
                    format!("p.many_children::<{}>({})?", t, x)
                } else if f.ty.is_enum {
                    format!("p.many_split::<{}>({})?", t, x)
                } else {
                    format!("p.many::<{}>({})?", t, x)
                };
                if f.required {
                    format!(
                        "{{\n                    let v = {};\n                    if v.is_empty() {{\n                        return Err(p.missing({}, {}));\n                    }}\n                    v\n                }}",
                        call, x, owner
                    )
                } else {
                    call
                }
            }
        };
        let _ = writeln!(o, "                {}: {},", f.ident, v);
    }
    o.push_str("            })\n        }\n    }\n");
}

/// An `Operation` method matching on every operation.
fn per_op(o: &mut String, ops: &[Op], doc: &str, sig: &str, value: &dyn Fn(&Op) -> String) {
    let _ = writeln!(o, "        /// {}", doc);
    let _ = writeln!(o, "        pub fn {} {{\n            match self {{", sig);
    for op in ops {
        let _ = writeln!(
            o,
            "                Operation::{} => {},",
            op.name,
            value(op)
        );
    }
    o.push_str("            }\n        }\n");
}

fn emit_ops(o: &mut String, m: &Module, rt: &str, versions: Option<&Versions>) {
    let ops = &m.ops;
    o.push_str("    /// The operations of the WSDL portType, in WSDL order.\n");
    o.push_str(
        "    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n    pub enum Operation {\n",
    );
    for op in ops {
        let _ = writeln!(o, "        {},", op.name);
    }
    o.push_str("    }\n\n    impl Operation {\n");
    let all: Vec<String> = ops
        .iter()
        .map(|op| format!("Operation::{}", op.name))
        .collect();
    let _ = writeln!(
        o,
        "        pub const ALL: &'static [Operation] = &[\n            {},\n        ];\n",
        all.join(",\n            ")
    );
    per_op(
        o,
        ops,
        "The operation name (also its SOAP input element).",
        "name(&self) -> &'static str",
        &|op| lit(&op.name),
    );
    o.push('\n');
    o.push_str("        /// The operation with this exact name.\n");
    o.push_str("        pub fn from_name(s: &str) -> Option<Operation> {\n            match s {\n");
    for op in ops {
        let _ = writeln!(
            o,
            "                {} => Some(Operation::{}),",
            lit(&op.name),
            op.name
        );
    }
    o.push_str("                _ => None,\n            }\n        }\n\n");
    per_op(
        o,
        ops,
        "The root element of the response.",
        "response_element(&self) -> &'static str",
        &|op| lit(&op.response_element),
    );
    o.push('\n');
    per_op(
        o,
        ops,
        "The element of each result inside the response.",
        "result_element(&self) -> &'static str",
        &|op| lit(&op.result_xml),
    );
    o.push('\n');
    per_op(
        o,
        ops,
        "The parameters of the operation's request, in WSDL order.",
        &format!("parameters(&self) -> &'static [{}::Parameter]", rt),
        &|op| {
            let mut s = String::from("&[");
            for (name, required) in &op.parameters {
                let _ = write!(
                    s,
                    "\n                    {}::Parameter {{ name: {}, required: {} }},",
                    rt,
                    lit(name),
                    required
                );
            }
            if !op.parameters.is_empty() {
                s.push_str("\n                ");
            }
            s.push(']');
            s
        },
    );
    if let Some(v) = versions {
        o.push('\n');
        per_op(
            o,
            ops,
            "Whether interface `version` has the operation.",
            "in_version(&self, version: Version) -> bool",
            &|op| {
                v.condition(&v.operation(&op.name))
                    .unwrap_or_else(|| "true".into())
            },
        );
    }
    o.push_str("    }\n\n");

    o.push_str(
        "    /// One handler per operation; a new WSDL operation makes the compiler ask for it.\n",
    );
    o.push_str("    pub trait Requester: Send + Sync {\n");
    for op in ops {
        let _ = writeln!(o, "        /// `{}`", op.name);
        let _ = writeln!(
            o,
            "        fn {}(&self, ctx: &{rt}::Context, req: {}) -> Result<{}, {rt}::OpError>;",
            op.method, op.request, op.result
        );
    }
    o.push_str("    }\n");
    emit_call_glue(o, m, rt, versions);

    o.push_str(
        "\n    /// Decodes the input of `op` (all requests, before any handler runs), calls the\n",
    );
    o.push_str("    /// handler for each request and writes the `{Op}Response` element.\n");
    let _ = writeln!(
        o,
        "    pub fn dispatch<H: Requester + ?Sized>(\n        h: &H,\n        ctx: &{rt}::Context,\n        op: Operation,\n        input: {rt}::Input<'_>,\n        w: &mut {rt}::Writer,\n        ns: Option<&str>,\n    ) -> Result<(), {rt}::DecodeError> {{"
    );
    o.push_str("        match op {\n");
    for op in ops {
        let _ = writeln!(
            o,
            "            Operation::{} => {rt}::answer::<{}>(ctx, input, w, ns, |req| h.{}(ctx, req)),",
            op.name, op.input, op.method
        );
    }
    o.push_str("        }\n    }\n");
}

/// What the runtime's `answer` needs to know of each operation's input, request and result
/// types: field access and element names only (the envelope rules are the runtime's).
fn emit_call_glue(o: &mut String, m: &Module, rt: &str, versions: Option<&Versions>) {
    let ops = &m.ops;
    let mut requests: Vec<&str> = Vec::new();
    let mut results: Vec<&str> = Vec::new();
    for op in ops {
        let _ = writeln!(o, "\n    impl {rt}::Call for {} {{", op.input);
        let _ = writeln!(o, "        type Request = {};", op.request);
        let _ = writeln!(o, "        type Result = {};", op.result);
        let _ = writeln!(
            o,
            "        const RESPONSE: &'static str = {};",
            lit(&op.response_element)
        );
        let _ = writeln!(
            o,
            "        const RESULT: &'static str = {};",
            lit(&op.result_xml)
        );
        let _ = writeln!(
            o,
            "        fn requests(self) -> Vec<{}> {{\n            self.{}\n        }}\n    }}",
            op.request, op.input_requests_field
        );
        if !requests.contains(&op.request.as_str()) {
            requests.push(&op.request);
            let _ = writeln!(o, "\n    impl {rt}::CallRequest for {} {{", op.request);
            if op.echo_element.is_some() {
                let echo = match versions {
                    Some(v) => {
                        let mut arms = String::from("match Version::from_shape(shape) {");
                        for (x, e) in v.list.iter().zip(v.echo(&op.name)) {
                            let e = e.map_or_else(
                                || "None".to_string(),
                                |e| format!("Some({})", lit(&e)),
                            );
                            let _ =
                                write!(arms, "\n                Version::{} => {},", x.ident, e);
                        }
                        arms.push_str("\n            }");
                        arms
                    }
                    None => format!(
                        "Some({})",
                        lit(op.echo_element.as_deref().unwrap_or_default())
                    ),
                };
                let _ = writeln!(
                    o,
                    "        fn echo_element(shape: {rt}::Shape) -> Option<&'static str> {{\n            {}\n        }}",
                    echo
                );
                o.push_str("        fn response_group(&self) -> &[String] {\n            &self.response_group\n        }\n");
            }
            if versions.is_some_and(|v| v.is_checked(&op.request)) {
                let _ = writeln!(
                    o,
                    "        fn value_outside(&self, shape: {rt}::Shape) -> Option<(&'static str, &'static str)> {{\n            {}::value_outside(self, Version::from_shape(shape))\n        }}",
                    op.request
                );
            }
            o.push_str("    }\n");
        }
        if !results.contains(&op.result.as_str()) {
            results.push(&op.result);
            let _ = writeln!(o, "\n    impl {rt}::CallResult for {} {{", op.result);
            o.push_str(
                "        fn clear_request(&mut self) {\n            self.request = None;\n        }\n    }\n",
            );
        }
    }
}
