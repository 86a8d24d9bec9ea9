//! The client matrix: third-party SOAP clients, with stubs generated from the WSDL the running
//! server serves (at `?wsdl`, or at its legacy location for an older version), each driving
//! its scenario against a real turkstand and printing one `MATRIX <client> <Operation>
//! PASS|FAIL` line per operation and a summary
//! `<client>: N operations passed, M failed`.
//!
//! | test | client | operations |
//! |---|---|---|
//! | `suds_community` | suds-community (PyPI), `tests/clients/suds/` | all 44 |
//! | `npm_soap` | npm `soap` (current), `tests/clients/npm/soap_matrix.js` | all 44 |
//! | `npm_mturk_api` | npm `mturk-api@3.0.2`, its bundled WSDL | all 44 |
//! | `gsoap` | gSOAP `wsdl2h` + `soapcpp2`, C++ proxy, `tests/clients/gsoap/` | 14: seed + HIT lifecycle |
//! | `axis` | Apache Axis 1.4 `WSDL2Java -W`, Java 17, `tests/clients/axis/Matrix.java` | 14: seed + HIT lifecycle |
//! | `axis_2007` | the same, from the served 2007-06-21 WSDL (Amazon's Java SDK 1.x), `tests/clients/axis/Matrix2007.java` | 15: 2007 seed + HIT lifecycle, Worker_Locale |
//!
//! What a client needs is installed on first use, under `target/clients/` and serialised by
//! file locks across test processes: Debian packages (as root), the npm packages of
//! `tests/clients/npm/package-lock.json` (`npm ci`), the Python venv of `tests/clients`. Built
//! stubs and programs are cached under `target/clients/<client>/<key>`, the key being a hash
//! of the served WSDL (with the server's own address taken out) and of the build inputs, so
//! a second run only checks the key and runs the scenario.

mod support;

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use sha1::{Digest, Sha1};
use support::*;

/// Operations of the gSOAP and Axis scenarios: the seed operations and a HIT lifecycle.
const SEED_AND_LIFECYCLE: usize = 14;
/// Operations of the Axis 2007-06-21 scenario: the seed operations of that version (SearchHITs,
/// GetHIT, GetRequesterStatistic, NotifyWorkers, qualification scores) and a HIT lifecycle.
const SEEDS_AND_LIFECYCLE_2007: usize = 15;
/// Where the server serves the 2007-06-21 WSDL, the one Amazon's Java SDK 1.x was built from.
const WSDL_2007: &str = "/AWSMechanicalTurk/2007-06-21/AWSMechanicalTurkRequester.wsdl";
const ALL_OPERATIONS: usize = 44;

fn clients_dir() -> PathBuf {
    let dir = repo_root().join("target").join("clients");
    std::fs::create_dir_all(&dir).expect("create target/clients");
    dir
}

/// An exclusive lock on `target/clients/<name>.lock`, held until dropped.
fn lock(name: &str) -> File {
    let file = File::create(clients_dir().join(format!("{name}.lock"))).expect("lock file");
    file.lock().expect("lock");
    file
}

