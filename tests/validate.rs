//! `turkstand validate` against an independent validator: on every document of the corpus in
//! tests/validate/corpus/, `turkstand validate` must reach the same verdict as
//! `xmllint --schema` (libxml2), and its errors must include the line xmllint names first.
//!
//! Corpus file names state the intended verdict: `valid-*`, `invalid-*`, `unusable-*` (not
//! XML, or a root namespace with no bundled schema; exit status 2). xmllint gets the bundled
//! XSD the root namespace names; for SOAP messages, a driver schema importing the SOAP envelope
//! schema turkstand uses and the WSDL's `xs:schema`, extracted at test time; for the XHTML
//! subset, an XML catalog that maps the XML namespace schema it imports to a local file.
//! Nothing is fetched from the network (`--nonet`).

mod support;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use turkstand::xml::{parse, ParseLimits};

const QF: &str =
    "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd";
const REQUESTER_2014: &str = "http://requester.mturk.amazonaws.com/doc/2014-08-15";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/validate/corpus"))
        .expect("corpus directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    files
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The exit status a corpus file's name promises.
fn intended(p: &Path) -> i32 {
    let n = name_of(p);
    if n.starts_with("valid-") {
        0
    } else if n.starts_with("invalid-") {
        1
    } else if n.starts_with("unusable-") {
        2
    } else {
        panic!("corpus file {n} must start with valid-, invalid- or unusable-")
    }
}

fn turkstand(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_turkstand"))
        .arg("validate")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run turkstand validate")
}

fn xmllint_works() -> bool {
    Command::new("xmllint")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Makes sure xmllint (Debian's libxml2-utils) is installed, installing it once, serialised
/// across test processes by a file lock.
fn ensure_xmllint() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        if xmllint_works() {
            return;
        }
        let target = repo().join("target");
        std::fs::create_dir_all(&target).expect("target dir");
        let lock = File::create(target.join("xmllint-install.lock")).expect("lock file");
        lock.lock().expect("lock");
        if !xmllint_works() {
            let status = Command::new("sh")
                .args([
                    "-c",
                    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils",
                ])
                .status()
                .expect("run apt-get");
            assert!(status.success(), "installing libxml2-utils failed");
        }
        assert!(xmllint_works(), "xmllint is still missing");
    });
}

/// Schema files for xmllint, written once per test process.
struct Schemas {
    dir: PathBuf,
    soap: PathBuf,
    requester: PathBuf,
    catalog: PathBuf,
}

fn schemas() -> &'static Schemas {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("validate-xmllint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("schema dir");
        // The requester schema is the WSDL's xs:schema element, which declares its own prefixes.
        let wsdl = std::fs::read_to_string(repo().join("wsdl/AWSMechanicalTurkRequester.wsdl"))
            .expect("read the WSDL");
        let start = wsdl.find("<xs:schema").expect("xs:schema in the WSDL");
        let end = wsdl.find("</xs:schema>").expect("end of xs:schema") + "</xs:schema>".len();
        let requester = dir.join("requester.xsd");
        std::fs::write(
            &requester,
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n", &wsdl[start..end]),
        )
        .expect("write requester.xsd");
        std::fs::copy(
            repo().join("xsd/soap-envelope.xsd"),
            dir.join("soap-envelope.xsd"),
        )
        .expect("copy soap-envelope.xsd");
        let soap = dir.join("soap.xsd");
        std::fs::write(
            &soap,
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://schemas.xmlsoap.org/soap/envelope/" schemaLocation="soap-envelope.xsd"/>
  <xs:import namespace="{REQUESTER_2014}" schemaLocation="requester.xsd"/>
</xs:schema>
"#
            ),
        )
        .expect("write soap.xsd");
        // The XHTML subset imports http://www.w3.org/2001/xml.xsd; a catalog points it here.
        let xml_xsd = dir.join("xml.xsd");
        std::fs::copy(repo().join("tests/validate/xml.xsd"), &xml_xsd).expect("copy xml.xsd");
        let catalog = dir.join("catalog.xml");
        let local = format!("file://{}", xml_xsd.display());
        std::fs::write(
            &catalog,
            format!(
                r#"<?xml version="1.0"?>
<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <uri name="http://www.w3.org/2001/xml.xsd" uri="{local}"/>
  <system systemId="http://www.w3.org/2001/xml.xsd" uri="{local}"/>
</catalog>
"#
            ),
        )
        .expect("write catalog.xml");
        Schemas {
            dir,
            soap,
            requester,
            catalog,
        }
    })
}

