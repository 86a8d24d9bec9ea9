//! Operation errors and their one-way mapping to the legacy error codes.

use crate::model::requester::{Errors, ErrorsError};

/// An error raised by an operation handler. Each variant maps to exactly one legacy code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OpError {
    #[error("{0}")]
    InvalidParameterValue(String),
}

impl OpError {
    pub fn code(&self) -> &'static str {
        match self {
            OpError::InvalidParameterValue(_) => "AWS.MechanicalTurk.InvalidParameterValue",
        }
    }

    /// The legacy `Errors` element for this error.
    pub fn to_errors(&self) -> Errors {
        Errors {
            error: vec![ErrorsError {
                code: self.code().to_string(),
                message: self.to_string(),
                data: Vec::new(),
            }],
        }
    }
}
