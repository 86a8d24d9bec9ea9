//! What a worker's dashboard shows: its assignments, the bonuses it was paid, the
//! qualifications it holds, and a qualification test it is taking.

use super::error::WorkerError;
use super::work::check_worker_id;
use crate::error::OpError;
use crate::handlers::service::Service;
use crate::store::{self, QualificationRequestState};

/// Every assignment the worker ever held, newest first, as of now.
pub fn worker_assignments(
    svc: &Service,
    worker: &str,
) -> Result<Vec<store::Assignment>, WorkerError> {
    let worker = check_worker_id(worker)?;
    svc.settle_due_changes()?;
    Ok(svc.store.read(|tx| tx.worker_assignments(worker))?)
}

/// Every bonus the worker was paid, newest first.
pub fn bonuses_received(svc: &Service, worker: &str) -> Result<Vec<store::Bonus>, WorkerError> {
    let worker = check_worker_id(worker)?;
    Ok(svc.store.read(|tx| tx.worker_bonuses(worker))?)
}

/// The qualifications the worker holds, granted and not revoked (system ones, computed, are not
/// among them).
pub fn qualifications_held(
    svc: &Service,
    worker: &str,
) -> Result<Vec<store::Qualification>, WorkerError> {
    let worker = check_worker_id(worker)?;
    svc.settle_due_changes()?;
    Ok(svc.store.read(|tx| tx.worker_qualifications(worker))?)
}

/// The worker's own qualification request while it waits for the test's answers; another
/// worker's is as good as unknown.
pub fn test_to_take(
    svc: &Service,
    worker: &str,
    qualification_request_id: &str,
) -> Result<store::QualificationRequest, WorkerError> {
    let worker = check_worker_id(worker)?;
    let id = qualification_request_id.trim();
    let r = svc
        .store
        .read(|tx| tx.qualification_request(id))?
        .filter(|r| r.worker_id == worker)
        .ok_or_else(|| OpError::QualificationRequestDoesNotExist(id.to_uppercase()))?;
    if r.state != QualificationRequestState::AwaitingAnswers {
        return Err(WorkerError::NotAwaitingAnswers(r.qualification_request_id));
    }
    Ok(r)
}