/// The schema xmllint should use for a document whose root is in `ns`.
fn xsd_for(ns: &str) -> Option<PathBuf> {
    let xsd = repo().join("xsd");
    for name in [
        "QuestionForm.xsd",
        "QuestionFormAnswers.xsd",
        "AnswerKey.xsd",
        "ExternalQuestion.xsd",
        "HTMLQuestion.xsd",
    ] {
        if ns.starts_with("http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/")
            && ns.ends_with(&format!("/{name}"))
        {
            return Some(xsd.join(name));
        }
    }
    match ns {
        "http://www.w3.org/1999/xhtml" => Some(xsd.join("FormattedContentXHTMLSubset.xsd")),
        "http://schemas.xmlsoap.org/soap/envelope/" => Some(schemas().soap.clone()),
        ns if ns.starts_with("http://requester.mturk.amazonaws.com/doc/") => {
            Some(schemas().requester.clone())
        }
        _ => None,
    }
}

/// Runs xmllint on `file`; gives its exit status and the line of its first error, if any.
fn xmllint(xsd: &Path, file: &Path) -> (i32, Option<usize>, String) {
    ensure_xmllint();
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(xsd)
        .arg(file)
        .env("XML_CATALOG_FILES", &schemas().catalog)
        .output()
        .expect("run xmllint");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let prefix = format!("{}:", file.display());
    let first_line = stderr.lines().find_map(|l| {
        l.strip_prefix(&prefix)?
            .split(':')
            .next()?
            .parse::<usize>()
            .ok()
    });
    (out.status.code().unwrap_or(-1), first_line, stderr)
}

/// Where a document uses an older requester version namespace, xmllint (which knows only
/// 2014-08-15's schema) gets a copy in 2014-08-15's; turkstand reads them the same.
fn for_xmllint(file: &Path, text: &str) -> PathBuf {
    let marker = "http://requester.mturk.amazonaws.com/doc/";
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(marker) {
        out.push_str(&rest[..i + marker.len()]);
        rest = &rest[i + marker.len()..];
        if rest.len() >= 10
            && rest.as_bytes()[..10]
                .iter()
                .all(|b| b.is_ascii_digit() || *b == b'-')
        {
            out.push_str("2014-08-15");
            rest = &rest[10..];
        }
    }
    out.push_str(rest);
    if out == text {
        return file.to_path_buf();
    }
    let copy = schemas().dir.join(name_of(file));
    std::fs::write(&copy, out).expect("write the namespace-mapped copy");
    copy
}

/// `file:line:column: message` lines of one file's text output.
fn error_positions(path: &str, stdout: &str) -> Result<Vec<(usize, usize)>, String> {
    let mut positions = Vec::new();
    for line in stdout.lines() {
        let rest = line
            .strip_prefix(path)
            .and_then(|r| r.strip_prefix(':'))
            .ok_or_else(|| format!("line does not start with '{path}:': {line}"))?;
        let mut parts = rest.splitn(3, ':');
        let (l, c, m) = (parts.next(), parts.next(), parts.next());
        match (
            l.and_then(|l| l.parse::<usize>().ok()),
            c.and_then(|c| c.parse::<usize>().ok()),
            m,
        ) {
            (Some(l), Some(c), Some(m)) if l > 0 && c > 0 && m.starts_with(' ') && m.len() > 1 => {
                positions.push((l, c))
            }
            _ => return Err(format!("not 'file:line:column: message': {line}")),
        }
    }
    if positions.is_empty() {
        return Err("no error printed".into());
    }
    Ok(positions)
}

