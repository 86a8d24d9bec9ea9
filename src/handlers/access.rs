//! What the caller may touch: its own HITs, HIT types and assignments. Anything else reads as
//! missing, as it did on the legacy service, so one requester learns nothing of another's.

use super::service::Context;
use super::system_qualifications;
use crate::error::OpError;
use crate::store::{self, AssignmentState, HitState, Tx};

/// The caller's own HIT, or HITDoesNotExist.
pub(crate) fn own_hit(tx: &Tx<'_>, ctx: &Context, hit_id: &str) -> Result<store::Hit, OpError> {
    let hit = own_hit_even_disposed(tx, ctx, hit_id)?;
    if hit.state == HitState::Disposed {
        return Err(OpError::HITDoesNotExist(hit.hit_id));
    }
    Ok(hit)
}

/// The caller's own HIT, disposed of or not: DisableHIT and DisposeHIT say a disposed HIT is
/// in the wrong state rather than missing.
pub(crate) fn own_hit_even_disposed(
    tx: &Tx<'_>,
    ctx: &Context,
    hit_id: &str,
) -> Result<store::Hit, OpError> {
    match tx.hit(hit_id.trim())? {
        Some(h) if h.requester == ctx.requester => Ok(h),
        _ => Err(OpError::HITDoesNotExist(hit_id.trim().to_uppercase())),
    }
}

/// The caller's own HIT type.
pub(crate) fn own_hit_type(
    tx: &Tx<'_>,
    ctx: &Context,
    id: &str,
) -> Result<store::HitType, OpError> {
    let id = id.trim();
    match tx.hit_type(id)? {
        Some(t) if t.requester == ctx.requester && !requires_disposed_type(tx, &t)? => Ok(t),
        _ => Err(OpError::InvalidParameterValue(format!(
            "HITTypeId {} does not exist.",
            id.to_uppercase()
        ))),
    }
}

/// Whether a HIT type requires a qualification type that has been disposed of: disposing a
/// qualification type disposed of the HIT types requiring it.
fn requires_disposed_type(tx: &Tx<'_>, t: &store::HitType) -> Result<bool, OpError> {
    for r in &t.qualification_requirements {
        if system_qualifications::system_type(&r.qualification_type_id).is_some() {
            continue;
        }
        match tx.qualification_type(&r.qualification_type_id)? {
            Some(q) if q.status != store::QualificationTypeState::Disposed => {}
            _ => return Ok(true),
        }
    }
    Ok(false)
}

/// The assignment, provided it belongs to a HIT of the caller's.
pub(crate) fn own_assignment(
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
pub(crate) fn submitted_assignment(
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
