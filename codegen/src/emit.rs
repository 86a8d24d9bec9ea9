//! Rust source emission for lowered modules.

use std::fmt::Write as _;

use crate::lower::{Decl, Enum, Field, Module, Occ, Op, Struct};

const XML: &str = "crate::xml";
const PARAMS: &str = "crate::wire::params";

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
pub fn emit_module(out: &mut String, m: &Module, source: &str, from_params: bool) {
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
    for d in &m.decls {
        o.push('\n');
        match d {
            Decl::Enum(e) => emit_enum(o, e),
            Decl::Alias { name, origin, rust } => {
                let _ = writeln!(o, "    /// {}.", origin);
                let _ = writeln!(o, "    pub type {} = {};", name, rust);
            }
            Decl::Struct(s) => {
                emit_struct(o, s);
                emit_decode(o, s);
                emit_encode(o, s);
                if from_params {
                    emit_from_params(o, s);
                }
            }
        }
    }
    if !m.ops.is_empty() {
        o.push('\n');
        emit_ops(o, m);
    }
    o.push_str("}\n");
}

fn emit_enum(o: &mut String, e: &Enum) {
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
    let _ = writeln!(o, "    impl {}::Scalar for {} {{", XML, n);
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

fn emit_decode(o: &mut String, s: &Struct) {
    let elems: Vec<&Field> = s.fields.iter().filter(|f| !f.attr).collect();
    o.push('\n');
    let _ = writeln!(o, "    impl {}::Decode for {} {{", XML, s.name);
    let _ = writeln!(
        o,
        "        fn decode(el: &{}::Element) -> Result<Self, {}::DecodeError> {{",
        XML, XML
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
            XML
        );
        o.push_str("            }\n");
    } else {
        o.push_str("            for c in &el.children {\n");
        let _ = writeln!(
            o,
            "                if !{}::ns_matches(c.ns.as_deref(), NAMESPACE) {{",
            XML
        );
        let _ = writeln!(
            o,
            "                    return Err({}::DecodeError::unexpected(el, c));",
            XML
        );
        o.push_str("                }\n                match c.name.as_str() {\n");
        for f in &elems {
            let read = if f.ty.is_struct {
                format!("{}::child::<{}>(el, c)?", XML, f.ty.rust)
            } else {
                format!("{}::scalar::<{}>(el, c)?", XML, f.ty.rust)
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
                    XML
                );
                o.push_str("                        }\n");
                if !f.ty.is_struct && f.occ == Occ::Opt {
                    let _ = writeln!(
                        o,
                        "                        {} = {}::scalar_opt::<{}>(el, c)?;",
                        v, XML, f.ty.rust
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
            XML
        );
        o.push_str("                }\n            }\n");
    }
    for f in elems.iter().filter(|f| f.occ == Occ::Many && f.required) {
        let _ = writeln!(o, "            if f_{}.is_empty() {{", bare(&f.ident));
        let _ = writeln!(
            o,
            "                return Err({}::DecodeError::missing(el, {}));",
            XML,
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
            format!("{}::{}::<{}>(el, {})?", XML, func, f.ty.rust, lit(&f.xml))
        } else if f.occ == Occ::One {
            format!(
                "f_{}.ok_or_else(|| {}::DecodeError::missing(el, {}))?",
                bare(&f.ident),
                XML,
                lit(&f.xml)
            )
        } else {
            format!("f_{}", bare(&f.ident))
        };
        let _ = writeln!(o, "                {}: {},", f.ident, v);
    }
    o.push_str("            })\n        }\n    }\n");
}

fn emit_encode(o: &mut String, s: &Struct) {
    o.push('\n');
    let _ = writeln!(o, "    impl {}::Encode for {} {{", XML, s.name);
    let _ = writeln!(
        o,
        "        fn encode(&self, w: &mut {}::Writer, name: &str) {{",
        XML
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
                    b, XML, f.ident
                );
            } else {
                let _ = writeln!(
                    o,
                    "            let a_{} = self.{}.as_ref().map({}::Scalar::to_xml);",
                    b, f.ident, XML
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
    o.push_str("            crate::xml::Encode::encode_children(self, w);\n            w.end(name);\n        }\n\n");
    let _ = writeln!(
        o,
        "        fn encode_children(&self, w: &mut {}::Writer) {{",
        XML
    );
    for f in s.fields.iter().filter(|f| !f.attr) {
        let put = |v: &str| {
            if f.ty.is_struct {
                format!("{}::Encode::encode({}, w, {});", XML, v, lit(&f.xml))
            } else {
                format!("w.scalar({}, {});", lit(&f.xml), v)
            }
        };
        match f.occ {
            Occ::One => {
                let _ = writeln!(o, "            {}", put(&format!("&self.{}", f.ident)));
            }
            Occ::Opt => {
                let _ = writeln!(o, "            if let Some(v) = &self.{} {{", f.ident);
                let _ = writeln!(o, "                {}", put("v"));
                o.push_str("            }\n");
            }
            Occ::Many => {
                let _ = writeln!(o, "            for v in &self.{} {{", f.ident);
                let _ = writeln!(o, "                {}", put("v"));
                o.push_str("            }\n");
            }
        }
    }
    o.push_str("        }\n    }\n");
}

fn emit_from_params(o: &mut String, s: &Struct) {
    o.push('\n');
    let _ = writeln!(o, "    impl {}::FromParams for {} {{", PARAMS, s.name);
    let _ = writeln!(
        o,
        "        fn from_params(p: &{}::ParamView<'_>) -> Result<Self, {}::DecodeError> {{",
        PARAMS, XML
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

fn emit_ops(o: &mut String, m: &Module) {
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
    o.push_str("        /// The operation name (also its SOAP input element).\n");
    o.push_str("        pub fn name(&self) -> &'static str {\n            match self {\n");
    for op in ops {
        let _ = writeln!(
            o,
            "                Operation::{} => {},",
            op.name,
            lit(&op.name)
        );
    }
    o.push_str("            }\n        }\n\n");
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
    o.push_str("        /// The root element of the response.\n");
    o.push_str(
        "        pub fn response_element(&self) -> &'static str {\n            match self {\n",
    );
    for op in ops {
        let _ = writeln!(
            o,
            "                Operation::{} => {},",
            op.name,
            lit(&op.response_element)
        );
    }
    o.push_str("            }\n        }\n    }\n\n");

    o.push_str(
        "    /// One handler per operation; a new WSDL operation makes the compiler ask for it.\n",
    );
    o.push_str("    pub trait Requester: Send + Sync {\n");
    for op in ops {
        let _ = writeln!(o, "        /// `{}`", op.name);
        let _ = writeln!(
            o,
            "        fn {}(&self, ctx: &crate::handlers::Context, req: {}) -> Result<{}, crate::error::OpError>;",
            op.method, op.request, op.result
        );
    }
    o.push_str("    }\n\n");

    o.push_str("    fn begin_response(w: &mut crate::xml::Writer, name: &str, ns: Option<&str>, ctx: &crate::handlers::Context) {\n");
    o.push_str("        match ns {\n            Some(ns) => w.start(name, &[(\"xmlns\", ns)]),\n            None => w.start(name, &[]),\n        }\n");
    o.push_str("        let op = OperationRequest { request_id: Some(ctx.request_id.clone()), ..Default::default() };\n");
    let _ = writeln!(
        o,
        "        {}::Encode::encode(&op, w, \"OperationRequest\");",
        XML
    );
    o.push_str("    }\n\n");

    o.push_str(
        "    /// Decodes the input of `op` (all requests, before any handler runs), calls the\n",
    );
    o.push_str("    /// handler for each request and writes the `{Op}Response` element.\n");
    o.push_str("    pub fn dispatch<H: Requester + ?Sized>(\n        h: &H,\n        ctx: &crate::handlers::Context,\n        op: Operation,\n");
    let _ = writeln!(
        o,
        "        input: {}::Input<'_>,\n        w: &mut {}::Writer,\n        ns: Option<&str>,",
        PARAMS, XML
    );
    let _ = writeln!(o, "    ) -> Result<(), {}::DecodeError> {{", XML);
    o.push_str("        match op {\n");
    for op in ops {
        emit_dispatch_arm(o, op);
    }
    o.push_str("        }\n        Ok(())\n    }\n");
}

fn emit_dispatch_arm(o: &mut String, op: &Op) {
    let _ = writeln!(o, "            Operation::{} => {{", op.name);
    let _ = writeln!(
        o,
        "                let reqs: Vec<{}> = match input {{",
        op.request
    );
    let _ = writeln!(
        o,
        "                    {}::Input::Xml(el) => <{} as {}::Decode>::decode(el)?.{},",
        PARAMS, op.input, XML, op.input_requests_field
    );
    let _ = writeln!(
        o,
        "                    {}::Input::Params(p) => vec![<{} as {}::FromParams>::from_params(p)?],",
        PARAMS, op.request, PARAMS
    );
    o.push_str("                };\n");
    let _ = writeln!(
        o,
        "                begin_response(w, {}, ns, ctx);",
        lit(&op.response_element)
    );
    o.push_str("                for req in reqs {\n");
    let echo = match (&op.echo_field, op.has_response_group) {
        (Some(f), true) => Some(f),
        _ => None,
    };
    if echo.is_some() {
        o.push_str("                    let echo = if crate::handlers::wants_request_echo(&req.response_group) {\n");
        o.push_str("                        Some(req.clone())\n                    } else {\n                        None\n                    };\n");
    }
    let echo_init = echo.map(|f| format!(" {}: echo,", f)).unwrap_or_default();
    let _ = writeln!(
        o,
        "                    let res = match h.{}(ctx, req) {{",
        op.method
    );
    o.push_str("                        Ok(mut r) => {\n");
    let _ = writeln!(
        o,
        "                            r.request = Some(Request {{ is_valid: Some(\"True\".to_string()),{} ..Default::default() }});",
        echo_init
    );
    o.push_str("                            r\n                        }\n");
    let _ = writeln!(o, "                        Err(e) => {} {{", op.result);
    let _ = writeln!(
        o,
        "                            request: Some(Request {{ is_valid: Some(\"False\".to_string()),{} errors: Some(e.to_errors()), ..Default::default() }}),",
        echo_init
    );
    o.push_str("                            ..Default::default()\n                        },\n                    };\n");
    let _ = writeln!(
        o,
        "                    {}::Encode::encode(&res, w, {});",
        XML,
        lit(&op.result_xml)
    );
    o.push_str("                }\n");
    let _ = writeln!(o, "                w.end({});", lit(&op.response_element));
    o.push_str("            }\n");
}