#[test]
fn the_corpus_agrees_with_xmllint() {
    let files = corpus();
    let mut failures = Vec::new();
    let mut counts = [0usize; 3];
    for file in &files {
        let name = name_of(file);
        let path = file.display().to_string();
        let want = intended(file);
        counts[want as usize] += 1;
        let out = turkstand(&[&path]);
        let code = out.status.code().unwrap_or(-1);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if code != want {
            failures.push(format!(
                "{name}: turkstand exit {code}, expected {want}\n{stdout}"
            ));
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let root_ns = parse(text.as_bytes(), &ParseLimits::default())
            .ok()
            .and_then(|r| r.ns);
        // xmllint's verdict under the schema of the root's namespace (for valid and invalid
        // documents, which all have one).
        let by_schema = || match root_ns.as_deref().and_then(xsd_for) {
            Some(xsd) => Ok(xmllint(&xsd, &for_xmllint(file, &text))),
            None => Err(format!("{name}: no schema for xmllint")),
        };
        match want {
            0 => {
                if !(stdout.starts_with(&format!("{path}: valid (")) && stdout.lines().count() == 1)
                {
                    failures.push(format!(
                        "{name}: unexpected output for a valid file: {stdout}"
                    ));
                }
                match by_schema() {
                    Ok((0, _, _)) => {}
                    Ok((rc, _, stderr)) => failures.push(format!(
                        "{name}: turkstand says valid, xmllint exit {rc}:\n{stderr}"
                    )),
                    Err(e) => failures.push(e),
                }
            }
            1 => match error_positions(&path, &stdout) {
                Ok(positions) => match by_schema() {
                    Ok((3, line, stderr)) => {
                        if let Some(l) = line.filter(|l| !positions.iter().any(|(pl, _)| pl == l)) {
                            failures.push(format!(
                                "{name}: xmllint's first error is on line {l}, turkstand reports none there:\n{stdout}{stderr}"
                            ));
                        }
                    }
                    Ok((rc, _, stderr)) => failures.push(format!(
                        "{name}: turkstand says invalid, xmllint exit {rc}:\n{stderr}"
                    )),
                    Err(e) => failures.push(e),
                },
                Err(e) => failures.push(format!("{name}: {e}")),
            },
            _ => {
                if !stdout.starts_with(&format!("{path}:")) {
                    failures.push(format!("{name}: unusable input not reported: {stdout}"));
                }
                // xmllint must not accept it either (not XML, or no declaration for its root).
                let (rc, _, stderr) = xmllint(&repo().join("xsd/QuestionForm.xsd"), file);
                if rc == 0 {
                    failures.push(format!(
                        "{name}: xmllint accepts an unusable document: {stderr}"
                    ));
                }
            }
        }
    }
    println!(
        "corpus: {} documents ({} valid, {} invalid, {} unusable); {} disagreements with xmllint",
        files.len(),
        counts[0],
        counts[1],
        counts[2],
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(files.len() >= 60, "the corpus needs at least 60 documents");
    // Every document type appears both valid and invalid.
    for kind in ["qf", "qfa", "ak", "eq", "hq", "xhtml", "soap", "rest"] {
        for verdict in ["valid", "invalid"] {
            let prefix = format!("{verdict}-{kind}-");
            let exact = format!("{verdict}-{kind}.xml");
            assert!(
                files.iter().any(|f| {
                    let n = name_of(f);
                    n.starts_with(&prefix) || n == exact
                }),
                "no {verdict} {kind} document in the corpus"
            );
        }
    }
}

#[test]
fn json_output_describes_every_file() {
    let files = corpus();
    let paths: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let mut args = vec!["--format", "json"];
    args.extend(paths.iter().map(String::as_str));
    let out = turkstand(&args);
    assert_eq!(out.status.code(), Some(2), "the corpus has unusable files");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let entries = report.as_array().expect("an array");
    assert_eq!(entries.len(), files.len());
    for (entry, file) in entries.iter().zip(&files) {
        assert_eq!(entry["file"], file.display().to_string());
        let want = intended(file);
        assert_eq!(entry["valid"], want == 0, "{entry}");
        let errors = entry["errors"].as_array().expect("errors array");
        match want {
            0 => {
                assert!(errors.is_empty(), "{entry}");
                assert!(entry["document"].is_string(), "{entry}");
            }
            1 => {
                assert!(!errors.is_empty(), "{entry}");
                for e in errors {
                    assert!(e["line"].as_u64().is_some_and(|l| l > 0), "{entry}");
                    assert!(e["column"].as_u64().is_some_and(|c| c > 0), "{entry}");
                    assert!(
                        e["message"].as_str().is_some_and(|m| !m.is_empty()),
                        "{entry}"
                    );
                }
            }
            _ => {
                assert_eq!(entry["usable"], false, "{entry}");
                assert_eq!(errors.len(), 1, "{entry}");
            }
        }
    }
}

#[test]
fn exit_status_is_the_worst_verdict() {
    let dir = repo().join("tests/validate/corpus");
    let file = |n: &str| dir.join(n).display().to_string();
    let valid = file("valid-qf-freetext-minimal.xml");
    let invalid = file("invalid-qf-bad-boolean.xml");
    let unusable = file("unusable-not-xml.xml");
    assert_eq!(turkstand(&[&valid]).status.code(), Some(0));
    assert_eq!(turkstand(&[&valid, &valid]).status.code(), Some(0));
    assert_eq!(turkstand(&[&valid, &invalid]).status.code(), Some(1));
    assert_eq!(
        turkstand(&[&invalid, &unusable, &valid]).status.code(),
        Some(2)
    );
    let missing = dir.join("no-such-file.xml").display().to_string();
    let out = turkstand(&[&missing]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(&format!("{missing}: cannot read the file")),
        "{stdout}"
    );
    // The message for a bad value names the element, the value and the type.
    let out = turkstand(&[&invalid]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.trim(),
        format!("{invalid}:5:5: element 'IsRequired': 'yes' is not a valid xs:boolean")
    );
    // No file at all is a usage error.
    assert_eq!(turkstand(&[]).status.code(), Some(2));
}

#[test]
fn standard_input_is_read_for_a_dash() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_turkstand"))
        .args(["validate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let doc = format!("<QuestionForm xmlns=\"{QF}\">\n<Overview><Title>t</Title></Overview>\n<Nope/></QuestionForm>");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(doc.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("-:3:1: element 'Nope' is not allowed in 'QuestionForm'"),
        "{stdout}"
    );
}

/// The server guards CreateHIT's Question and CreateQualificationType's Test and AnswerKey with
/// the same validator: its first message comes back as AWS.MechanicalTurk.XMLParseError.
#[test]
fn the_server_refuses_invalid_questions_tests_and_answer_keys() {
    use support::{element_text, Server, REQUESTER};
    let server = Server::start();
    let call = |op: &str, extra: &[(&str, &str)]| server.call_as(op, REQUESTER, extra).1;
    let hit = |question: &str| {
        call(
            "CreateHIT",
            &[
                ("Title", "t"),
                ("Description", "d"),
                ("Reward.1.Amount", "0.10"),
                ("Reward.1.CurrencyCode", "USD"),
                ("AssignmentDurationInSeconds", "60"),
                ("LifetimeInSeconds", "3600"),
                ("Question", question),
            ],
        )
    };
    let dir = repo().join("tests/validate/corpus");
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).expect("corpus file");

    let body = hit(&read("invalid-qf-unknown-element.xml"));
    assert_eq!(
        element_text(&body, "Code"),
        Some("AWS.MechanicalTurk.XMLParseError"),
        "{body}"
    );
    let message = element_text(&body, "Message").unwrap_or_default();
    assert!(
        message.contains("element 'Paragraph' is not allowed in 'QuestionContent'; expected one of 'Title', 'Text'")
            && message.contains("(line 6, column 7)"),
        "{message}"
    );
    let body = hit(&read("invalid-eq-bad-uri-escape.xml"));
    assert_eq!(
        element_text(&body, "Code"),
        Some("AWS.MechanicalTurk.XMLParseError"),
        "{body}"
    );
    let body = hit(&read("invalid-hq-decimal-frame-height.xml"));
    assert!(
        body.contains("&apos;450.5&apos; is not a valid xs:integer")
            || body.contains("'450.5' is not a valid xs:integer"),
        "{body}"
    );
    for ok in [
        "valid-qf-selection-answer.xml",
        "valid-eq.xml",
        "valid-hq-cdata.xml",
    ] {
        let body = hit(&read(ok));
        assert!(body.contains("<HITId>"), "{ok}: {body}");
    }

    let qual = |name: &str, test: &str, key: &str| {
        let mut extra = vec![
            ("Name", name),
            ("Description", "d"),
            ("QualificationTypeStatus", "Active"),
            ("Test", test),
            ("TestDurationInSeconds", "60"),
        ];
        if !key.is_empty() {
            extra.push(("AnswerKey", key));
        }
        call("CreateQualificationType", &extra)
    };
    let test = read("valid-qf-selection-radiobutton.xml");
    let body = qual("bad test", &read("invalid-qf-missing-identifier.xml"), "");
    assert_eq!(
        element_text(&body, "Code"),
        Some("AWS.MechanicalTurk.XMLParseError"),
        "{body}"
    );
    let body = qual("bad key", &test, &read("invalid-ak-two-mappings.xml"));
    assert_eq!(
        element_text(&body, "Code"),
        Some("AWS.MechanicalTurk.XMLParseError"),
        "{body}"
    );
    assert!(body.contains("ScaleMapping"), "{body}");
    let key = read("valid-ak-minimal.xml")
        .replace("<QuestionIdentifier>q1<", "<QuestionIdentifier>yesno<");
    let body = qual("good", &test, &key);
    assert!(body.contains("<QualificationTypeId>"), "{body}");
}
