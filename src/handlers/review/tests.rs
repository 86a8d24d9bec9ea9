use super::*;

fn param(key: &str, values: &[&str]) -> PolicyParameter {
    PolicyParameter {
        key: key.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
        map: vec![],
    }
}

fn answers(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn known_answers_score_and_decide() {
    let params = vec![
        PolicyParameter {
            key: "AnswerKey".into(),
            values: vec![],
            map: vec![
                ("q1".into(), vec!["a".into()]),
                ("q2".into(), vec!["b".into(), "B".into()]),
            ],
        },
        param("ApproveIfKnownAnswerScoreIsAtLeast", &["100"]),
        param("RejectIfKnownAnswerScoreIsLessThan", &["50"]),
        param("RejectReason", &["Wrong known answers"]),
    ];
    let p = Params(&params);
    let e = score_my_known_answers(&p, "A1", &answers(&[("q1", "a"), ("q2", "B")]));
    assert!(e
        .results
        .iter()
        .any(|r| r.3 == "KnownAnswerScore" && r.4 == "100"));
    assert_eq!(
        e.actions,
        vec![Action::Approve {
            assignment_id: "A1".into(),
            reason: None
        }]
    );
    let e = score_my_known_answers(&p, "A2", &answers(&[("q1", "x")]));
    assert_eq!(
        e.actions,
        vec![Action::Reject {
            assignment_id: "A2".into(),
            reason: Some("Wrong known answers".into())
        }]
    );
    let e = score_my_known_answers(&p, "A3", &answers(&[("q1", "a")]));
    assert!(e.actions.is_empty(), "50 is neither approved nor rejected");
}

#[test]
fn plurality_finds_agreement_and_scores_workers() {
    let params = vec![
        param("QuestionIds", &["q1,q2"]),
        param("QuestionAgreementThreshold", &["60"]),
        param("ApproveIfWorkerAgreementScoreIsAtLeast", &["100"]),
        param("RejectIfWorkerAgreementScoreIsLessThan", &["50"]),
        param("ExtendIfHITAgreementScoreIsLessThan", &["100"]),
    ];
    let p = Params(&params);
    let ballot = |id: &str, a: &[(&str, &str)]| Ballot {
        assignment_id: id.into(),
        submitted: true,
        answers: answers(a),
    };
    let ballots = vec![
        ballot("A1", &[("q1", "cat"), ("q2", "x")]),
        ballot("A2", &[("q1", "cat"), ("q2", "y")]),
        ballot("A3", &[("q1", "dog"), ("q2", "z")]),
    ];
    let e = simple_plurality(&p, "H", &ballots);
    let find = |subject: &str, q: Option<&str>, key: &str| {
        e.results
            .iter()
            .find(|r| r.0 == subject && r.2.as_deref() == q && r.3 == key)
            .map(|r| r.4.clone())
    };
    assert_eq!(
        find("H", Some("q1"), "AgreedAnswer").as_deref(),
        Some("cat")
    );
    assert_eq!(
        find("H", Some("q2"), "AgreedAnswerFound").as_deref(),
        Some("false")
    );
    assert_eq!(find("H", None, "HitAgreementScore").as_deref(), Some("50"));
    assert_eq!(
        find("A3", None, "WorkerAgreementScore").as_deref(),
        Some("0")
    );
    assert!(e.actions.contains(&Action::Approve {
        assignment_id: "A1".into(),
        reason: None
    }));
    assert!(e.actions.contains(&Action::Reject {
        assignment_id: "A3".into(),
        reason: None
    }));
    assert!(e.actions.iter().any(|a| matches!(a, Action::Extend { .. })));
}

#[test]
fn policies_are_checked_at_creation() {
    let policy = |name: &str, params: Vec<api::PolicyParameter>| api::ReviewPolicy {
        policy_name: name.into(),
        parameter: params,
    };
    let p = |k: &str, v: &str| api::PolicyParameter {
        key: k.into(),
        value: vec![v.into()],
        map_entry: vec![],
    };
    let err = validate(
        "H",
        ReviewLevel::Assignment,
        &policy(SCORE_MY_KNOWN_ANSWERS, vec![]),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "The AnswerKey parameter is mandatory.");
    // At HIT level, a policy is checked against its own parameter list.
    let at_hit = |name: &str, params: &[(&str, &str)]| {
        let params = params.iter().map(|(k, v)| p(k, v)).collect();
        validate("H", ReviewLevel::HIT, &policy(name, params))
    };
    let plurality = [("QuestionIds", "q1"), ("QuestionAgreementThreshold", "50")];
    assert!(at_hit(SCORE_MY_KNOWN_ANSWERS, &[]).is_err());
    assert!(at_hit(SIMPLE_PLURALITY, &plurality).is_ok());
    for extra in [("Bogus", "1"), ("ExtendMaximumAssignments", "99")] {
        let params = [plurality[0], plurality[1], extra];
        assert!(at_hit(SIMPLE_PLURALITY, &params).is_err(), "{extra:?}");
    }
}
