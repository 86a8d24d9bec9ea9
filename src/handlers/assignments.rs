//! Assignments: review (approve, reject, approve a rejection) and lookup.

use chrono::{DateTime, Duration, Utc};

use super::hits::own_hit;
use super::render::{self, Groups};
use super::{ids, notifications, paging, Context, Service};
use crate::error::OpError;
use crate::model::requester as api;
use crate::money::Cents;
use crate::store::{
    self, AssignmentCounts, AssignmentQuery, AssignmentSort, AssignmentState, HitState,
    LedgerEntry, LedgerKind, Tx,
};

const MAX_FEEDBACK_CHARS: usize = 1024;
/// How long after submission a rejected assignment may still be approved.
const APPROVE_REJECTED_WINDOW: Duration = Duration::days(30);

/// RequesterFeedback: at most 1024 characters (a multi-byte character counts once), and none of
/// the control characters ASCII 0–8, 11, 12 and 14–31.
pub fn check_feedback(feedback: Option<&str>) -> Result<(), OpError> {
    let Some(text) = feedback else { return Ok(()) };
    if text.chars().count() > MAX_FEEDBACK_CHARS {
        return Err(OpError::InvalidParameterValue(format!(
            "RequesterFeedback can be at most {MAX_FEEDBACK_CHARS} characters long."
        )));
    }
    if let Some(bad) = text
        .chars()
        .find(|c| matches!(*c as u32, 0..=8 | 11 | 12 | 14..=31))
    {
        return Err(OpError::InvalidParameterValue(format!(
            "RequesterFeedback cannot contain the control character {:#04x}.",
            bad as u32
        )));
    }
    Ok(())
}

/// The assignment, provided it belongs to a HIT of the caller's.
fn own_assignment(
    tx: &Tx<'_>,
    requester: &str,
    id: &str,
) -> Result<(store::Assignment, store::Hit), OpError> {
    let id = id.trim();
    let missing = || OpError::AssignmentDoesNotExist(id.to_uppercase());
    let a = tx.assignment(id)?.ok_or_else(missing)?;
    let hit = tx.hit(&a.hit_id)?.ok_or_else(missing)?;
    if hit.requester != requester {
        return Err(missing());
    }
    Ok((a, hit))
}

/// An assignment of the caller's whose work reached the requester: submitted, approved or
/// rejected, on a HIT not disposed (a disposed HIT's assignments are gone with it).
fn submitted_assignment(
    tx: &Tx<'_>,
    requester: &str,
    id: &str,
) -> Result<(store::Assignment, store::Hit), OpError> {
    let (a, hit) = own_assignment(tx, requester, id)?;
    if hit.state == HitState::Disposed {
        return Err(OpError::AssignmentDoesNotExist(a.assignment_id));
    }
    match a.status {
        AssignmentState::Submitted | AssignmentState::Approved | AssignmentState::Rejected => {
            Ok((a, hit))
        }
        AssignmentState::Accepted => Err(OpError::InvalidAssignmentState {
            expected: "Submitted, Approved or Rejected",
            current: a.status.as_str(),
        }),
        // Returned and abandoned work never reached the requester.
        AssignmentState::Returned | AssignmentState::Abandoned => {
            Err(OpError::AssignmentDoesNotExist(a.assignment_id))
        }
    }
}

/// Pays the worker's reward and the commission from the requester's balance at `when`. With
/// `check_funds`, refuses (changing nothing) when the balance does not cover both.
pub fn pay(
    tx: &Tx<'_>,
    requester: &str,
    a: &store::Assignment,
    hit: &store::Hit,
    when: DateTime<Utc>,
    check_funds: bool,
) -> Result<(), OpError> {
    let reward = hit.hit_type.reward;
    let fee = reward.commission(hit.max_assignments);
    let needed = reward.checked_add(fee).unwrap_or(Cents(i64::MAX));
    let available = tx.balance(requester)?.unwrap_or_default();
    if check_funds && available < needed {
        return Err(OpError::InsufficientFunds { needed, available });
    }
    for (kind, amount) in [(LedgerKind::Reward, reward), (LedgerKind::RewardFee, fee)] {
        tx.debit(&LedgerEntry {
            requester: requester.to_string(),
            time: when,
            kind,
            amount,
            hit_id: Some(hit.hit_id.clone()),
            assignment_id: Some(a.assignment_id.clone()),
            worker_id: Some(a.worker_id.clone()),
        })?;
    }
    Ok(())
}

