//! Every change a requester makes to an existing HIT: review state, extension, expiry,
//! disabling, disposal and a change of type.

use chrono::{DateTime, Duration, Utc};

use super::create::{unique_token, MAX_ASSIGNMENTS, UNIQUE_TOKEN_LIFETIME};
use super::listing::hit_and_status;

use crate::error::OpError;
use crate::handlers::access::{own_hit, own_hit_even_disposed, own_hit_type};
use crate::handlers::events::{assignment_event, hit_event};
use crate::handlers::funds::{check_funds, pay};
use crate::handlers::rules::{in_range, required};
use crate::handlers::service::{Context, Service};
use crate::handlers::settle::hit_changed;
use crate::model::requester as api;
use crate::store::{AssignmentQuery, AssignmentSort, AssignmentState, HitState};

/// The commission doubles at ten assignments, so the legacy service refused to extend a HIT
/// across that line.
const COMMISSION_STEP: i64 = 10;

pub(crate) fn set_hit_as_reviewing(
    svc: &Service,
    ctx: &Context,
    req: api::SetHITAsReviewingRequest,
) -> Result<api::SetHITAsReviewingResult, OpError> {
    let now = ctx.now;
    let revert = req.revert.unwrap_or(false);
    svc.store.write(|tx| {
        let (mut hit, _, status) = hit_and_status(tx, own_hit(tx, ctx, &req.hit_id)?, now)?;
        hit.state = match (revert, status) {
            (false, api::HITStatus::Reviewable) => HitState::Reviewing,
            (true, api::HITStatus::Reviewing) => HitState::Open,
            _ => {
                let (wanted, verb) = if revert {
                    ("Reviewing", "reverted to Reviewable")
                } else {
                    ("Reviewable", "set to Reviewing")
                };
                return Err(OpError::InvalidHITState(format!(
                    "HIT {} has the status {}: only a {wanted} HIT can be {verb}.",
                    hit.hit_id,
                    status.as_str()
                )));
            }
        };
        tx.update_hit(&hit)?;
        Ok(api::SetHITAsReviewingResult::default())
    })
}

