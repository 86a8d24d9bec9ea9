//! Generates the bindings (`$OUT_DIR/mturk.rs`) from the bundled WSDL and data schemas.

use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let files: Vec<(&str, PathBuf, bool)> = vec![
        (
            "requester",
            root.join("wsdl/AWSMechanicalTurkRequester.wsdl"),
            true,
        ),
        ("question_form", root.join("xsd/QuestionForm.xsd"), false),
        (
            "question_form_answers",
            root.join("xsd/QuestionFormAnswers.xsd"),
            false,
        ),
        ("answer_key", root.join("xsd/AnswerKey.xsd"), false),
        (
            "external_question",
            root.join("xsd/ExternalQuestion.xsd"),
            false,
        ),
        ("html_question", root.join("xsd/HTMLQuestion.xsd"), false),
    ];
    for (_, path, _) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    println!("cargo:rerun-if-changed=build.rs");
    let refs: Vec<(&str, &std::path::Path, bool)> = files
        .iter()
        .map(|(m, p, fp)| (*m, p.as_path(), *fp))
        .collect();
    let code = match turkstand_codegen::generate_files(&refs, &Default::default()) {
        Ok(code) => code,
        Err(e) => panic!("binding generation failed: {e}"),
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("mturk.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}
