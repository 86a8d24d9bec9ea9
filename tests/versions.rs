//! Every interface version is answered in its own schema: 2007-06-21 and older in the 2007-06-21
//! shape, everything up to 2014-08-15 in the 2012-03-25 shape, over SOAP and REST alike; what a
//! version lacks is refused as that version refused it. The servers' traffic is validated against
//! each version's own schema when they stop (tests/clients/conformance.py).

mod support;

use support::{element_text, now_timestamp, rest_call, soap_envelope, Server, NS, REQUESTER};

const NS_2007: &str = "http://requester.mturk.amazonaws.com/doc/2007-06-21";
const NS_2012: &str = "http://requester.mturk.amazonaws.com/doc/2012-03-25";
const WORKER_LOCALE: &str = "00000000000000000071";

/// A SOAP call of `op` in the namespace `ns` with one `Request` holding `request`.
fn soap_in(server: &Server, ns: &str, op: &str, request: &str) -> (u16, String) {
    let body = soap_envelope(op, REQUESTER, &now_timestamp(), request).replace(NS, ns);
    server.soap(&body)
}

/// A legacy-signed REST call of `op` naming `version`.
fn rest_in(server: &Server, version: &str, op: &str, extra: &[(&str, &str)]) -> (u16, String) {
    let mut params = rest_call(op, REQUESTER, &now_timestamp());
    for p in params.iter_mut().filter(|(k, _)| k == "Version") {
        p.1 = version.to_string();
    }
    params.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    server.rest(&params)
}

fn created_qualification_type(server: &Server) -> String {
    let body = server.call(
        "CreateQualificationType",
        &[
            ("Name", "Versions score"),
            ("Description", "For version tests"),
            ("QualificationTypeStatus", "Active"),
        ],
    );
    element_text(&body, "QualificationTypeId")
        .expect("a QualificationTypeId")
        .to_string()
}

/// A HIT made through 2014-08-15 with what only 2014-08-15 can say: a locale with a
/// subdivision, and `In` with three values; plus one plain requirement every version has.
fn hit_with_2014_requirements(server: &Server) -> String {
    let qual = created_qualification_type(server);
    let body = server.call(
        "CreateHIT",
        &[
            ("Title", "Versions"),
            ("Description", "Answered in each version's shape"),
            ("Reward.1.Amount", "0.10"),
            ("Reward.1.CurrencyCode", "USD"),
            ("AssignmentDurationInSeconds", "600"),
            ("LifetimeInSeconds", "3600"),
            ("Question", support::QUESTION_FORM),
            (
                "QualificationRequirement.1.QualificationTypeId",
                WORKER_LOCALE,
            ),
            ("QualificationRequirement.1.Comparator", "EqualTo"),
            ("QualificationRequirement.1.LocaleValue.1.Country", "US"),
            ("QualificationRequirement.1.LocaleValue.1.Subdivision", "NY"),
            ("QualificationRequirement.2.QualificationTypeId", &qual),
            ("QualificationRequirement.2.Comparator", "In"),
            ("QualificationRequirement.2.IntegerValue.1", "1"),
            ("QualificationRequirement.2.IntegerValue.2", "2"),
            ("QualificationRequirement.2.IntegerValue.3", "3"),
            ("QualificationRequirement.3.QualificationTypeId", &qual),
            ("QualificationRequirement.3.Comparator", "GreaterThan"),
            ("QualificationRequirement.3.IntegerValue", "0"),
        ],
    );
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
    element_text(&body, "HITId").expect("a HITId").to_string()
}

/// The requirements of a HIT answer, one string each.
fn requirements(body: &str) -> Vec<&str> {
    body.split("<QualificationRequirement>").skip(1).collect()
}

#[test]
fn a_2007_client_gets_the_2007_shape_in_its_namespace() {
    let server = Server::start();
    let hit = hit_with_2014_requirements(&server);
    let (status, body) = soap_in(
        &server,
        NS_2007,
        "GetHIT",
        &format!("<mt:HITId>{hit}</mt:HITId><mt:ResponseGroup>HITDetail</mt:ResponseGroup>"),
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(&format!("<GetHITResponse xmlns=\"{NS_2007}\">")),
        "{body}"
    );
    for only_later in ["<HITGroupId>", "<HITLayoutId>", "<Subdivision>", ">In<"] {
        assert!(!body.contains(only_later), "{only_later} in {body}");
    }
    // The In requirement cannot be said in 2007-06-21; the other two can.
    assert_eq!(requirements(&body).len(), 2, "{body}");
    assert!(body.contains("<Country>US</Country>"), "{body}");

    // The same HIT through 2014-08-15 says everything.
    let body = server.call("GetHIT", &[("HITId", &hit), ("ResponseGroup", "HITDetail")]);
    for later in ["<HITGroupId>", "<Subdivision>NY</Subdivision>", ">In<"] {
        assert!(body.contains(later), "{later} missing from {body}");
    }
    assert_eq!(requirements(&body).len(), 3, "{body}");
}

