//! Hostile input driven through the router in process: floods the parser must refuse before
//! doing quadratic work, characters XML cannot carry, cross-site admin requests, and a
//! property test that every answer is well-formed XML whatever bytes went in.

use rand::rngs::StdRng;
use rand::SeedableRng;

use super::*;
use crate::auth::{legacy_signature, SERVICE};

const SECRET: &str = "secret";
const NS: &str = "http://requester.mturk.amazonaws.com/doc/2014-08-15";
const QUESTION: &str = "<QuestionForm xmlns=\"http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd\"><Question><QuestionIdentifier>q1</QuestionIdentifier><QuestionContent><Text>Sky?</Text></QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>";

fn timestamp() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A signed SOAP call of `op` whose `Request` holds `inner` (already XML).
pub(super) fn soap_body(op: &str, inner: &str) -> String {
    let ts = timestamp();
    let sig = legacy_signature(SECRET, SERVICE, op, &ts);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><{op} xmlns=\"{NS}\"><AWSAccessKeyId>{KEY}</AWSAccessKeyId><Timestamp>{ts}</Timestamp><Signature>{sig}</Signature><Request>{inner}</Request></{op}></soapenv:Body></soapenv:Envelope>"
    )
}

/// A signed REST form of `op` followed by `extra`, which is already encoded.
pub(super) fn rest_form(op: &str, extra: &str) -> String {
    let ts = timestamp();
    let sig = legacy_signature(SECRET, SERVICE, op, &ts);
    let signed: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("Service", SERVICE)
        .append_pair("Operation", op)
        .append_pair("AWSAccessKeyId", KEY)
        .append_pair("Timestamp", &ts)
        .append_pair("Signature", &sig)
        .finish();
    format!("{signed}&{extra}")
}

fn escaped(s: &str) -> String {
    let mut out = String::new();
    crate::xml::escape_text_into(&mut out, s);
    out
}

pub(super) fn create_hit_inner(title: &str, question: &str) -> String {
    format!(
        "<Title>{title}</Title><Description>d</Description><Reward><Amount>0.05</Amount><CurrencyCode>USD</CurrencyCode></Reward><AssignmentDurationInSeconds>600</AssignmentDurationInSeconds><LifetimeInSeconds>3600</LifetimeInSeconds><Question>{}</Question>",
        escaped(question)
    )
}

pub(super) fn create_hit_form(title: &str, question: &str) -> String {
    let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    rest_form(
        "CreateHIT",
        &format!(
            "Title={title}&Description=d&Reward.1.Amount=0.05&Reward.1.CurrencyCode=USD&AssignmentDurationInSeconds=600&LifetimeInSeconds=3600&Question={}",
            encode(question)
        ),
    )
}

fn soap_post(body: &str) -> Request<Body> {
    request("POST", "/onca/soap", &[("content-type", "text/xml")], body)
}

fn rest_post(form: &str) -> Request<Body> {
    request(
        "POST",
        "/",
        &[("content-type", "application/x-www-form-urlencoded")],
        form,
    )
}

