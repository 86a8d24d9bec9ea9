//! Bonuses: GrantBonus and GetBonusPayments.

use super::{Context, Service};
use crate::error::OpError;
use crate::model::requester as api;

pub fn grant_bonus(
    _svc: &Service,
    _ctx: &Context,
    _req: api::GrantBonusRequest,
) -> Result<api::GrantBonusResult, OpError> {
    Err(OpError::NotImplemented(api::Operation::GrantBonus.name()))
}

pub fn get_bonus_payments(
    _svc: &Service,
    _ctx: &Context,
    _req: api::GetBonusPaymentsRequest,
) -> Result<api::GetBonusPaymentsResult, OpError> {
    Err(OpError::NotImplemented(
        api::Operation::GetBonusPayments.name(),
    ))
}
