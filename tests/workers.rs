//! Assignments and simulated workers: GetAssignmentsForHIT and GetFileUploadURL through boto 2
//! and over SOAP, returning, previewing, listing, worker locales, qualification requirements
//! and blocks through the admin API, and the same worker actions from the command line.

mod support;

use std::process::Command;

use support::*;

scenario_tests! {
    boto2_reads_assignments_and_uploaded_files: "boto_assignments.py" on start_manual_clock;
    boto2_meets_simulated_workers_that_return_preview_list_and_qualify: "boto_worker_assignments.py" on start_manual_clock;
}

const FILE_FORM: &str = r#"<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd"><Question><QuestionIdentifier>upload</QuestionIdentifier><QuestionContent><Text>Send a file.</Text></QuestionContent><AnswerSpecification><FileUploadAnswer><MaxFileSizeInBytes>100</MaxFileSizeInBytes><MinFileSizeInBytes>1</MinFileSizeInBytes></FileUploadAnswer></AnswerSpecification></Question></QuestionForm>"#;

fn create_hit(server: &Server, question: &str, requirement: &[(&str, &str)]) -> String {
    let mut params = vec![
        ("Title", "Workers"),
        ("Description", "From a worker test"),
        ("Reward.1.Amount", "0.10"),
        ("Reward.1.CurrencyCode", "USD"),
        ("AssignmentDurationInSeconds", "600"),
        ("LifetimeInSeconds", "3600"),
        ("MaxAssignments", "2"),
        ("Question", question),
    ];
    params.extend_from_slice(requirement);
    let body = server.call("CreateHIT", &params);
    element_text(&body, "HITId")
        .unwrap_or_else(|| panic!("no HITId: {body}"))
        .to_string()
}