fn hex_sha1(parts: &[&[u8]]) -> String {
    let mut h = Sha1::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The WSDL the server serves at `path`, and its hash with the server's address taken out (the
/// only part that differs between two runs of the same build).
fn served_wsdl(server: &Server, path: &str) -> (String, String) {
    let (status, wsdl) = server.request("GET", path, &[], "");
    assert_eq!(status, 200, "GET {path} answered {status}:\n{wsdl}");
    assert!(
        wsdl.contains("wsdl:definitions") || wsdl.contains("<definitions"),
        "GET {path} is not a WSDL:\n{wsdl}"
    );
    let normalised = wsdl.replace(&server.url, "http://turkstand.invalid");
    let key = hex_sha1(&[normalised.as_bytes()]);
    (wsdl, key)
}

/// Builds `tests/clients/<build.source>/build.sh` from the served WSDL into
/// `target/clients/<build.client>/<key>` unless that build is already there; returns the program.
fn cached_build(build: &ClientBuild, wsdl: &str, wsdl_key: &str) -> PathBuf {
    let src = repo_root().join("tests/clients").join(build.source);
    let script = src.join("build.sh");
    let mut parts = vec![wsdl_key.as_bytes().to_vec(), read(&script)];
    for input in build.inputs {
        parts.push(input.as_bytes().to_vec());
        parts.push(read(&src.join(input)));
    }
    let refs: Vec<&[u8]> = parts.iter().map(|p| p.as_slice()).collect();
    let key = hex_sha1(&refs);
    let root = clients_dir().join(build.client);
    let dir = root.join(&key[..16]);
    let program = dir.join("matrix");
    let stamp = dir.join("built");
    let _guard = lock(build.client);
    if stamp.exists() && program.exists() {
        return program;
    }
    // Older builds are of another WSDL or another program: keep only the current one.
    if let Ok(entries) = std::fs::read_dir(&root) {
        for e in entries.flatten() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
    std::fs::create_dir_all(&dir).expect("create the build directory");
    let wsdl_file = dir.join("mturk.wsdl");
    std::fs::write(&wsdl_file, wsdl).expect("write the served WSDL");
    let mut command = Command::new("bash");
    command.arg(&script).arg(&wsdl_file).arg(&dir);
    if build.inputs_are_arguments {
        command.args(build.inputs);
    }
    let out = command.output().expect("run build.sh");
    assert!(
        out.status.success(),
        "{}: building from the served WSDL failed:\n{}\n{}",
        build.client,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&stamp, &key).expect("write the build stamp");
    program
}

/// `npm ci` of tests/clients/npm into target/clients/npm, once per package-lock.json.
fn npm_modules() -> PathBuf {
    ensure_debian(&[
        (Probe::Program("node"), "nodejs"),
        (Probe::Program("npm"), "npm"),
    ]);
    let src = repo_root().join("tests/clients/npm");
    let package = read(&src.join("package.json"));
    let lockfile = read(&src.join("package-lock.json"));
    let key = hex_sha1(&[&package, &lockfile]);
    let dir = clients_dir().join("npm");
    let modules = dir.join("node_modules");
    let stamp = dir.join("installed");
    let _guard = lock("npm");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(key.as_str()) && modules.exists() {
        return modules;
    }
    std::fs::create_dir_all(&dir).expect("create target/clients/npm");
    let _ = std::fs::remove_file(&stamp);
    std::fs::write(dir.join("package.json"), &package).expect("copy package.json");
    std::fs::write(dir.join("package-lock.json"), &lockfile).expect("copy package-lock.json");
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir)
        .env("npm_config_update_notifier", "false")
        .output()
        .expect("run npm ci");
    assert!(
        out.status.success(),
        "npm ci in {} failed:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&stamp, &key).expect("write the npm stamp");
    modules
}

/// The arguments every client program takes.
fn client_args(server: &Server) -> Vec<String> {
    [
        "--endpoint",
        &server.url,
        "--access-key",
        REQUESTER.0,
        "--secret",
        REQUESTER.1,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Runs one client's scenario and checks its matrix: every operation PASS, at least
/// `min_operations` of them, and a summary that agrees with the lines.
fn run_matrix(client: &str, mut command: Command, min_operations: usize, setup_secs: f64) {
    for var in [
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        command.env_remove(var);
    }
    let started = Instant::now();
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{client}: cannot start: {e}"));
    let run_secs = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");

    let prefix = format!("MATRIX {client} ");
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with(&prefix)).collect();
    let passed = lines
        .iter()
        .filter(|l| l.split_whitespace().nth(3) == Some("PASS"))
        .count();
    let summary = stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{client}: ")))
        .and_then(|rest| {
            let (n, rest) = rest.split_once(" operations passed, ")?;
            let (m, _) = rest.split_once(" failed")?;
            Some((n.parse::<usize>().ok()?, m.parse::<usize>().ok()?))
        });

    // The matrix belongs in the test log even when the test passes: write it past the
    // harness's output capture.
    let mut block = format!(
        "client matrix: {client}: {passed}/{} operations passed (setup {setup_secs:.1} s, scenario {run_secs:.1} s)\n",
        lines.len()
    );
    for l in &lines {
        block.push_str(l);
        block.push('\n');
    }
    let _ = std::io::stderr().write_all(block.as_bytes());

    let (n, m) = summary.unwrap_or_else(|| {
        panic!("{client}: no '{client}: N operations passed, M failed' line:\n{stdout}")
    });
    assert_eq!(m, 0, "{client}: {m} operations failed:\n{stdout}\n{stderr}");
    assert_eq!(
        n, passed,
        "{client}: the summary disagrees with the MATRIX lines"
    );
    assert_eq!(n, lines.len(), "{client}: not every MATRIX line is PASS");
    assert!(
        n >= min_operations,
        "{client}: only {n} operations in the matrix, expected {min_operations}"
    );
    assert!(
        output.status.success(),
        "{client}: the scenario exited with {}:\n{stdout}\n{stderr}",
        output.status
    );
}

#[test]
fn suds_community() {
    let started = Instant::now();
    let mut command = python_command("suds/suds_matrix.py");
    let server = Server::start();
    let setup = started.elapsed().as_secs_f64();
    command.args(client_args(&server)).args([
        "--other-access-key",
        OTHER.0,
        "--other-secret",
        OTHER.1,
    ]);
    run_matrix("suds", command, ALL_OPERATIONS, setup);
}

/// Runs the npm scenario `script` as `client` against a fresh server, which it hands back.
fn npm_matrix(client: &str, script: &str) -> Server {
    let started = Instant::now();
    let modules = npm_modules();
    let server = Server::start();
    let setup = started.elapsed().as_secs_f64();
    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/clients/npm").join(script))
        .args(client_args(&server))
        .env("NODE_PATH", &modules);
    run_matrix(client, command, ALL_OPERATIONS, setup);
    server
}

#[test]
fn npm_soap() {
    npm_matrix("npm-soap", "soap_matrix.js");
}

#[test]
fn npm_mturk_api() {
    let mut server = npm_matrix("mturk-api", "mturk_api_matrix.js");
    // mturk-api builds every message as {Request, AWSAccessKeyId, Timestamp, Signature} and
    // soap@0.16 writes object keys in that order, so its requests put <Request> first, against
    // the schema's sequence (wire-facts: servers must not rely on request element order).
    // That is the client's doing, not turkstand's: only the responses go to the conformance
    // pass when the server is dropped.
    server.check_requests = false;
}

/// What the gSOAP build needs: its two generators, its headers and a C++ compiler.
const GSOAP_PACKAGES: &[(Probe, &str)] = &[
    (Probe::Program("wsdl2h"), "gsoap"),
    (Probe::Program("soapcpp2"), "gsoap"),
    (Probe::File("/usr/include/stdsoap2.h"), "libgsoap-dev"),
    (Probe::File("/usr/include/openssl/hmac.h"), "libssl-dev"),
    (Probe::Program("g++"), "g++"),
];

/// What the Axis build needs: Axis 1.4 itself and a JDK.
const AXIS_PACKAGES: &[(Probe, &str)] = &[
    (Probe::File("/usr/share/java/axis.jar"), "libaxis-java"),
    (Probe::Program("javac"), "openjdk-17-jdk-headless"),
];

/// A client of the matrix built from a served WSDL by `tests/clients/<source>/build.sh
/// WSDL_FILE OUT_DIR`, running the seed and HIT lifecycle scenario.
struct ClientBuild<'a> {
    /// The name in its MATRIX lines, and of its build cache under `target/clients/`.
    client: &'a str,
    /// Its directory under `tests/clients/`.
    source: &'a str,
    /// The Debian packages the build needs.
    packages: &'a [(Probe, &'a str)],
    /// The files of `source` the build reads besides build.sh (part of the cache key).
    inputs: &'a [&'a str],
    /// Whether build.sh takes `inputs` as its arguments after OUT_DIR (the main one first).
    inputs_are_arguments: bool,
    /// Where the server serves the WSDL it is built from.
    wsdl_path: &'a str,
    /// The fewest operations its scenario must report.
    operations: usize,
}