#[test]
fn a_2012_request_gets_nothing_the_2012_schema_rules_out() {
    let server = Server::start();
    let hit = hit_with_2014_requirements(&server);
    for version in ["2012-03-25", "2008-08-02", "2013-11-15"] {
        let (status, body) = rest_in(
            &server,
            version,
            "GetHIT",
            &[("HITId", &hit), ("ResponseGroup", "HITDetail")],
        );
        assert_eq!(status, 200, "{body}");
        assert!(!body.contains("<Subdivision>"), "{version}: {body}");
        assert!(body.contains("<HITGroupId>"), "{version}: {body}");
        for r in requirements(&body) {
            assert!(
                r.matches("<IntegerValue>").count() <= 1,
                "{version}: {body}"
            );
        }
        assert_eq!(requirements(&body).len(), 2, "{version}: {body}");
    }
    // Over SOAP, the 2012-03-25 statistic keeps the elements it has since 2011.
    let (status, body) = soap_in(
        &server,
        NS_2012,
        "GetRequesterStatistic",
        "<mt:Statistic>NumberHITsCreated</mt:Statistic><mt:TimePeriod>LifeToDate</mt:TimePeriod>",
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<Statistic>NumberHITsCreated</Statistic>"),
        "{body}"
    );
    // …which 2007-06-21 did not have.
    let (_, body) = soap_in(
        &server,
        NS_2007,
        "GetRequesterStatistic",
        "<mt:Statistic>NumberHITsCreated</mt:Statistic><mt:TimePeriod>LifeToDate</mt:TimePeriod>",
    );
    assert!(body.contains("<DataPoint>"), "{body}");
    assert!(
        !body.contains("<Statistic>") && !body.contains("<TimePeriod>"),
        "{body}"
    );
}

#[test]
fn what_a_version_lacks_is_refused_as_that_version_refused_it() {
    let server = Server::start();
    // GetAssignment came after 2007-06-21: an unknown operation there.
    let (status, body) = soap_in(
        &server,
        NS_2007,
        "GetAssignment",
        "<mt:AssignmentId>3ZWOAS9ZXQ6V1B8M7Z5OQ8K8ZP2T1D</mt:AssignmentId>",
    );
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("Fault>") && body.contains("GetAssignment"),
        "{body}"
    );
    let (status, body) = rest_in(&server, "2007-06-21", "GetBlockedWorkers", &[]);
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("GetBlockedWorkers is not a Mechanical Turk Requester operation"),
        "{body}"
    );

    // The In comparator came with 2014-08-15: an invalid value before it, as data.
    let qual = created_qualification_type(&server);
    let (status, body) = rest_in(
        &server,
        "2012-03-25",
        "CreateHIT",
        &[
            ("Title", "Too new"),
            ("Description", "In is not a 2012 comparator"),
            ("Reward.1.Amount", "0.10"),
            ("Reward.1.CurrencyCode", "USD"),
            ("AssignmentDurationInSeconds", "600"),
            ("LifetimeInSeconds", "3600"),
            ("Question", support::QUESTION_FORM),
            ("QualificationRequirement.1.QualificationTypeId", &qual),
            ("QualificationRequirement.1.Comparator", "In"),
            ("QualificationRequirement.1.IntegerValue", "1"),
        ],
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<IsValid>False</IsValid>"), "{body}");
    assert!(
        body.contains("<Code>AWS.MechanicalTurk.InvalidParameterValue</Code>")
            && body.contains("The value In is not valid for Comparator"),
        "{body}"
    );
    assert!(!body.contains("<HITId>"), "{body}");
    // Nothing was made.
    let body = server.call("SearchHITs", &[]);
    assert_eq!(element_text(&body, "TotalNumResults"), Some("0"), "{body}");
}