/// What the requester decided about an assignment.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Decision {
    Approve,
    Reject,
}

/// Moves an assignment out of state `from` as decided, paying on approval. Nothing changes
/// unless every check passes.
pub(super) fn decide(
    svc: &Service,
    ctx: &Context,
    id: &str,
    feedback: Option<&str>,
    from: AssignmentState,
    decision: Decision,
) -> Result<(), OpError> {
    check_feedback(feedback)?;
    let now = svc.now()?;
    svc.store
        .write(|tx| decide_in(tx, &ctx.requester, id, feedback, from, decision, now))
        .map(|_| ())
}

/// The decision inside an open transaction (review policies take theirs this way). Raises the
/// assignment's notification; returns what happened, in words.
pub(super) fn decide_in(
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
    notifications::raise(
        tx,
        &notifications::Event {
            event_type,
            time: now,
            requester,
            hit_type_id: &hit.hit_type_id,
            hit_id: &hit.hit_id,
            assignment_id: Some(&a.assignment_id),
        },
    )?;
    Ok(format!(
        "Assignment {} is {}.",
        a.assignment_id,
        a.status.as_str()
    ))
}

pub fn get_assignment(
    svc: &Service,
    ctx: &Context,
    req: api::GetAssignmentRequest,
) -> Result<api::GetAssignmentResult, OpError> {
    let now = svc.now()?;
    let groups = Groups::of(&req.response_group, &["Minimal"]);
    svc.store.read(|tx| {
        let (a, hit) = submitted_assignment(tx, &ctx.requester, &req.assignment_id)?;
        let counts = if groups.needs_counts() {
            tx.assignment_counts(&hit.hit_id)?
        } else {
            AssignmentCounts::default()
        };
        Ok(api::GetAssignmentResult {
            request: None,
            assignment: Some(render::assignment(&a, groups)),
            hit: Some(render::hit(&hit, &counts, groups, now)),
        })
    })
}

pub fn get_assignments_for_hit(
    svc: &Service,
    ctx: &Context,
    req: api::GetAssignmentsForHITRequest,
) -> Result<api::GetAssignmentsForHITResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 100)?;
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
    svc.now()?;
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
            page_number: Some(render::clamp_i32(page_number)),
            num_results: Some(render::clamp_i32(page.items.len() as i64)),
            total_num_results: Some(render::clamp_i32(page.total)),
            assignment: page
                .items
                .iter()
                .map(|a| render::assignment(a, groups))
                .collect(),
        })
    })
}

/// How long a URL from GetFileUploadURL serves its file, in clock time.
pub const FILE_URL_LIFETIME: Duration = Duration::seconds(60);
/// The meta key under which the server's public base URL (`http://host:port`) is kept.
const PUBLIC_URL_KEY: &str = "public_base_url";
/// Where uploaded files are served, below the public base URL.
pub const FILE_URL_PATH: &str = "/_turkstand/files/";

impl Service {
    /// Tells the service the address clients reach it at, so that the URLs it hands out (such
    /// as GetFileUploadURL's) point back at it.
    pub fn set_public_base_url(&self, url: &str) -> Result<(), OpError> {
        let url = url.trim_end_matches('/');
        Ok(self.store.write(|tx| tx.set_meta(PUBLIC_URL_KEY, url))?)
    }
}

pub fn get_file_upload_url(
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
    let now = svc.now()?;
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
