//! Real third-party clients against the real server: boto 2.49 over REST (SignatureVersion 1)
//! and zeep over SOAP (stubs from the served WSDL), each running the full seed scenario.
//!
//! The Python environment is built on first use under `target/pyenv` by
//! `tests/clients/setup_venv.sh` (Python 3.11 with the pinned packages).

mod support;

use std::fs::File;
use std::path::PathBuf;
use std::process::Command;

use support::*;

/// Creates the virtualenv once, serialised across test processes by a file lock.
fn python() -> PathBuf {
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

fn run_scenario(script: &str) {
    let python = python();
    let server = Server::start();
    let output = Command::new(python)
        .arg(repo_root().join("tests/clients").join(script))
        .args(["--endpoint", &server.url])
        .args(["--access-key", REQUESTER.0, "--secret", REQUESTER.1])
        .args(["--other-access-key", OTHER.0, "--other-secret", OTHER.1])
        .args(["--poor-access-key", POOR.0, "--poor-secret", POOR.1])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run the client scenario");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
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

#[test]
fn boto2_runs_the_seed_scenario_over_rest() {
    run_scenario("boto_seed.py");
}

#[test]
fn zeep_runs_the_seed_scenario_over_soap() {
    run_scenario("zeep_seed.py");
}
