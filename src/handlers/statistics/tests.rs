use chrono::NaiveDate;

use super::calendar::{pacific_date, pacific_midnight};
use super::*;
use crate::money::Cents;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

#[test]
fn pacific_days_follow_daylight_saving_time() {
    // The legacy samples: a July day begins at 07:00Z.
    assert_eq!(
        pacific_midnight(d(2009, 7, 13)),
        Some(t("2009-07-13T07:00:00Z"))
    );
    assert_eq!(
        pacific_midnight(d(2026, 1, 15)),
        Some(t("2026-01-15T08:00:00Z"))
    );
    // 2026: daylight time from 8 March to 1 November.
    assert_eq!(
        pacific_midnight(d(2026, 3, 8)),
        Some(t("2026-03-08T08:00:00Z"))
    );
    assert_eq!(
        pacific_midnight(d(2026, 3, 9)),
        Some(t("2026-03-09T07:00:00Z"))
    );
    assert_eq!(
        pacific_midnight(d(2026, 11, 1)),
        Some(t("2026-11-01T07:00:00Z"))
    );
    assert_eq!(
        pacific_midnight(d(2026, 11, 2)),
        Some(t("2026-11-02T08:00:00Z"))
    );
    // Before 2007: first Sunday of April to last Sunday of October.
    assert_eq!(
        pacific_midnight(d(2005, 4, 4)),
        Some(t("2005-04-04T07:00:00Z"))
    );
    assert_eq!(
        pacific_midnight(d(2005, 10, 31)),
        Some(t("2005-10-31T08:00:00Z"))
    );
    assert_eq!(
        pacific_date(t("2026-07-01T06:59:59Z")),
        Some(d(2026, 6, 30))
    );
    assert_eq!(pacific_date(t("2026-07-01T07:00:00Z")), Some(d(2026, 7, 1)));
    assert_eq!(
        pacific_date(t("2026-12-01T07:59:59Z")),
        Some(d(2026, 11, 30))
    );
    assert_eq!(
        pacific_date(t("2026-12-01T08:00:00Z")),
        Some(d(2026, 12, 1))
    );
}

#[test]
fn a_one_day_series_lists_days_oldest_first_ending_today() {
    let now = t("2026-07-03T12:00:00Z");
    let w = windows(api::TimePeriod::OneDay, 3, now).unwrap_or_default();
    let starts: Vec<_> = w.iter().map(|(date, _, _)| *date).collect();
    assert_eq!(
        starts,
        vec![
            t("2026-07-01T07:00:00Z"),
            t("2026-07-02T07:00:00Z"),
            t("2026-07-03T07:00:00Z")
        ]
    );
    assert_eq!(w[0].2, t("2026-07-02T06:59:59Z"));
    assert_eq!(w[2].2, now);
    let seven = windows(api::TimePeriod::SevenDays, 1, now).unwrap_or_default();
    assert_eq!(
        seven,
        vec![(
            t("2026-07-03T07:00:00Z"),
            Some(t("2026-06-27T06:59:59Z")),
            now
        )]
    );
}

fn assignment(status: AssignmentState, accept: &str) -> AssignmentTimeline {
    AssignmentTimeline {
        status,
        accept_time: t(accept),
        deadline: t(accept) + Duration::hours(1),
        submit_time: None,
        approval_time: None,
        rejection_time: None,
    }
}

