//! `cargo run -p turkstand-codegen --example gen -- [--runtime=PATH] module=path[:params] …`
//! prints the generated code.
fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut options = turkstand_codegen::Options::default();
    let runtime = args
        .iter()
        .position(|a| a.starts_with("--runtime="))
        .map(|i| args.remove(i));
    if let Some(r) = &runtime {
        options.runtime = &r["--runtime=".len()..];
    }
    let specs: Vec<(String, std::path::PathBuf, bool)> = args
        .iter()
        .map(|a| {
            let (m, rest) = a.split_once('=').expect("module=path");
            let (p, fp) = match rest.strip_suffix(":params") {
                Some(p) => (p, true),
                None => (rest, false),
            };
            (m.to_string(), p.into(), fp)
        })
        .collect();
    let refs: Vec<(&str, &std::path::Path, bool)> = specs
        .iter()
        .map(|(m, p, fp)| (m.as_str(), p.as_path(), *fp))
        .collect();
    match turkstand_codegen::generate_files(&refs, &options) {
        Ok(s) => print!("{s}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
