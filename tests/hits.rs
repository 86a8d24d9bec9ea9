//! HIT types and HITs through real clients against the real server on a manual clock: boto 2.49
//! over REST and zeep over SOAP (tests/clients/boto_hits.py and zeep_hits.py), plus what a
//! client cannot show: the layout admin endpoint's answers and a SOAP batch of CreateHITs.

mod support;

use support::*;

scenario_tests! {
    boto2_drives_hit_types_and_hits_over_rest: "boto_hits.py" on start_manual_clock;
    zeep_pages_through_a_thousand_hits_and_drives_every_hit_operation_over_soap: "zeep_hits.py" on start_manual_clock;
}

fn create_hit(server: &Server, title: &str, reward: &str) -> String {
    let body = server.call(
        "CreateHIT",
        &[
            ("Title", title),
            ("Description", "A HIT of the listing test"),
            ("Reward.1.Amount", reward),
            ("Reward.1.CurrencyCode", "USD"),
            ("AssignmentDurationInSeconds", "600"),
            ("LifetimeInSeconds", "3600"),
            ("Question", QUESTION_FORM),
        ],
    );
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
    element_text(&body, "HITId").expect("HITId").to_string()
}

/// The HITIds of a SearchHITs answer, in order.
fn search(server: &Server, sort: &str, direction: &str, size: &str, page: &str) -> Vec<String> {
    let body = server.call(
        "SearchHITs",
        &[
            ("SortProperty", sort),
            ("SortDirection", direction),
            ("PageSize", size),
            ("PageNumber", page),
            ("ResponseGroup.1", "Minimal"),
        ],
    );
    body.split("<HITId>")
        .skip(1)
        .filter_map(|s| s.split("</HITId>").next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_layout_endpoint_answers_json_and_refuses_in_the_admin_shape() {
    let server = Server::start();
    let (status, body) = server.admin(
        "hit-layouts",
        r#"{"HITLayoutId": "MYLAYOUT1", "HTMLContent": "<p>${word}</p>", "FrameHeight": 200}"#,
    );
    assert_eq!(
        (status, body.as_str()),
        (200, r#"{"HITLayoutId":"MYLAYOUT1"}"#)
    );
    let (status, body) = server.admin("hit-layouts", r#"{"HTMLContent": "<p>x</p>"}"#);
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["HITLayoutId"].as_str().map(str::len), Some(30), "{body}");
    for (json, code) in [
        (
            r#"{"FrameHeight": 1}"#,
            "AWS.MechanicalTurk.InvalidParameterValue",
        ),
        ("not json", "AWS.MechanicalTurk.InvalidParameterValue"),
        (
            r#"{"HTMLContent": "<p/>", "HITLayoutId": "a/b"}"#,
            "AWS.MechanicalTurk.InvalidParameterValue",
        ),
        (
            r#"{"HTMLContent": "<p/>", "FrameHeight": -5}"#,
            "AWS.ParameterOutOfRange",
        ),
    ] {
        let (status, body) = server.admin("hit-layouts", json);
        assert_eq!(status, 400, "{json}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["error"]["code"], code, "{json}: {body}");
        assert!(v["error"]["message"].is_string(), "{body}");
    }
    // The REST form of the parameters: HITLayoutParameter.N.Name / .Value.
    let body = server.call(
        "CreateHIT",
        &[
            ("Title", "Layout"),
            ("Description", "From a layout"),
            ("Reward.1.Amount", "0.10"),
            ("Reward.1.CurrencyCode", "USD"),
            ("AssignmentDurationInSeconds", "600"),
            ("LifetimeInSeconds", "3600"),
            ("HITLayoutId", "MYLAYOUT1"),
            ("HITLayoutParameter.1.Name", "word"),
            ("HITLayoutParameter.1.Value", "hello"),
            ("ResponseGroup.1", "HITDetail"),
            ("ResponseGroup.2", "HITQuestion"),
        ],
    );
    assert!(
        body.contains("<HITLayoutId>MYLAYOUT1</HITLayoutId>"),
        "{body}"
    );
    assert!(body.contains("&lt;p&gt;hello&lt;/p&gt;"), "{body}");
    assert!(
        body.contains("&lt;FrameHeight&gt;200&lt;/FrameHeight&gt;"),
        "{body}"
    );
}

#[test]
fn the_listing_survives_a_restart_and_keeps_up_with_new_hits() {
    let mut server = Server::start();
    let first: Vec<String> = (0..5)
        .map(|i| create_hit(&server, &format!("Title {}", 4 - i), "0.10"))
        .collect();
    let by_title = search(&server, "Title", "Ascending", "2", "2");
    assert_eq!(by_title, [first[2].clone(), first[1].clone()]);
    server.kill();
    let again = Server::start_with(1024 * 1024, Some(server.data.clone()));
    assert_eq!(search(&again, "Title", "Ascending", "2", "2"), by_title);
    let newest = create_hit(&again, "Title 0", "0.10");
    // Ties on Title go by creation order: the new HIT follows the old "Title 0".
    assert_eq!(
        search(&again, "Title", "Ascending", "3", "1"),
        [first[4].clone(), newest.clone(), first[3].clone()]
    );
    assert_eq!(
        search(&again, "Enumeration", "Descending", "1", "1"),
        [newest]
    );
}
