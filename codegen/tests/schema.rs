//! Tests of the schema reader and the lowering rules.

use turkstand_codegen::schema::{Item, Occurs, Particle, TypeRef};
use turkstand_codegen::{lower, parse_schema, Decl, Module, Occ};

const XS_HEAD: &str = r#"<xs:schema targetNamespace="urn:t" xmlns:tns="urn:t" xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">"#;

fn schema(body: &str) -> String {
    format!("{XS_HEAD}{body}</xs:schema>")
}

fn module(body: &str) -> Module {
    lower("t", &parse_schema(&schema(body)).unwrap()).unwrap()
}

fn lower_err(body: &str) -> String {
    match parse_schema(&schema(body)) {
        Err(e) => e.to_string(),
        Ok(s) => lower("t", &s).unwrap_err().to_string(),
    }
}

fn fields(m: &Module, name: &str) -> Vec<(String, Occ, String)> {
    m.find_struct(name)
        .unwrap_or_else(|| panic!("no struct {name}"))
        .fields
        .iter()
        .map(|f| (f.ident.clone(), f.occ, f.ty.rust.clone()))
        .collect()
}

#[test]
fn reads_wsdl_operations_and_messages() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mini.wsdl"
    ))
    .unwrap();
    let s = parse_schema(&text).unwrap();
    assert_eq!(s.target_ns, "urn:mini");
    let names: Vec<_> = s.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["DoThing", "Ping"]);
    assert_eq!(s.operations[0].input.local, "DoThing");
    assert_eq!(s.operations[0].output.local, "DoThingResponse");
    assert_eq!(s.operations[1].output.ns.as_deref(), Some("urn:mini"));
    let m = lower("mini", &s).unwrap();
    assert_eq!(m.ops.len(), 2);
    let d = &m.ops[0];
    assert_eq!(
        (d.method.as_str(), d.request.as_str(), d.result.as_str()),
        ("do_thing", "DoThingRequest", "DoThingResult")
    );
    assert_eq!(d.echo_field.as_deref(), Some("do_thing_request"));
    assert!(d.has_response_group);
    let p = &m.ops[1];
    assert_eq!((p.result.as_str(), p.result_xml.as_str()), ("Pong", "Pong"));
    assert_eq!(p.echo_field, None);
    assert!(!p.has_response_group);
    assert_eq!(d.echo_element.as_deref(), Some("DoThingRequest"));
    assert_eq!(p.echo_element, None);
    let params = |op: &turkstand_codegen::Op| {
        op.parameters
            .iter()
            .map(|(n, r)| (n.clone(), *r))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        params(d),
        [
            ("ThingId".to_string(), true),
            ("Thing".to_string(), false),
            ("WorkerId".to_string(), true),
            ("ResponseGroup".to_string(), false)
        ]
    );
    assert_eq!(params(p), [("Message".to_string(), false)]);
}

#[test]
fn reads_occurrences_refs_and_inline_types() {
    let s = parse_schema(&schema(
        r#"<xs:complexType name="A"><xs:sequence>
             <xs:element name="X" type="xs:int" minOccurs="0" maxOccurs="unbounded"/>
             <xs:element ref="tns:E" minOccurs="0"/>
             <xs:choice maxOccurs="3"><xs:element name="Y" type="xs:string"/></xs:choice>
           </xs:sequence></xs:complexType>
           <xs:element name="E"><xs:complexType><xs:attribute name="k" type="xs:string" use="required"/></xs:complexType></xs:element>"#,
    ))
    .unwrap();
    let Item::Complex(a) = &s.items[0] else {
        panic!()
    };
    let Some(Particle::Sequence(g)) = &a.particle else {
        panic!()
    };
    let Particle::Element(x) = &g.items[0] else {
        panic!()
    };
    assert_eq!(x.occurs, Occurs { min: 0, max: None });
    assert!(
        matches!(&x.ty, TypeRef::Named(q) if q.local == "int" && q.ns.as_deref() == Some("http://www.w3.org/2001/XMLSchema"))
    );
    let Particle::Element(r) = &g.items[1] else {
        panic!()
    };
    assert_eq!(r.reference.as_ref().unwrap().local, "E");
    let Particle::Choice(c) = &g.items[2] else {
        panic!()
    };
    assert_eq!(
        c.occurs,
        Occurs {
            min: 1,
            max: Some(3)
        }
    );
    let Item::Element(e) = &s.items[1] else {
        panic!()
    };
    let TypeRef::Complex(ct) = &e.ty else {
        panic!()
    };
    assert!(ct.attributes[0].required);
}

