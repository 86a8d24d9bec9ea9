//! The wire protocol over real HTTP: authentication, faults, limits, versions, the WSDL, and
//! durability of acknowledged writes.

mod support;

use support::*;
use turkstand::auth::{legacy_signature, SERVICE};

fn create_hit(server: &Server, key: (&str, &str), reward: &str, max: &str) -> String {
    let (status, body) = server.call_as(
        "CreateHIT",
        key,
        &[
            ("Title", "Sky colour"),
            ("Description", "Say what colour the sky is"),
            ("Reward.1.Amount", reward),
            ("Reward.1.CurrencyCode", "USD"),
            ("AssignmentDurationInSeconds", "600"),
            ("LifetimeInSeconds", "3600"),
            ("MaxAssignments", max),
            ("Question", QUESTION_FORM),
        ],
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
    element_text(&body, "HITId").expect("HITId").to_string()
}

fn work(server: &Server, hit: &str, worker: &str) -> String {
    let (status, body) = server.admin(
        &format!("workers/{worker}/accept"),
        &format!(r#"{{"HITId":"{hit}"}}"#),
    );
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let id = v["AssignmentId"].as_str().unwrap().to_string();
    let (status, body) = server.admin(
        &format!("assignments/{id}/submit"),
        r#"{"answers":{"answer":"blue"}}"#,
    );
    assert_eq!(status, 200, "{body}");
    id
}

fn error_code(body: &str) -> Option<&str> {
    element_text(body, "Code")
}

#[test]
fn a_bad_signature_is_refused_with_bad_claims() {
    let server = Server::start();
    let ts = now_timestamp();
    let mut params = rest_call("GetAccountBalance", REQUESTER, &ts);
    params[5].1 = legacy_signature("wrong-secret", SERVICE, "GetAccountBalance", &ts);
    let (status, body) = server.rest(&params);
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), Some("AWS.BadClaimsSupplied"), "{body}");
    assert!(
        body.contains("<OperationRequest>") && !body.contains("<AvailableBalance>"),
        "{body}"
    );

    let (_, body) = server.call_as("GetAccountBalance", ("AKIAUNKNOWN", "x"), &[]);
    assert_eq!(error_code(&body), Some("AWS.NotAuthorized"), "{body}");

    let envelope = soap_envelope(
        "GetAccountBalance",
        ("AKIATESTREQUESTER0001", "wrong"),
        &ts,
        "",
    );
    let (status, body) = server.soap(&envelope);
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), Some("AWS.BadClaimsSupplied"), "{body}");
}

#[test]
fn a_stale_timestamp_is_refused() {
    let server = Server::start();
    let stale = (chrono::Utc::now() - chrono::Duration::minutes(16))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let params = rest_call("GetAccountBalance", REQUESTER, &stale);
    let (_, body) = server.rest(&params);
    assert_eq!(error_code(&body), Some("AWS.BadClaimsSupplied"), "{body}");
    let future = (chrono::Utc::now() + chrono::Duration::minutes(16))
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    let (_, body) = server.soap(&soap_envelope("GetAccountBalance", REQUESTER, &future, ""));
    assert_eq!(error_code(&body), Some("AWS.BadClaimsSupplied"), "{body}");
    // Milliseconds are fine when fresh.
    let fresh = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    let (_, body) = server.soap(&soap_envelope("GetAccountBalance", REQUESTER, &fresh, ""));
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
}

