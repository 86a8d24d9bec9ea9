//! Qualification requests: a worker asks for a qualification, takes its test, and is granted it
//! at once (AutoGranted, or graded by the AnswerKey) or waits for the requester.

use chrono::Duration;
use serde::Serialize;

use super::error::WorkerError;
use super::marketplace::wire_time;
use super::work::{check_worker_id, Answers};
use crate::error::OpError;
use crate::handlers::service::Service;
use crate::handlers::system_qualifications::{self};
use crate::handlers::{ids, questions};
use crate::store::{
    self, QualificationRequestState, QualificationState, QualificationTypeState, StoreError, Tx,
};

/// A worker asks for a qualification. AutoGranted types grant it at once; a type with a Test
/// waits for the worker's answers (`submit_qualification_answers`); any other request waits for
/// the requester. RetryDelayInSeconds governs asking again; without it, a worker asks once.
pub fn request_qualification(
    svc: &Service,
    worker: &str,
    qualification_type_id: &str,
) -> Result<QualificationRequestView, WorkerError> {
    let worker = check_worker_id(worker)?;
    let now = svc.settle_due_changes()?;
    svc.store.write(|tx| {
        let id = qualification_type_id.trim();
        if system_qualifications::system_type(id).is_some() {
            return Err(OpError::InvalidQualificationTypeState(format!(
                "QualificationType {id} is a system qualification: it is computed, not requested."
            ))
            .into());
        }
        let t = match tx.qualification_type(id)? {
            Some(t) if t.status != QualificationTypeState::Disposed => t,
            _ => return Err(OpError::QualificationTypeDoesNotExist(id.to_uppercase()).into()),
        };
        let type_id = t.qualification_type_id.clone();
        if t.status != QualificationTypeState::Active {
            return Err(WorkerError::QualificationTypeInactive(type_id));
        }
        if tx
            .qualification(&type_id, worker)?
            .is_some_and(|q| q.status == QualificationState::Granted)
        {
            return Err(WorkerError::AlreadyQualified {
                worker: worker.into(),
                qualification_type: type_id,
            });
        }
        if let Some(last) = tx.latest_qualification_request(&type_id, worker)? {
            match last.state {
                QualificationRequestState::Pending | QualificationRequestState::AwaitingAnswers => {
                    return Err(WorkerError::RequestPending {
                        worker: worker.into(),
                        qualification_type: type_id,
                    })
                }
                _ => match t.retry_delay {
                    None => return Err(WorkerError::RetakeNotAllowed(type_id)),
                    Some(delay) => {
                        let from = last.submit_time + Duration::seconds(delay);
                        if now < from {
                            return Err(WorkerError::RetryDelayNotElapsed {
                                qualification_type: type_id,
                                from: wire_time(from),
                            });
                        }
                    }
                },
            }
        }
        let state = if t.auto_granted {
            QualificationRequestState::Granted
        } else if t.test.is_some() {
            QualificationRequestState::AwaitingAnswers
        } else {
            QualificationRequestState::Pending
        };
        let request = store::QualificationRequest {
            qualification_request_id: ids::random(),
            qualification_type_id: type_id.clone(),
            worker_id: worker.to_string(),
            state,
            test: t.test.clone(),
            answer: None,
            submit_time: now,
            reason: None,
        };
        tx.insert_qualification_request(&request)?;
        let mut value = None;
        if t.auto_granted {
            value = Some(t.auto_granted_value.unwrap_or(1));
            grant(tx, &type_id, worker, value, now)?;
        }
        Ok(QualificationRequestView::of(&request, value))
    })
}

pub(super) fn grant(
    tx: &Tx<'_>,
    qualification_type_id: &str,
    worker: &str,
    value: Option<i32>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    tx.upsert_qualification(&store::Qualification {
        qualification_type_id: qualification_type_id.to_string(),
        worker_id: worker.to_string(),
        integer_value: value,
        locale_country: None,
        locale_subdivision: None,
        grant_time: now,
        status: QualificationState::Granted,
    })
}

/// A qualification request as the admin API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct QualificationRequestView {
    #[serde(rename = "QualificationRequestId")]
    pub qualification_request_id: String,
    #[serde(rename = "QualificationTypeId")]
    pub qualification_type_id: String,
    /// AwaitingAnswers, Pending, Granted or Rejected.
    #[serde(rename = "Status")]
    pub status: &'static str,
    #[serde(rename = "IntegerValue", skip_serializing_if = "Option::is_none")]
    pub integer_value: Option<i32>,
}

impl QualificationRequestView {
    fn of(r: &store::QualificationRequest, integer_value: Option<i32>) -> Self {
        QualificationRequestView {
            qualification_request_id: r.qualification_request_id.clone(),
            qualification_type_id: r.qualification_type_id.clone(),
            status: r.state.as_str(),
            integer_value,
        }
    }
}

/// A worker answers a qualification test. With an AnswerKey the answers are graded and the
/// qualification granted at once with the score; without one the request waits for the
/// requester (GrantQualification or RejectQualificationRequest).
pub fn submit_qualification_answers(
    svc: &Service,
    qualification_request_id: &str,
    answers: Answers,
) -> Result<QualificationRequestView, WorkerError> {
    let document = answers.into_document();
    let parsed = questions::validate_answers(&document)
        .map_err(|e| WorkerError::Op(OpError::XMLParseError(e)))?;
    let now = svc.settle_due_changes()?;
    // The outer Result is the transaction's: a test whose time ran out is rejected (and that
    // committed) before the worker hears so.
    svc.store.write(
        |tx| -> Result<Result<QualificationRequestView, WorkerError>, WorkerError> {
            let id = qualification_request_id.trim();
            let mut r = tx
                .qualification_request(id)?
                .ok_or_else(|| OpError::QualificationRequestDoesNotExist(id.to_uppercase()))?;
            if r.state != QualificationRequestState::AwaitingAnswers {
                return Err(WorkerError::NotAwaitingAnswers(r.qualification_request_id));
            }
            let t = tx
                .qualification_type(&r.qualification_type_id)?
                .ok_or_else(|| {
                    OpError::QualificationTypeDoesNotExist(r.qualification_type_id.clone())
                })?;
            if let Some(limit) = t.test_duration {
                if now > r.submit_time + Duration::seconds(limit) {
                    tx.set_qualification_request_state(
                        &r.qualification_request_id,
                        QualificationRequestState::Rejected,
                        Some("The test time ran out."),
                    )?;
                    return Ok(Err(WorkerError::TestTimeExpired(
                        r.qualification_request_id,
                    )));
                }
            }
            tx.set_qualification_request_answer(&r.qualification_request_id, &document, now)?;
            let key = t.answer_key.as_deref().and_then(|k| {
                crate::xml::decode_document::<crate::model::answer_key::AnswerKey>(k.as_bytes())
                    .ok()
            });
            let mut value = None;
            r.state = match key {
                Some(key) => {
                    let score = super::grading::grade(&key, &parsed);
                    grant(tx, &r.qualification_type_id, &r.worker_id, Some(score), now)?;
                    value = Some(score);
                    QualificationRequestState::Granted
                }
                None => QualificationRequestState::Pending,
            };
            tx.set_qualification_request_state(&r.qualification_request_id, r.state, None)?;
            Ok(Ok(QualificationRequestView::of(&r, value)))
        },
    )?
}
