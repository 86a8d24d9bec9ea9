//! Bonuses: GrantBonus and GetBonusPayments.

use chrono::Duration;

use super::render::{clamp_i32, price};
use super::rules::given;
use super::rules::{check_worker_id, paging};
use super::service::{Context, Service};
use crate::error::OpError;
use crate::model::requester as api;
use crate::money::Cents;
use crate::store::{AssignmentState, Bonus, HitState, LedgerEntry, LedgerKind};

const MAX_TOKEN_CHARS: usize = 64;
/// How long a UniqueRequestToken keeps a GrantBonus from being repeated.
const TOKEN_LIFETIME: Duration = Duration::hours(24);

/// The commission on a bonus: the 20% base rate with its one-cent minimum. The extra 20% that
/// HITs with ten or more assignments pay applies to their rewards, never to bonuses.
pub(super) fn bonus_fee(amount: Cents) -> Cents {
    amount.commission(1)
}

/// BonusAmount: US dollars in whole cents, more than nothing.
fn bonus_amount(p: &api::Price) -> Result<Cents, OpError> {
    if !p.currency_code.trim().eq_ignore_ascii_case("USD") {
        return Err(OpError::InvalidParameterValue(format!(
            "BonusAmount CurrencyCode {} is not supported; only USD is.",
            p.currency_code.trim()
        )));
    }
    match Cents::from_decimal_rounded(p.amount) {
        Some(c) if c.0 > 0 => Ok(c),
        _ => Err(OpError::InvalidParameterValue(format!(
            "BonusAmount Amount {} must be at least one cent.",
            p.amount
        ))),
    }
}

pub(super) fn grant_bonus(
    svc: &Service,
    ctx: &Context,
    req: api::GrantBonusRequest,
) -> Result<api::GrantBonusResult, OpError> {
    let worker_id = check_worker_id(&req.worker_id)?;
    let amount = bonus_amount(&req.bonus_amount)?;
    let reason = req.reason.trim();
    if reason.is_empty() {
        return Err(OpError::InvalidParameterValue(
            "The Reason parameter is required: tell the worker why the bonus is paid.".into(),
        ));
    }
    let token = given(&req.unique_request_token);
    if let Some(t) = token {
        if t.chars().count() > MAX_TOKEN_CHARS {
            return Err(OpError::InvalidParameterValue(format!(
                "UniqueRequestToken can be at most {MAX_TOKEN_CHARS} characters long."
            )));
        }
    }
    let fee = bonus_fee(amount);
    let assignment_id = req.assignment_id.trim();
    let now = ctx.now;
    svc.store.write(|tx| {
        if let Some(t) = token {
            if let Some(earlier) = tx.bonus_by_token(&ctx.requester, t, now - TOKEN_LIFETIME)? {
                return Err(OpError::DuplicateCall {
                    earlier: earlier.request_id,
                });
            }
        }
        let missing = || OpError::AssignmentDoesNotExist(assignment_id.to_uppercase());
        let a = tx.assignment(assignment_id)?.ok_or_else(missing)?;
        let hit = tx.hit(&a.hit_id)?.ok_or_else(missing)?;
        // Disposing of a HIT disposes of its assignments' data: no bonus after that.
        if hit.requester != ctx.requester || hit.state == HitState::Disposed {
            return Err(missing());
        }
        // The worker must have submitted the work. (Documentation before 2014 also asked for
        // the work to be reviewed first; the 2014-08-15 documentation no longer does.)
        match a.status {
            AssignmentState::Submitted | AssignmentState::Approved | AssignmentState::Rejected => {}
            AssignmentState::Accepted => {
                return Err(OpError::InvalidAssignmentState {
                    expected: "Submitted, Approved or Rejected",
                    current: a.status.as_str(),
                })
            }
            // Returned and abandoned work never reached the requester.
            AssignmentState::Returned | AssignmentState::Abandoned => return Err(missing()),
        }
        if a.worker_id != worker_id {
            return Err(OpError::InvalidParameterValue(format!(
                "Worker {worker_id} did not work on assignment {}.",
                a.assignment_id
            )));
        }
        let needed = amount.checked_add(fee).unwrap_or(Cents(i64::MAX));
        let available = tx.balance(&ctx.requester)?.unwrap_or_default();
        if available < needed {
            return Err(OpError::InsufficientFunds { needed, available });
        }
        for (kind, value) in [(LedgerKind::Bonus, amount), (LedgerKind::BonusFee, fee)] {
            tx.debit(&LedgerEntry {
                requester: ctx.requester.clone(),
                time: now,
                kind,
                amount: value,
                hit_id: Some(hit.hit_id.clone()),
                assignment_id: Some(a.assignment_id.clone()),
                worker_id: Some(a.worker_id.clone()),
            })?;
        }
        tx.insert_bonus(&Bonus {
            requester: ctx.requester.clone(),
            worker_id: a.worker_id.clone(),
            assignment_id: a.assignment_id.clone(),
            hit_id: hit.hit_id.clone(),
            amount,
            fee,
            reason: reason.to_string(),
            grant_time: now,
            unique_request_token: token.map(str::to_string),
            request_id: ctx.request_id.clone(),
        })?;
        Ok(())
    })?;
    Ok(api::GrantBonusResult::default())
}

