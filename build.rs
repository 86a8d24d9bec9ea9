//! Generates the bindings (`$OUT_DIR/mturk.rs`) from the bundled documents that are generator
//! inputs (see `documents/`).

use std::path::PathBuf;

use turkstand_codegen::{generate, Input, Options};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    for d in turkstand_documents::ALL {
        println!("cargo:rerun-if-changed={}", root.join(d.path).display());
    }
    println!("cargo:rerun-if-changed=build.rs");
    let inputs: Vec<Input<'_>> = turkstand_documents::ALL
        .iter()
        .filter_map(|d| {
            let module = d.module?;
            Some(Input {
                module: module.name,
                source: d.file_name(),
                text: d.text,
                from_params: module.from_params,
                versions: turkstand_documents::shapes_of(d),
                repeatable: module.repeatable,
            })
        })
        .collect();
    let code = match generate(&inputs, &Options::default()) {
        Ok(code) => code,
        Err(e) => panic!("binding generation failed: {e}"),
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("mturk.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}
