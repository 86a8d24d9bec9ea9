//! Operation errors and their one-way mapping to the legacy error codes.

use crate::money::Cents;
use crate::store::StoreError;
use crate::xml::DecodeError;

/// An error raised by an operation handler. Each variant maps to exactly one legacy code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OpError {
    #[error("{0}")]
    InvalidParameterValue(String),
    /// Names the first missing parameter.
    #[error("Your request is missing required parameters. Required parameters include {0}.")]
    MissingParameters(String),
    #[error("{0}")]
    ParameterOutOfRange(String),
    #[error("Assignment {0} does not exist.")]
    AssignmentDoesNotExist(String),
    #[error("Hit {0} does not exist.")]
    HITDoesNotExist(String),
    #[error("QualificationType {0} does not exist.")]
    QualificationTypeDoesNotExist(String),
    #[error("QualificationRequest {0} does not exist.")]
    QualificationRequestDoesNotExist(String),
    #[error("This operation can be called with a status of: {expected}")]
    InvalidAssignmentState {
        expected: &'static str,
        current: &'static str,
    },
    #[error("{0}")]
    InvalidHITState(String),
    #[error("You have insufficient funds in your account to complete this request: it costs {needed}, and your available balance is {available}.", needed = .needed.formatted(), available = .available.formatted())]
    InsufficientFunds { needed: Cents, available: Cents },
    #[error("There was an error parsing the XML question or answer data in your request: {0}")]
    XMLParseError(String),
    #[error("You have already created a QualificationType with this name. A QualificationType's name must be unique among all of the QualificationTypes created by the same user.")]
    QualificationTypeAlreadyExists { existing: String },
    #[error("There is already a HIT which exists with the same Unique Request Token as this request: {existing}")]
    HITAlreadyExists { existing: String },
    #[error(
        "This request is a duplicate of an earlier one with the same UniqueRequestToken: {earlier}"
    )]
    DuplicateCall { earlier: String },
    #[error("{0}")]
    InvalidMaximumAssignmentsIncrease(String),
    #[error("HIT {0} was created before 2015-07-22 and cannot be extended.")]
    HITTooOldForExtension(String),
    #[error("{0}")]
    InvalidQualificationTypeState(String),
    #[error("{0}")]
    InvalidQualificationState(String),
    #[error("{0}")]
    InvalidQualificationRequestState(String),
    #[error("Qualification of type {qualification_type} for worker {worker} does not exist.")]
    QualificationDoesNotExist {
        qualification_type: String,
        worker: String,
    },
    #[error("{0}")]
    InvalidTransportEndpoint(String),
    #[error("HITLayout {0} does not exist.")]
    HITLayoutDoesNotExist(String),
    #[error("The operation {0} is not implemented by turkstand yet.")]
    NotImplemented(&'static str),
    #[error("The service could not complete the request: {0}")]
    Internal(String),
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "store failure");
        OpError::Internal(e.to_string())
    }
}

impl OpError {
    /// A request that does not decode, answered as the legacy service answered it: a missing
    /// parameter by name, anything else as an invalid value of the parameter it concerns.
    pub fn from_decode(e: &DecodeError) -> OpError {
        let parameter = e.parameter();
        match e {
            DecodeError::Missing { .. } | DecodeError::MissingAttribute { .. } => {
                OpError::MissingParameters(parameter)
            }
            DecodeError::Invalid {
                value, expected, ..
            } => OpError::InvalidParameterValue(format!(
                "The value \"{value}\" is invalid for {parameter}: it is not a valid {expected}."
            )),
            DecodeError::Unexpected { .. } => {
                OpError::InvalidParameterValue(format!("{parameter} is not a valid parameter."))
            }
            DecodeError::Duplicate { .. } => {
                OpError::InvalidParameterValue(format!("{parameter} may be given only once."))
            }
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            OpError::InvalidParameterValue(_) => "AWS.MechanicalTurk.InvalidParameterValue",
            OpError::MissingParameters(_) => "AWS.MissingParameters",
            OpError::ParameterOutOfRange(_) => "AWS.ParameterOutOfRange",
            OpError::AssignmentDoesNotExist(_) => "AWS.MechanicalTurk.AssignmentDoesNotExist",
            OpError::HITDoesNotExist(_) => "AWS.MechanicalTurk.HITDoesNotExist",
            OpError::QualificationTypeDoesNotExist(_) => {
                "AWS.MechanicalTurk.QualificationTypeDoesNotExist"
            }
            OpError::QualificationRequestDoesNotExist(_) => {
                "AWS.MechanicalTurk.QualificationRequestDoesNotExist"
            }
            OpError::InvalidAssignmentState { .. } => "AWS.MechanicalTurk.InvalidAssignmentState",
            OpError::InvalidHITState(_) => "AWS.MechanicalTurk.InvalidHITState",
            OpError::InsufficientFunds { .. } => "AWS.MechanicalTurk.InsufficientFunds",
            OpError::XMLParseError(_) => "AWS.MechanicalTurk.XMLParseError",
            OpError::QualificationTypeAlreadyExists { .. } => {
                "AWS.MechanicalTurk.QualificationTypeAlreadyExists"
            }
            OpError::HITAlreadyExists { .. } => "AWS.MechanicalTurk.HITAlreadyExists",
            OpError::HITLayoutDoesNotExist(_) => "AWS.MechanicalTurk.HITLayoutDoesNotExist",
            OpError::DuplicateCall { .. } => "AWS.MechanicalTurk.DuplicateCall",
            OpError::HITTooOldForExtension(_) => "AWS.MechanicalTurk.HITTooOldForExtension",
            OpError::InvalidMaximumAssignmentsIncrease(_) => {
                "AWS.MechanicalTurk.InvalidMaximumAssignmentsIncrease"
            }
            OpError::InvalidQualificationTypeState(_) => {
                "AWS.MechanicalTurk.InvalidQualificationTypeState"
            }
            OpError::InvalidQualificationState(_) => "AWS.MechanicalTurk.InvalidQualificationState",
            OpError::InvalidQualificationRequestState(_) => {
                "AWS.MechanicalTurk.InvalidQualificationRequestState"
            }
            OpError::QualificationDoesNotExist { .. } => {
                "AWS.MechanicalTurk.QualificationDoesNotExist"
            }
            OpError::InvalidTransportEndpoint(_) => "AWS.MechanicalTurk.InvalidTransportEndpoint",
            // The legacy service had no "not implemented" code; an unavailable service is the
            // closest it said, and HTTP stays 200 so clients do not retry.
            OpError::NotImplemented(_) | OpError::Internal(_) => "AWS.ServiceUnavailable",
        }
    }

    /// The `Data` pairs the legacy `Errors` element carried for this error.
    pub fn data(&self) -> Vec<(&'static str, String)> {
        let pair = |k: &'static str, v: &str| (k, v.to_string());
        match self {
            OpError::AssignmentDoesNotExist(id) => vec![pair("AssignmentId", id)],
            OpError::HITDoesNotExist(id) => vec![pair("HITId", id)],
            OpError::QualificationTypeDoesNotExist(id) => vec![pair("QualificationTypeId", id)],
            OpError::QualificationRequestDoesNotExist(id) => {
                vec![pair("QualificationRequestId", id)]
            }
            OpError::InvalidAssignmentState { current, .. } => vec![pair("CurrentState", current)],
            OpError::QualificationTypeAlreadyExists { existing } => {
                vec![pair("QualificationTypeId", existing)]
            }
            OpError::HITAlreadyExists { existing } => vec![pair("HITId", existing)],
            _ => Vec::new(),
        }
    }
}
