//! The pages driven in process, without a socket or a browser.

use std::sync::Arc;

use axum::body::Body;
use axum::Router;
use hyper::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use hyper::Request;
use tower::ServiceExt;

use super::*;
use crate::handlers::test_support::{self, REQUESTER};
use crate::handlers::worker as workers;

const EXTERNAL: &str = r#"<ExternalQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/ExternalQuestion.xsd"><ExternalURL>http://127.0.0.1:9/task?x=1</ExternalURL><FrameHeight>400</FrameHeight></ExternalQuestion>"#;

struct Fixture {
    svc: Arc<Service>,
    app: Router,
    hit: String,
}

fn fixture() -> Fixture {
    let svc = Arc::new(test_support::service(test_support::at(
        "2026-01-01T00:00:00Z",
    )));
    let hit = test_support::create_hit(&svc, |r| r.question = Some(EXTERNAL.into()))
        .expect("create HIT")
        .hit_id
        .expect("HITId");
    let web = routes(svc.clone(), 64 * 1024, std::time::Duration::from_secs(30));
    let app = web.pages.merge(web.task_submissions);
    Fixture { svc, app, hit }
}

struct Answer {
    status: u16,
    headers: hyper::HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: hyper::header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn cookies(&self) -> Vec<&str> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    }
}