#[test]
fn malformed_xml_unknown_operations_and_call_schema_violations_are_soap_faults() {
    let server = Server::start();
    let (status, body) = server.soap("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>");
    assert_eq!(status, 400);
    assert!(
        body.contains("<faultcode>soapenv:Client</faultcode>"),
        "{body}"
    );
    assert_eq!(error_code(&body), Some("AWS.MechanicalTurk.XMLParseError"));

    let (status, body) = server.soap(&soap_envelope(
        "LaunchRocket",
        REQUESTER,
        &now_timestamp(),
        "",
    ));
    assert_eq!(status, 400);
    assert!(body.contains("Fault>"), "{body}");
    assert!(body.contains("LaunchRocket"), "{body}");

    // Outside its requests, a call that does not match the schema is a Fault…
    let bad = soap_envelope(
        "GetAssignment",
        REQUESTER,
        &now_timestamp(),
        "<mt:AssignmentId>3ZWOAS9ZXQ6V1B8M7Z5OQ8K8ZP2T1D</mt:AssignmentId>",
    )
    .replace("<mt:Request>", "<mt:Nonsense>1</mt:Nonsense><mt:Request>");
    let (status, body) = server.soap(&bad);
    assert_eq!(status, 400);
    assert!(
        body.contains("Fault>") && body.contains("InvalidParameterValue"),
        "{body}"
    );
    // …while inside one, it is that request's own error, as data.
    let bad = soap_envelope(
        "GetAssignment",
        REQUESTER,
        &now_timestamp(),
        "<mt:Nonsense>1</mt:Nonsense>",
    );
    let (status, body) = server.soap(&bad);
    assert_eq!(status, 200, "{body}");
    assert!(
        !body.contains("Fault>")
            && body.contains("<IsValid>False</IsValid>")
            && body.contains("<Code>AWS.MechanicalTurk.InvalidParameterValue</Code>"),
        "{body}"
    );

    let (status, body) = server.call_as("LaunchRocket", REQUESTER, &[]);
    assert_eq!(status, 400);
    assert_eq!(
        error_code(&body),
        Some("AWS.MechanicalTurk.InvalidParameterValue"),
        "{body}"
    );
}

#[test]
fn doctype_and_entity_declarations_are_refused_without_expansion() {
    let server = Server::start();
    let bomb = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>{}",
        soap_envelope("GetAccountBalance", REQUESTER, &now_timestamp(), "&lol2;").replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "")
    );
    let (status, body) = server.soap(&bomb);
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("Fault>") && !body.contains("lollol"),
        "{body}"
    );
    assert!(body.to_lowercase().contains("doctype"), "{body}");
    // The server is still up.
    let (_, body) = server.call_as("GetAccountBalance", REQUESTER, &[]);
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
}

#[test]
fn bodies_over_the_configured_limit_are_refused() {
    let server = Server::start_with(4096, None);
    let padding = "x".repeat(8000);
    let envelope = soap_envelope(
        "GetAccountBalance",
        REQUESTER,
        &now_timestamp(),
        &format!("<mt:Unused>{padding}</mt:Unused>"),
    );
    let (status, body) = server.soap(&envelope);
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("4096"), "{body}");
    let (_, body) = server.call_as("GetAccountBalance", REQUESTER, &[]);
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
}

#[test]
fn every_version_string_and_namespace_is_accepted() {
    let server = Server::start();
    for version in [
        "2014-08-15",
        "2012-03-25",
        "2011-10-01",
        "2008-08-02",
        "2007-06-21",
        "2006-10-31",
    ] {
        let (_, body) = server.call_as("GetAccountBalance", REQUESTER, &[("Version", version)]);
        assert!(
            body.contains("<IsValid>True</IsValid>"),
            "{version}: {body}"
        );
        let ns = format!("http://requester.mturk.amazonaws.com/doc/{version}");
        let envelope =
            soap_envelope("GetAccountBalance", REQUESTER, &now_timestamp(), "").replace(NS, &ns);
        let (status, body) = server.soap(&envelope);
        assert_eq!(status, 200, "{body}");
        assert!(
            body.contains(&format!("<GetAccountBalanceResponse xmlns=\"{ns}\">")),
            "{body}"
        );
    }
}

#[test]
fn rest_responses_carry_no_namespace_and_soap_responses_do() {
    let server = Server::start();
    let (_, body) = server.call_as("GetAccountBalance", REQUESTER, &[]);
    assert!(body.starts_with("<?xml"), "{body}");
    assert!(
        body.contains("<GetAccountBalanceResponse><OperationRequest><RequestId>"),
        "{body}"
    );
    assert!(body.contains("<Amount>10000.00</Amount><CurrencyCode>USD</CurrencyCode><FormattedPrice>$10,000.00</FormattedPrice>"), "{body}");
    let (_, body) = server.soap(&soap_envelope(
        "GetAccountBalance",
        REQUESTER,
        &now_timestamp(),
        "",
    ));
    assert!(
        body.contains(&format!("<GetAccountBalanceResponse xmlns=\"{NS}\">")),
        "{body}"
    );
    // GET with every parameter in the query string, on /onca/xml.
    let params = rest_call("GetAccountBalance", REQUESTER, &now_timestamp());
    let (status, body) = server.request("GET", &format!("/onca/xml?{}", form(&params)), &[], "");
    assert_eq!(status, 200);
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
}