#[test]
fn the_series_agrees_with_counting_at_each_moment() {
    let mut submitted = assignment(AssignmentState::Approved, "2026-07-02T10:00:00Z");
    submitted.submit_time = Some(t("2026-07-02T10:30:00Z"));
    submitted.approval_time = Some(t("2026-07-03T10:30:00Z"));
    let mut rejected = assignment(AssignmentState::Rejected, "2026-07-02T11:00:00Z");
    rejected.submit_time = Some(t("2026-07-02T11:30:00Z"));
    rejected.rejection_time = Some(t("2026-07-02T12:30:00Z"));
    let hit = |state, created: &str, assignments| HitTimeline {
        creation_time: t(created),
        expiration: t(created) + Duration::days(2),
        max_assignments: 2,
        state,
        reward: Cents(25),
        assignments,
    };
    let history = History {
        hits: vec![
            hit(
                HitState::Disposed,
                "2026-07-02T09:00:00Z",
                vec![submitted.clone()],
            ),
            hit(
                HitState::Reviewing,
                "2026-07-02T09:30:00Z",
                vec![rejected.clone()],
            ),
            hit(
                HitState::Open,
                "2026-07-01T09:00:00Z",
                vec![
                    assignment(AssignmentState::Returned, "2026-07-01T10:00:00Z"),
                    assignment(AssignmentState::Accepted, "2026-07-04T23:50:00Z"),
                ],
            ),
        ],
        assignments: vec![submitted, rejected],
        ledger: vec![
            LedgerMovement {
                time: t("2026-07-03T10:30:00Z"),
                kind: LedgerKind::Reward,
                amount: Cents(25),
            },
            LedgerMovement {
                time: t("2026-07-03T10:30:00Z"),
                kind: LedgerKind::RewardFee,
                amount: Cents(5),
            },
            LedgerMovement {
                time: t("2026-07-03T11:00:00Z"),
                kind: LedgerKind::Bonus,
                amount: Cents(100),
            },
        ],
        known_answers: vec![
            (t("2026-07-02T10:30:00Z"), true),
            (t("2026-07-02T11:30:00Z"), false),
        ],
        plurality_answers: vec![(t("2026-07-02T11:30:00Z"), true)],
    };
    let now = t("2026-07-05T00:00:00Z");
    let series = Series::build(&history, now);
    let mut s = t("2026-07-01T08:00:00Z");
    while s <= now + Duration::hours(1) {
        assert_eq!(series.at(s), levels_at(&history, s, now), "at {s}");
        s += Duration::minutes(5);
    }
    let present = series.at(now);
    assert_eq!((present.hits_completed, present.hits_reviewable), (1, 0));
    assert_eq!((present.returned, present.hits_assignable), (1, 0));
    assert_eq!(
        level(S::PercentKnownAnswersCorrect, &present),
        Level::Ratio(0.5)
    );
    assert_eq!(
        level(S::NumberPluralityAnswersEvaluated, &present),
        Level::Count(1)
    );
}

#[test]
fn plurality_checks_compare_each_scored_answer_with_the_agreed_one() {
    let doc = |text: &str| {
        Some(super::super::questions::answers_document([
            ("q1", text),
            ("q2", "x"),
        ]))
    };
    let agreed = vec![
        ("H1".to_string(), "q1".to_string(), "blue".to_string()),
        ("H2".to_string(), "q1".to_string(), "red".to_string()),
    ];
    let (t1, t2) = (t("2026-07-01T10:00:00Z"), t("2026-07-01T11:00:00Z"));
    let scored = vec![
        ("H1".to_string(), "W1".to_string(), t1, doc(" blue ")),
        ("H1".to_string(), "W2".to_string(), t2, doc("green")),
    ];
    // Dated by the last answer the policy counted; H2 scored nobody.
    assert_eq!(
        plurality_answer_checks(&agreed, &scored, None),
        vec![(t2, true), (t2, false)]
    );
    assert_eq!(
        plurality_answer_checks(&agreed, &scored, Some("W2")),
        vec![(t2, false)]
    );
}

#[test]
fn levels_follow_each_assignment_through_time() {
    let mut approved_rejection = assignment(AssignmentState::Approved, "2026-07-01T10:00:00Z");
    approved_rejection.submit_time = Some(t("2026-07-01T10:10:00Z"));
    approved_rejection.rejection_time = Some(t("2026-07-01T11:00:00Z"));
    approved_rejection.approval_time = Some(t("2026-07-02T11:00:00Z"));
    let hit = HitTimeline {
        creation_time: t("2026-07-01T09:00:00Z"),
        expiration: t("2026-07-10T09:00:00Z"),
        max_assignments: 3,
        state: HitState::Open,
        reward: Cents(50),
        assignments: vec![
            approved_rejection,
            assignment(AssignmentState::Abandoned, "2026-07-01T10:00:00Z"),
        ],
    };
    let history = History {
        hits: vec![hit],
        ..History::default()
    };
    let now = t("2026-07-05T00:00:00Z");
    let at = |s: &str| levels_at(&history, t(s), now);
    let before = at("2026-07-01T08:00:00Z");
    assert_eq!(before, Levels::default());
    let working = at("2026-07-01T10:30:00Z");
    assert_eq!((working.accepted, working.pending), (2, 1));
    assert_eq!(
        (working.hits_assignable, working.assignments_available),
        (1, 1)
    );
    // Liable: one unclaimed slot, one in progress, one awaiting review; fee 20% of $0.50.
    assert_eq!((working.reward_liability, working.fee_liability), (150, 30));
    let rejected = at("2026-07-01T12:00:00Z");
    assert_eq!(
        (rejected.rejected, rejected.abandoned, rejected.pending),
        (1, 1, 0)
    );
    let approved = at("2026-07-02T12:00:00Z");
    assert_eq!((approved.approved, approved.rejected), (1, 0));
    assert_eq!(
        level(S::PercentAssignmentsApproved, &approved),
        Level::Ratio(1.0)
    );
    // The series built once gives the same levels as counting at each moment.
    let series = Series::build(&history, now);
    let mut s = t("2026-07-01T08:00:00Z");
    while s <= now {
        assert_eq!(series.at(s), levels_at(&history, s, now), "at {s}");
        s += Duration::minutes(10);
    }
}
