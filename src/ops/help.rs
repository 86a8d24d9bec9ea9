//! Help: the operations and response groups of the interface, described.

use super::{Context, Service};
use crate::error::OpError;
use crate::model::requester as api;

pub fn help(
    _svc: &Service,
    _ctx: &Context,
    _req: api::HelpRequest,
) -> Result<api::Information, OpError> {
    Err(OpError::NotImplemented(api::Operation::Help.name()))
}