#[test]
fn the_wsdl_is_served_with_the_running_address() {
    let server = Server::start();
    for q in [
        "/?wsdl",
        "/?WSDL",
        "/?Service=AWSMechanicalTurkRequester&wsdl",
    ] {
        let (status, body) = server.request("GET", q, &[], "");
        assert_eq!(status, 200);
        assert!(
            body.contains(&format!(
                "location=\"{}/?Service=AWSMechanicalTurkRequester\"",
                server.url
            )),
            "{q}"
        );
        assert!(!body.contains("mechanicalturk.amazonaws.com/?Service"));
    }
    let (status, body) = server.request("GET", "/xsd/QuestionForm.xsd", &[], "");
    assert_eq!(status, 200);
    assert!(body.contains("2005-10-01/QuestionForm.xsd"));
    assert_eq!(server.request("GET", "/xsd/Nope.xsd", &[], "").0, 404);
}

#[test]
fn another_requesters_assignment_cannot_be_touched() {
    let server = Server::start();
    let hit = create_hit(&server, REQUESTER, "0.25", "1");
    let a = work(&server, &hit, "AWORKERONE");
    for op in ["ApproveAssignment", "RejectAssignment", "GetAssignment"] {
        let (_, body) = server.call_as(op, OTHER, &[("AssignmentId", &a)]);
        assert_eq!(
            error_code(&body),
            Some("AWS.MechanicalTurk.AssignmentDoesNotExist"),
            "{op}: {body}"
        );
    }
    let (_, body) = server.call_as("GetAssignment", REQUESTER, &[("AssignmentId", &a)]);
    assert!(
        body.contains("<AssignmentStatus>Submitted</AssignmentStatus>"),
        "{body}"
    );
    let (_, body) = server.call_as("GetAccountBalance", OTHER, &[]);
    assert!(body.contains("<Amount>100.00</Amount>"), "{body}");
}

#[test]
fn insufficient_funds_changes_nothing() {
    let server = Server::start();
    let hit = create_hit(&server, POOR, "1.00", "2");
    let a = work(&server, &hit, "AWORKERTWO");
    let (status, _) = server.admin(
        &format!("accounts/{}/balance", POOR.0),
        r#"{"AvailableBalance":"1.19"}"#,
    );
    assert_eq!(status, 200);
    let (_, body) = server.call_as("ApproveAssignment", POOR, &[("AssignmentId", &a)]);
    assert_eq!(
        error_code(&body),
        Some("AWS.MechanicalTurk.InsufficientFunds"),
        "{body}"
    );
    let (_, body) = server.call_as("GetAccountBalance", POOR, &[]);
    assert!(body.contains("<Amount>1.19</Amount>"), "{body}");
    let (_, body) = server.call_as("GetAssignment", POOR, &[("AssignmentId", &a)]);
    assert!(
        body.contains("<AssignmentStatus>Submitted</AssignmentStatus>"),
        "{body}"
    );
    server.admin(
        &format!("accounts/{}/balance", POOR.0),
        r#"{"AvailableBalance":"1.20"}"#,
    );
    let (_, body) = server.call_as("ApproveAssignment", POOR, &[("AssignmentId", &a)]);
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
    let (_, body) = server.call_as("GetAccountBalance", POOR, &[]);
    assert!(body.contains("<Amount>0.00</Amount>"), "{body}");
}

/// Copies a killed server's database (file, log and index) into a fresh scratch directory:
/// the path of the copy, which a new server can open.
fn copy_of_killed(server: &Server) -> (Scratch, std::path::PathBuf) {
    let copy = Scratch::new("killed");
    for suffix in ["", "-wal", "-shm"] {
        let from = std::path::PathBuf::from(format!("{}{suffix}", server.data.display()));
        if from.exists() {
            std::fs::copy(&from, copy.0.join(format!("turkstand.db{suffix}"))).unwrap();
        }
    }
    let path = copy.0.join("turkstand.db");
    (copy, path)
}

