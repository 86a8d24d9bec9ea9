//! Fault rules and the journal over real HTTP: boto 2 meets every effect (tests/clients/
//! boto_faults.py), the journal keeps its bound, redacts, and writes JSONL, and the command
//! line and the config file manage rules.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{journal_entries, run_python_scenario_with, texts, Server, OTHER, POOR, REQUESTER};

#[test]
fn boto_meets_throttles_lost_answers_delays_stalls_resets_and_the_shutdown() {
    let server = Server::launch(1024 * 1024, None, &["--stall-max-ms", "1500"]);
    run_python_scenario_with("boto_faults.py", &server, &["--stall-max", "1.5"]);
    let text = std::fs::read_to_string(&server.journal).expect("the journal file");
    for secret in [REQUESTER.1, OTHER.1, POOR.1] {
        assert!(!text.contains(secret), "a secret key in the journal");
    }
    let entries = journal_entries(&server.journal);
    let service: Vec<_> = entries
        .iter()
        .filter(|e| e["transport"] == "REST")
        .collect();
    assert!(service.len() > 20, "{} REST exchanges", service.len());
    for e in service {
        let request = e["request"].as_str().unwrap_or("");
        // boto signs with SignatureVersion 1: the signature is a form parameter.
        let signatures: Vec<&str> = request
            .split('&')
            .filter(|p| p.starts_with("Signature="))
            .collect();
        assert_eq!(signatures, ["Signature=REDACTED"], "{request}");
    }
}

fn get_balance(server: &Server) -> u16 {
    server.call_as("GetAccountBalance", REQUESTER, &[]).0
}

#[test]
fn the_journal_keeps_its_bound_in_memory_and_everything_in_its_file() {
    let server = Server::launch(1024 * 1024, None, &["--journal-size", "5"]);
    for _ in 0..8 {
        assert_eq!(get_balance(&server), 200);
    }
    let (status, body) = server.request("GET", "/_turkstand/journal", &[], "");
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let ids: Vec<u64> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["id"].as_u64())
        .collect();
    assert_eq!(ids, [4, 5, 6, 7, 8]);
    assert_eq!(page["last"], 8);
    // Every line of the file is one JSON object, all eight of them.
    let lines = journal_entries(&server.journal);
    let ids: Vec<u64> = lines.iter().filter_map(|e| e["id"].as_u64()).collect();
    assert_eq!(ids, (1..=8).collect::<Vec<_>>());
}

fn turkstand(server: &Server, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_turkstand"))
        .args(args)
        .args(["--server", &server.url])
        .output()
        .expect("run turkstand");
    let (stdout, stderr) = texts(&output);
    (output.status.success(), format!("{stdout}{stderr}"))
}

#[test]
fn the_command_line_manages_rules_and_follows_the_journal() {
    let server = Server::start();
    let (ok, out) = turkstand(
        &server,
        &[
            "faults",
            "add",
            "--operation",
            "GetAccountBalance",
            "--next",
            "1",
            "--effect",
            "throttle",
        ],
    );
    assert!(ok, "{out}");
    let added: serde_json::Value = serde_json::from_str(&out).expect("the rule as JSON");
    assert_eq!(added["rule"]["when"]["next"], 1);
    assert_eq!(get_balance(&server), 503);
    assert_eq!(get_balance(&server), 200);
    let (ok, out) = turkstand(&server, &["faults", "list"]);
    assert!(ok && out.contains(r#""fired":1"#), "{out}");
    let (ok, out) = turkstand(&server, &["journal", "show", "--status", "503"]);
    assert!(ok, "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    let id = added["id"].to_string();
    let (ok, out) = turkstand(&server, &["faults", "remove", &id]);
    assert!(ok, "{out}");
    let (ok, out) = turkstand(&server, &["faults", "remove", &id]);
    assert!(!ok && out.contains("NotFound"), "{out}");
    let (ok, out) = turkstand(&server, &["faults", "add", "--effect", "delay"]);
    assert!(!ok && out.contains("--ms"), "{out}");
    let (ok, out) = turkstand(&server, &["faults", "clear"]);
    assert!(ok && out.contains(r#""cleared":0"#), "{out}");

    let mut tail = Command::new(env!("CARGO_BIN_EXE_turkstand"))
        .args([
            "journal",
            "tail",
            "--operation",
            "GetAccountBalance",
            "--server",
            &server.url,
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start journal tail");
    let mut lines = BufReader::new(tail.stdout.take().expect("stdout")).lines();
    // Give tail its starting point before the call it must show.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(get_balance(&server), 200);
    let started = Instant::now();
    let line = lines.next().expect("a line").expect("text");
    let _ = tail.kill();
    let _ = tail.wait();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        line.contains(" REST GetAccountBalance AKIATESTREQUESTER0001 200 "),
        "{line}"
    );
}

#[test]
fn rules_in_the_config_file_are_in_force_from_the_start() {
    let config = "[faults]\nstall_max_ms = 100\n[[faults.rules]]\n\
                  match = { operation = \"GetAccountBalance\", transport = \"REST\" }\n\
                  when = { every = 2 }\neffect = { kind = \"internal_error\" }\n";
    let server = Server::start_with_config(config, &[]);
    let statuses: Vec<u16> = (0..4).map(|_| get_balance(&server)).collect();
    assert_eq!(statuses, [200, 500, 200, 500]);
    let (status, body) = server.request("GET", "/_turkstand/faults", &[], "");
    assert_eq!(status, 200);
    assert!(body.contains(r#""fired":2"#), "{body}");
    // Reset clears them.
    assert_eq!(server.admin("reset", "").0, 200);
    assert_eq!(get_balance(&server), 200);
    assert_eq!(get_balance(&server), 200);
}
