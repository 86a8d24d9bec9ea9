//! Simulated workers: they accept and submit HIT work and ask for qualifications, so that a
//! requester client has something real to review. Used by the admin API and the CLI.

use chrono::Duration;

use crate::error::OpError;
use crate::model::requester::HITStatus;
use crate::money::Cents;
use crate::ops::{hit_status, ids, questions, Service};
use crate::store::{
    self, AssignmentState, QualificationRequestState, QualificationState, QualificationTypeState,
    StoreError,
};

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
    #[error("{0}")]
    BadInput(String),
    #[error("There is no account {0}.")]
    NoSuchAccount(String),
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
            WorkerError::BadInput(_) => "AWS.MechanicalTurk.InvalidParameterValue",
            WorkerError::NoSuchAccount(_) => "AWS.NotAuthorized",
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
        )
    }
}

fn check_worker_id(worker: &str) -> Result<&str, WorkerError> {
    let w = worker.trim();
    if w.is_empty()
        || w.len() > 64
        || !w
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(WorkerError::BadInput(format!(
            "WorkerId {worker:?} is invalid."
        )));
    }
    Ok(w)
}

/// A worker accepts a HIT, taking one of its assignment slots.
pub fn accept(svc: &Service, worker: &str, hit_id: &str) -> Result<String, WorkerError> {
    let worker = check_worker_id(worker)?;
    let now = svc.now()?;
    svc.store.write(|tx| {
        let hit = match tx.hit(hit_id.trim())? {
            Some(h) => h,
            None => return Err(OpError::HITDoesNotExist(hit_id.trim().to_uppercase()).into()),
        };
        for earlier in tx.worker_assignments_for_hit(&hit.hit_id, worker)? {
            match earlier.status {
                AssignmentState::Rejected => {
                    return Err(WorkerError::PreviouslyRejected {
                        worker: worker.into(),
                        hit: hit.hit_id.clone(),
                    })
                }
                AssignmentState::Returned | AssignmentState::Abandoned => {}
                _ => {
                    return Err(WorkerError::AlreadyAccepted {
                        worker: worker.into(),
                        hit: hit.hit_id.clone(),
                    })
                }
            }
        }
        let counts = tx.assignment_counts(&hit.hit_id)?;
        let status = hit_status(&hit, &counts, now);
        if status != HITStatus::Assignable {
            return Err(WorkerError::NotAssignable {
                hit: hit.hit_id.clone(),
                status: status.as_str(),
            });
        }
        let a = store::Assignment {
            assignment_id: ids::random(),
            hit_id: hit.hit_id.clone(),
            worker_id: worker.to_string(),
            status: AssignmentState::Accepted,
            accept_time: now,
            deadline: now + Duration::seconds(hit.hit_type.assignment_duration),
            submit_time: None,
            auto_approval_time: None,
            approval_time: None,
            rejection_time: None,
            answer: None,
            requester_feedback: None,
        };
        tx.insert_assignment(&a)?;
        svc.next_due.note(a.deadline + Duration::seconds(1));
        Ok(a.assignment_id)
    })
}

/// The answers a worker submits: a QuestionFormAnswers document, or free text per question.
pub enum Answers {
    Document(String),
    FreeText(Vec<(String, String)>),
}

/// A worker submits an accepted assignment.
pub fn submit(svc: &Service, assignment_id: &str, answers: Answers) -> Result<(), WorkerError> {
    let document = match answers {
        Answers::Document(d) => d,
        Answers::FreeText(pairs) => {
            questions::answers_document(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        }
    };
    questions::validate_answers(&document)
        .map_err(|e| WorkerError::Op(OpError::XMLParseError(e)))?;
    let now = svc.now()?;
    svc.store.write(|tx| {
        let id = assignment_id.trim();
        let mut a = tx
            .assignment(id)?
            .ok_or_else(|| OpError::AssignmentDoesNotExist(id.to_uppercase()))?;
        if a.status != AssignmentState::Accepted {
            return Err(WorkerError::NotSubmittable {
                id: a.assignment_id,
                status: a.status.as_str(),
            });
        }
        if now > a.deadline {
            return Err(WorkerError::DeadlinePassed);
        }
        let hit = tx
            .hit(&a.hit_id)?
            .ok_or_else(|| OpError::HITDoesNotExist(a.hit_id.clone()))?;
        a.status = AssignmentState::Submitted;
        a.submit_time = Some(now);
        a.auto_approval_time = Some(now + Duration::seconds(hit.hit_type.auto_approval_delay));
        a.answer = Some(document);
        tx.update_assignment(&a)?;
        if let Some(t) = a.auto_approval_time {
            svc.next_due.note(t);
        }
        Ok(())
    })
}

/// A worker asks for a qualification. AutoGranted types grant it at once.
pub fn request_qualification(
    svc: &Service,
    worker: &str,
    qualification_type_id: &str,
) -> Result<String, WorkerError> {
    let worker = check_worker_id(worker)?;
    let now = svc.now()?;
    svc.store.write(|tx| {
        let id = qualification_type_id.trim();
        let t = match tx.qualification_type(id)? {
            Some(t) if t.status != QualificationTypeState::Disposed => t,
            _ => return Err(OpError::QualificationTypeDoesNotExist(id.to_uppercase()).into()),
        };
        if t.status != QualificationTypeState::Active {
            return Err(WorkerError::QualificationTypeInactive(
                t.qualification_type_id,
            ));
        }
        let request = store::QualificationRequest {
            qualification_request_id: ids::random(),
            qualification_type_id: t.qualification_type_id.clone(),
            worker_id: worker.to_string(),
            state: if t.auto_granted {
                QualificationRequestState::Granted
            } else {
                QualificationRequestState::Pending
            },
            test: t.test.clone(),
            answer: None,
            submit_time: now,
            reason: None,
        };
        if tx.has_pending_qualification_request(&t.qualification_type_id, worker)? {
            return Err(WorkerError::RequestPending {
                worker: worker.into(),
                qualification_type: t.qualification_type_id,
            });
        }
        tx.insert_qualification_request(&request)?;
        if t.auto_granted {
            tx.upsert_qualification(&store::Qualification {
                qualification_type_id: t.qualification_type_id.clone(),
                worker_id: worker.to_string(),
                integer_value: Some(t.auto_granted_value.unwrap_or(1)),
                locale_country: None,
                locale_subdivision: None,
                grant_time: now,
                status: QualificationState::Granted,
            })?;
        }
        Ok(request.qualification_request_id)
    })
}

/// Sets a requester's available balance, to exercise InsufficientFunds paths.
pub fn set_balance(svc: &Service, access_key_id: &str, balance: Cents) -> Result<(), WorkerError> {
    svc.store.write(|tx| {
        if tx.set_balance(access_key_id, balance)? {
            Ok(())
        } else {
            Err(WorkerError::NoSuchAccount(access_key_id.to_string()))
        }
    })
}

/// Clears all data; accounts go back to their configured balances.
pub fn reset(svc: &Service) -> Result<(), WorkerError> {
    svc.store.write(|tx| tx.reset())?;
    svc.next_due.forget();
    Ok(())
}
