//! A request's own validation errors are data, as the legacy service gave them: HTTP 200, in that
//! request's result `Request` element with IsValid False, over SOAP and REST alike, while the
//! other requests of the call still run. `Validate` checks and performs nothing.

mod support;

use support::{element_text, now_timestamp, soap_envelope, Server, QUESTION_FORM, REQUESTER};

const MISSING_HIT_ID: &str =
    "Your request is missing required parameters. Required parameters include HITId.";

fn hit(server: &Server) -> String {
    let body = server.call(
        "CreateHIT",
        &[
            ("Title", "Request errors"),
            ("Description", "A HIT to look at"),
            ("Reward.1.Amount", "0.10"),
            ("Reward.1.CurrencyCode", "USD"),
            ("AssignmentDurationInSeconds", "600"),
            ("LifetimeInSeconds", "3600"),
            ("Question", QUESTION_FORM),
        ],
    );
    element_text(&body, "HITId").expect("a HITId").to_string()
}

fn hit_count(server: &Server) -> String {
    let body = server.call("SearchHITs", &[]);
    element_text(&body, "TotalNumResults")
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_missing_parameter_is_the_request_s_own_error_over_rest_and_soap() {
    let server = Server::start();
    let (status, body) = server.call_as("GetHIT", REQUESTER, &[]);
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<HIT><Request><IsValid>False</IsValid><Errors><Error><Code>AWS.MissingParameters</Code>"),
        "{body}"
    );
    assert!(body.contains(MISSING_HIT_ID), "{body}");

    let envelope = soap_envelope("GetHIT", REQUESTER, &now_timestamp(), "");
    let (status, body) = server.soap(&envelope);
    assert_eq!(status, 200, "{body}");
    assert!(!body.contains("Fault>"), "{body}");
    assert!(body.contains("<IsValid>False</IsValid>"), "{body}");
    assert!(
        body.contains("<Code>AWS.MissingParameters</Code>") && body.contains(MISSING_HIT_ID),
        "{body}"
    );

    // A nested one is named from the request down.
    let (status, body) = server.call_as(
        "CreateHIT",
        REQUESTER,
        &[
            ("Title", "No amount"),
            ("Description", "The reward has a currency only"),
            ("Reward.1.CurrencyCode", "USD"),
            ("AssignmentDurationInSeconds", "600"),
            ("LifetimeInSeconds", "3600"),
            ("Question", QUESTION_FORM),
        ],
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("Required parameters include Reward.1.Amount."),
        "{body}"
    );
}

#[test]
fn malformed_values_are_data_and_the_rest_of_a_batch_still_runs() {
    let server = Server::start();
    let id = hit(&server);
    // A SOAP call of three requests: a good one, a malformed number, a missing HITId.
    let body = soap_envelope(
        "ExtendHIT",
        REQUESTER,
        &now_timestamp(),
        &format!("<mt:HITId>{id}</mt:HITId><mt:MaxAssignmentsIncrement>1</mt:MaxAssignmentsIncrement>"),
    )
    .replace(
        "</mt:Request>",
        &format!(
            "</mt:Request><mt:Request><mt:HITId>{id}</mt:HITId><mt:MaxAssignmentsIncrement>one</mt:MaxAssignmentsIncrement></mt:Request>\
             <mt:Request><mt:MaxAssignmentsIncrement>1</mt:MaxAssignmentsIncrement></mt:Request>"
        ),
    );
    let (status, body) = server.soap(&body);
    assert_eq!(status, 200, "{body}");
    let results: Vec<&str> = body.split("<ExtendHITResult>").skip(1).collect();
    assert_eq!(results.len(), 3, "{body}");
    assert!(results[0].contains("<IsValid>True</IsValid>"), "{body}");
    assert!(
        results[1].contains("<Code>AWS.MechanicalTurk.InvalidParameterValue</Code>")
            && results[1].contains("MaxAssignmentsIncrement"),
        "{body}"
    );
    assert!(
        results[2].contains("<Code>AWS.MissingParameters</Code>"),
        "{body}"
    );
    // Only the good request extended the HIT.
    let body = server.call("GetHIT", &[("HITId", &id)]);
    assert_eq!(element_text(&body, "MaxAssignments"), Some("2"), "{body}");

    // The same over a REST batch, with a bad boolean and a bad enumeration value.
    let (status, body) = server.call_as(
        "GetReviewableHITs",
        REQUESTER,
        &[
            ("GetReviewableHITs.1.PageSize", "10"),
            ("GetReviewableHITs.2.SortDirection", "Sideways"),
            ("GetReviewableHITs.3.PageSize", "ten"),
        ],
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.matches("<IsValid>True</IsValid>").count(), 1, "{body}");
    assert_eq!(
        body.matches("<IsValid>False</IsValid>").count(),
        2,
        "{body}"
    );
}

#[test]
fn validate_checks_the_request_and_performs_nothing() {
    let server = Server::start();
    let params = [
        ("Title", "Only validated"),
        ("Description", "Never made"),
        ("Reward.1.Amount", "0.10"),
        ("Reward.1.CurrencyCode", "USD"),
        ("AssignmentDurationInSeconds", "600"),
        ("LifetimeInSeconds", "3600"),
        ("Question", QUESTION_FORM),
        ("Validate", "True"),
    ];
    let body = server.call("CreateHIT", &params);
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
    assert!(!body.contains("<HITId>"), "{body}");
    assert_eq!(hit_count(&server), "0");
    // A request the schema refuses is still told so.
    let without_lifetime: Vec<_> = params
        .iter()
        .copied()
        .filter(|(k, _)| *k != "LifetimeInSeconds")
        .collect();
    let body = server.call("CreateHIT", &without_lifetime);
    assert!(
        body.contains("Required parameters include LifetimeInSeconds."),
        "{body}"
    );
    assert!(body.contains("<IsValid>False</IsValid>"), "{body}");
    assert_eq!(hit_count(&server), "0");
}

#[test]
fn get_reviewable_hits_takes_status_repeated_over_rest() {
    let server = Server::start_manual_clock();
    let reviewing = hit(&server);
    let reviewable = hit(&server);
    // Expired, both are Reviewable; one is then marked Reviewing.
    for id in [&reviewing, &reviewable] {
        let body = server.call("ForceExpireHIT", &[("HITId", id)]);
        assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
    }
    let body = server.call("SetHITAsReviewing", &[("HITId", &reviewing)]);
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
    let ids = |body: &str| -> Vec<String> {
        let mut ids: Vec<String> = body
            .split("<HITId>")
            .skip(1)
            .filter_map(|s| s.split('<').next())
            .map(str::to_string)
            .collect();
        ids.sort();
        ids
    };
    let mut both = vec![reviewing.clone(), reviewable.clone()];
    both.sort();
    for params in [
        vec![("Status", "Reviewable"), ("Status", "Reviewing")],
        vec![("Status.1", "Reviewable"), ("Status.2", "Reviewing")],
    ] {
        let body = server.call("GetReviewableHITs", &params);
        assert_eq!(ids(&body), both, "{params:?}: {body}");
        assert_eq!(element_text(&body, "TotalNumResults"), Some("2"), "{body}");
    }
    let body = server.call("GetReviewableHITs", &[("Status", "Reviewing")]);
    assert_eq!(ids(&body), vec![reviewing], "{body}");
    let body = server.call("GetReviewableHITs", &[]);
    assert_eq!(ids(&body), vec![reviewable], "{body}");
}
