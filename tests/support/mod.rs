//! Shared test support: start the real `turkstand` binary on a free port and talk HTTP to it.
#![allow(dead_code)]

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use turkstand::auth::{legacy_signature, SERVICE};
use turkstand::client::Connection;

pub(crate) const REQUESTER: (&str, &str) = ("AKIATESTREQUESTER0001", "requester-one-secret");
pub(crate) const OTHER: (&str, &str) = ("AKIATESTREQUESTER0002", "requester-two-secret");
pub(crate) const POOR: (&str, &str) = ("AKIATESTREQUESTER0003", "requester-three-secret");
pub(crate) const NS: &str = "http://requester.mturk.amazonaws.com/doc/2014-08-15";

pub(crate) fn config_text(max_body_bytes: usize) -> String {
    format!(
        "max_body_bytes = {max_body_bytes}\n\
         [[accounts]]\naccess_key_id = \"{}\"\nsecret_access_key = \"{}\"\nbalance = \"10000.00\"\n\
         [[accounts]]\naccess_key_id = \"{}\"\nsecret_access_key = \"{}\"\nbalance = \"100.00\"\n\
         [[accounts]]\naccess_key_id = \"{}\"\nsecret_access_key = \"{}\"\nbalance = \"5.00\"\n",
        REQUESTER.0, REQUESTER.1, OTHER.0, OTHER.1, POOR.0, POOR.1
    )
}

/// A scratch directory under the target dir, removed when dropped.
pub(crate) struct Scratch(pub PathBuf);

