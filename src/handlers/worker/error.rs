//! Why a simulated worker's action was refused, in the legacy service's codes.

use crate::error::OpError;
use crate::store::StoreError;

/// Why a simulated worker's action was refused. Codes are the legacy ones where one fits.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WorkerError {
    #[error("{0}")]
    Op(#[from] OpError),
    #[error("Worker {worker} already holds an assignment for HIT {hit}.")]
    AlreadyAccepted { worker: String, hit: String },
    #[error("Worker {worker} was rejected on HIT {hit} and may not accept it again.")]
    PreviouslyRejected { worker: String, hit: String },
    #[error("HIT {hit} is not available to accept: its status is {status}.")]
    NotAssignable { hit: String, status: &'static str },
    #[error("Assignment {id} cannot be submitted: its status is {status}.")]
    NotSubmittable { id: String, status: &'static str },
    #[error("The assignment's deadline has passed; the work was abandoned.")]
    DeadlinePassed,
    #[error(
        "Worker {worker} already has a pending request for QualificationType {qualification_type}."
    )]
    RequestPending {
        worker: String,
        qualification_type: String,
    },
    #[error("QualificationType {0} is not active.")]
    QualificationTypeInactive(String),
    #[error("Worker {worker} already holds QualificationType {qualification_type}.")]
    AlreadyQualified {
        worker: String,
        qualification_type: String,
    },
    #[error("QualificationType {0} does not allow a worker to request it again.")]
    RetakeNotAllowed(String),
    #[error("QualificationType {qualification_type} can be requested again from {from}.")]
    RetryDelayNotElapsed {
        qualification_type: String,
        from: String,
    },
    #[error("QualificationRequest {0} is not waiting for test answers.")]
    NotAwaitingAnswers(String),
    #[error("The time allowed for the test of QualificationRequest {0} has run out.")]
    TestTimeExpired(String),
    #[error("{0}")]
    BadInput(String),
    #[error("There is no account {0}.")]
    NoSuchAccount(String),
    #[error("Worker {worker} does not meet the QualificationRequirement on {qualification_type} of HIT {hit}.")]
    DoesNotMeetRequirements {
        worker: String,
        hit: String,
        qualification_type: String,
    },
    #[error("The requester of HIT {hit} has blocked worker {worker}.")]
    Blocked { worker: String, hit: String },
    #[error("Assignment {id} cannot be returned: its status is {status}.")]
    NotReturnable { id: String, status: &'static str },
    #[error("This file URL has expired.")]
    FileUrlExpired,
    #[error("There is no file at this URL.")]
    FileUrlUnknown,
}

impl From<StoreError> for WorkerError {
    fn from(e: StoreError) -> Self {
        WorkerError::Op(e.into())
    }
}

impl WorkerError {
    pub fn code(&self) -> &'static str {
        match self {
            WorkerError::Op(e) => e.code(),
            WorkerError::AlreadyAccepted { .. } => "AWS.MechanicalTurk.AssignmentAlreadyExists",
            WorkerError::PreviouslyRejected { .. } => "AWS.MechanicalTurk.DoesNotMeetRequirements",
            WorkerError::NotAssignable { .. } => "AWS.MechanicalTurk.InvalidHITState",
            WorkerError::NotSubmittable { .. } | WorkerError::DeadlinePassed => {
                "AWS.MechanicalTurk.InvalidAssignmentState"
            }
            WorkerError::RequestPending { .. } => "AWS.MechanicalTurk.QualificationAlreadyExists",
            WorkerError::QualificationTypeInactive(_) => {
                "AWS.MechanicalTurk.InvalidQualificationTypeState"
            }
            WorkerError::AlreadyQualified { .. } => "AWS.MechanicalTurk.QualificationAlreadyExists",
            WorkerError::RetakeNotAllowed(_) => {
                "AWS.MechanicalTurk.QualificationTypeDoesNotAllowRetake"
            }
            WorkerError::RetryDelayNotElapsed { .. } => {
                "AWS.MechanicalTurk.QualificationTypeRetryDelayNotElapsed"
            }
            WorkerError::NotAwaitingAnswers(_) | WorkerError::TestTimeExpired(_) => {
                "AWS.MechanicalTurk.InvalidQualificationRequestState"
            }
            WorkerError::BadInput(_) => "AWS.MechanicalTurk.InvalidParameterValue",
            WorkerError::NoSuchAccount(_) => "AWS.NotAuthorized",
            WorkerError::DoesNotMeetRequirements { .. } => {
                "AWS.MechanicalTurk.DoesNotMeetRequirements"
            }
            WorkerError::Blocked { .. } => "AWS.MechanicalTurk.PermissionDeniedException",
            WorkerError::NotReturnable { .. } => "AWS.MechanicalTurk.InvalidAssignmentState",
            // Not legacy API errors: the file URL answers with an HTTP status only.
            WorkerError::FileUrlExpired | WorkerError::FileUrlUnknown => "NotFound",
        }
    }

    /// Whether the fault lies with the server rather than the caller.
    pub fn is_internal(&self) -> bool {
        matches!(self, WorkerError::Op(OpError::Internal(_)))
    }

    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            WorkerError::Op(
                OpError::HITDoesNotExist(_)
                    | OpError::AssignmentDoesNotExist(_)
                    | OpError::QualificationTypeDoesNotExist(_)
            ) | WorkerError::NoSuchAccount(_)
                | WorkerError::FileUrlUnknown
        )
    }
}
