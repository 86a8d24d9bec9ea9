//! The router driven in process, without a socket.

use std::sync::Arc;

use axum::body::Body;
use axum::Router;
use hyper::Request;
use tower::ServiceExt;

use super::*;
use crate::clock::Clock;
use crate::config::Account;
use crate::money::Cents;
use crate::store::Store;

mod hostile;

const KEY: &str = "AKIAROUTERTEST";
const LIMIT: usize = 4096;

fn app() -> Router {
    app_with(|_| {})
}

/// The router over a fresh service, with `adjust` applied to its settings.
fn app_with(adjust: impl FnOnce(&mut App)) -> Router {
    let store = Store::open(":memory:").expect("store");
    let account = Account {
        access_key_id: KEY.into(),
        secret_access_key: "secret".into(),
        balance: Cents(1000),
    };
    let start = chrono::DateTime::from_timestamp(1_767_225_600, 0).expect("time");
    let service = Service::new(store, Clock::manual(start), vec![account]).expect("service");
    let mut app = App::new(Arc::new(service), LIMIT);
    adjust(&mut app);
    router(Arc::new(app))
}

/// Status, content type and body.
async fn send(app: &Router, req: Request<Body>) -> (u16, String, String) {
    let r = app.clone().oneshot(req).await.expect("infallible");
    let status = r.status().as_u16();
    let content_type = header(r.headers(), CONTENT_TYPE).to_string();
    let body = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .expect("body");
    (
        status,
        content_type,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

/// A request; an admin write without a content type is sent as JSON, as the guard requires.
fn request(method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let typed = headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    if uri.starts_with("/_turkstand") && !["GET", "HEAD"].contains(&method) && !typed {
        b = b.header("content-type", "application/json");
    }
    b.body(Body::from(body.to_string())).expect("request")
}

/// A plain-text answer.
fn plain(status: u16, body: &str) -> (u16, String, String) {
    (status, TEXT.to_string(), body.to_string())
}

fn get(uri: &str) -> Request<Body> {
    request("GET", uri, &[], "")
}

/// A REST reply, told from a SOAP one by its root element.
fn is_rest_reply(body: &str) -> bool {
    body.contains("<Response><OperationRequest>") && !body.contains("soapenv:Envelope")
}

const NO_SUCH_OPERATION: &str = "Service=AWSMechanicalTurkRequester&Operation=Nope";

#[tokio::test]
async fn soap_is_told_by_its_path_or_its_headers() {
    let app = app();
    for (uri, headers) in [
        ("/onca/soap", vec![]),
        (
            "/onca/soap/",
            vec![("content-type", "application/x-www-form-urlencoded")],
        ),
        ("/", vec![("soapaction", "\"http://soap.amazon.com\"")]),
        ("/", vec![("content-type", "Text/XML; charset=utf-8")]),
    ] {
        let (status, content_type, body) = send(&app, request("POST", uri, &headers, "<x")).await;
        assert_eq!(status, 400, "{uri} {headers:?}");
        assert_eq!(content_type, XML);
        assert!(
            body.contains("<soapenv:Fault>"),
            "{uri} {headers:?}: {body}"
        );
        assert!(body.contains("AWS.MechanicalTurk.XMLParseError"), "{body}");
    }
}

#[tokio::test]
async fn rest_takes_the_query_and_the_form_body() {
    let app = app();
    let (status, content_type, body) = send(&app, get(&format!("/?{NO_SUCH_OPERATION}"))).await;
    assert_eq!((status, content_type.as_str()), (400, XML));
    assert!(is_rest_reply(&body), "{body}");
    assert!(body.contains("The operation Nope is not"), "{body}");

    // `/onca/xml` is REST whatever the content type says; the query and the form are one.
    let form = [("content-type", "text/xml")];
    for uri in ["/onca/xml", "/onca/xml/?Service=AWSMechanicalTurkRequester"] {
        let (status, _, body) = send(
            &app,
            request("POST", uri, &form, "Operation=Nope&Service=x"),
        )
        .await;
        assert_eq!(status, 400);
        assert!(is_rest_reply(&body), "{uri}: {body}");
        assert!(body.contains("The operation Nope is not"), "{uri}: {body}");
    }
    let (status, _, body) = send(&app, request("POST", "/", &[], NO_SUCH_OPERATION)).await;
    assert_eq!(status, 400);
    assert!(is_rest_reply(&body), "{body}");

    let latin1 = Request::post("/onca/xml")
        .body(Body::from(vec![b'O', 0xff]))
        .expect("request");
    let (status, content_type, body) = send(&app, latin1).await;
    assert_eq!(status, 400);
    assert_legacy_refusal(
        "/onca/xml",
        &content_type,
        &body,
        "The form body is not UTF-8.",
    );
}

#[tokio::test]
async fn other_paths_and_methods_are_refused_in_plain_text() {
    let app = app();
    let not_found = plain(404, "Not found.\n");
    for uri in [
        "/nope",
        "/onca",
        "/onca/xml/more",
        "/_turkstand",
        "/xsdQuestionForm.xsd",
    ] {
        assert_eq!(send(&app, get(uri)).await, not_found, "{uri}");
    }
    assert_eq!(
        send(&app, request("POST", "/xsd/QuestionForm.xsd", &[], "")).await,
        not_found
    );
    let wrong_method = plain(405, "Use GET or POST.\n");
    for method in ["PUT", "DELETE", "HEAD"] {
        assert_eq!(
            send(&app, request(method, "/", &[], "")).await.0,
            405,
            "{method}"
        );
    }
    assert_eq!(
        send(&app, request("PUT", "/onca/soap", &[], "")).await,
        wrong_method
    );
}

#[tokio::test]
async fn the_wsdl_names_the_server_it_came_from() {
    let app = app();
    let wsdl_at = |host: &str| {
        WSDL.replace(
            WSDL_ADDRESS,
            &format!("http://{host}/?Service=AWSMechanicalTurkRequester"),
        )
    };
    let asked = request("GET", "/?wsdl", &[("host", "turk.test:8443")], "");
    let (status, content_type, body) = send(&app, asked).await;
    assert_eq!((status, content_type.as_str()), (200, XML));
    assert_eq!(body, wsdl_at("turk.test:8443"));

    // A Host that is not a plain host[:port] is not echoed: the connection's address is used,
    // and without a connection, the loopback one.
    let odd = request("GET", "/onca/soap?x=1&WSDL", &[("host", "a b/<c>")], "");
    assert_eq!(send(&app, odd).await.2, wsdl_at("127.0.0.1"));
    let mut local = request("GET", "/onca/xml?wsdl=", &[], "");
    let addr: SocketAddr = "127.0.0.9:4000".parse().expect("address");
    local.extensions_mut().insert(LocalAddr(addr));
    assert_eq!(send(&app, local).await.2, wsdl_at("127.0.0.9:4000"));

    // Only on the service paths, and only by name: `?wsdlx` is a REST call.
    assert_eq!(send(&app, get("/nope?wsdl")).await.0, 404);
    assert!(is_rest_reply(&send(&app, get("/?wsdlx")).await.2));
}

#[tokio::test]
async fn each_interface_version_is_served_where_the_legacy_service_kept_it() {
    let app = app();
    let addressed = |doc: &turkstand_documents::Document| {
        doc.text.replace(
            WSDL_ADDRESS,
            "http://turk.test/?Service=AWSMechanicalTurkRequester",
        )
    };
    let old = &turkstand_documents::REQUESTER_2007_06_21;
    let new = &turkstand_documents::REQUESTER_2014_08_15;
    for (path, want) in [
        (
            "/AWSMechanicalTurk/2007-06-21/AWSMechanicalTurkRequester.wsdl",
            addressed(old),
        ),
        (
            "/AWSMechanicalTurk/2012-03-25/AWSMechanicalTurkRequester.wsdl",
            addressed(&turkstand_documents::REQUESTER_2012_03_25),
        ),
        (
            "/AWSMechanicalTurk/2014-08-15/AWSMechanicalTurkRequester.wsdl",
            addressed(new),
        ),
        (
            "/AWSMechanicalTurk/AWSMechanicalTurkRequester.wsdl",
            addressed(new),
        ),
    ] {
        let asked = request("GET", path, &[("host", "turk.test")], "");
        let (status, content_type, body) = send(&app, asked).await;
        assert_eq!((status, content_type.as_str()), (200, XML), "{path}");
        assert!(body == want, "{path} is not the addressed WSDL");
    }
    assert!(old
        .text
        .contains("requester.mturk.amazonaws.com/doc/2007-06-21"));
    let xsd = "/AWSMechanicalTurk/2007-06-21/AWSMechanicalTurkRequester.xsd";
    let (status, _, body) = send(&app, get(xsd)).await;
    assert_eq!(status, 200);
    assert!(body.starts_with("<?xml") && body.contains("2007-06-21"));
    for missing in [
        "/AWSMechanicalTurk/2014-08-15/AWSMechanicalTurkRequester.xsd",
        "/AWSMechanicalTurk/2000-01-01/AWSMechanicalTurkRequester.wsdl",
        "/AWSMechanicalTurk/",
    ] {
        assert_eq!(send(&app, get(missing)).await.0, 404, "{missing}");
    }
}

#[tokio::test]
async fn every_bundled_schema_is_served_as_it_is() {
    let app = app();
    let served: Vec<_> = turkstand_documents::ALL
        .iter()
        .filter(|d| d.kind == turkstand_documents::Kind::DataSchema)
        .collect();
    assert_eq!(served.len(), 6);
    for doc in served {
        let name = doc.served_as.expect("data schemas are served");
        let (status, content_type, body) = send(&app, get(&format!("/xsd/{name}"))).await;
        assert_eq!((status, content_type.as_str()), (200, XML), "{name}");
        assert_eq!(body, doc.text, "{name}");
    }
    let no_schema = plain(404, "No such schema.\n");
    for uri in [
        "/xsd/",
        "/xsd/Nope.xsd",
        "/xsd/QuestionForm.xsd/",
        "/xsd/a/QuestionForm.xsd",
    ] {
        assert_eq!(send(&app, get(uri)).await, no_schema, "{uri}");
    }
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_everywhere() {
    let app = app();
    let message = format!("The request body is larger than the limit of {LIMIT} bytes.");
    let big = "x".repeat(LIMIT + 1);
    for uri in ["/", "/onca/soap", "/_turkstand/reset", "/_turkstand/nope"] {
        let (status, content_type, body) = send(&app, request("POST", uri, &[], &big)).await;
        assert_eq!(status, 413, "{uri}");
        assert_legacy_refusal(uri, &content_type, &body, &message);
    }
    // A declared length is refused before the body is read.
    let declared = [("content-length", "999999")];
    assert_eq!(
        send(&app, request("GET", "/_turkstand/health", &declared, "")).await,
        admin_error(413, "AWS.MechanicalTurk.InvalidParameterValue", &message)
    );
}

/// `body` is the refusal `message` in the form a caller of `uri` reads: a SOAP Fault, a REST
/// `Response/Errors`, or the admin API's JSON error.
fn assert_legacy_refusal(uri: &str, content_type: &str, body: &str, message: &str) {
    let code = "AWS.MechanicalTurk.InvalidParameterValue";
    if uri.starts_with("/_turkstand") {
        assert_eq!(content_type, "application/json", "{uri}");
        let v: serde_json::Value = serde_json::from_str(body).expect("JSON");
        assert_eq!(v["error"]["code"], code, "{uri}");
        assert_eq!(v["error"]["message"], message, "{uri}");
        return;
    }
    assert_eq!(content_type, XML, "{uri}");
    let root = crate::xml::parse(body.as_bytes(), &ParseLimits::default()).expect(body);
    if uri.starts_with("/onca/soap") {
        assert_eq!(root.name, "Envelope", "{body}");
        assert!(
            body.contains("<faultcode>soapenv:Client</faultcode>"),
            "{body}"
        );
        assert!(
            body.contains(&format!("<faultstring>{message}</faultstring>")),
            "{body}"
        );
    } else {
        assert_eq!(root.name, "Response", "{body}");
        assert!(is_rest_reply(body), "{body}");
    }
    let error = body;
    assert!(error.contains(&format!("<Code>{code}</Code>")), "{body}");
    // REST messages end with the legacy request stamp, " (digits)".
    assert!(
        error.contains(&format!("<Message>{message}</Message>"))
            || error.contains(&format!("<Message>{message} (")),
        "{body}"
    );
}

fn admin_error(status: u16, code: &str, message: &str) -> (u16, String, String) {
    let body = serde_json::json!({"error": {"code": code, "message": message}});
    (status, "application/json".to_string(), body.to_string())
}

#[tokio::test]
async fn admin_answers_are_json_with_sorted_keys() {
    let app = app();
    let ok = |body: &str| (200, "application/json".to_string(), body.to_string());
    assert_eq!(
        send(&app, get("/_turkstand/health")).await,
        ok(r#"{"status":"ok"}"#)
    );
    // Trailing slashes have always been forgiven.
    assert_eq!(
        send(&app, get("/_turkstand/clock//")).await,
        ok(r#"{"mode":"manual","now":"2026-01-01T00:00:00Z"}"#)
    );
    let advance = request(
        "POST",
        "/_turkstand/clock/advance",
        &[],
        r#"{"seconds": 61}"#,
    );
    assert_eq!(
        send(&app, advance).await,
        ok(r#"{"mode":"manual","now":"2026-01-01T00:01:01Z"}"#)
    );
    let balance = request(
        "POST",
        &format!("/_turkstand/accounts/{KEY}/balance"),
        &[],
        r#"{"AvailableBalance": 2.5}"#,
    );
    assert_eq!(
        send(&app, balance).await,
        ok(r#"{"AvailableBalance":"2.50"}"#)
    );
    assert_eq!(send(&app, get("/_turkstand/notifications")).await, ok("[]"));
}

#[tokio::test]
async fn admin_refuses_bad_json() {
    let app = app();
    let accept = request(
        "POST",
        "/_turkstand/workers/AW1/accept",
        &[],
        "{\"HITId\": 7",
    );
    let (status, content_type, body) = send(&app, accept).await;
    assert_eq!((status, content_type.as_str()), (400, "application/json"));
    let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(
        v["error"]["code"],
        "AWS.MechanicalTurk.InvalidParameterValue"
    );
    let message = v["error"]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("Invalid JSON body: "), "{body}");

    let layout = request(
        "POST",
        "/_turkstand/hit-layouts",
        &[],
        r#"{"HTMLContent": 1}"#,
    );
    assert_eq!(
        send(&app, layout).await,
        admin_error(
            400,
            "AWS.MechanicalTurk.InvalidParameterValue",
            "HTMLContent (a string) is required."
        )
    );
    let clock = request("POST", "/_turkstand/clock/set", &[], r#"{"now": "soon"}"#);
    assert_eq!(
        send(&app, clock).await,
        admin_error(
            400,
            "AWS.MechanicalTurk.InvalidParameterValue",
            "\"soon\" is not an xs:dateTime"
        )
    );
}

#[tokio::test]
async fn admin_refuses_unknown_workers_assignments_and_hits() {
    let app = app();
    let accept = |worker: &str| {
        let uri = format!("/_turkstand/workers/{worker}/accept");
        request("POST", &uri, &[], r#"{"HITId": "NOHIT"}"#)
    };
    assert_eq!(
        send(&app, accept("AW1")).await,
        admin_error(
            404,
            "AWS.MechanicalTurk.HITDoesNotExist",
            "Hit NOHIT does not exist."
        )
    );
    for worker in ["bad!", ""] {
        let message = format!("WorkerId {worker:?} is invalid.");
        assert_eq!(
            send(&app, accept(worker)).await,
            admin_error(409, "AWS.MechanicalTurk.InvalidParameterValue", &message)
        );
    }
    let submit = request(
        "POST",
        "/_turkstand/assignments/NOPE/submit",
        &[],
        r#"{"answers": {"q1": "x"}}"#,
    );
    let returned = request("POST", "/_turkstand/assignments/NOPE/return", &[], "");
    for req in [submit, returned] {
        assert_eq!(
            send(&app, req).await,
            admin_error(
                404,
                "AWS.MechanicalTurk.AssignmentDoesNotExist",
                "Assignment NOPE does not exist."
            )
        );
    }
    let file = send(&app, get("/_turkstand/files/NOTOKEN")).await;
    assert_eq!(file, plain(404, "There is no file at this URL.\n"));
}

#[tokio::test]
async fn every_admin_route_is_routed() {
    let app = app();
    for (method, path) in admin::api::route::ALL {
        let uri = path.replace('{', "X").replace('}', "");
        let (_, content_type, body) = send(&app, request(method.as_str(), &uri, &[], "{}")).await;
        assert_eq!(content_type, "application/json", "{method} {uri}");
        assert!(
            !body.contains("no admin endpoint"),
            "{method} {uri}: {body}"
        );
    }
}

#[tokio::test]
async fn admin_refuses_unknown_endpoints_and_wrong_methods_alike() {
    let app = app();
    for (method, uri, named) in [
        ("GET", "/_turkstand/reset", "GET /_turkstand/reset"),
        ("POST", "/_turkstand/health", "POST /_turkstand/health"),
        (
            "DELETE",
            "/_turkstand/workers/AW1",
            "DELETE /_turkstand/workers/AW1",
        ),
        ("GET", "/_turkstand/nope/", "GET /_turkstand/nope/"),
        ("GET", "/_turkstand/", "GET /_turkstand/"),
        ("GET", "/_turkstand/files", "GET /_turkstand/files"),
        ("POST", "/_turkstand/files/T1", "POST /_turkstand/files/T1"),
    ] {
        let message = format!("There is no admin endpoint {named}.");
        assert_eq!(
            send(&app, request(method, uri, &[], "")).await,
            admin_error(404, "NotFound", &message),
            "{method} {uri}"
        );
    }
    // What GET routes would answer; the body goes, as for every HEAD.
    let head = send(&app, request("HEAD", "/_turkstand/health", &[], "")).await;
    assert_eq!(head, (404, "application/json".into(), String::new()));
}

#[tokio::test]
async fn a_browser_at_the_root_gets_the_landing_page_and_clients_what_they_always_got() {
    let app = app();
    let html = [("accept", "text/html,application/xhtml+xml")];
    let (status, content_type, body) = send(&app, request("GET", "/", &html, "")).await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/html; charset=utf-8")
    );
    assert!(body.contains(KEY) && body.contains("/?wsdl"), "{body}");
    let (_, content_type, _) = send(&app, get("/")).await;
    assert_eq!(content_type, XML);
    let uri = format!("/?{NO_SUCH_OPERATION}");
    let (_, content_type, body) = send(&app, request("GET", &uri, &html, "")).await;
    assert_eq!(content_type, XML);
    assert!(is_rest_reply(&body), "{body}");
    let (status, content_type, _) = send(&app, get("/mturk/signin")).await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/html; charset=utf-8")
    );
}

#[tokio::test]
async fn task_pages_of_any_origin_reach_external_submit_but_no_other_page() {
    let app = app();
    let form = [("content-type", "application/x-www-form-urlencoded")];
    for origin in ["http://127.0.0.1:9999", "null"] {
        let headers = [form[0], ("host", "127.0.0.1:8080"), ("origin", origin)];
        let (status, _, body) = send(
            &app,
            request(
                "POST",
                "/mturk/externalSubmit",
                &headers,
                "assignmentId=NOSUCH&a=1",
            ),
        )
        .await;
        // Past the guard, refused by the handler as an unknown assignment.
        assert_eq!(status, 404, "{origin}: {body}");
        assert!(
            body.contains("AWS.MechanicalTurk.AssignmentDoesNotExist"),
            "{body}"
        );
        let (status, _, body) = send(
            &app,
            request("POST", "/mturk/signin", &headers, "workerId=AW1"),
        )
        .await;
        assert_eq!(status, 403, "{origin}: {body}");
        assert!(body.contains("another origin"), "{body}");
    }
}
mod faults;
