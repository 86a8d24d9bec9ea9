//! Assignments: review (approve, reject, approve a rejection) and lookup.

use chrono::{DateTime, Duration, Utc};

use super::access::{own_assignment, own_hit, submitted_assignment};
use super::events::event;
use super::funds::pay;
use super::render::{self, clamp_i32, Groups};
use super::rules::{check_feedback, paging};
use super::service::{Context, Service};
use super::{ids, notifications};
use crate::error::OpError;
use crate::model::requester as api;
use crate::store::{AssignmentQuery, AssignmentSort, AssignmentState, HitState, Tx};

/// How long after submission a rejected assignment may still be approved.
const APPROVE_REJECTED_WINDOW: Duration = Duration::days(30);

/// What the requester decided about an assignment.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    Approve,
    Reject,
}

/// Moves an assignment out of state `from` as decided, paying on approval. Nothing changes
/// unless every check passes.
fn decide(
    svc: &Service,
    ctx: &Context,
    (id, feedback): (&str, Option<&str>),
    from: AssignmentState,
    decision: Decision,
) -> Result<(), OpError> {
    check_feedback(feedback)?;
    svc.store
        .write(|tx| decide_in(tx, &ctx.requester, id, feedback, from, decision, ctx.now))
        .map(|_| ())
}

/// The operations that decide about one assignment: `$from` is the state it must be in.
macro_rules! decision {
    ($(#[$doc:meta])* $name:ident($req:ident) -> $res:ident: $from:ident, $decision:ident) => {
        $(#[$doc])*
        pub(super) fn $name(
            svc: &Service,
            ctx: &Context,
            req: api::$req,
        ) -> Result<api::$res, OpError> {
            let target = (req.assignment_id.as_str(), req.requester_feedback.as_deref());
            decide(svc, ctx, target, AssignmentState::$from, Decision::$decision)?;
            Ok(api::$res::default())
        }
    };
}

decision!(approve_assignment(ApproveAssignmentRequest) -> ApproveAssignmentResult: Submitted, Approve);
decision!(reject_assignment(RejectAssignmentRequest) -> RejectAssignmentResult: Submitted, Reject);
decision!(
    /// Approves work rejected within the last 30 days, paying for it as an approval would.
    approve_rejected_assignment(ApproveRejectedAssignmentRequest) -> ApproveRejectedAssignmentResult: Rejected, Approve
);

/// The decision inside an open transaction (review policies take theirs this way). Raises the
/// assignment's notification; returns what happened, in words.
pub(crate) fn decide_in(
    tx: &Tx<'_>,
    requester: &str,
    id: &str,
    feedback: Option<&str>,
    from: AssignmentState,
    decision: Decision,
    now: DateTime<Utc>,
) -> Result<String, OpError> {
    let (mut a, hit) = own_assignment(tx, requester, id)?;
    if a.status != from {
        return Err(OpError::InvalidAssignmentState {
            expected: from.as_str(),
            current: a.status.as_str(),
        });
    }
    if from == AssignmentState::Rejected {
        if hit.state == HitState::Disposed {
            return Err(OpError::InvalidHITState(format!(
                "The HIT {} of this assignment has been disposed.",
                hit.hit_id
            )));
        }
        if now - a.submit_time.unwrap_or(a.accept_time) > APPROVE_REJECTED_WINDOW {
            return Err(OpError::InvalidAssignmentState {
                expected: "Rejected, submitted within the last 30 days",
                current: a.status.as_str(),
            });
        }
    }
    let event_type = match decision {
        Decision::Approve => {
            pay(tx, requester, &a, &hit, now, true)?;
            a.status = AssignmentState::Approved;
            a.approval_time = Some(now);
            api::EventType::AssignmentApproved
        }
        // A rejected assignment keeps its slot: rejecting never makes the HIT available again.
        Decision::Reject => {
            a.status = AssignmentState::Rejected;
            a.rejection_time = Some(now);
            api::EventType::AssignmentRejected
        }
    };
    if let Some(f) = feedback {
        a.requester_feedback = Some(f.to_string());
    }
    tx.update_assignment(&a)?;
    notifications::raise(tx, &event(&hit, event_type, now, Some(&a.assignment_id)))?;
    Ok(format!(
        "Assignment {} is {}.",
        a.assignment_id,
        a.status.as_str()
    ))
}

pub(super) fn get_assignment(
    svc: &Service,
    ctx: &Context,
    req: api::GetAssignmentRequest,
) -> Result<api::GetAssignmentResult, OpError> {
    let now = ctx.now;
    let groups = Groups::of(&req.response_group, &["Minimal"]);
    svc.store.read(|tx| {
        let (a, hit) = submitted_assignment(tx, &ctx.requester, &req.assignment_id)?;
        let counts = groups.hit_counts(tx, &hit.hit_id)?;
        Ok(api::GetAssignmentResult {
            request: None,
            assignment: Some(render::assignment(&a, groups)),
            hit: Some(render::hit(&hit, &counts, groups, now)),
        })
    })
}

pub(super) fn get_assignments_for_hit(
    svc: &Service,
    ctx: &Context,
    req: api::GetAssignmentsForHITRequest,
) -> Result<api::GetAssignmentsForHITResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 1..=100)?;
    let groups = Groups::of(&req.response_group, &["Minimal"]);
    let mut states: Vec<AssignmentState> = req
        .assignment_status
        .iter()
        .map(|s| match s {
            api::AssignmentStatus::Submitted => AssignmentState::Submitted,
            api::AssignmentStatus::Approved => AssignmentState::Approved,
            api::AssignmentStatus::Rejected => AssignmentState::Rejected,
        })
        .collect();
    if states.is_empty() {
        states = vec![
            AssignmentState::Submitted,
            AssignmentState::Approved,
            AssignmentState::Rejected,
        ];
    }
    let sort = match req.sort_property {
        Some(api::GetAssignmentsForHITSortProperty::AcceptTime) => AssignmentSort::AcceptTime,
        Some(api::GetAssignmentsForHITSortProperty::Answer) => AssignmentSort::Answer,
        Some(api::GetAssignmentsForHITSortProperty::AssignmentStatus) => {
            AssignmentSort::AssignmentStatus
        }
        Some(api::GetAssignmentsForHITSortProperty::SubmitTime) | None => {
            AssignmentSort::SubmitTime
        }
    };
    let descending = matches!(req.sort_direction, Some(api::SortDirection::Descending));
    // Settles first, so that work auto-approved a moment ago is listed as Approved.
    svc.store.read(|tx| {
        let hit = own_hit(tx, ctx, &req.hit_id)?;
        let page = tx.assignments_for_hit(&AssignmentQuery {
            hit_id: &hit.hit_id,
            states: &states,
            sort,
            descending,
            page_size,
            page_number,
        })?;
        Ok(api::GetAssignmentsForHITResult {
            request: None,
            page_number: Some(clamp_i32(page_number)),
            num_results: Some(clamp_i32(page.items.len() as i64)),
            total_num_results: Some(clamp_i32(page.total)),
            assignment: page
                .items
                .iter()
                .map(|a| render::assignment(a, groups))
                .collect(),
        })
    })
}