#[test]
fn flattening_rules() {
    let m = module(
        r#"<xs:complexType name="T"><xs:sequence>
             <xs:element name="One" type="xs:string"/>
             <xs:element name="Opt" type="xs:int" minOccurs="0"/>
             <xs:element name="Many" type="xs:long" maxOccurs="2"/>
             <xs:choice><xs:element name="C1" type="xs:string"/><xs:element name="C2" type="xs:string"/></xs:choice>
             <xs:choice maxOccurs="unbounded"><xs:element name="R1" type="xs:string"/></xs:choice>
             <xs:sequence minOccurs="0"><xs:element name="S1" type="xs:boolean"/></xs:sequence>
             <xs:element name="Opt" type="xs:int" minOccurs="0"/>
             <xs:element name="Many" type="xs:long"/>
           </xs:sequence></xs:complexType>"#,
    );
    let f = fields(&m, "T");
    let want = [
        ("one", Occ::One, "String"),
        ("opt", Occ::Opt, "i32"),
        ("many", Occ::Many, "i64"),
        ("c1", Occ::Opt, "String"),
        ("c2", Occ::Opt, "String"),
        ("r1", Occ::Many, "String"),
        ("s1", Occ::Opt, "bool"),
    ];
    let got: Vec<_> = f
        .iter()
        .map(|(a, b, c)| (a.as_str(), *b, c.as_str()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn type_mapping_and_simple_types() {
    let m = module(
        r#"<xs:simpleType name="E"><xs:restriction base="xs:string"><xs:enumeration value="a-b"/><xs:enumeration value="HITs"/></xs:restriction></xs:simpleType>
           <xs:simpleType name="N"><xs:restriction base="xs:nonNegativeInteger"/></xs:simpleType>
           <xs:simpleType name="M"><xs:restriction base="tns:N"/></xs:simpleType>
           <xs:complexType name="T"><xs:sequence>
             <xs:element name="a" type="xs:anyURI"/><xs:element name="b" type="xs:token"/>
             <xs:element name="c" type="xs:language"/><xs:element name="d" type="xs:integer"/>
             <xs:element name="e" type="xs:positiveInteger"/><xs:element name="f" type="xs:double"/>
             <xs:element name="g" type="xs:decimal"/><xs:element name="h" type="xs:dateTime"/>
             <xs:element name="i" type="tns:E"/><xs:element name="j" type="tns:M"/>
           </xs:sequence></xs:complexType>"#,
    );
    let types: Vec<String> = fields(&m, "T").into_iter().map(|f| f.2).collect();
    assert_eq!(
        types,
        [
            "String",
            "String",
            "String",
            "i64",
            "u64",
            "f64",
            "rust_decimal::Decimal",
            "chrono::DateTime<chrono::Utc>",
            "E",
            "M"
        ]
    );
    let Decl::Enum(e) = &m.decls[0] else { panic!() };
    assert_eq!(
        e.variants,
        [
            ("AB".to_string(), "a-b".to_string()),
            ("Hits".to_string(), "HITs".to_string())
        ]
    );
    assert!(m
        .decls
        .iter()
        .any(|d| matches!(d, Decl::Alias { name, rust, .. } if name == "M" && rust == "u64")));
}

#[test]
fn anonymous_types_are_named_after_their_owner() {
    let m = module(
        r#"<xs:element name="Errors"><xs:complexType><xs:sequence>
             <xs:element name="Error" maxOccurs="unbounded"><xs:complexType><xs:sequence>
               <xs:element name="Code" type="xs:string"/>
               <xs:element name="Kind"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="x"/></xs:restriction></xs:simpleType></xs:element>
             </xs:sequence></xs:complexType></xs:element>
           </xs:sequence></xs:complexType></xs:element>"#,
    );
    assert_eq!(
        fields(&m, "Errors"),
        [("error".to_string(), Occ::Many, "ErrorsError".to_string())]
    );
    assert_eq!(fields(&m, "ErrorsError")[1].2, "ErrorsErrorKind");
    let names: Vec<_> = m
        .decls
        .iter()
        .map(|d| match d {
            Decl::Struct(s) => s.name.clone(),
            Decl::Enum(e) => e.name.clone(),
            Decl::Alias { name, .. } => name.clone(),
        })
        .collect();
    assert_eq!(names, ["Errors", "ErrorsError", "ErrorsErrorKind"]);
}

#[test]
fn unsupported_constructs_fail_loudly() {
    assert!(lower_err(r#"<xs:group name="g"><xs:sequence/></xs:group>"#).contains("unsupported"));
    assert!(lower_err(r#"<xs:complexType name="T"><xs:complexContent><xs:extension base="tns:U"/></xs:complexContent></xs:complexType>"#)
        .contains("unsupported schema construct <xs:complexContent>"));
    assert!(lower_err(
        r#"<xs:complexType name="T"><xs:sequence><xs:any/></xs:sequence></xs:complexType>"#
    )
    .contains("unsupported"));
    assert!(lower_err(r#"<xs:complexType name="T"><xs:sequence><xs:element name="x" type="tns:Nope"/></xs:sequence></xs:complexType>"#)
        .contains("unknown type {urn:t}Nope"));
    assert!(lower_err(r#"<xs:complexType name="T"><xs:sequence><xs:element name="x" type="zz:Nope"/></xs:sequence></xs:complexType>"#)
        .contains("undeclared namespace prefix"));
    assert!(lower_err(r#"<xs:complexType name="T"><xs:sequence><xs:element name="A" type="xs:int"/><xs:element name="A" type="xs:string"/></xs:sequence></xs:complexType>"#)
        .contains("different types"));
    assert!(lower_err(r#"<xs:complexType name="TX"/><xs:element name="T"><xs:complexType><xs:sequence><xs:element name="X"><xs:complexType/></xs:element></xs:sequence></xs:complexType></xs:element>"#)
        .contains("generated type name TX is used by both"));
    assert!(parse_schema("<root/>")
        .unwrap_err()
        .to_string()
        .contains("neither xs:schema nor wsdl:definitions"));
}

#[test]
fn operation_contract_violations_fail_loudly() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mini.wsdl"
    ))
    .unwrap();
    // A result type without `ref tns:Request`.
    let broken = text.replace(
        r#"<xs:element ref="tns:Request" minOccurs="0"/>
          <xs:element name="Thing" type="tns:Thing" minOccurs="0"/>"#,
        r#"<xs:element name="Thing" type="tns:Thing" minOccurs="0"/>"#,
    );
    assert_ne!(broken, text);
    let err = lower("mini", &parse_schema(&broken).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "operation DoThing: result type DoThingResult has no optional `ref tns:Request` field"
        ),
        "{err}"
    );
    // A result type whose Request is not its first child (the runtime writes it first).
    let broken = text.replace(
        r#"<xs:element ref="tns:Request" minOccurs="0"/>
          <xs:element name="Thing" type="tns:Thing" minOccurs="0"/>"#,
        r#"<xs:element name="Thing" type="tns:Thing" minOccurs="0"/>
          <xs:element ref="tns:Request" minOccurs="0"/>"#,
    );
    assert_ne!(broken, text);
    let err = lower("mini", &parse_schema(&broken).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("result type DoThingResult must start with its `ref tns:Request`"),
        "{err}"
    );
    // An operation whose message does not exist.
    let broken = text.replace(
        r#"<wsdl:output message="tns:PingResponseMsg"/>"#,
        r#"<wsdl:output message="tns:Nope"/>"#,
    );
    let err = parse_schema(&broken).unwrap_err().to_string();
    assert!(
        err.contains("operation Ping: unknown message {urn:mini}Nope"),
        "{err}"
    );
}
