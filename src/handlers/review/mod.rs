//! Review policies: ScoreMyKnownAnswers/2011-09-01 on each submitted assignment, and
//! SimplePlurality/2011-09-01 on the HIT once it becomes reviewable. They record results and take
//! their actions (approve, reject, extend) the way the legacy service did, and
//! GetReviewResultsForHIT reports both.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};

use super::access::own_hit;
use super::assignments::{decide_in, Decision};
use super::render::clamp_i32;
use super::rules::paging;
use super::service::{Context, Service};
use super::{ids, questions};
use crate::error::OpError;
use crate::model::requester as api;
use crate::store::{
    self, AssignmentState, PolicyParameter, ReviewActionRecord, ReviewLevel, ReviewResultRecord,
    StoredReviewPolicy, Tx,
};

pub(super) const SCORE_MY_KNOWN_ANSWERS: &str = "ScoreMyKnownAnswers/2011-09-01";
pub(super) const SIMPLE_PLURALITY: &str = "SimplePlurality/2011-09-01";
/// Answers longer than this take no part in plurality.
const MAX_PLURALITY_ANSWER: usize = 256;

/// The parameters each policy accepts.
const KNOWN_ANSWER_KEYS: &[&str] = &[
    "AnswerKey",
    "ApproveIfKnownAnswerScoreIsAtLeast",
    "ApproveReason",
    "RejectIfKnownAnswerScoreIsLessThan",
    "RejectReason",
    "ExtendIfKnownAnswerScoreIsLessThan",
    "ExtendMaximumAssignments",
    "ExtendMinimumTimeInSeconds",
];
const PLURALITY_KEYS: &[&str] = &[
    "QuestionIds",
    "QuestionAgreementThreshold",
    "DisregardAssignmentIfRejected",
    "DisregardAssignmentIfKnownAnswerScoreIsLessThan",
    "ExtendIfHITAgreementScoreIsLessThan",
    "ExtendMaximumAssignments",
    "ExtendMinimumTimeInSeconds",
    "ApproveIfWorkerAgreementScoreIsAtLeast",
    "RejectIfWorkerAgreementScoreIsLessThan",
    "RejectReason",
    "ApproveReason",
];

/// A policy's parameters, looked up by key.
struct Params<'a>(&'a [PolicyParameter]);

