//! Bonuses, worker relations, the account, statistics and Help, through real clients against
//! a server on a manual clock: boto 2.49 over REST and zeep over SOAP.

mod support;

use support::*;

scenario_tests! {
    boto2_grants_bonuses_blocks_and_notifies_workers_over_rest: "boto_money.py" on start_manual_clock;
    zeep_reads_statistics_and_help_and_pays_bonuses_over_soap: "zeep_stats.py" on start_manual_clock;
}

#[test]
fn reset_clears_blocks_and_messages_and_restores_the_balance() {
    let server = Server::start();
    let body = server.call(
        "BlockWorker",
        &[("WorkerId", "AWORKERRESET1"), ("Reason", "Testing reset.")],
    );
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
    let body = server.call("GetBlockedWorkers", &[]);
    assert_eq!(element_text(&body, "TotalNumResults"), Some("1"), "{body}");
    let (status, _) = server.admin(
        "accounts/AKIATESTREQUESTER0001/balance",
        r#"{"AvailableBalance": "1.00"}"#,
    );
    assert_eq!(status, 200);

    // A HIT with an assignment: rows that refer to one another are cleared together.
    let body = server.call(
        "CreateHIT",
        &[
            ("Title", "Reset"),
            ("Description", "A HIT to reset."),
            ("Reward.1.Amount", "0.10"),
            ("Reward.1.CurrencyCode", "USD"),
            ("AssignmentDurationInSeconds", "600"),
            ("LifetimeInSeconds", "3600"),
            ("Question", QUESTION_FORM),
        ],
    );
    let hit = element_text(&body, "HITId").unwrap_or_default().to_string();
    assert!(!hit.is_empty(), "{body}");
    let (status, body) = server.admin(
        "workers/AWORKERRESET2/accept",
        &format!(r#"{{"HITId": "{hit}"}}"#),
    );
    assert_eq!(status, 200, "{body}");

    let (status, body) = server.admin("reset", "{}");
    assert_eq!(status, 200, "{body}");
    let body = server.call("GetBlockedWorkers", &[]);
    assert_eq!(element_text(&body, "TotalNumResults"), Some("0"), "{body}");
    let body = server.call("GetAccountBalance", &[]);
    assert_eq!(
        element_text(&body, "FormattedPrice"),
        Some("$10,000.00"),
        "{body}"
    );
    let (status, body) =
        server.request("GET", "/_turkstand/workers/AWORKERRESET1/messages", &[], "");
    assert_eq!((status, body.as_str()), (200, "[]"));
}

#[test]
fn statistics_and_help_refuse_unknown_names_over_rest() {
    let server = Server::start();
    for (op, params) in [
        (
            "GetRequesterStatistic",
            vec![("Statistic", "NoSuchStatistic")],
        ),
        (
            "GetRequesterStatistic",
            vec![
                ("Statistic", "NumberHITsCreated"),
                ("TimePeriod", "OneWeek"),
            ],
        ),
        ("Help", vec![("About", "NoSuchOperation")]),
        (
            "Help",
            vec![("About", "NoSuchGroup"), ("HelpType", "ResponseGroup")],
        ),
    ] {
        let body = server.call(op, &params);
        assert!(
            body.contains("<Code>AWS.MechanicalTurk.InvalidParameterValue</Code>"),
            "{op} {params:?}: {body}"
        );
    }
    let body = server.call(
        "GetRequesterStatistic",
        &[
            ("Statistic", "NumberHITsCreated"),
            ("TimePeriod", "LifeToDate"),
        ],
    );
    assert_eq!(element_text(&body, "LongValue"), Some("0"), "{body}");
    assert!(!body.contains("<Errors>"), "{body}");
}
