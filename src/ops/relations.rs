//! A requester's relations with workers: blocks and messages.

use super::{Context, Service};
use crate::error::OpError;
use crate::model::requester as api;

pub fn notify_workers(
    _svc: &Service,
    _ctx: &Context,
    _req: api::NotifyWorkersRequest,
) -> Result<api::NotifyWorkersResult, OpError> {
    Err(OpError::NotImplemented(
        api::Operation::NotifyWorkers.name(),
    ))
}

pub fn get_blocked_workers(
    _svc: &Service,
    _ctx: &Context,
    _req: api::GetBlockedWorkersRequest,
) -> Result<api::GetBlockedWorkersResult, OpError> {
    Err(OpError::NotImplemented(
        api::Operation::GetBlockedWorkers.name(),
    ))
}

pub fn block_worker(
    _svc: &Service,
    _ctx: &Context,
    _req: api::BlockWorkerRequest,
) -> Result<api::BlockWorkerResult, OpError> {
    Err(OpError::NotImplemented(api::Operation::BlockWorker.name()))
}

pub fn unblock_worker(
    _svc: &Service,
    _ctx: &Context,
    _req: api::UnblockWorkerRequest,
) -> Result<api::UnblockWorkerResult, OpError> {
    Err(OpError::NotImplemented(
        api::Operation::UnblockWorker.name(),
    ))
}