impl Params<'_> {
    fn get(&self, key: &str) -> Option<&PolicyParameter> {
        self.0.iter().find(|p| p.key == key)
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.get(key)
            .and_then(|p| p.values.first())
            .map(|v| v.trim())
    }

    fn number(&self, key: &str) -> Option<i64> {
        self.text(key).and_then(|v| v.parse().ok())
    }

    fn flag(&self, key: &str) -> bool {
        matches!(
            self.text(key),
            Some("T" | "t" | "true" | "True" | "TRUE" | "1")
        )
    }

    /// A parameter given as a comma-separated list or as repeated values.
    fn list(&self, key: &str) -> Vec<String> {
        self.get(key)
            .map(|p| {
                p.values
                    .iter()
                    .flat_map(|v| v.split(','))
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn bad(message: impl Into<String>) -> OpError {
    OpError::InvalidParameterValue(message.into())
}

fn check_number(params: &Params<'_>, key: &str, min: i64, max: i64) -> Result<(), OpError> {
    match params.text(key) {
        None => Ok(()),
        Some(v) => match v.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(()),
            _ => Err(bad(format!(
                "The {key} parameter must be a whole number from {min} to {max}."
            ))),
        },
    }
}

/// Checks a policy given to CreateHIT at `level` and turns it into what the store keeps.
pub(super) fn validate(
    hit_id: &str,
    level: ReviewLevel,
    p: &api::ReviewPolicy,
) -> Result<StoredReviewPolicy, OpError> {
    let name = p.policy_name.trim();
    let (expected, keys) = match level {
        ReviewLevel::Assignment => (SCORE_MY_KNOWN_ANSWERS, KNOWN_ANSWER_KEYS),
        ReviewLevel::HIT => (SIMPLE_PLURALITY, PLURALITY_KEYS),
    };
    if name != expected {
        return Err(bad(format!(
            "The {} review policy {name} is not supported; use {expected}.",
            if level == ReviewLevel::Assignment {
                "assignment"
            } else {
                "HIT"
            }
        )));
    }
    let parameters: Vec<PolicyParameter> = p
        .parameter
        .iter()
        .map(|param| PolicyParameter {
            key: param.key.trim().to_string(),
            values: param.value.iter().map(|v| v.trim().to_string()).collect(),
            map: param
                .map_entry
                .iter()
                .map(|m| {
                    (
                        m.key.trim().to_string(),
                        m.value.iter().map(|v| v.trim().to_string()).collect(),
                    )
                })
                .collect(),
        })
        .collect();
    for param in &parameters {
        if !keys.contains(&param.key.as_str()) {
            return Err(bad(format!(
                "{} is not a parameter of {expected}.",
                param.key
            )));
        }
    }
    let params = Params(&parameters);
    match level {
        ReviewLevel::Assignment => {
            if params.get("AnswerKey").is_none_or(|k| k.map.is_empty()) {
                return Err(bad("The AnswerKey parameter is mandatory."));
            }
            for key in [
                "ApproveIfKnownAnswerScoreIsAtLeast",
                "RejectIfKnownAnswerScoreIsLessThan",
                "ExtendIfKnownAnswerScoreIsLessThan",
            ] {
                check_number(&params, key, 0, 101)?;
            }
        }
        ReviewLevel::HIT => {
            if params.list("QuestionIds").is_empty() {
                return Err(bad("The QuestionIds parameter is mandatory."));
            }
            if params.text("QuestionAgreementThreshold").is_none() {
                return Err(bad(
                    "The QuestionAgreementThreshold parameter is mandatory.",
                ));
            }
            check_number(&params, "QuestionAgreementThreshold", 0, 101)?;
            check_number(&params, "ExtendIfHITAgreementScoreIsLessThan", 1, 100)?;
            check_number(&params, "ApproveIfWorkerAgreementScoreIsAtLeast", 0, 101)?;
            check_number(&params, "RejectIfWorkerAgreementScoreIsLessThan", 0, 101)?;
            check_number(
                &params,
                "DisregardAssignmentIfKnownAnswerScoreIsLessThan",
                0,
                101,
            )?;
        }
    }
    check_number(&params, "ExtendMaximumAssignments", 2, 25)?;
    check_number(&params, "ExtendMinimumTimeInSeconds", 3600, 31_536_000)?;
    Ok(StoredReviewPolicy {
        hit_id: hit_id.to_string(),
        level,
        policy_name: expected.to_string(),
        parameters,
    })
}

/// A worker's answer to one question, normalised for comparison: its free text, or its
/// selections sorted and joined.
pub(super) fn answers_of(answer_xml: Option<&str>) -> HashMap<String, String> {
    let Some(doc) = answer_xml.and_then(|a| questions::validate_answers(a).ok()) else {
        return HashMap::new();
    };
    doc.answer
        .into_iter()
        .map(|a| {
            let value = match a.free_text {
                Some(t) => t.trim().to_string(),
                None => {
                    let mut s: Vec<String> = a
                        .selection_identifier
                        .iter()
                        .map(|s| s.trim().to_string())
                        .collect();
                    s.sort();
                    s.join("|")
                }
            };
            (a.question_identifier.trim().to_string(), value)
        })
        .collect()
}

/// What a policy decided to do.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    Approve {
        assignment_id: String,
        reason: Option<String>,
    },
    Reject {
        assignment_id: String,
        reason: Option<String>,
    },
    Extend {
        by: i64,
        minimum_time: i64,
    },
}

/// Results (subject id, subject type, question, key, value) and actions of one evaluation.
#[derive(Debug, Default)]
struct Evaluation {
    results: Vec<(String, &'static str, Option<String>, &'static str, String)>,
    actions: Vec<Action>,
}