pub(super) fn get_bonus_payments(
    svc: &Service,
    ctx: &Context,
    req: api::GetBonusPaymentsRequest,
) -> Result<api::GetBonusPaymentsResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 1..=100)?;
    let hit_id = given(&req.hit_id);
    let assignment_id = given(&req.assignment_id);
    if hit_id.is_none() && assignment_id.is_none() {
        return Err(OpError::InvalidParameterValue(
            "Either the HITId or the AssignmentId parameter must be specified.".into(),
        ));
    }
    svc.store.read(|tx| {
        if let Some(id) = hit_id {
            match tx.hit(id)? {
                Some(h) if h.requester == ctx.requester && h.state != HitState::Disposed => {}
                _ => return Err(OpError::HITDoesNotExist(id.to_uppercase())),
            }
        }
        if let Some(id) = assignment_id {
            let owned = match tx.assignment(id)? {
                Some(a) => tx
                    .hit(&a.hit_id)?
                    .is_some_and(|h| h.requester == ctx.requester && h.state != HitState::Disposed),
                None => false,
            };
            if !owned {
                return Err(OpError::AssignmentDoesNotExist(id.to_uppercase()));
            }
        }
        let page = tx.bonuses(
            &ctx.requester,
            hit_id,
            assignment_id,
            page_size,
            page_number,
        )?;
        Ok(api::GetBonusPaymentsResult {
            request: None,
            num_results: Some(clamp_i32(page.items.len() as i64)),
            page_number: Some(clamp_i32(page_number)),
            total_num_results: Some(clamp_i32(page.total)),
            bonus_payment: page
                .items
                .iter()
                .map(|b| api::BonusPayment {
                    request: None,
                    worker_id: Some(b.worker_id.clone()),
                    bonus_amount: Some(price(b.amount)),
                    assignment_id: Some(b.assignment_id.clone()),
                    reason: Some(b.reason.clone()),
                    grant_time: Some(b.grant_time),
                })
                .collect(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(amount: &str) -> api::Price {
        api::Price {
            amount: amount.parse().unwrap_or_default(),
            currency_code: "USD".into(),
            formatted_price: None,
        }
    }

    #[test]
    fn bonus_amounts_are_positive_whole_cents_in_dollars() {
        assert_eq!(bonus_amount(&usd("1.50")), Ok(Cents(150)));
        assert!(bonus_amount(&usd("0")).is_err());
        assert!(bonus_amount(&usd("0.005")).is_err());
        let mut euros = usd("1");
        euros.currency_code = "EUR".into();
        assert!(bonus_amount(&euros).is_err());
    }

    #[test]
    fn bonus_fee_is_twenty_percent_with_a_one_cent_minimum() {
        assert_eq!(bonus_fee(Cents(100)), Cents(20));
        assert_eq!(bonus_fee(Cents(1)), Cents(1));
        assert_eq!(bonus_fee(Cents(1000)), Cents(200));
    }

    /// What Amazon's Java SDK sent for `new BigDecimal(0.01)`.
    const JAVA_CENT: &str = "0.01000000000000000020816681711721685132943093776702880859375";

    #[test]
    fn create_hit_register_hit_type_and_grant_bonus_take_java_sdk_amounts() {
        use crate::handlers::test_support::{at, call, create_hit, service, REQUESTER};
        use crate::handlers::worker::{self, Answers};
        use crate::model::requester::Requester;
        let svc = service(at("2026-03-01T12:00:00Z"));
        let hit = create_hit(&svc, |r| r.reward = Some(usd(JAVA_CENT))).unwrap();
        let hit_id = hit.hit_id.unwrap_or_default();
        let stored = svc.store.read(|tx| tx.hit(&hit_id)).unwrap().unwrap();
        assert_eq!(stored.hit_type.reward, Cents(1));
        let registered = svc.register_hit_type(
            &call(&svc),
            api::RegisterHITTypeRequest {
                title: "Java".into(),
                description: "Amounts from doubles".into(),
                reward: usd(JAVA_CENT),
                assignment_duration_in_seconds: 600,
                ..Default::default()
            },
        );
        assert!(registered.unwrap().hit_type_id.is_some());

        let a = worker::accept(&svc, "AJAVAWORKER1", &hit_id).unwrap();
        worker::submit(&svc, &a, Answers::FreeText(vec![("q1".into(), "x".into())])).unwrap();
        let bonus = |amount: &str| {
            grant_bonus(
                &svc,
                &call(&svc),
                api::GrantBonusRequest {
                    worker_id: "AJAVAWORKER1".into(),
                    bonus_amount: usd(amount),
                    assignment_id: a.clone(),
                    reason: "Thanks".into(),
                    ..Default::default()
                },
            )
        };
        assert!(bonus(JAVA_CENT).is_ok());
        let paid = svc.store.read(|tx| tx.balance(REQUESTER)).unwrap();
        // $10.00 less the one-cent bonus and its one-cent fee.
        assert_eq!(paid, Some(Cents(998)));
        assert!(bonus("0.004999").is_err(), "rounds below a cent");
        assert!(bonus("-0.01").is_err());
    }
}