/// Every HIT the test account can see: the count, from a SearchHITs answer that must parse.
async fn hit_count(app: &Router) -> usize {
    let (status, _, body) = send(app, rest_post(&rest_form("SearchHITs", "PageSize=100"))).await;
    assert_eq!(status, 200, "{body}");
    assert_well_formed(&body);
    let total = body
        .split("<TotalNumResults>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .and_then(|n| n.parse().ok());
    total.unwrap_or_else(|| panic!("no TotalNumResults in {body}"))
}

fn assert_well_formed(body: &str) {
    if let Err(e) = crate::xml::parse(body.as_bytes(), &ParseLimits::default()) {
        panic!("not well-formed ({e}): {body}");
    }
}

#[tokio::test]
async fn attribute_and_namespace_floods_are_refused_with_the_parse_fault() {
    let app = app();
    let attributes: String = (0..80_000).map(|i| format!(" a{i}=\"\"")).collect();
    let namespaces: String = (0..40_000)
        .map(|i| format!(" xmlns:p{i}=\"urn:{i}\""))
        .collect();
    for (flood, says) in [
        (attributes, "more than 256 attributes"),
        (namespaces, "more than 256 namespace declarations"),
    ] {
        let body = format!(
            "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><GetAccountBalance xmlns=\"{NS}\"{flood}/></soapenv:Body></soapenv:Envelope>"
        );
        let app = with_body_limit(&app, body.len());
        let (status, content_type, answer) = send(&app, soap_post(&body)).await;
        assert_eq!((status, content_type.as_str()), (400, XML), "{answer}");
        assert!(answer.contains("<soapenv:Fault>"), "{answer}");
        assert!(
            answer.contains("AWS.MechanicalTurk.XMLParseError"),
            "{answer}"
        );
        assert!(answer.contains(says), "{answer}");
    }
}

/// The router of [`app`] with a body limit of at least `n` bytes (a flood is bigger than
/// [`LIMIT`]).
fn with_body_limit(_: &Router, n: usize) -> Router {
    app_with(|app| app.max_body_bytes = n.max(LIMIT))
}

#[tokio::test]
async fn characters_xml_cannot_carry_are_refused_and_never_stored() {
    let app = app();
    let soap_cases = [
        "raw \u{FFFE}".to_string(),
        "raw \u{FFFF}".to_string(),
        "&#xFFFE;".to_string(),
        "&#xFFFF;".to_string(),
        "&#x1;".to_string(),
        "&#0;".to_string(),
        "raw \u{1}".to_string(),
    ];
    for title in &soap_cases {
        let body = soap_body("CreateHIT", &create_hit_inner(title, QUESTION));
        let (status, _, answer) = send(&app, soap_post(&body)).await;
        assert_eq!(status, 400, "{title:?}: {answer}");
        assert!(
            answer.contains("AWS.MechanicalTurk.XMLParseError"),
            "{answer}"
        );
        assert_well_formed(&answer);
    }
    // Inside the embedded Question: escaped once for the envelope, so the SOAP reader takes it
    // and the question's own reader must refuse it.
    let question = QUESTION.replace("Sky?", "Sky&#xFFFE;?");
    let body = soap_body("CreateHIT", &create_hit_inner("t", &question));
    let (status, _, answer) = send(&app, soap_post(&body)).await;
    assert!(
        answer.contains("<IsValid>False</IsValid>"),
        "{status} {answer}"
    );
    assert_well_formed(&answer);

    for title in ["a%00b", "%EF%BF%BE", "%EF%BF%BF", "%FF", "%0B", "a%1Fb"] {
        let (status, _, answer) = send(&app, rest_post(&create_hit_form(title, QUESTION))).await;
        assert_eq!(status, 400, "{title}: {answer}");
        assert!(is_rest_reply(&answer), "{answer}");
        assert!(
            answer.contains("AWS.MechanicalTurk.InvalidParameterValue"),
            "{answer}"
        );
        assert_well_formed(&answer);
    }
    let (_, _, answer) = send(&app, rest_post(&create_hit_form("t", &question))).await;
    assert!(answer.contains("<IsValid>False</IsValid>"), "{answer}");
    let by_get = format!("/?{}", create_hit_form("%EF%BF%BE", QUESTION));
    assert_eq!(send(&app, get(&by_get)).await.0, 400);
    assert_eq!(hit_count(&app).await, 0, "a refused HIT was stored");

    // The admin API's answers end up in GetAssignment: the same characters are refused there.
    let (_, _, created) = send(&app, rest_post(&create_hit_form("ok", QUESTION))).await;
    let hit = created
        .split("<HITId>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or_else(|| panic!("no HITId in {created}"))
        .to_string();
    let accept = request(
        "POST",
        "/_turkstand/workers/AWORKER1/accept",
        &[],
        &format!("{{\"HITId\": \"{hit}\"}}"),
    );
    let (status, _, accepted) = send(&app, accept).await;
    assert_eq!(status, 200, "{accepted}");
    let v: serde_json::Value = serde_json::from_str(&accepted).expect("JSON");
    let assignment = v["AssignmentId"]
        .as_str()
        .expect("AssignmentId")
        .to_string();
    let submit = |answers: &str| {
        request(
            "POST",
            &format!("/_turkstand/assignments/{assignment}/submit"),
            &[],
            &format!("{{\"answers\": {{\"q1\": {answers}}}}}"),
        )
    };
    for bad in [r#""\u0001""#, r#""\uFFFE""#, r#""\uffff""#] {
        let (status, _, refused) = send(&app, submit(bad)).await;
        assert_eq!(status, 400, "{bad}: {refused}");
        assert!(refused.contains("XML 1.0 does not allow"), "{refused}");
    }
    let worker = request("GET", "/_turkstand/workers/AW%01/hits", &[], "");
    assert_eq!(send(&app, worker).await.0, 400);
    let (status, _, done) = send(&app, submit(r#""blue""#)).await;
    assert_eq!(status, 200, "the refused answers were kept: {done}");
}

#[tokio::test]
async fn cross_site_admin_writes_are_refused_and_change_nothing() {
    let app = app();
    let balance = format!("/_turkstand/accounts/{KEY}/balance");
    let attacks = [
        // What a page can send without a preflight: text/plain, with its own Origin and Host.
        vec![
            ("content-type", "text/plain"),
            ("origin", "http://evil.example"),
            ("host", "evil.example"),
        ],
        vec![("content-type", "text/plain"), ("host", "127.0.0.1:8080")],
        vec![
            ("content-type", "application/json"),
            ("origin", "http://evil.example"),
            ("host", "127.0.0.1:8080"),
        ],
        // A DNS name rebound to loopback.
        vec![
            ("content-type", "application/json"),
            ("host", "evil.example:8080"),
        ],
        vec![
            ("content-type", "application/json"),
            ("host", "127.0.0.1:8080"),
            ("sec-fetch-site", "cross-site"),
        ],
    ];
    let (_, _, hit) = send(&app, rest_post(&create_hit_form("kept", QUESTION))).await;
    assert!(hit.contains("<IsValid>True</IsValid>"), "{hit}");
    for headers in &attacks {
        for (uri, body) in [
            ("/_turkstand/reset", ""),
            (balance.as_str(), r#"{"AvailableBalance": "0.00"}"#),
        ] {
            let r = app
                .clone()
                .oneshot(request("POST", uri, headers, body))
                .await
                .expect("infallible");
            assert!(
                [403, 415].contains(&r.status().as_u16()),
                "{uri} {headers:?}: {}",
                r.status()
            );
            assert!(
                !r.headers()
                    .keys()
                    .any(|k| k.as_str().starts_with("access-control-")),
                "{uri}: CORS headers in {:?}",
                r.headers()
            );
        }
    }
    assert_eq!(hit_count(&app).await, 1, "reset went through");
    let (_, _, balance) = send(&app, rest_post(&rest_form("GetAccountBalance", ""))).await;
    assert!(balance.contains("<Amount>10.00</Amount>"), "{balance}");
    // A preflight gets nothing that would let the page go on.
    let preflight = request(
        "OPTIONS",
        "/_turkstand/reset",
        &[
            ("origin", "http://evil.example"),
            ("access-control-request-method", "POST"),
        ],
        "",
    );
    let r = app.clone().oneshot(preflight).await.expect("infallible");
    assert!(r.status().is_client_error());
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn a_token_is_needed_when_set_and_the_service_api_does_not_ask_for_it() {
    let app = app_with(|app| {
        app.access = Access {
            token: Some("t0ken".into()),
        }
    });
    let far = ("host", "203.0.113.9:8080");
    let (status, content_type, body) =
        send(&app, request("GET", "/_turkstand/clock", &[far], "")).await;
    assert_eq!(
        (status, content_type.as_str()),
        (401, "application/json"),
        "{body}"
    );
    assert!(body.contains("NotAuthorized"), "{body}");
    for carried in [
        ("x-turkstand-token", "t0ken"),
        ("cookie", "turkstand_token=t0ken"),
        ("authorization", "Bearer t0ken"),
    ] {
        let (status, _, body) = send(
            &app,
            request("GET", "/_turkstand/clock", &[far, carried], ""),
        )
        .await;
        assert_eq!(status, 200, "{carried:?}: {body}");
    }
    let reset = request(
        "POST",
        "/_turkstand/reset",
        &[far, ("content-type", "application/json")],
        "",
    );
    assert_eq!(send(&app, reset).await.0, 401);
    let (status, _, body) = send(&app, rest_post(&rest_form("GetAccountBalance", ""))).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
}

#[tokio::test]
async fn oversized_uris_and_headers_are_refused_in_the_legacy_form() {
    let app = app_with(|app| {
        app.connections.max_uri_bytes = 1024;
        app.connections.max_header_bytes = 2048;
    });
    let long = format!("/?{}", rest_form("GetAccountBalance", &"x".repeat(1100)));
    let (status, content_type, body) = send(&app, get(&long)).await;
    assert_eq!(status, 414);
    assert_legacy_refusal(
        "/",
        &content_type,
        &body,
        "The request URI is longer than the limit of 1024 bytes.",
    );
    let big = "y".repeat(2100);
    let soap = request("POST", "/onca/soap", &[("x-big", &big)], "<x/>");
    let (status, content_type, body) = send(&app, soap).await;
    assert_eq!(status, 431);
    let message = "The request headers are larger than the limit of 2048 bytes.";
    assert_legacy_refusal("/onca/soap", &content_type, &body, message);
    let admin = request("GET", "/_turkstand/clock", &[("x-big", &big)], "");
    let (status, content_type, body) = send(&app, admin).await;
    assert_eq!(status, 431);
    assert_legacy_refusal("/_turkstand/clock", &content_type, &body, message);
}

/// A SOAP envelope or a REST form, posted as such.
fn posted(is_soap: bool, body: Vec<u8>) -> Request<Body> {
    let (uri, content_type) = if is_soap {
        ("/onca/soap", "text/xml")
    } else {
        ("/", "application/x-www-form-urlencoded")
    };
    Request::builder()
        .method("POST")
        .uri(uri)
        .header("content-type", content_type)
        .body(Body::from(body))
        .expect("request")
}

#[tokio::test]
async fn every_answer_is_well_formed_whatever_bytes_went_in() {
    let app = app();
    let seeds: Vec<(bool, Vec<u8>)> = vec![
        (
            true,
            soap_body("CreateHIT", &create_hit_inner("sky", QUESTION)).into_bytes(),
        ),
        (
            true,
            soap_body("SearchHITs", "<PageSize>100</PageSize>").into_bytes(),
        ),
        (true, soap_body("GetAccountBalance", "").into_bytes()),
        (false, create_hit_form("sky", QUESTION).into_bytes()),
        (false, rest_form("SearchHITs", "PageSize=100").into_bytes()),
        (
            false,
            rest_form("NotifyWorkers", "Subject=s&MessageText=m&WorkerId=AW1").into_bytes(),
        ),
    ];
    // Each seed once as it is, so that there are HITs for the last search to answer with
    // whatever mutated ones are stored beside them.
    for (is_soap, seed) in &seeds {
        let (status, _, answer) = send(&app, posted(*is_soap, seed.clone())).await;
        assert!(
            status == 200 && answer.contains("<IsValid>True</IsValid>"),
            "{answer}"
        );
    }
    let mut rng = StdRng::seed_from_u64(12);
    let cases = 600;
    for case in 0..cases {
        let (is_soap, seed) = &seeds[case % seeds.len()];
        let body = crate::fuzzing::mutate(&mut rng, seed);
        let (status, answer_type, answer) = send(&app, posted(*is_soap, body.clone())).await;
        assert!(
            status < 500,
            "case {case}: {status} for {:?}",
            String::from_utf8_lossy(&body)
        );
        assert_eq!(answer_type, XML, "case {case}");
        if let Err(e) = crate::xml::parse(answer.as_bytes(), &ParseLimits::default()) {
            panic!(
                "case {case}: answer not well-formed ({e}) for {:?}: {answer}",
                String::from_utf8_lossy(&body)
            );
        }
    }
    // Whatever was stored along the way is still answered well-formed.
    assert!(hit_count(&app).await >= 2);
    let (_, _, all) = send(
        &app,
        soap_post(&soap_body("SearchHITs", "<PageSize>100</PageSize><ResponseGroup>Request</ResponseGroup><ResponseGroup>HITDetail</ResponseGroup><ResponseGroup>HITQuestion</ResponseGroup>")),
    )
    .await;
    assert_well_formed(&all);
}