/// The known-answer score of one assignment, 0..=100, and which questions it got right.
fn known_answer_score(
    params: &Params<'_>,
    answers: &HashMap<String, String>,
) -> (i64, Vec<(String, bool)>) {
    let Some(key) = params.get("AnswerKey") else {
        return (0, Vec::new());
    };
    let per_question: Vec<(String, bool)> = key
        .map
        .iter()
        .map(|(qid, accepted)| {
            let given = answers.get(qid.as_str()).map(String::as_str).unwrap_or("");
            (qid.clone(), accepted.iter().any(|v| v.trim() == given))
        })
        .collect();
    let correct = per_question.iter().filter(|(_, ok)| *ok).count() as i64;
    let score = if per_question.is_empty() {
        0
    } else {
        correct * 100 / per_question.len() as i64
    };
    (score, per_question)
}

fn extension(params: &Params<'_>) -> Action {
    Action::Extend {
        by: 1,
        minimum_time: params.number("ExtendMinimumTimeInSeconds").unwrap_or(0),
    }
}

fn score_my_known_answers(
    params: &Params<'_>,
    assignment_id: &str,
    answers: &HashMap<String, String>,
) -> Evaluation {
    let (score, per_question) = known_answer_score(params, answers);
    let mut e = Evaluation::default();
    for (qid, ok) in per_question {
        e.results.push((
            assignment_id.to_string(),
            "Assignment",
            Some(qid),
            "KnownAnswerCorrect",
            ok.to_string(),
        ));
    }
    e.results.push((
        assignment_id.to_string(),
        "Assignment",
        None,
        "KnownAnswerScore",
        score.to_string(),
    ));
    let reason = |k: &str| params.text(k).map(str::to_string);
    if params
        .number("ApproveIfKnownAnswerScoreIsAtLeast")
        .is_some_and(|t| score >= t)
    {
        e.actions.push(Action::Approve {
            assignment_id: assignment_id.to_string(),
            reason: reason("ApproveReason"),
        });
    } else if params
        .number("RejectIfKnownAnswerScoreIsLessThan")
        .is_some_and(|t| score < t)
    {
        e.actions.push(Action::Reject {
            assignment_id: assignment_id.to_string(),
            reason: reason("RejectReason"),
        });
    }
    if params
        .number("ExtendIfKnownAnswerScoreIsLessThan")
        .is_some_and(|t| score < t)
    {
        e.actions.push(extension(params));
    }
    e
}

/// One assignment as plurality sees it.
struct Ballot {
    assignment_id: String,
    submitted: bool,
    answers: HashMap<String, String>,
}

