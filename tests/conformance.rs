//! The independent conformance step (tests/clients/conformance.py, Python `xmlschema`) can fail:
//! deliberately broken journaled messages are reported with operation, document and the
//! validator's message, and valid ones pass. Every `Server` the tests start runs the same step
//! over its real traffic, journaled with `serve --journal`, when it is dropped (tests/support).

mod support;

use std::path::{Path, PathBuf};

use serde_json::json;
use support::{
    conformance_output, journal_entries, now_timestamp, rest_call, soap_envelope, Scratch, Server,
    NS, REQUESTER,
};

const ASSIGNMENT_ID: &str = "3ZWOAS9ZXQ6V1B8M7Z5OQ8K8ZP2T1D";

fn envelope(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"#
    )
}

fn get_assignment_request() -> String {
    envelope(&format!(
        "<mt:GetAssignment xmlns:mt=\"{NS}\"><mt:AWSAccessKeyId>AKIAEXAMPLE</mt:AWSAccessKeyId>\
         <mt:Timestamp>2014-08-15T00:00:00Z</mt:Timestamp><mt:Signature>c2ln</mt:Signature>\
         <mt:Request><mt:AssignmentId>{ASSIGNMENT_ID}</mt:AssignmentId></mt:Request></mt:GetAssignment>"
    ))
}

/// A GetAssignmentResponse whose Assignment holds `assignment` (the elements inside it).
fn get_assignment_response(ns: Option<&str>, assignment: &str) -> String {
    let xmlns = ns.map(|ns| format!(" xmlns=\"{ns}\"")).unwrap_or_default();
    format!(
        "<GetAssignmentResponse{xmlns}><OperationRequest><RequestId>c0ffee</RequestId></OperationRequest>\
         <GetAssignmentResult><Request><IsValid>True</IsValid></Request>\
         <Assignment>{assignment}</Assignment></GetAssignmentResult></GetAssignmentResponse>"
    )
}

const VALID_ASSIGNMENT: &str = "<AssignmentId>3ZWOAS9ZXQ6V1B8M7Z5OQ8K8ZP2T1D</AssignmentId>\
    <WorkerId>AWORKER1</WorkerId><HITId>3WV80UW08Y4VD8LBFL8W0CY4E4CW55</HITId>\
    <AssignmentStatus>Submitted</AssignmentStatus><AutoApprovalTime>2014-08-18T00:00:00Z</AutoApprovalTime>\
    <AcceptTime>2014-08-15T00:00:00Z</AcceptTime><SubmitTime>2014-08-15T00:05:00Z</SubmitTime>\
    <Answer>&lt;QuestionFormAnswers/&gt;</Answer>";

/// WorkerId before AssignmentId: the schema's sequence has them the other way round.
const OUT_OF_ORDER: &str = "<WorkerId>AWORKER1</WorkerId>\
    <AssignmentId>3ZWOAS9ZXQ6V1B8M7Z5OQ8K8ZP2T1D</AssignmentId>\
    <AssignmentStatus>Submitted</AssignmentStatus>";

/// `Colour` is no element of an Assignment.
const UNKNOWN_ELEMENT: &str = "<AssignmentId>3ZWOAS9ZXQ6V1B8M7Z5OQ8K8ZP2T1D</AssignmentId>\
    <Colour>blue</Colour><AssignmentStatus>Submitted</AssignmentStatus>";

/// One journaled exchange: id, transport, operation, request, response, fault effect.
type Journaled<'a> = (u64, &'a str, &'a str, &'a str, &'a str, Option<&'a str>);

/// A journal file in `scratch` holding `exchanges`, in the form `serve --journal` writes.
fn journal(scratch: &Scratch, exchanges: &[Journaled<'_>]) -> PathBuf {
    let path = scratch.0.join("journal.jsonl");
    let lines: Vec<String> = exchanges
        .iter()
        .map(|(id, transport, op, request, response, fault)| {
            json!({
                "id": id, "time": "2014-08-15T00:00:00.000Z", "transport": transport,
                "version": "2014-08-15", "operation": op, "account": "AKIAEXAMPLE",
                "method": "POST", "path": "/", "request": request, "response": response,
                "status": 200, "duration_ms": 1.0,
                "fault": fault.map(|effect| json!({"rule": 1, "effect": effect})),
            })
            .to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").expect("write a journal");
    path
}

/// A journal with two GetAssignment exchanges: 000000 over SOAP with `soap_assignment` in its
/// response, 000001 over REST with `rest_assignment`.
fn get_assignment_exchanges(
    name: &str,
    soap_assignment: &str,
    rest_assignment: &str,
) -> (Scratch, PathBuf) {
    let scratch = Scratch::new(name);
    let soap_response = envelope(&get_assignment_response(Some(NS), soap_assignment));
    let rest_response = get_assignment_response(None, rest_assignment);
    let request = get_assignment_request();
    let path = journal(
        &scratch,
        &[
            (0, "SOAP", "GetAssignment", &request, &soap_response, None),
            (
                1,
                "REST",
                "GetAssignment",
                "Operation=GetAssignment",
                &rest_response,
                None,
            ),
        ],
    );
    (scratch, path)
}

/// Runs the validator over the journal at `path`: (exit code, stdout).
fn conformance(path: &Path) -> (i32, String) {
    let output = conformance_output(path, true);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), stdout)
}

/// The one reported line that names `document`.
fn line_for<'a>(report: &'a str, document: &str) -> &'a str {
    let lines: Vec<&str> = report.lines().filter(|l| l.contains(document)).collect();
    assert_eq!(lines.len(), 1, "one violation for {document}:\n{report}");
    lines[0]
}