impl Scratch {
    pub(crate) fn new(name: &str) -> Scratch {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "{name}-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// A running server, killed when dropped. Every exchange it serves is journaled to a file
/// (`serve --journal`) and, when it is dropped, every SOAP and REST message in it is validated
/// against the WSDL's schema by an independent validator (see [`check_conformance`]).
pub(crate) struct Server {
    pub child: Child,
    pub url: String,
    pub addr: String,
    pub data: PathBuf,
    pub scratch: Scratch,
    pub journal: PathBuf,
    /// Whether requests are validated too, not only responses.
    pub check_requests: bool,
}

impl Server {
    pub(crate) fn start() -> Server {
        Server::start_with(1024 * 1024, None)
    }

    /// Starts the binary with the test accounts; `data` reuses a database file.
    /// Starts a server whose clock stands still until moved through `/_turkstand/clock/…`.
    pub(crate) fn start_manual_clock() -> Server {
        Server::launch(1024 * 1024, None, &["--clock", "manual"])
    }

    pub(crate) fn start_with(max_body_bytes: usize, data: Option<PathBuf>) -> Server {
        Server::launch(max_body_bytes, data, &[])
    }

    /// Starts the binary with the test accounts; `data` reuses a database file.
    pub(crate) fn launch(max_body_bytes: usize, data: Option<PathBuf>, extra: &[&str]) -> Server {
        Server::launch_configured(&config_text(max_body_bytes), data, extra)
    }

    /// Starts the binary with the test accounts and `more_config` after them (TOML tables).
    pub(crate) fn start_with_config(more_config: &str, extra: &[&str]) -> Server {
        let config = format!("{}{more_config}", config_text(1024 * 1024));
        Server::launch_configured(&config, None, extra)
    }

    fn launch_configured(config_text: &str, data: Option<PathBuf>, extra: &[&str]) -> Server {
        let scratch = Scratch::new("server");
        let config = scratch.0.join("turkstand.toml");
        std::fs::write(&config, config_text).expect("write config");
        let data = data.unwrap_or_else(|| scratch.0.join("turkstand.db"));
        let journal = journal_file();
        let mut child = Command::new(env!("CARGO_BIN_EXE_turkstand"))
            .args(["serve", "--listen", "127.0.0.1:0", "--config"])
            .arg(&config)
            .arg("--data")
            .arg(&data)
            .arg("--journal")
            .arg(&journal)
            .args(extra)
            .env_remove("TURKSTAND_ACCESS_KEY_ID")
            .env_remove("TURKSTAND_SECRET_ACCESS_KEY")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start turkstand");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("turkstand exited before listening")
                .expect("read stdout");
            if let Some(url) = line.strip_prefix("turkstand listening on ") {
                break url.trim().to_string();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let addr = url.trim_start_matches("http://").to_string();
        Server {
            child,
            url,
            addr,
            data,
            scratch,
            journal,
            check_requests: true,
        }
    }

    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends one request on a fresh connection.
    pub(crate) fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<bytes::Bytes>,
    ) -> (u16, String) {
        self.try_request(method, path, headers, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// Sends one request on a fresh connection: the answer, or why none came.
    pub(crate) fn try_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<bytes::Bytes>,
    ) -> Result<(u16, String), turkstand::client::ClientError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let body = body.into();
        rt.block_on(async {
            let mut c = Connection::open(&self.addr).await?;
            let (status, body) = c.send(method, path, headers, body).await?;
            Ok((status, String::from_utf8_lossy(&body).into_owned()))
        })
    }

    pub(crate) fn soap(&self, body: &str) -> (u16, String) {
        self.request(
            "POST",
            "/?Service=AWSMechanicalTurkRequester",
            &[
                ("content-type", "text/xml; charset=utf-8"),
                ("soapaction", "\"http://soap.amazon.com\""),
            ],
            body.to_string(),
        )
    }

    pub(crate) fn rest<K: AsRef<str>, V: AsRef<str>>(&self, params: &[(K, V)]) -> (u16, String) {
        let body = form(params);
        self.request(
            "POST",
            "/",
            &[("content-type", "application/x-www-form-urlencoded")],
            body,
        )
    }

    /// A legacy-signed REST call of `op` by `key`, with `extra` parameters after the common ones.
    pub(crate) fn call_as(
        &self,
        op: &str,
        key: (&str, &str),
        extra: &[(&str, &str)],
    ) -> (u16, String) {
        let mut params = rest_call(op, key, &now_timestamp());
        params.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self.rest(&params)
    }

    /// The main test requester's call of `op`, which must answer HTTP 200: the response body.
    pub(crate) fn call(&self, op: &str, extra: &[(&str, &str)]) -> String {
        let (status, body) = self.call_as(op, REQUESTER, extra);
        assert_eq!(status, 200, "{body}");
        body
    }

    pub(crate) fn admin(&self, path: &str, json: &str) -> (u16, String) {
        self.request(
            "POST",
            &format!("/_turkstand/{path}"),
            &[("content-type", "application/json")],
            json.to_string(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            // The test has already failed; a second panic would abort the whole test binary.
            eprintln!(
                "journaled messages left unchecked in {}",
                self.journal.display()
            );
        } else {
            check_conformance(&self.journal, self.check_requests);
        }
    }
}

/// A fresh journal file under `target/journal/`, named after the test that starts the server.
fn journal_file() -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let test: String = std::thread::current()
        .name()
        .unwrap_or("server")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .join("journal");
    std::fs::create_dir_all(&dir).expect("create the journal dir");
    dir.join(format!(
        "{test}-{}-{}-{}.jsonl",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        rand_suffix()
    ))
}

/// The entries of a journal file, in the order they were written.
pub(crate) fn journal_entries(journal: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(journal)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every journal line is a JSON object"))
        .collect()
}

/// Validates every SOAP and REST message journaled in `journal` (requests only when
/// `requests`) with tests/clients/conformance.py (Python `xmlschema`, never turkstand's own
/// code) in one process, and fails the test on any schema violation. A clean journal is removed
/// unless `TURKSTAND_KEEP_JOURNAL` is set.
pub(crate) fn check_conformance(journal: &Path, requests: bool) {
    let written = std::fs::metadata(journal).map(|m| m.len()).unwrap_or(0);
    if written > 0 {
        let output = conformance_output(journal, requests);
        let (stdout, stderr) = texts(&output);
        assert!(
            output.status.success(),
            "schema conformance of the messages journaled in {}:\n{stdout}{stderr}",
            journal.display()
        );
    }
    if std::env::var_os("TURKSTAND_KEEP_JOURNAL").is_none() {
        let _ = std::fs::remove_file(journal);
    }
}

/// Runs tests/clients/conformance.py over the journal file `journal`.
pub(crate) fn conformance_output(journal: &Path, requests: bool) -> Output {
    let mut command = python_command("conformance.py");
    command.arg(journal);
    if !requests {
        command.arg("--responses-only");
    }
    command.output().expect("run conformance.py")
}

/// The standard output and error of a finished command, as text.
pub(crate) fn texts(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

pub(crate) fn form<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        s.append_pair(k.as_ref(), v.as_ref());
    }
    s.finish()
}

pub(crate) fn now_timestamp() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The common REST parameters of a legacy-signed call.
pub(crate) fn rest_call(op: &str, key: (&str, &str), timestamp: &str) -> Vec<(String, String)> {
    vec![
        ("Service".into(), SERVICE.into()),
        ("Operation".into(), op.into()),
        ("Version".into(), "2014-08-15".into()),
        ("AWSAccessKeyId".into(), key.0.into()),
        ("Timestamp".into(), timestamp.into()),
        (
            "Signature".into(),
            legacy_signature(key.1, SERVICE, op, timestamp),
        ),
    ]
}

/// A SOAP envelope for `op` signed with `key`, with `request` as the inner Request content.
pub(crate) fn soap_envelope(op: &str, key: (&str, &str), timestamp: &str, request: &str) -> String {
    let sig = legacy_signature(key.1, SERVICE, op, timestamp);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:mt="{NS}">
  <soapenv:Body>
    <mt:{op}>
      <mt:AWSAccessKeyId>{}</mt:AWSAccessKeyId>
      <mt:Timestamp>{timestamp}</mt:Timestamp>
      <mt:Signature>{sig}</mt:Signature>
      <mt:Request>{request}</mt:Request>
    </mt:{op}>
  </soapenv:Body>
</soapenv:Envelope>"#,
        key.0
    )
}

