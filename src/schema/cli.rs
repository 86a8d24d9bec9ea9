//! `turkstand validate FILE…`: checks documents against the bundled schemas.
//!
//! Text output is one `file:line:column: message` line per error (and `file: valid (kind)` for
//! a valid file); `--format json` prints one array of `{file, valid, document, errors}`. The exit
//! status is 0 when every file is valid, 1 when any is invalid, and 2 when any could not be
//! checked at all (unreadable, not well-formed XML, or a root namespace with no bundled schema).

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use super::{validate_bytes, Issue, Unusable};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Documents to check; `-` reads standard input. The schema follows from the root
    /// element's namespace.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// `text`: one `file:line:column: message` line per error; `json`: an array of
    /// `{file, valid, document, errors: [{line, column, message}]}`.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// The verdict on one file.
pub enum Verdict {
    Checked {
        kind: super::DocumentKind,
        issues: Vec<Issue>,
    },
    Unusable {
        line: Option<usize>,
        message: String,
    },
}

pub fn check_file(path: &std::path::Path) -> Verdict {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            return Verdict::Unusable {
                line: None,
                message: format!("cannot read the file: {e}"),
            }
        }
    };
    match validate_bytes(&bytes) {
        Ok((kind, issues)) => Verdict::Checked { kind, issues },
        Err(e) => Verdict::Unusable {
            line: e.line(),
            message: match e {
                Unusable::NotXml(p) => format!("not well-formed XML: {p}"),
                other => other.to_string(),
            },
        },
    }
}

pub fn run(args: &ValidateArgs) -> ExitCode {
    let mut worst = 0u8;
    let mut reports = Vec::new();
    let mut out = String::new();
    for path in &args.files {
        let name = path.display().to_string();
        let verdict = check_file(path);
        let code = match &verdict {
            Verdict::Checked { issues, .. } if issues.is_empty() => 0,
            Verdict::Checked { .. } => 1,
            Verdict::Unusable { .. } => 2,
        };
        worst = worst.max(code);
        match args.format {
            Format::Text => match &verdict {
                Verdict::Checked { kind, issues } if issues.is_empty() => {
                    out.push_str(&format!("{name}: valid ({})\n", kind.name()));
                }
                Verdict::Checked { issues, .. } => {
                    for i in issues {
                        out.push_str(&format!("{name}:{}:{}: {}\n", i.line, i.column, i.message));
                    }
                }
                Verdict::Unusable {
                    line: Some(l),
                    message,
                } => out.push_str(&format!("{name}:{l}: {message}\n")),
                Verdict::Unusable {
                    line: None,
                    message,
                } => out.push_str(&format!("{name}: {message}\n")),
            },
            Format::Json => reports.push(match verdict {
                Verdict::Checked { kind, issues } => json!({
                    "file": name,
                    "valid": issues.is_empty(),
                    "document": kind.name(),
                    "errors": issues,
                }),
                Verdict::Unusable { line, message } => json!({
                    "file": name,
                    "valid": false,
                    "usable": false,
                    "document": null,
                    "errors": [{"line": line.unwrap_or(0), "column": 0, "message": message}],
                }),
            }),
        }
    }
    if args.format == Format::Json {
        out = serde_json::Value::Array(reports).to_string();
        out.push('\n');
    }
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is no reason to change the verdict.
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    ExitCode::from(worst)
}