fn simple_plurality(params: &Params<'_>, hit_id: &str, ballots: &[Ballot]) -> Evaluation {
    let mut e = Evaluation::default();
    let question_ids = params.list("QuestionIds");
    let threshold = params.number("QuestionAgreementThreshold").unwrap_or(101);
    let mut agreed: BTreeMap<String, String> = BTreeMap::new();
    for qid in &question_ids {
        let mut tally: BTreeMap<&str, i64> = BTreeMap::new();
        for b in ballots {
            if let Some(a) = b
                .answers
                .get(qid.as_str())
                .filter(|a| !a.is_empty() && a.len() <= MAX_PLURALITY_ANSWER)
            {
                *tally.entry(a.as_str()).or_default() += 1;
            }
        }
        let total: i64 = tally.values().sum();
        let best = tally.values().copied().max().unwrap_or(0);
        let leaders: Vec<&str> = tally
            .iter()
            .filter(|(_, n)| **n == best)
            .map(|(a, _)| *a)
            .collect();
        let score = if total == 0 { 0 } else { best * 100 / total };
        let found = total > 0 && leaders.len() == 1 && score >= threshold;
        e.results.push((
            hit_id.to_string(),
            "HIT",
            Some(qid.clone()),
            "AgreedAnswerFound",
            found.to_string(),
        ));
        if found {
            e.results.push((
                hit_id.to_string(),
                "HIT",
                Some(qid.clone()),
                "AgreedAnswer",
                leaders[0].to_string(),
            ));
            agreed.insert(qid.clone(), leaders[0].to_string());
        }
        e.results.push((
            hit_id.to_string(),
            "HIT",
            Some(qid.clone()),
            "AnswerAgreementScore",
            score.to_string(),
        ));
    }
    let hit_score = if question_ids.is_empty() {
        0
    } else {
        agreed.len() as i64 * 100 / question_ids.len() as i64
    };
    e.results.push((
        hit_id.to_string(),
        "HIT",
        None,
        "HitAgreementScore",
        hit_score.to_string(),
    ));
    if !agreed.is_empty() {
        for b in ballots {
            let matching = agreed
                .iter()
                .filter(|(q, a)| b.answers.get(q.as_str()) == Some(*a))
                .count() as i64;
            let score = matching * 100 / agreed.len() as i64;
            e.results.push((
                b.assignment_id.clone(),
                "Assignment",
                None,
                "WorkerAgreementScore",
                score.to_string(),
            ));
            if !b.submitted {
                continue;
            }
            if params
                .number("ApproveIfWorkerAgreementScoreIsAtLeast")
                .is_some_and(|t| score >= t)
            {
                e.actions.push(Action::Approve {
                    assignment_id: b.assignment_id.clone(),
                    reason: params.text("ApproveReason").map(str::to_string),
                });
            } else if params
                .number("RejectIfWorkerAgreementScoreIsLessThan")
                .is_some_and(|t| score < t)
            {
                e.actions.push(Action::Reject {
                    assignment_id: b.assignment_id.clone(),
                    reason: params.text("RejectReason").map(str::to_string),
                });
            }
        }
    }
    if params
        .number("ExtendIfHITAgreementScoreIsLessThan")
        .is_some_and(|t| hit_score < t)
    {
        e.actions.push(extension(params));
    }
    e
}

/// Carries out a policy's evaluation: stores its results and takes each action, recording how
/// the action went.
fn apply(
    tx: &Tx<'_>,
    hit: &store::Hit,
    level: ReviewLevel,
    params: &Params<'_>,
    e: Evaluation,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let evaluation_id = ids::random();
    for (subject_id, subject_type, question_id, key, value) in e.results {
        tx.insert_review_result(&ReviewResultRecord {
            hit_id: hit.hit_id.clone(),
            level,
            action_id: evaluation_id.clone(),
            subject_id,
            subject_type: subject_type.to_string(),
            question_id,
            key: key.to_string(),
            value,
        })?;
    }
    // A policy decides as the requester would, on the HIT's own assignments.
    let decide = |id: &str, reason: &Option<String>, decision| {
        let from = AssignmentState::Submitted;
        decide_in(
            tx,
            &hit.requester,
            id,
            reason.as_deref(),
            from,
            decision,
            now,
        )
    };
    for action in e.actions {
        let action_id = ids::random();
        let (name, object_id, object_type, outcome) = match &action {
            Action::Approve {
                assignment_id,
                reason,
            } => (
                "approve",
                assignment_id.clone(),
                "Assignment",
                decide(assignment_id, reason, Decision::Approve),
            ),
            Action::Reject {
                assignment_id,
                reason,
            } => (
                "reject",
                assignment_id.clone(),
                "Assignment",
                decide(assignment_id, reason, Decision::Reject),
            ),
            Action::Extend { by, minimum_time } => (
                "extend",
                hit.hit_id.clone(),
                "HIT",
                extend(tx, hit, params, *by, *minimum_time, now),
            ),
        };
        let (status, result, error_code) = match outcome {
            Ok(message) => (store::ReviewActionStatus::Succeeded, Some(message), None),
            Err(e) => match e {
                OpError::Internal(_) => return Err(e),
                other => (
                    store::ReviewActionStatus::Failed,
                    Some(other.to_string()),
                    Some(other.code().to_string()),
                ),
            },
        };
        tx.insert_review_action(&ReviewActionRecord {
            hit_id: hit.hit_id.clone(),
            level,
            action_id,
            action_name: name.to_string(),
            object_id,
            object_type: object_type.to_string(),
            status,
            complete_time: Some(now),
            result,
            error_code,
        })?;
    }
    Ok(())
}

