//! The requester's account.

use super::render::price;
use super::service::{Context, Service};
use crate::error::OpError;
use crate::model::requester as api;
use crate::money::Cents;

pub(super) fn get_account_balance(
    svc: &Service,
    ctx: &Context,
    _: api::GetAccountBalanceRequest,
) -> Result<api::GetAccountBalanceResult, OpError> {
    let balance = svc
        .store
        .read(|tx| tx.balance(&ctx.requester))?
        .unwrap_or_default();
    Ok(api::GetAccountBalanceResult {
        request: None,
        available_balance: Some(price(balance)),
        // The legacy service always reported nothing on hold.
        on_hold_balance: Some(price(Cents(0))),
    })
}