/// How long a URL from GetFileUploadURL serves its file, in clock time.
pub(super) const FILE_URL_LIFETIME: Duration = Duration::seconds(60);
/// The meta key under which the server's public base URL (`http://host:port`) is kept.
const PUBLIC_URL_KEY: &str = "public_base_url";
/// Where uploaded files are served, below the public base URL.
pub(super) const FILE_URL_PATH: &str = "/_turkstand/files/";

impl Service {
    /// Tells the service the address clients reach it at, so that the URLs it hands out (such
    /// as GetFileUploadURL's) point back at it.
    pub fn set_public_base_url(&self, url: &str) -> Result<(), OpError> {
        let url = url.trim_end_matches('/');
        Ok(self.store.write(|tx| tx.set_meta(PUBLIC_URL_KEY, url))?)
    }
}

pub(super) fn get_file_upload_url(
    svc: &Service,
    ctx: &Context,
    req: api::GetFileUploadURLRequest,
) -> Result<api::GetFileUploadURLResult, OpError> {
    let question = req.question_identifier.trim();
    if question.is_empty() {
        return Err(OpError::InvalidParameterValue(
            "The QuestionIdentifier parameter is required.".into(),
        ));
    }
    let now = ctx.now;
    svc.store.write(|tx| {
        // Uploaded files go with their HIT when it is disposed.
        let (a, _) = submitted_assignment(tx, &ctx.requester, &req.assignment_id)?;
        let file = tx
            .uploaded_file(&a.assignment_id, question)?
            .ok_or_else(|| {
                OpError::InvalidParameterValue(format!(
                    "Assignment {} has no uploaded file for the question {question}.",
                    a.assignment_id
                ))
            })?;
        let token = format!("{}{}", ids::random(), ids::random());
        tx.insert_file_url(&token, &file.file_key, now + FILE_URL_LIFETIME, now)?;
        let base = tx
            .meta(PUBLIC_URL_KEY)?
            .unwrap_or_else(|| "http://127.0.0.1:8080".to_string());
        Ok(api::GetFileUploadURLResult {
            request: None,
            file_upload_url: format!("{base}{FILE_URL_PATH}{token}"),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_rules_follow_the_seed_pages() {
        assert!(check_feedback(None).is_ok());
        assert!(check_feedback(Some(&"x".repeat(1024))).is_ok());
        assert!(check_feedback(Some(&"\u{e9}".repeat(1024))).is_ok());
        assert!(check_feedback(Some(&"x".repeat(1025))).is_err());
        assert!(check_feedback(Some("tab\tnewline\ncr\r fine")).is_ok());
        for bad in [0u8, 1, 8, 11, 12, 14, 31] {
            let text = format!("a{}b", bad as char);
            let err = check_feedback(Some(&text)).unwrap_err();
            assert_eq!(err.code(), "AWS.MechanicalTurk.InvalidParameterValue");
        }
    }
}