#[test]
fn gsoap() {
    built_client_matrix(&ClientBuild {
        client: "gsoap",
        source: "gsoap",
        packages: GSOAP_PACKAGES,
        inputs: &["matrix.cpp"],
        inputs_are_arguments: false,
        wsdl_path: "/?wsdl",
        operations: SEED_AND_LIFECYCLE,
    });
}

#[test]
fn axis() {
    built_client_matrix(&ClientBuild {
        client: "axis",
        source: "axis",
        packages: AXIS_PACKAGES,
        inputs: &["Matrix.java", "Scenario.java"],
        inputs_are_arguments: true,
        wsdl_path: "/?wsdl",
        operations: SEED_AND_LIFECYCLE,
    });
}

/// A throttle rule reaches Axis as the AxisFault the legacy Java SDK retried on, over HTTP 503.
#[test]
fn axis_meets_a_throttle_as_server_service_unavailable() {
    let build = ClientBuild {
        client: "axis-faults",
        source: "axis",
        packages: AXIS_PACKAGES,
        inputs: &["Faults.java", "Scenario.java"],
        inputs_are_arguments: true,
        wsdl_path: "/?wsdl",
        operations: 0,
    };
    ensure_debian(build.packages);
    let server = Server::start();
    let (wsdl, key) = served_wsdl(&server, build.wsdl_path);
    let program = cached_build(&build, &wsdl, &key);
    let rule = r#"{"match": {"operation": "GetAccountBalance", "transport": "SOAP"},
                   "when": {"next": 1}, "effect": {"kind": "throttle"}}"#;
    let (status, body) = server.admin("faults", rule);
    assert_eq!(status, 200, "{body}");
    let output = Command::new(program)
        .args(client_args(&server))
        .output()
        .expect("run the Axis faults program");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("PASS AxisFault"),
        "{stdout}\n{stderr}"
    );
    let entries = support::journal_entries(&server.journal);
    let last = entries.last().expect("the throttled exchange");
    assert_eq!(
        (last["transport"].as_str(), last["status"].as_u64()),
        (Some("SOAP"), Some(503))
    );
    assert_eq!(last["fault"]["effect"], "throttle");
}

/// Amazon's Java SDK 1.x: Axis 1.4 stubs of the 2007-06-21 WSDL, which fail on any element
/// that version lacks.
#[test]
fn axis_2007() {
    built_client_matrix(&ClientBuild {
        client: "axis-2007",
        source: "axis",
        packages: AXIS_PACKAGES,
        inputs: &["Matrix2007.java", "Scenario.java"],
        inputs_are_arguments: true,
        wsdl_path: WSDL_2007,
        operations: SEEDS_AND_LIFECYCLE_2007,
    });
}

/// Builds `build` from the WSDL a fresh server serves and runs its scenario against it.
fn built_client_matrix(build: &ClientBuild) {
    let started = Instant::now();
    ensure_debian(build.packages);
    let server = Server::start();
    let (wsdl, key) = served_wsdl(&server, build.wsdl_path);
    let program = cached_build(build, &wsdl, &key);
    let setup = started.elapsed().as_secs_f64();
    let mut command = Command::new(program);
    command.args(client_args(&server));
    run_matrix(build.client, command, build.operations, setup);
}
