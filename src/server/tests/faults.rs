//! Fault rules and the journal, through the router in process.

use super::*;
use crate::auth::{legacy_signature, SERVICE};
use crate::server::admin::api::{FaultView, JournalPage};
use crate::server::exchange::CloseWithoutAnswer;

/// A signed REST call of `op` with `extra` parameters.
fn rest(op: &str, extra: &str) -> Request<Body> {
    let ts = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let sig = legacy_signature("secret", SERVICE, op, &ts);
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("Service", SERVICE)
        .append_pair("Operation", op)
        .append_pair("Version", "2014-08-15")
        .append_pair("AWSAccessKeyId", KEY)
        .append_pair("Timestamp", &ts)
        .append_pair("Signature", &sig);
    let body = format!("{}{extra}", form.finish());
    request(
        "POST",
        "/",
        &[("content-type", "application/x-www-form-urlencoded")],
        &body,
    )
}

fn add_fault(json: &str) -> Request<Body> {
    request(
        "POST",
        "/_turkstand/faults",
        &[("content-type", "application/json")],
        json,
    )
}

async fn journal(app: &Router, query: &str) -> JournalPage {
    let (status, _, body) = send(app, get(&format!("/_turkstand/journal?{query}"))).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("a journal page")
}

/// Whether the response asks its connection to close without an answer.
async fn unanswered(app: &Router, req: Request<Body>) -> bool {
    let r = app.clone().oneshot(req).await.expect("infallible");
    r.extensions().get::<CloseWithoutAnswer>().is_some()
}

#[tokio::test]
async fn a_throttle_for_the_next_two_calls_then_the_answer() {
    let app = app();
    let rule = r#"{"match": {"operation": "GetAccountBalance"}, "when": {"next": 2},
                   "effect": {"kind": "throttle"}}"#;
    let (status, _, body) = send(&app, add_fault(rule)).await;
    assert_eq!(status, 200, "{body}");
    let id = serde_json::from_str::<FaultView>(&body).expect("view").id;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let (status, _, body) = send(&app, rest("GetAccountBalance", "")).await;
        if status == 503 {
            assert!(
                body.contains("<Code>AWS.ServiceUnavailable</Code>"),
                "{body}"
            );
        }
        statuses.push(status);
    }
    assert_eq!(statuses, [503, 503, 200]);
    let page = journal(&app, "operation=GetAccountBalance").await;
    let seen: Vec<(Option<u16>, Option<u64>)> = page
        .entries
        .iter()
        .map(|e| (e.status, e.fault.as_ref().map(|f| f.rule)))
        .collect();
    assert_eq!(
        seen,
        [
            (Some(503), Some(id)),
            (Some(503), Some(id)),
            (Some(200), None)
        ]
    );
    assert!(page
        .entries
        .iter()
        .all(|e| e.request.contains("Signature=REDACTED")));
    let (_, _, listed) = send(&app, get("/_turkstand/faults")).await;
    let listed: Vec<FaultView> = serde_json::from_str(&listed).expect("list");
    assert_eq!((listed[0].matched, listed[0].fired), (3, 2));
}

#[tokio::test]
async fn a_lost_answer_commits_and_a_reset_does_not() {
    let app = app();
    let create = "&Title=T&Description=D&Reward.1.Amount=0.10&Reward.1.CurrencyCode=USD\
                  &AssignmentDurationInSeconds=60&LifetimeInSeconds=600\
                  &Question=%3CExternalQuestion%20xmlns%3D%22http%3A%2F%2Fmechanicalturk.amazonaws.com%2FAWSMechanicalTurkDataSchemas%2F2006-07-14%2FExternalQuestion.xsd%22%3E%3CExternalURL%3Ehttps%3A%2F%2Fexample.com%2F%3C%2FExternalURL%3E%3CFrameHeight%3E400%3C%2FFrameHeight%3E%3C%2FExternalQuestion%3E";
    let rule = |kind: &str| {
        format!(
            r#"{{"match": {{"operation": "CreateHIT"}}, "when": {{"next": 1}}, "effect": {{"kind": "{kind}"}}}}"#
        )
    };
    send(&app, add_fault(&rule("reset"))).await;
    assert!(unanswered(&app, rest("CreateHIT", create)).await);
    send(&app, add_fault(&rule("lost_answer"))).await;
    assert!(unanswered(&app, rest("CreateHIT", create)).await);
    let (_, _, found) = send(&app, rest("SearchHITs", "")).await;
    assert!(
        found.contains("<TotalNumResults>1</TotalNumResults>"),
        "{found}"
    );
    let page = journal(&app, "operation=CreateHIT").await;
    let kinds: Vec<(Option<u16>, String, bool)> = page
        .entries
        .iter()
        .map(|e| {
            let effect = e
                .fault
                .as_ref()
                .map(|f| f.effect.clone())
                .unwrap_or_default();
            (
                e.status,
                effect,
                e.response
                    .as_deref()
                    .unwrap_or("")
                    .contains("<IsValid>True"),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (None, "reset".into(), false),
            (None, "lost_answer".into(), true)
        ]
    );
}

#[tokio::test]
async fn reset_clears_the_rules_and_the_journal_keeps_admin_calls() {
    let app = app();
    send(&app, add_fault(r#"{"effect": {"kind": "shutdown"}}"#)).await;
    let (status, _, body) = send(&app, rest("GetAccountBalance", "")).await;
    assert_eq!(status, 403);
    assert!(body.contains("<Code>Forbidden</Code>"), "{body}");
    let (status, _, _) = send(&app, request("POST", "/_turkstand/reset", &[], "")).await;
    assert_eq!(status, 200);
    let (_, _, listed) = send(&app, get("/_turkstand/faults")).await;
    assert_eq!(listed, "[]");
    let (status, _, _) = send(&app, rest("GetAccountBalance", "")).await;
    assert_eq!(status, 200);
    // Reading the journal is not journaled; everything else is.
    journal(&app, "").await;
    let page = journal(&app, "").await;
    let ops: Vec<&str> = page
        .entries
        .iter()
        .filter_map(|e| e.operation.as_deref())
        .collect();
    assert_eq!(
        ops,
        [
            "AddFault",
            "GetAccountBalance",
            "Reset",
            "ListFaults",
            "GetAccountBalance"
        ]
    );
    assert_eq!(journal(&app, "status=403").await.entries.len(), 1);
    let (status, _, body) = send(&app, get("/_turkstand/journal?colour=red")).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn admin_and_worker_routes_can_be_faulted_but_not_the_fault_routes() {
    let app = app();
    let rule = r#"{"match": {"scope": "worker"}, "effect": {"kind": "throttle"}}"#;
    send(&app, add_fault(rule)).await;
    let accept = request(
        "POST",
        "/_turkstand/workers/AW1/accept",
        &[("content-type", "application/json")],
        r#"{"HITId": "H"}"#,
    );
    let (status, content_type, body) = send(&app, accept).await;
    assert_eq!((status, content_type.as_str()), (503, "application/json"));
    assert!(body.contains("AWS.ServiceUnavailable"), "{body}");
    let (status, _, _) = send(&app, get("/_turkstand/clock")).await;
    assert_eq!(status, 200);
    send(
        &app,
        add_fault(r#"{"match": {"scope": "admin"}, "effect": {"kind": "reset"}}"#),
    )
    .await;
    let (status, _, _) = send(&app, get("/_turkstand/faults")).await;
    assert_eq!(status, 200);
    let (status, _, body) = send(&app, request("POST", "/_turkstand/faults/clear", &[], "")).await;
    assert_eq!((status, body.as_str()), (200, r#"{"cleared":2}"#));
}
