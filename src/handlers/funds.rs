//! Money leaving a requester's balance: the check before work is offered, and the payment of a
//! reward and its commission when work is approved.

use chrono::{DateTime, Utc};

use crate::error::OpError;
use crate::money::Cents;
use crate::store::{self, LedgerEntry, LedgerKind, Tx};

/// Refuses unless the balance covers the reward and commission of `slots` more assignments of a
/// HIT that will have `max_assignments` in all. Nothing is reserved: payment comes at approval.
pub(crate) fn check_funds(
    tx: &Tx<'_>,
    requester: &str,
    hit_type: &store::HitType,
    max_assignments: i64,
    slots: i64,
) -> Result<(), OpError> {
    let reward = hit_type.reward;
    let per_assignment = reward
        .checked_add(reward.commission(max_assignments))
        .ok_or_else(|| OpError::InvalidParameterValue("The Reward is too large.".into()))?;
    let needed = Cents(per_assignment.0.saturating_mul(slots));
    let available = tx.balance(requester)?.unwrap_or_default();
    if available < needed {
        return Err(OpError::InsufficientFunds { needed, available });
    }
    Ok(())
}

/// Pays the worker's reward and the commission from the requester's balance at `when`. With
/// `check_funds`, refuses (changing nothing) when the balance does not cover both.
pub(crate) fn pay(
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