#[test]
fn broken_responses_are_reported_with_operation_document_and_message() {
    let (_scratch, path) =
        get_assignment_exchanges("conformance-broken", OUT_OF_ORDER, UNKNOWN_ELEMENT);
    let (code, report) = conformance(&path);
    assert_eq!(code, 1, "{report}");

    let out_of_order = line_for(&report, "000000-SOAP-GetAssignment-response.xml");
    assert!(
        out_of_order.starts_with("GetAssignment 000000-SOAP-GetAssignment-response.xml:1: "),
        "{out_of_order}"
    );
    // xmlschema's own words: the element met where another was expected.
    assert!(
        out_of_order.contains("Unexpected child with tag")
            && out_of_order.contains("mt:AssignmentId'"),
        "{out_of_order}"
    );

    let unknown = line_for(&report, "000001-REST-GetAssignment-response.xml");
    assert!(
        unknown.starts_with("GetAssignment 000001-REST-GetAssignment-response.xml:1: "),
        "{unknown}"
    );
    assert!(
        unknown.contains("Unexpected child with tag") && unknown.contains("mt:Colour'"),
        "{unknown}"
    );

    // The request was valid: only the two responses are violations.
    assert!(report.ends_with("3 messages, 2 violations\n"), "{report}");
}

#[test]
fn valid_messages_pass() {
    let (_scratch, path) =
        get_assignment_exchanges("conformance-valid", VALID_ASSIGNMENT, VALID_ASSIGNMENT);
    let (code, report) = conformance(&path);
    assert_eq!((code, report.as_str()), (0, "3 messages, 0 violations\n"));
}

#[test]
fn invalid_requests_are_checked_unless_answered_with_a_fault() {
    let scratch = Scratch::new("conformance-requests");
    // An out-of-order request that was answered normally is a violation of the request...
    let misordered = get_assignment_request().replace(
        "<mt:Timestamp>2014-08-15T00:00:00Z</mt:Timestamp><mt:Signature>c2ln</mt:Signature>",
        "<mt:Signature>c2ln</mt:Signature><mt:Timestamp>2014-08-15T00:00:00Z</mt:Timestamp>",
    );
    let answered = envelope(&get_assignment_response(Some(NS), VALID_ASSIGNMENT));
    // ...but the same request answered with a Fault is exempt; the Fault's Errors are checked.
    let fault = envelope(&format!(
        "<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>bad</faultstring>\
         <detail><Errors xmlns=\"{NS}\"><Error><Code>AWS.MechanicalTurk.XMLParseError</Code>\
         <Message>bad</Message></Error></Errors></detail></soapenv:Fault>"
    ));
    let dir = &journal(
        &scratch,
        &[
            (0, "SOAP", "GetAssignment", &misordered, &answered, None),
            (1, "SOAP", "GetAssignment", &misordered, &fault, None),
            // The shutdown body was never of the schema, and admin calls are not checked.
            (
                2,
                "REST",
                "GetAssignment",
                "",
                "<Response><Errors/></Response>",
                Some("shutdown"),
            ),
            (3, "admin", "Accept", "{}", "{}", None),
        ],
    );
    let (code, report) = conformance(dir);
    assert_eq!(code, 1, "{report}");
    let line = line_for(&report, "000000-SOAP-GetAssignment-request.xml");
    assert!(
        line.starts_with("GetAssignment 000000-SOAP-GetAssignment-request.xml:1: ")
            && line.contains("mt:Signature'"),
        "{line}"
    );
    assert!(
        // The request, its response, and the Fault's Errors; not the exempt request.
        report.ends_with("3 messages, 1 violations\n"),
        "{report}"
    );
}

/// The server journals each exchange, but for the WSDL and the schemas, before it answers.
#[test]
fn the_server_journals_every_exchange() {
    let server = Server::start();
    let ts = now_timestamp();
    let params = rest_call("GetAccountBalance", REQUESTER, &ts);
    let (status, _) = server.rest(&params);
    assert_eq!(status, 200);
    let (status, _) = server.soap(&soap_envelope("GetAccountBalance", REQUESTER, &ts, ""));
    assert_eq!(status, 200);
    let (status, _) = server.soap("<not-soap/>");
    assert_eq!(status, 400);
    // Neither the WSDL nor the data schemas are exchanges; the admin API's calls are.
    let (status, _) = server.request("GET", "/?wsdl", &[], "");
    assert_eq!(status, 200);
    let (status, _) = server.request("GET", "/xsd/QuestionForm.xsd", &[], "");
    assert_eq!(status, 200);
    let (status, _) = server.request("GET", "/_turkstand/clock", &[], "");
    assert_eq!(status, 200);

    let entries = journal_entries(&server.journal);
    let seen: Vec<(&str, Option<&str>, u64)> = entries
        .iter()
        .map(|e| {
            (
                e["transport"].as_str().unwrap_or(""),
                e["operation"].as_str(),
                e["status"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("REST", Some("GetAccountBalance"), 200),
            ("SOAP", Some("GetAccountBalance"), 200),
            ("SOAP", None, 400),
            ("admin", Some("ReadClock"), 200),
        ]
    );
    let request = entries[0]["request"].as_str().unwrap_or("");
    assert!(request.contains("Operation=GetAccountBalance"), "{request}");
    assert!(request.contains("Signature=REDACTED"), "{request}");
    let response = entries[0]["response"].as_str().unwrap_or("");
    assert!(
        response.contains("<GetAccountBalanceResponse>"),
        "{response}"
    );
    assert_eq!(entries[0]["account"], REQUESTER.0);
    // Dropping the server validates these four documents (the Fault's request is exempt).
}
