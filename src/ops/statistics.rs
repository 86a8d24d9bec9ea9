//! Requester and worker statistics, computed from the store.

use super::{Context, Service};
use crate::error::OpError;
use crate::model::requester as api;

pub fn get_requester_statistic(
    _svc: &Service,
    _ctx: &Context,
    _req: api::GetRequesterStatisticRequest,
) -> Result<api::GetStatisticResult, OpError> {
    Err(OpError::NotImplemented(
        api::Operation::GetRequesterStatistic.name(),
    ))
}

pub fn get_requester_worker_statistic(
    _svc: &Service,
    _ctx: &Context,
    _req: api::GetRequesterWorkerStatisticRequest,
) -> Result<api::GetStatisticResult, OpError> {
    Err(OpError::NotImplemented(
        api::Operation::GetRequesterWorkerStatistic.name(),
    ))
}
