//! The `turkstand worker` commands against a running server.

mod support;

use std::process::Command;

use support::*;

fn turkstand(server: &Server, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_turkstand"))
        .arg("worker")
        .args(args)
        .args(["--server", &server.url])
        .output()
        .expect("run turkstand worker");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_worker_accepts_and_submits_from_the_command_line() {
    let server = Server::start();
    let (_, body) = server.call_as(
        "CreateHIT",
        REQUESTER,
        &[
            ("Title", "CLI"),
            ("Description", "From the command line"),
            ("Reward.1.Amount", "0.10"),
            ("Reward.1.CurrencyCode", "USD"),
            ("AssignmentDurationInSeconds", "600"),
            ("LifetimeInSeconds", "3600"),
            ("Question", QUESTION_FORM),
        ],
    );
    let hit = element_text(&body, "HITId").expect("HITId").to_string();

    let (ok, out, err) = turkstand(
        &server,
        &["accept", "--worker", "ACLIWORKER", "--hit", &hit],
    );
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    let assignment = v["AssignmentId"]
        .as_str()
        .expect("AssignmentId")
        .to_string();

    let (ok, _, err) = turkstand(
        &server,
        &[
            "submit",
            "--assignment",
            &assignment,
            "--answer",
            "answer=green",
        ],
    );
    assert!(ok, "{err}");
    let get_assignment = || {
        server
            .call_as("GetAssignment", REQUESTER, &[("AssignmentId", &assignment)])
            .1
    };
    let body = get_assignment();
    assert!(
        body.contains("<AssignmentStatus>Submitted</AssignmentStatus>"),
        "{body}"
    );
    assert!(
        body.contains("&lt;FreeText&gt;green&lt;/FreeText&gt;"),
        "{body}"
    );

    // Accepting twice is refused, with the reason.
    let (ok, _, err) = turkstand(
        &server,
        &["accept", "--worker", "ACLIWORKER", "--hit", &hit],
    );
    assert!(!ok);
    assert!(err.contains("AssignmentAlreadyExists"), "{err}");

    let (ok, _, err) = turkstand(
        &server,
        &[
            "set-balance",
            "--access-key-id",
            REQUESTER.0,
            "--balance",
            "1.23",
        ],
    );
    assert!(ok, "{err}");
    let (ok, _, err) = turkstand(&server, &["reset"]);
    assert!(ok, "{err}");
    let body = get_assignment();
    assert!(body.contains("AssignmentDoesNotExist"), "{body}");
}