/// Adds assignments to the HIT (within ExtendMaximumAssignments) and keeps it open for at least
/// ExtendMinimumTimeInSeconds.
fn extend(
    tx: &Tx<'_>,
    hit: &store::Hit,
    params: &Params<'_>,
    by: i64,
    minimum_time: i64,
    now: DateTime<Utc>,
) -> Result<String, OpError> {
    let mut h = tx
        .hit(&hit.hit_id)?
        .ok_or_else(|| OpError::HITDoesNotExist(hit.hit_id.clone()))?;
    let ceiling = params.number("ExtendMaximumAssignments").unwrap_or(5);
    if h.max_assignments + by > ceiling {
        return Err(OpError::InvalidHITState(format!(
            "The HIT already has {} assignments; ExtendMaximumAssignments is {ceiling}.",
            h.max_assignments
        )));
    }
    h.max_assignments += by;
    let floor = now + Duration::seconds(minimum_time);
    if h.expiration < floor {
        h.expiration = floor;
    }
    tx.update_hit(&h)?;
    Ok(format!(
        "The HIT now has {} assignments.",
        h.max_assignments
    ))
}

/// Runs the HIT's assignment policy on a newly submitted assignment.
pub(super) fn on_submitted(
    tx: &Tx<'_>,
    hit: &store::Hit,
    a: &store::Assignment,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let Some(policy) = tx.review_policy(&hit.hit_id, ReviewLevel::Assignment)? else {
        return Ok(());
    };
    let params = Params(&policy.parameters);
    let e = score_my_known_answers(&params, &a.assignment_id, &answers_of(a.answer.as_deref()));
    apply(tx, hit, ReviewLevel::Assignment, &params, e, now)
}

/// Runs the HIT's HIT-level policy once it is reviewable (once per HIT).
pub(super) fn on_reviewable(
    tx: &Tx<'_>,
    hit: &store::Hit,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let Some(policy) = tx.review_policy(&hit.hit_id, ReviewLevel::HIT)? else {
        return Ok(());
    };
    if tx.reviewed(&hit.hit_id, ReviewLevel::HIT, &hit.hit_id)? {
        return Ok(());
    }
    let params = Params(&policy.parameters);
    let known = tx.review_policy(&hit.hit_id, ReviewLevel::Assignment)?;
    let known_params = known.as_ref().map(|k| Params(&k.parameters));
    let disregard_rejected = params.flag("DisregardAssignmentIfRejected");
    let minimum_known = params.number("DisregardAssignmentIfKnownAnswerScoreIsLessThan");
    let page = tx.assignments_for_hit(&store::AssignmentQuery {
        hit_id: &hit.hit_id,
        states: &[
            AssignmentState::Submitted,
            AssignmentState::Approved,
            AssignmentState::Rejected,
        ],
        sort: store::AssignmentSort::SubmitTime,
        descending: false,
        page_size: i64::MAX,
        page_number: 1,
    })?;
    let ballots: Vec<Ballot> = page
        .items
        .iter()
        .filter(|a| !(disregard_rejected && a.status == AssignmentState::Rejected))
        .map(|a| Ballot {
            assignment_id: a.assignment_id.clone(),
            submitted: a.status == AssignmentState::Submitted,
            answers: answers_of(a.answer.as_deref()),
        })
        .filter(|b| match (&known_params, minimum_known) {
            (Some(k), Some(min)) => known_answer_score(k, &b.answers).0 >= min,
            _ => true,
        })
        .collect();
    let e = simple_plurality(&params, &hit.hit_id, &ballots);
    apply(tx, hit, ReviewLevel::HIT, &params, e, now)
}