#[test]
fn acknowledged_writes_survive_kill_dash_nine() {
    let mut server = Server::start();
    let hit = create_hit(&server, REQUESTER, "0.50", "1");
    let a = work(&server, &hit, "AWORKERTHREE");
    let (_, body) = server.call_as("ApproveAssignment", REQUESTER, &[("AssignmentId", &a)]);
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
    // SIGKILL: no chance to flush or close anything.
    server.kill();
    let (_copy, path) = copy_of_killed(&server);
    let again = Server::start_with(1024 * 1024, Some(path));
    let (_, body) = again.call_as("GetAssignment", REQUESTER, &[("AssignmentId", &a)]);
    assert!(
        body.contains("<AssignmentStatus>Approved</AssignmentStatus>"),
        "{body}"
    );
    let (_, body) = again.call_as("GetAccountBalance", REQUESTER, &[]);
    assert!(body.contains("<Amount>9999.40</Amount>"), "{body}");
}

#[test]
fn writes_acknowledged_under_concurrent_load_survive_kill_dash_nine() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    let mut server = Server::start();
    let hit = create_hit(&server, REQUESTER, "0.01", "1000");
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    // Writers of two kinds at once, so that commits group writes of different tables: new
    // HITs, and workers accepting the one HIT.
    std::thread::scope(|scope| {
        for w in 0..8 {
            let (stop, acknowledged, server) = (stop.clone(), acknowledged.clone(), &server);
            let hit = hit.clone();
            scope.spawn(move || {
                for i in 0.. {
                    if stop.load(Ordering::Acquire) {
                        break;
                    }
                    let answer = if w % 2 == 0 {
                        let mut params = rest_call("CreateHIT", REQUESTER, &now_timestamp());
                        for (k, v) in [
                            ("Title", format!("Under load {w} {i}")),
                            ("Description", "Made while the server is killed".into()),
                            ("Reward.1.Amount", "0.01".into()),
                            ("Reward.1.CurrencyCode", "USD".into()),
                            ("AssignmentDurationInSeconds", "600".into()),
                            ("LifetimeInSeconds", "3600".into()),
                            ("Question", QUESTION_FORM.into()),
                        ] {
                            params.push((k.to_string(), v));
                        }
                        server
                            .try_request(
                                "POST",
                                "/",
                                &[("content-type", "application/x-www-form-urlencoded")],
                                form(&params),
                            )
                            .ok()
                            .filter(|(status, body)| {
                                *status == 200 && body.contains("<IsValid>True</IsValid>")
                            })
                            .and_then(|(_, body)| element_text(&body, "HITId").map(String::from))
                            .map(|id| ("HIT".to_string(), id))
                    } else {
                        server
                            .try_request(
                                "POST",
                                &format!("/_turkstand/workers/AKILLWORKER{w}X{i}/accept"),
                                &[("content-type", "application/json")],
                                format!(r#"{{"HITId":"{hit}"}}"#),
                            )
                            .ok()
                            .filter(|(status, _)| *status == 200)
                            .and_then(|(_, body)| {
                                let v: serde_json::Value = serde_json::from_str(&body).ok()?;
                                Some((
                                    "Assignment".to_string(),
                                    v["AssignmentId"].as_str()?.to_string(),
                                ))
                            })
                    };
                    match answer {
                        Some(done) => acknowledged.lock().unwrap().push(done),
                        // The server is gone: nothing after this was acknowledged.
                        None => break,
                    }
                }
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(1500));
        // SIGKILL while the writers are still sending (the writers hold the server borrowed,
        // so by its process id).
        let killed = std::process::Command::new("kill")
            .args(["-KILL", &server.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
        stop.store(true, Ordering::Release);
    });
    server.kill();
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 20,
        "only {} writes acknowledged",
        acknowledged.len()
    );
    let (_copy, path) = copy_of_killed(&server);
    let again = Server::start_with(1024 * 1024, Some(path));
    for (kind, id) in &acknowledged {
        let found = if kind == "HIT" {
            let (_, body) = again.call_as("GetHIT", REQUESTER, &[("HITId", id)]);
            body.contains("<IsValid>True</IsValid>")
        } else {
            // Work in progress is refused to the requester by name of its state: it is stored.
            let (_, body) = again.call_as("GetAssignment", REQUESTER, &[("AssignmentId", id)]);
            body.contains("<Key>CurrentState</Key><Value>Accepted</Value>")
        };
        assert!(
            found,
            "{kind} {id} acknowledged before the kill, missing after it"
        );
    }
}