/// HITs created before this day could not be extended once the legacy service changed its
/// commission on 2015-07-22.
fn extensible_since() -> DateTime<Utc> {
    DateTime::from_timestamp(1_437_523_200, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

pub(crate) fn extend_hit(
    svc: &Service,
    ctx: &Context,
    req: api::ExtendHITRequest,
) -> Result<api::ExtendHITResult, OpError> {
    let now = ctx.now;
    let increment = req
        .max_assignments_increment
        .map(|n| in_range("MaxAssignmentsIncrement", n.into(), 1, MAX_ASSIGNMENTS))
        .transpose()?;
    let extension = req
        .expiration_increment_in_seconds
        .map(|s| in_range("ExpirationIncrementInSeconds", s, 3600, 31_536_000))
        .transpose()?;
    if increment.is_none() && extension.is_none() {
        return Err(OpError::InvalidParameterValue(
            "Give MaxAssignmentsIncrement, ExpirationIncrementInSeconds or both.".into(),
        ));
    }
    let token = unique_token(&req.unique_request_token)?;
    svc.store.write(|tx| {
        if let Some(t) = token {
            if let Some(earlier) =
                tx.extension_by_token(&ctx.requester, t, now - UNIQUE_TOKEN_LIFETIME)?
            {
                return Err(OpError::DuplicateCall { earlier });
            }
        }
        let mut hit = own_hit(tx, ctx, &req.hit_id)?;
        if hit.creation_time < extensible_since() {
            return Err(OpError::HITTooOldForExtension(hit.hit_id));
        }
        if let Some(n) = increment {
            let total = in_range(
                "MaxAssignments",
                hit.max_assignments.saturating_add(n),
                1,
                MAX_ASSIGNMENTS,
            )?;
            if hit.max_assignments < COMMISSION_STEP && total >= COMMISSION_STEP {
                return Err(OpError::InvalidMaximumAssignmentsIncrease(format!(
                    "HIT {} has {} assignments; a HIT with fewer than {COMMISSION_STEP} assignments cannot be extended to {COMMISSION_STEP} or more.",
                    hit.hit_id, hit.max_assignments
                )));
            }
            check_funds(tx, &ctx.requester, &hit.hit_type, total, n)?;
            hit.max_assignments = total;
        }
        if let Some(secs) = extension {
            let from = if hit.expiration > now {
                hit.expiration
            } else {
                now
            };
            hit.expiration = from + Duration::seconds(secs);
        }
        // Extended, a Reviewing HIT goes back on the market; once its new assignments are done or
        // its new lifetime is over it is Reviewable, whatever it was before.
        if hit.state == HitState::Reviewing {
            hit.state = HitState::Open;
        }
        tx.update_hit(&hit)?;
        svc.next_due.note(hit.expiration);
        if let Some(t) = token {
            tx.record_extension(&ctx.requester, t, now, &ctx.request_id, &hit.hit_id)?;
        }
        hit_event(tx, &hit, api::EventType::HitExtended, now)?;
        hit_changed(tx, &hit.hit_id, now)?;
        Ok(api::ExtendHITResult::default())
    })
}

pub(crate) fn force_expire_hit(
    svc: &Service,
    ctx: &Context,
    req: api::ForceExpireHITRequest,
) -> Result<api::ForceExpireHITResult, OpError> {
    let now = ctx.now;
    svc.store.write(|tx| {
        let mut hit = own_hit(tx, ctx, &req.hit_id)?;
        if hit.expiration <= now {
            return Err(OpError::InvalidHITState(format!(
                "HIT {} has already expired.",
                hit.hit_id
            )));
        }
        // Work already accepted may still be submitted; only new workers are turned away.
        hit.expiration = now;
        tx.update_hit(&hit)?;
        hit_changed(tx, &hit.hit_id, now)?;
        Ok(api::ForceExpireHITResult::default())
    })
}

pub(crate) fn disable_hit(
    svc: &Service,
    ctx: &Context,
    req: api::DisableHITRequest,
) -> Result<api::DisableHITResult, OpError> {
    let now = ctx.now;
    svc.store.write(|tx| {
        let hit = own_hit_even_disposed(tx, ctx, &req.hit_id)?;
        let (mut hit, counts, status) = hit_and_status(tx, hit, now)?;
        match status {
            api::HITStatus::Assignable | api::HITStatus::Unassignable => {}
            api::HITStatus::Disposed => {
                return Err(OpError::InvalidHITState(format!(
                    "HIT {} has already been disposed of.",
                    hit.hit_id
                )))
            }
            api::HITStatus::Reviewable | api::HITStatus::Reviewing => {
                return Err(OpError::InvalidHITState(format!(
                    "HIT {} is {}: DisableHIT does not work on reviewable HITs. Approve or reject its assignments, then call DisposeHIT.",
                    hit.hit_id,
                    status.as_str()
                )))
            }
        }
        // Submitted work is approved and paid, all of it or (short of funds) none of it.
        let submitted = tx
            .assignments_for_hit(&AssignmentQuery {
                hit_id: &hit.hit_id,
                states: &[AssignmentState::Submitted],
                sort: AssignmentSort::SubmitTime,
                descending: false,
                page_size: i64::MAX,
                page_number: 1,
            })?
            .items;
        check_funds(
            tx,
            &ctx.requester,
            &hit.hit_type,
            hit.max_assignments,
            counts.submitted,
        )?;
        for mut a in submitted {
            pay(tx, &ctx.requester, &a, &hit, now, false)?;
            a.status = AssignmentState::Approved;
            a.approval_time = Some(now);
            tx.update_assignment(&a)?;
            assignment_event(tx, api::EventType::AssignmentApproved, &a, now)?;
        }
        hit.state = HitState::Disposed;
        tx.update_hit(&hit)?;
        hit_event(tx, &hit, api::EventType::HitDisposed, now)?;
        Ok(api::DisableHITResult::default())
    })
}

pub(crate) fn dispose_hit(
    svc: &Service,
    ctx: &Context,
    req: api::DisposeHITRequest,
) -> Result<api::DisposeHITResult, OpError> {
    let now = ctx.now;
    svc.store.write(|tx| {
        let hit = own_hit_even_disposed(tx, ctx, &req.hit_id)?;
        let (mut hit, counts, status) = hit_and_status(tx, hit, now)?;
        // Only Reviewable HITs may be disposed of; a Reviewing one must be reverted first.
        if status != api::HITStatus::Reviewable {
            return Err(OpError::InvalidHITState(format!(
                "HIT {} is {}: only a Reviewable HIT can be disposed of.",
                hit.hit_id,
                status.as_str()
            )));
        }
        if counts.submitted > 0 {
            return Err(OpError::InvalidHITState(format!(
                "HIT {} has {} submitted assignments that are neither approved nor rejected.",
                hit.hit_id, counts.submitted
            )));
        }
        hit.state = HitState::Disposed;
        tx.update_hit(&hit)?;
        hit_event(tx, &hit, api::EventType::HitDisposed, now)?;
        Ok(api::DisposeHITResult::default())
    })
}

pub(crate) fn change_hit_type_of_hit(
    svc: &Service,
    ctx: &Context,
    req: api::ChangeHITTypeOfHITRequest,
) -> Result<api::ChangeHITTypeOfHITResult, OpError> {
    let type_id = required("HITTypeId", Some(&req.hit_type_id))?;
    svc.store.write(|tx| {
        let mut hit = own_hit(tx, ctx, &req.hit_id)?;
        let new_type = own_hit_type(tx, ctx, type_id)?;
        if new_type.reward != hit.hit_type.reward {
            return Err(OpError::InvalidParameterValue(format!(
                "HIT type {} has the Reward {}, but HIT {} has the Reward {}: the new type must have the same Reward.",
                new_type.hit_type_id,
                new_type.reward.formatted(),
                hit.hit_id,
                hit.hit_type.reward.formatted()
            )));
        }
        hit.hit_type_id = new_type.hit_type_id.clone();
        hit.hit_type = new_type;
        tx.update_hit(&hit)?;
        Ok(api::ChangeHITTypeOfHITResult::default())
    })
}