fn api_policy(p: &StoredReviewPolicy) -> api::ReviewPolicy {
    api::ReviewPolicy {
        policy_name: p.policy_name.clone(),
        parameter: p
            .parameters
            .iter()
            .map(|param| api::PolicyParameter {
                key: param.key.clone(),
                value: param.values.clone(),
                map_entry: param
                    .map
                    .iter()
                    .map(|(k, v)| api::ParameterMapEntry {
                        key: k.clone(),
                        value: v.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn report(
    tx: &Tx<'_>,
    hit_id: &str,
    level: ReviewLevel,
    results: bool,
    actions: bool,
    size: i64,
    number: i64,
) -> Result<api::ReviewReport, OpError> {
    let mut report = api::ReviewReport {
        page_number: Some(clamp_i32(number)),
        ..Default::default()
    };
    // Results and actions page alike; the report counts both.
    let mut counts = (0, 0);
    if results {
        let items = counted(tx.review_results(hit_id, level, size, number)?, &mut counts);
        report.review_result = items
            .into_iter()
            .map(|r| api::ReviewResultDetail {
                action_id: r.action_id,
                subject_id: r.subject_id,
                subject_type: r.subject_type,
                question_id: r.question_id,
                key: r.key,
                value: r.value,
            })
            .collect();
    }
    if actions {
        let items = counted(tx.review_actions(hit_id, level, size, number)?, &mut counts);
        report.review_action = items
            .into_iter()
            .map(|a| api::ReviewActionDetail {
                action_id: a.action_id,
                action_name: a.action_name,
                object_id: a.object_id,
                object_type: a.object_type,
                status: a.status.into(),
                complete_time: a.complete_time,
                result: a.result,
                error_code: a.error_code,
            })
            .collect();
    }
    report.num_results = Some(clamp_i32(counts.0));
    report.total_num_results = Some(clamp_i32(counts.1));
    Ok(report)
}

/// A page's items, adding their number and the total to `(shown, total)`.
fn counted<T>(page: store::Page<T>, (shown, total): &mut (i64, i64)) -> Vec<T> {
    *shown += page.items.len() as i64;
    *total += page.total;
    page.items
}

pub(super) fn get_review_results_for_hit(
    svc: &Service,
    ctx: &Context,
    req: api::GetReviewResultsForHITRequest,
) -> Result<api::GetReviewResultsForHITResult, OpError> {
    // Review reports page in sizes from 100 to 65535, 400 by default.
    let (page_size, page_number) = paging(
        Some(req.page_size.unwrap_or(400)),
        req.page_number,
        100..=65_535,
    )?;
    let levels: Vec<ReviewLevel> = if req.policy_level.is_empty() {
        vec![ReviewLevel::Assignment, ReviewLevel::HIT]
    } else {
        req.policy_level
            .iter()
            .map(|l| match l {
                api::ReviewPolicyLevel::Assignment => ReviewLevel::Assignment,
                api::ReviewPolicyLevel::Hit => ReviewLevel::HIT,
            })
            .collect()
    };
    let results = req.retrieve_results.unwrap_or(true);
    let actions = req.retrieve_actions.unwrap_or(true);
    svc.store.read(|tx| {
        let hit = own_hit(tx, ctx, &req.hit_id)?;
        let mut out = api::GetReviewResultsForHITResult {
            hit_id: hit.hit_id.clone(),
            ..Default::default()
        };
        for level in levels {
            let Some(policy) = tx.review_policy(&hit.hit_id, level)? else {
                continue;
            };
            let r = report(
                tx,
                &hit.hit_id,
                level,
                results,
                actions,
                page_size,
                page_number,
            )?;
            match level {
                ReviewLevel::Assignment => {
                    out.assignment_review_policy = Some(api_policy(&policy));
                    out.assignment_review_report = Some(r);
                }
                ReviewLevel::HIT => {
                    out.hit_review_policy = Some(api_policy(&policy));
                    out.hit_review_report = Some(r);
                }
            }
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests;