/// The text of the first `<name>` element in `xml`, if any.
pub(crate) fn element_text<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(&xml[start..end])
}

pub(crate) const QUESTION_FORM: &str = r#"<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd"><Question><QuestionIdentifier>answer</QuestionIdentifier><QuestionContent><Text>What colour is the sky?</Text></QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>"#;

/// Root of the repository (for tests/clients).
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An exclusive lock on `target/clients/apt.lock`: one test process at a time runs apt-get.
fn apt_lock() -> File {
    let dir = repo_root().join("target").join("clients");
    std::fs::create_dir_all(&dir).expect("create target/clients");
    let file = File::create(dir.join("apt.lock")).expect("lock file");
    file.lock().expect("lock");
    file
}

pub(crate) fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// What a Debian package provides, to tell whether it is installed.
pub(crate) enum Probe {
    Program(&'static str),
    File(&'static str),
}

/// Installs the Debian packages whose probe fails (as root; otherwise says what is missing).
/// One test process at a time runs apt-get.
pub(crate) fn ensure_debian(packages: &[(Probe, &str)]) {
    let missing = |packages: &[(Probe, &str)]| -> Vec<String> {
        let mut names: Vec<String> = packages
            .iter()
            .filter(|(probe, _)| match probe {
                Probe::Program(p) => !have(p),
                Probe::File(f) => !Path::new(f).exists(),
            })
            .map(|(_, pkg)| pkg.to_string())
            .collect();
        names.dedup();
        names
    };
    if missing(packages).is_empty() {
        return;
    }
    let _guard = apt_lock();
    let names = missing(packages);
    if names.is_empty() {
        return;
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    assert!(
        root && have("apt-get"),
        "these tests need the Debian packages {names:?}; install them as root \
         (apt-get install {})",
        names.join(" ")
    );
    // Past the harness's output capture: a slow first run should say why in the test log.
    let _ = writeln!(
        std::io::stderr(),
        "installing {} from Debian's packages",
        names.join(" ")
    );
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "apt-get update -qq && apt-get install -y -qq --no-install-recommends {} >/dev/null",
            names.join(" ")
        ))
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .expect("run apt-get");
    assert!(status.success(), "apt-get install {names:?} failed");
    let still = missing(packages);
    assert!(still.is_empty(), "still missing after apt-get: {still:?}");
}

/// Creates the virtualenv once, serialised across test processes by a file lock.
pub(crate) fn python() -> PathBuf {
    let root = repo_root();
    let venv = root.join("target").join("pyenv");
    std::fs::create_dir_all(root.join("target")).expect("target dir");
    let lock = File::create(root.join("target").join("pyenv.lock")).expect("lock file");
    lock.lock().expect("lock");
    let status = Command::new("bash")
        .arg(root.join("tests/clients/setup_venv.sh"))
        .arg(&venv)
        .status()
        .expect("run setup_venv.sh");
    assert!(status.success(), "setting up the Python environment failed");
    venv.join("bin").join("python")
}

/// Runs `tests/clients/<script>` against `server` with the test accounts; it must report
/// `N passed, 0 failed`. Extra arguments follow the standard ones.
pub(crate) fn run_python_scenario_with(script: &str, server: &Server, extra: &[&str]) {
    let output = python_command(script)
        .args(["--endpoint", &server.url])
        .args(["--access-key", REQUESTER.0, "--secret", REQUESTER.1])
        .args(["--other-access-key", OTHER.0, "--other-secret", OTHER.1])
        .args(["--poor-access-key", POOR.0, "--poor-secret", POOR.1])
        .args(extra)
        .output()
        .expect("run the client scenario");
    let (stdout, stderr) = texts(&output);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        output.status.success(),
        "{script} failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains(" passed, 0 failed"),
        "{script} did not report its checks:\n{stdout}"
    );
}

/// The venv's Python running `tests/clients/<script>`, without writing bytecode there.
pub(crate) fn python_command(script: &str) -> Command {
    let mut command = Command::new(python());
    command
        .arg(repo_root().join("tests/clients").join(script))
        .env("PYTHONDONTWRITEBYTECODE", "1");
    command
}

pub(crate) fn run_python_scenario(script: &str, server: &Server) {
    run_python_scenario_with(script, server, &[]);
}

/// Declares one `#[test]` per client scenario, each running `tests/clients/<script>` against
/// a fresh server: `test_name: "script.py" on start_manual_clock;` (any `Server` constructor
/// that takes no arguments).
#[allow(unused_macros)]
macro_rules! scenario_tests {
    ($($name:ident: $script:literal on $start:ident;)+) => {
        $(
            #[test]
            fn $name() {
                $crate::support::run_python_scenario(
                    $script,
                    &$crate::support::Server::$start(),
                );
            }
        )+
    };
}
#[allow(unused_imports)]
pub(crate) use scenario_tests;