async fn send(app: &Router, method: &str, uri: &str, cookies: &str, form: &str) -> Answer {
    let mut b = Request::builder().method(method).uri(uri);
    if !cookies.is_empty() {
        b = b.header(COOKIE, cookies);
    }
    if !form.is_empty() {
        b = b.header(CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let req = b.body(Body::from(form.to_string())).expect("request");
    let r = app.clone().oneshot(req).await.expect("infallible");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .expect("body");
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

async fn get(app: &Router, uri: &str, cookies: &str) -> Answer {
    send(app, "GET", uri, cookies, "").await
}

async fn post(app: &Router, uri: &str, cookies: &str, form: &str) -> Answer {
    send(app, "POST", uri, cookies, form).await
}

const TOKEN: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123";

fn signed_in(worker: &str) -> String {
    format!(
        "{}={TOKEN}; {WORKER_COOKIE}={worker}; {REQUESTER_COOKIE}={REQUESTER}",
        csrf::COOKIE
    )
}

#[tokio::test]
async fn pages_are_html_with_their_policy_and_a_csrf_cookie() {
    let f = fixture();
    for path in ["/mturk/signin", "/requester/signin"] {
        let a = get(&f.app, path, "").await;
        assert_eq!(a.status, 200, "{path}");
        assert_eq!(a.header(CONTENT_TYPE), "text/html; charset=utf-8");
        assert!(
            a.body.starts_with("<!DOCTYPE html><html lang=\"en\">"),
            "{}",
            a.body
        );
        assert!(a
            .header("content-security-policy".parse().unwrap())
            .contains("default-src 'none'"));
        assert!(a
            .cookies()
            .iter()
            .any(|c| c.starts_with("turkstand_csrf=") && c.contains("HttpOnly")));
    }
    let a = get(&f.app, "/mturk/site.css", "").await;
    assert_eq!(a.header(CONTENT_TYPE), "text/css; charset=utf-8");
    // Pages for a signed-in worker need one.
    let a = get(&f.app, "/mturk/findhits", "").await;
    assert_eq!((a.status, a.header(LOCATION)), (303, "/mturk/signin"));
    let a = get(&f.app, "/mturk/findhits", &signed_in("AW1")).await;
    assert_eq!(a.status, 200);
    assert!(a.body.contains("/mturk/preview?groupId="), "{}", a.body);
}

#[tokio::test]
async fn a_post_without_the_visits_csrf_token_does_nothing() {
    let f = fixture();
    let cookie = format!("{}={TOKEN}", csrf::COOKIE);
    for (cookies, form) in [
        ("", "workerId=AW1".to_string()),
        (cookie.as_str(), "workerId=AW1".to_string()),
        (
            cookie.as_str(),
            format!("workerId=AW1&csrf={}", &TOKEN[1..]),
        ),
        ("", format!("workerId=AW1&csrf={TOKEN}")),
    ] {
        let a = post(&f.app, "/mturk/signin", cookies, &form).await;
        assert_eq!(a.status, 403, "{cookies} {form}");
        assert!(a.body.contains("CSRF"), "{}", a.body);
        assert!(!a.cookies().iter().any(|c| c.starts_with(WORKER_COOKIE)));
    }
    let a = post(
        &f.app,
        "/mturk/signin",
        &cookie,
        &format!("workerId=AW1&csrf={TOKEN}"),
    )
    .await;
    assert_eq!((a.status, a.header(LOCATION)), (303, "/mturk/findhits"));
    assert!(a
        .cookies()
        .iter()
        .any(|c| c.starts_with("turkstand_worker=AW1;")));
    // An accept without the token takes no slot.
    let a = post(
        &f.app,
        "/mturk/accept",
        &format!("{WORKER_COOKIE}=AW1"),
        &format!("hitId={}", f.hit),
    )
    .await;
    assert_eq!(a.status, 403);
    assert!(workers::worker_assignments(&f.svc, "AW1")
        .unwrap()
        .is_empty());
    // Nor does a console action.
    let a = post(
        &f.app,
        "/requester/expire",
        &format!("{REQUESTER_COOKIE}={REQUESTER}"),
        &format!("hitId={}", f.hit),
    )
    .await;
    assert_eq!(a.status, 403);
}

#[tokio::test]
async fn the_task_frame_gets_the_legacy_query() {
    let f = fixture();
    let a = get(
        &f.app,
        &format!("/mturk/preview?hitId={}", f.hit),
        &signed_in("AW1"),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.contains(&format!(
        "src=\"http://127.0.0.1:9/task?x=1&amp;assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE&amp;hitId={}\"",
        f.hit
    )), "{}", a.body);
    let a = post(
        &f.app,
        "/mturk/accept",
        &signed_in("AW1"),
        &format!("hitId={}&csrf={TOKEN}", f.hit),
    )
    .await;
    assert_eq!(
        (a.status, a.header(LOCATION)),
        (303, format!("/mturk/continue?hitId={}", f.hit).as_str())
    );
    let id = workers::worker_assignments(&f.svc, "AW1").unwrap()[0]
        .assignment_id
        .clone();
    let a = get(
        &f.app,
        &format!("/mturk/continue?hitId={}", f.hit),
        &signed_in("AW1"),
    )
    .await;
    assert!(
        a.body.contains(&format!(
        "assignmentId={id}&amp;hitId={}&amp;turkSubmitTo=http%3A%2F%2F127.0.0.1&amp;workerId=AW1\"",
        f.hit
    )),
        "{}",
        a.body
    );
}

#[tokio::test]
async fn external_submit_records_fields_and_refuses_what_it_must() {
    let f = fixture();
    let mine = workers::accept(&f.svc, "AW1", &f.hit).unwrap();
    let theirs = workers::accept(&f.svc, "AW2", &f.hit).unwrap();
    let hostile = "%3Cscript%3Ealert(1)%3C%2Fscript%3E%26";
    for (cookies, form, status) in [
        (
            signed_in("AW1"),
            "assignmentId=NOSUCHASSIGNMENT&a=1".to_string(),
            404,
        ),
        (signed_in("AW1"), format!("assignmentId={theirs}&a=1"), 404),
        (
            String::new(),
            "assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE&a=1".to_string(),
            400,
        ),
    ] {
        let a = post(&f.app, "/mturk/externalSubmit", &cookies, &form).await;
        assert_eq!(a.status, status, "{form}: {}", a.body);
        assert!(a.body.contains("AWS."), "{}", a.body);
    }
    assert!(workers::own_assignment(&f.svc, "AW2", &theirs)
        .unwrap()
        .answer
        .is_none());
    let form = format!("assignmentId={mine}&colour={hostile}&note=x");
    let a = post(&f.app, "/mturk/externalSubmit", &signed_in("AW1"), &form).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.cookies().is_empty(), "a frame's answer sets no cookie");
    let a = post(&f.app, "/mturk/externalSubmit", &signed_in("AW1"), &form).await;
    assert_eq!(a.status, 409, "already submitted: {}", a.body);
    assert!(a.body.contains("AWS.MechanicalTurk.InvalidAssignmentState"));
    let answer = workers::own_assignment(&f.svc, "AW1", &mine)
        .unwrap()
        .answer
        .unwrap();
    let parsed = crate::handlers::questions::validate_answers(&answer).unwrap();
    let free: Vec<_> = parsed
        .answer
        .iter()
        .map(|a| (a.question_identifier.as_str(), a.free_text.as_deref()))
        .collect();
    assert_eq!(
        free,
        [
            ("colour", Some("<script>alert(1)</script>&")),
            ("note", Some("x"))
        ]
    );
    // The console shows the answer as text, never as markup.
    let a = get(
        &f.app,
        &format!("/requester/hit?hitId={}", f.hit),
        &signed_in("AW1"),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        a.body
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;"),
        "{}",
        a.body
    );
    assert!(!a.body.contains("<script>"));
    let csv = get(
        &f.app,
        &format!("/requester/results.csv?hitId={}", f.hit),
        &signed_in("AW1"),
    )
    .await;
    assert_eq!(csv.header(CONTENT_TYPE), "text/csv; charset=utf-8");
    assert!(csv.body.starts_with("HITId,AssignmentId,WorkerId,AssignmentStatus,AcceptTime,SubmitTime,Answer.colour,Answer.note\r\n"), "{}", csv.body);
}

#[tokio::test]
async fn console_actions_answer_with_the_legacy_error() {
    let f = fixture();
    let form = format!("assignmentId=NOSUCHASSIGNMENT&csrf={TOKEN}");
    let a = post(&f.app, "/requester/approve", &signed_in("AW1"), &form).await;
    assert_eq!(a.status, 400, "{}", a.body);
    assert!(
        a.body.contains("AWS.MechanicalTurk.AssignmentDoesNotExist"),
        "{}",
        a.body
    );
    let a = send(
        &f.app,
        "POST",
        "/requester/expire",
        &signed_in("AW1"),
        &format!(
            "hitId={}&csrf={TOKEN}&back=https://elsewhere.example/",
            f.hit
        ),
    )
    .await;
    assert_eq!(
        (a.status, a.header(LOCATION)),
        (303, "/requester/hits"),
        "{}",
        a.body
    );
}

#[test]
fn the_landing_page_is_for_browsers_only() {
    let html = {
        let mut h = hyper::HeaderMap::new();
        h.insert(
            hyper::header::ACCEPT,
            "text/html,application/xhtml+xml".parse().unwrap(),
        );
        h
    };
    assert!(wants_landing(&hyper::Method::GET, &html, ""));
    assert!(!wants_landing(
        &hyper::Method::GET,
        &html,
        "Service=AWSMechanicalTurkRequester&Operation=GetAccountBalance"
    ));
    assert!(!wants_landing(&hyper::Method::POST, &html, ""));
    assert!(!wants_landing(
        &hyper::Method::GET,
        &hyper::HeaderMap::new(),
        ""
    ));
}

#[tokio::test]
async fn a_worker_returns_work_and_sets_its_properties() {
    let f = fixture();
    let me = signed_in("AW1");
    let accept = format!("hitId={}&csrf={TOKEN}", f.hit);
    assert_eq!(
        post(&f.app, "/mturk/accept", &me, &accept).await.status,
        303
    );
    let id = workers::worker_assignments(&f.svc, "AW1").unwrap()[0]
        .assignment_id
        .clone();
    // Another worker's work is not theirs to return.
    let theirs = post(
        &f.app,
        "/mturk/return",
        &signed_in("AW2"),
        &format!("assignmentId={id}&csrf={TOKEN}"),
    )
    .await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);
    let back = post(
        &f.app,
        "/mturk/return",
        &me,
        &format!("assignmentId={id}&csrf={TOKEN}"),
    )
    .await;
    assert_eq!(
        (back.status, back.header(LOCATION)),
        (303, "/mturk/dashboard")
    );
    let a = workers::own_assignment(&f.svc, "AW1", &id).unwrap();
    assert_eq!(a.status, crate::store::AssignmentState::Returned);
    let dashboard = get(&f.app, "/mturk/dashboard", &me).await;
    assert!(dashboard.body.contains("Returned"), "{}", dashboard.body);
    let set = post(
        &f.app,
        "/mturk/dashboard",
        &me,
        &format!("country=us&subdivision=wa&adult=true&csrf={TOKEN}"),
    )
    .await;
    assert_eq!(set.status, 303, "{}", set.body);
    let p = workers::properties(&f.svc, "AW1").unwrap();
    let locale = p.locale.unwrap();
    assert_eq!(
        (locale.country.as_str(), locale.subdivision.as_deref()),
        ("US", Some("WA"))
    );
    assert_eq!(p.adult, Some(true));
    assert_ne!(p.masters, Some(true));
    let bad = post(
        &f.app,
        "/mturk/dashboard",
        &me,
        &format!("country=USA&csrf={TOKEN}"),
    )
    .await;
    assert_eq!(bad.status, 409, "{}", bad.body);
    assert!(
        bad.body
            .contains("AWS.MechanicalTurk.InvalidParameterValue"),
        "{}",
        bad.body
    );
}

#[tokio::test]
async fn the_console_moves_the_manual_clock() {
    let f = fixture();
    let me = signed_in("AW1");
    let before = f.svc.settle_due_changes().unwrap();
    let a = post(
        &f.app,
        "/requester/clock-advance",
        &me,
        &format!("seconds=90&csrf={TOKEN}"),
    )
    .await;
    assert_eq!(
        (a.status, a.header(LOCATION)),
        (303, "/requester/clock"),
        "{}",
        a.body
    );
    assert_eq!(
        f.svc.settle_due_changes().unwrap(),
        before + chrono::Duration::seconds(90)
    );
    let page = get(&f.app, "/requester/clock", &me).await;
    assert!(
        page.body.contains("2026-01-01 00:01:30 UTC"),
        "{}",
        page.body
    );
    let a = post(
        &f.app,
        "/requester/clock-set",
        &me,
        &format!("now=yesterday&csrf={TOKEN}"),
    )
    .await;
    assert_eq!(a.status, 400, "{}", a.body);
    let account = get(&f.app, "/requester/account", &me).await;
    assert!(
        account
            .body
            .contains(r#"<strong id="balance">$10.00</strong>"#),
        "{}",
        account.body
    );
}
