//! Golden-output tests: the generated code for the fixture schemas is compared with
//! the checked-in `fixtures/*.rs.golden`. Regenerate with `UPDATE_GOLDEN=1 cargo test -p turkstand-codegen`.

use std::path::PathBuf;

use turkstand_codegen::{generate, generate_files, Input, Options};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The code generated for one fixture, with the default options.
fn generate_fixture(module: &str, fixture: &str, from_params: bool) -> String {
    let path = fixtures().join(fixture);
    generate_files(
        &[(module, path.as_path(), from_params)],
        &Options::default(),
    )
    .unwrap()
}

/// The code generated for `mini.wsdl` answering `mini-old.wsdl`'s version in its own shape,
/// with `old` edited by `change`.
fn generate_versions(
    change: impl Fn(String) -> String,
) -> Result<String, turkstand_codegen::Error> {
    let read = |name: &str| std::fs::read_to_string(fixtures().join(name)).unwrap();
    let (new, old) = (read("mini.wsdl"), change(read("mini-old.wsdl")));
    generate(
        &[Input {
            module: "mini_versions",
            source: "mini.wsdl",
            text: &new,
            from_params: true,
            versions: vec![("2002-02-02", &new), ("2001-01-01", &old)],
            repeatable: &[],
        }],
        &Options::default(),
    )
}

fn check(golden: &str, got: String) {
    let dir = fixtures();
    let golden_path = dir.join(golden);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden_path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&golden_path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create)",
            golden_path.display()
        )
    });
    if got != want {
        let line = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "generated code differs from {} at line {}:\n got: {:?}\nwant: {:?}\n(run with UPDATE_GOLDEN=1 to accept)",
            golden_path.display(),
            line + 1,
            got.lines().nth(line),
            want.lines().nth(line)
        );
    }
}

#[test]
fn golden_wsdl() {
    check(
        "mini_wsdl.rs.golden",
        generate_fixture("mini", "mini.wsdl", true),
    );
}

#[test]
fn golden_xsd() {
    check(
        "mini_xsd.rs.golden",
        generate_fixture("mini_data", "mini.xsd", false),
    );
}

/// An older version is written from the newest one's types: its missing elements and
/// enumeration values, its single `Tag`, its echo element's name and its missing operation
/// are all gated on the writer's shape.
#[test]
fn golden_versions() {
    let code = generate_versions(|old| old).unwrap();
    for gate in [
        "if matches!(version, Version::V2002_02_02) {",
        "Self::HitCreated => matches!(version, Version::V2002_02_02),",
        "Version::V2001_01_01 => Some(\"DoThing\"),",
        "Operation::Ping => matches!(version, Version::V2002_02_02),",
    ] {
        assert!(code.contains(gate), "missing {gate}");
    }
    check("mini_versions.rs.golden", code);
}

/// An older version that needs an element the newest lacks, or orders shared elements
/// otherwise, cannot be answered from the newest one's types.
#[test]
fn an_older_version_the_newest_cannot_write_is_refused() {
    let needs_more = generate_versions(|old| {
        old.replace(
            r#"<xs:element name="ThingId" type="xs:string"/>
          <xs:element name="Count""#,
            r#"<xs:element name="ThingId" type="xs:string"/>
          <xs:element name="Serial" type="xs:string"/>
          <xs:element name="Count""#,
        )
    });
    let e = needs_more.unwrap_err().to_string();
    assert!(e.contains("Thing requires Serial"), "{e}");
    let reordered = generate_versions(|old| {
        old.replace(
            r#"<xs:element name="Amount" type="xs:decimal"/>
          <xs:element name="CurrencyCode" type="xs:string"/>"#,
            r#"<xs:element name="CurrencyCode" type="xs:string"/>
          <xs:element name="Amount" type="xs:decimal"/>"#,
        )
    });
    let e = reordered.unwrap_err().to_string();
    assert!(e.contains("Price orders its elements differently"), "{e}");
}

#[test]
fn generation_is_deterministic() {
    let a = generate_fixture("mini", "mini.wsdl", true);
    let b = generate_fixture("mini", "mini.wsdl", true);
    assert_eq!(a, b);
}

/// Generated code reaches the runtime through the configured path only: with another path,
/// no `crate::` is left, and the code is otherwise the same.
#[test]
fn generated_code_names_only_the_runtime() {
    let code = generate_fixture("mini", "mini.wsdl", true);
    let path = fixtures().join("mini.wsdl");
    let elsewhere = generate_files(
        &[("mini", path.as_path(), true)],
        &Options { runtime: "::rt" },
    )
    .unwrap();
    assert!(!elsewhere.contains("crate::"));
    assert_eq!(elsewhere.replace("::rt::", "crate::binding::"), code);
}

/// The project's bundled generator inputs generate.
#[test]
fn project_schemas_generate() {
    let inputs: Vec<Input<'_>> = turkstand_documents::ALL
        .iter()
        .filter_map(|d| {
            let m = d.module?;
            Some(Input {
                module: m.name,
                source: d.file_name(),
                text: d.text,
                from_params: m.from_params,
                versions: turkstand_documents::shapes_of(d),
                repeatable: m.repeatable,
            })
        })
        .collect();
    let code = generate(&inputs, &Options::default()).unwrap();
    assert!(code.contains("pub enum Operation {"));
    assert!(code.contains("fn get_hits_for_qualification_type(&self"));
    assert!(code.contains("pub struct HTTPHeadersHeader {"));
    assert!(code.contains("pub enum HelpRequestHelpType {"));
    assert!(code.contains("pub enum SelectionAnswerTypeStyleSuggestion {"));
    assert!(code.contains("pub enum MimeTypeType {"));
}