fn turkstand(server: &Server, args: &[&str]) -> (bool, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_turkstand"))
        .args(args)
        .args(["--server", &server.url])
        .output()
        .expect("run turkstand");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(stdout.trim()).unwrap_or(serde_json::Value::Null);
    (
        out.status.success(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn worker_commands_return_preview_list_locate_and_upload() {
    let server = Server::start_manual_clock();
    let hit = create_hit(&server, QUESTION_FORM, &[]);
    let worker = "ACLIWORKER2";

    let (ok, preview, err) = turkstand(
        &server,
        &["worker", "preview", "--worker", worker, "--hit", &hit],
    );
    assert!(ok, "{err}");
    assert_eq!(preview["HITId"], hit.as_str());
    assert_eq!(preview["Question"], QUESTION_FORM);

    let (ok, listed, err) = turkstand(&server, &["worker", "list-hits", "--worker", worker]);
    assert!(ok, "{err}");
    assert_eq!(listed["HITs"][0]["HITId"], hit.as_str(), "{listed}");

    let (ok, accepted, err) = turkstand(
        &server,
        &["worker", "accept", "--worker", worker, "--hit", &hit],
    );
    assert!(ok, "{err}");
    let assignment = accepted["AssignmentId"].as_str().expect("AssignmentId");
    let (ok, listed, _) = turkstand(&server, &["worker", "list-hits", "--worker", worker]);
    assert!(ok);
    assert_eq!(listed["NumResults"], 0, "{listed}");
    let (ok, returned, err) = turkstand(&server, &["worker", "return", "--assignment", assignment]);
    assert!(ok, "{err}");
    assert_eq!(returned["AssignmentStatus"], "Returned");
    let (ok, _, err) = turkstand(&server, &["worker", "return", "--assignment", assignment]);
    assert!(!ok);
    assert!(err.contains("InvalidAssignmentState"), "{err}");

    // Locale: a Worker_Locale requirement is met once the worker says where it is.
    let (ok, props, err) = turkstand(
        &server,
        &[
            "worker",
            "set-locale",
            "--worker",
            worker,
            "--country",
            "CA",
            "--subdivision",
            "QC",
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(props["Locale"]["Country"], "CA", "{props}");
    let (ok, props, _) = turkstand(&server, &["worker", "properties", "--worker", worker]);
    assert!(ok);
    assert_eq!(props["Locale"]["Subdivision"], "QC", "{props}");
    let local = create_hit(
        &server,
        QUESTION_FORM,
        &[
            (
                "QualificationRequirement.1.QualificationTypeId",
                "00000000000000000071",
            ),
            ("QualificationRequirement.1.Comparator", "In"),
            ("QualificationRequirement.1.LocaleValue.1.Country", "US"),
            ("QualificationRequirement.1.LocaleValue.2.Country", "CA"),
        ],
    );
    let (ok, _, err) = turkstand(
        &server,
        &["worker", "accept", "--worker", "ANOWHERE1", "--hit", &local],
    );
    assert!(!ok);
    assert!(err.contains("DoesNotMeetRequirements"), "{err}");
    let (ok, _, err) = turkstand(
        &server,
        &["worker", "accept", "--worker", worker, "--hit", &local],
    );
    assert!(ok, "{err}");

    // A file answer from the command line, fetched through GetFileUploadURL.
    let files = Scratch::new("cli-upload");
    let path = files.0.join("notes.txt");
    std::fs::write(&path, b"uploaded from the CLI").expect("write file");
    let upload = create_hit(&server, FILE_FORM, &[]);
    let (_, accepted, _) = turkstand(
        &server,
        &["worker", "accept", "--worker", worker, "--hit", &upload],
    );
    let assignment = accepted["AssignmentId"].as_str().expect("AssignmentId");
    let file_arg = format!("upload={}", path.display());
    let (ok, _, err) = turkstand(
        &server,
        &[
            "worker",
            "submit",
            "--assignment",
            assignment,
            "--file",
            &file_arg,
        ],
    );
    assert!(ok, "{err}");
    let body = server.call(
        "GetFileUploadURL",
        &[
            ("AssignmentId", assignment),
            ("QuestionIdentifier", "upload"),
        ],
    );
    let url = element_text(&body, "FileUploadURL").expect("FileUploadURL");
    let path = url
        .strip_prefix(&server.url)
        .unwrap_or_else(|| panic!("{url} is not on {}", server.url));
    let (status, bytes) = server.request("GET", path, &[], "");
    assert_eq!((status, bytes.as_str()), (200, "uploaded from the CLI"));

    // The clock command reads and moves the manual clock; the URL dies 60 s on.
    let (ok, before, err) = turkstand(&server, &["clock"]);
    assert!(ok, "{err}");
    let (ok, after, err) = turkstand(&server, &["clock", "--advance", "60"]);
    assert!(ok, "{err}");
    let parse = |v: &serde_json::Value| {
        chrono::DateTime::parse_from_rfc3339(v["now"].as_str().expect("now")).expect("time")
    };
    assert_eq!((parse(&after) - parse(&before)).num_seconds(), 60);
    let (status, _) = server.request("GET", path, &[], "");
    assert_eq!(status, 410);
    let (ok, set, err) = turkstand(&server, &["clock", "--set", "2032-01-01T00:00:00Z"]);
    assert!(ok, "{err}");
    assert_eq!(set["now"], "2032-01-01T00:00:00Z");
}

#[test]
fn assignments_and_file_urls_answer_over_soap() {
    let server = Server::start_manual_clock();
    let hit = create_hit(&server, FILE_FORM, &[]);
    let (_, body) = server.admin(
        "workers/ASOAPWORKER1/accept",
        &format!(r#"{{"HITId": "{hit}"}}"#),
    );
    let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let assignment = v["AssignmentId"]
        .as_str()
        .expect("AssignmentId")
        .to_string();

    let soap = |op: &str, request: &str| {
        let (status, body) = server.soap(&soap_envelope(op, REQUESTER, &now_timestamp(), request));
        assert_eq!(status, 200, "{body}");
        body
    };
    let url_request = format!(
        "<mt:AssignmentId>{assignment}</mt:AssignmentId><mt:QuestionIdentifier>upload</mt:QuestionIdentifier>"
    );
    let body = soap("GetFileUploadURL", &url_request);
    assert!(
        body.contains("<Code>AWS.MechanicalTurk.InvalidAssignmentState</Code>"),
        "{body}"
    );

    let (status, body) = server.admin(
        &format!("assignments/{assignment}/submit"),
        r#"{"files": {"upload": {"name": "a.txt", "content_base64": "aGVsbG8="}}}"#,
    );
    assert_eq!(status, 200, "{body}");
    let body = soap("GetFileUploadURL", &url_request);
    let url = element_text(&body, "FileUploadURL").expect("FileUploadURL");
    assert!(
        url.starts_with(&format!("{}/_turkstand/files/", server.url)),
        "{url}"
    );
    let (status, bytes) = server.request("GET", &url[server.url.len()..], &[], "");
    assert_eq!((status, bytes.as_str()), (200, "hello"));

    let for_hit = |more: &str| {
        let inner = format!("<mt:HITId>{hit}</mt:HITId>{more}");
        soap("GetAssignmentsForHIT", &inner)
    };
    let body = for_hit("<mt:PageSize>5</mt:PageSize><mt:AssignmentStatus>Submitted</mt:AssignmentStatus><mt:AssignmentStatus>Approved</mt:AssignmentStatus>");
    assert!(
        body.contains("<TotalNumResults>1</TotalNumResults>"),
        "{body}"
    );
    assert!(body.contains(&assignment), "{body}");
    // The answer names the file by key and size.
    assert!(
        body.contains("UploadedFileSizeInBytes&gt;5&lt;/UploadedFileSizeInBytes"),
        "{body}"
    );
    let body = for_hit("<mt:PageSize>101</mt:PageSize>");
    assert!(
        body.contains("<Code>AWS.ParameterOutOfRange</Code>"),
        "{body}"
    );
}

#[test]
fn reset_forgets_uploaded_files_and_worker_locales() {
    let server = Server::start_manual_clock();
    let (status, _) = server.admin("workers/ARESETWORKER", r#"{"Locale": {"Country": "NZ"}}"#);
    assert_eq!(status, 200);
    let (status, _) = server.admin("reset", "");
    assert_eq!(status, 200);
    let (status, body) = server.request("GET", "/_turkstand/workers/ARESETWORKER", &[], "");
    assert_eq!((status, body.as_str()), (200, r#"{"Locale":null}"#));
}
