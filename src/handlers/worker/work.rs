//! A worker's own work: accepting a HIT, returning or submitting the assignment (answers and
//! uploaded files), and the uploaded files' URLs.

use base64::Engine;
use chrono::Duration;
use serde::Deserialize;

use super::eligibility::{check_access, visible_hit, Action};
use super::error::WorkerError;
use crate::error::OpError;
use crate::handlers::events::assignment_event;
use crate::handlers::funds::pay;
use crate::handlers::render::hit_status;
use crate::handlers::rules::valid_worker_id;
use crate::handlers::service::Service;
use crate::handlers::settle::hit_changed;
use crate::handlers::{ids, questions, review};
use crate::model::requester::{EventType, HITStatus};
use crate::model::{question_form, question_form_answers};
use crate::store::{self, AssignmentState, HitState, Tx};

pub(super) fn check_worker_id(worker: &str) -> Result<&str, WorkerError> {
    valid_worker_id(worker)
        .ok_or_else(|| WorkerError::BadInput(format!("WorkerId {worker:?} is invalid.")))
}

/// A worker accepts a HIT, taking one of its assignment slots.
pub fn accept(svc: &Service, worker: &str, hit_id: &str) -> Result<String, WorkerError> {
    let worker = check_worker_id(worker)?;
    let now = svc.settle_due_changes()?;
    svc.store.write(|tx| {
        let hit = visible_hit(tx, hit_id)?;
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
        let counts = tx.slot_counts(&hit.hit_id)?;
        let status = hit_status(&hit, counts, now);
        if status != HITStatus::Assignable {
            return Err(WorkerError::NotAssignable {
                hit: hit.hit_id.clone(),
                status: status.as_str(),
            });
        }
        check_access(tx, worker, &hit, Action::Accept)?;
        let deadline = now + Duration::seconds(hit.hit_type.assignment_duration);
        let a = store::Assignment::accepted(
            ids::ordered(),
            hit.hit_id.clone(),
            worker.to_string(),
            now,
            deadline,
        );
        tx.insert_assignment(&a)?;
        svc.next_due.note(a.deadline + Duration::seconds(1));
        assignment_event(tx, EventType::AssignmentAccepted, &a, now)?;
        hit_changed(tx, &hit.hit_id, now)?;
        Ok(a.assignment_id)
    })
}

/// One of the worker's own assignments; another worker's is as good as unknown to it.
pub fn own_assignment(
    svc: &Service,
    worker: &str,
    assignment_id: &str,
) -> Result<store::Assignment, WorkerError> {
    let worker = check_worker_id(worker)?;
    let id = assignment_id.trim();
    svc.store.read(|tx| match tx.assignment(id)? {
        Some(a) if a.worker_id == worker => Ok(a),
        _ => Err(OpError::AssignmentDoesNotExist(id.to_uppercase()).into()),
    })
}

/// The assignment, provided the worker still holds it (accepted, not yet returned or submitted);
/// otherwise the error `refused` makes of its id and status.
fn accepted_assignment(
    tx: &Tx<'_>,
    assignment_id: &str,
    refused: impl FnOnce(String, &'static str) -> WorkerError,
) -> Result<store::Assignment, WorkerError> {
    let id = assignment_id.trim();
    let a = tx
        .assignment(id)?
        .ok_or_else(|| OpError::AssignmentDoesNotExist(id.to_uppercase()))?;
    if a.status != AssignmentState::Accepted {
        return Err(refused(a.assignment_id, a.status.as_str()));
    }
    Ok(a)
}

/// A worker gives an accepted assignment back before its deadline; its slot is free again.
pub fn return_assignment(svc: &Service, assignment_id: &str) -> Result<(), WorkerError> {
    // Settling first turns work past its deadline into Abandoned, which cannot be returned.
    let now = svc.settle_due_changes()?;
    svc.store.write(|tx| {
        let mut a = accepted_assignment(tx, assignment_id, |id, status| {
            WorkerError::NotReturnable { id, status }
        })?;
        a.status = AssignmentState::Returned;
        tx.update_assignment(&a)?;
        assignment_event(tx, EventType::AssignmentReturned, &a, now)?;
        hit_changed(tx, &a.hit_id, now)?;
        Ok(())
    })
}

/// The answers a worker submits: a QuestionFormAnswers document, free text per question, or
/// answers typed by their question (a selection, other-selection text) as a form gives them.
pub enum Answers {
    Document(String),
    FreeText(Vec<(String, String)>),
    Typed(Vec<question_form_answers::QuestionFormAnswersAnswer>),
}

impl Answers {
    /// The answers one by one; a document stays as it was written.
    fn listed(self) -> Result<Vec<question_form_answers::QuestionFormAnswersAnswer>, String> {
        match self {
            Answers::Document(d) => Err(d),
            Answers::FreeText(pairs) => Ok(pairs
                .into_iter()
                .map(|(question_identifier, text)| {
                    question_form_answers::QuestionFormAnswersAnswer {
                        question_identifier,
                        free_text: Some(text),
                        ..Default::default()
                    }
                })
                .collect()),
            Answers::Typed(list) => Ok(list),
        }
    }

    /// The QuestionFormAnswers document the answers make, with no files.
    pub(super) fn into_document(self) -> String {
        match self.listed() {
            Ok(list) => answers_document(list, &[]),
            Err(document) => document,
        }
    }
}

/// A file a worker uploads as the answer to a FileUploadAnswer question.
#[derive(Debug, Clone, PartialEq)]
pub struct FileAnswer {
    pub question_identifier: String,
    pub file_name: String,
    pub content: Vec<u8>,
}

/// A file answer as the admin API takes it: `{"name": "x.txt", "content_base64": "…"}`.
#[derive(Debug, Clone, Deserialize)]
pub struct FileUpload {
    pub name: String,
    pub content_base64: String,
}

impl FileUpload {
    pub fn into_answer(self, question_identifier: String) -> Result<FileAnswer, WorkerError> {
        let name = self.name.trim();
        if name.is_empty() || name.len() > 255 {
            return Err(WorkerError::BadInput(format!(
                "The file for question {question_identifier} needs a name of 1 to 255 bytes."
            )));
        }
        let content = base64::engine::general_purpose::STANDARD
            .decode(self.content_base64.trim())
            .map_err(|e| {
                WorkerError::BadInput(format!(
                    "The content_base64 of the file for question {question_identifier} is not base64: {e}"
                ))
            })?;
        Ok(FileAnswer {
            question_identifier,
            file_name: name.to_string(),
            content,
        })
    }
}

/// Checks each file against the FileUploadAnswer question it answers in the HIT's QuestionForm.
pub(super) fn check_file_answers(
    hit: &store::Hit,
    files: &[FileAnswer],
) -> Result<(), WorkerError> {
    if files.is_empty() {
        return Ok(());
    }
    let form = hit
        .question
        .as_deref()
        .and_then(|q| crate::xml::decode_document::<question_form::QuestionForm>(q.as_bytes()).ok())
        .ok_or_else(|| {
            WorkerError::BadInput(format!(
                "HIT {} has no QuestionForm, so no question takes a file.",
                hit.hit_id
            ))
        })?;
    for f in files {
        let question = form
            .question
            .iter()
            .find(|q| q.question_identifier == f.question_identifier)
            .ok_or_else(|| {
                WorkerError::BadInput(format!(
                    "HIT {} has no question {}.",
                    hit.hit_id, f.question_identifier
                ))
            })?;
        let spec = question
            .answer_specification
            .file_upload_answer
            .as_ref()
            .ok_or_else(|| {
                WorkerError::BadInput(format!(
                    "Question {} does not take a file (it has no FileUploadAnswer).",
                    f.question_identifier
                ))
            })?;
        let size = f.content.len() as u64;
        if size < spec.min_file_size_in_bytes || size > spec.max_file_size_in_bytes {
            return Err(WorkerError::BadInput(format!(
                "The file for question {} is {size} bytes; it must be {} to {} bytes.",
                f.question_identifier, spec.min_file_size_in_bytes, spec.max_file_size_in_bytes
            )));
        }
    }
    Ok(())
}

/// A QuestionFormAnswers document with the answers given and the uploaded-file answers.
pub(super) fn answers_document(
    given: Vec<question_form_answers::QuestionFormAnswersAnswer>,
    files: &[(FileAnswer, String)],
) -> String {
    use question_form_answers::{QuestionFormAnswers, QuestionFormAnswersAnswer};
    let mut doc = QuestionFormAnswers { answer: given };
    for (f, key) in files {
        doc.answer.push(QuestionFormAnswersAnswer {
            question_identifier: f.question_identifier.clone(),
            uploaded_file_size_in_bytes: Some(f.content.len() as u64),
            uploaded_file_key: Some(key.clone()),
            ..Default::default()
        });
    }
    // Stored as a standalone document, declaration included, like every other answer.
    let body = crate::xml::encode_document(
        &doc,
        "QuestionFormAnswers",
        question_form_answers::NAMESPACE,
    );
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>{body}")
}

/// A worker submits an accepted assignment.
pub fn submit(svc: &Service, assignment_id: &str, answers: Answers) -> Result<(), WorkerError> {
    submit_with_files(svc, assignment_id, answers, Vec::new())
}

/// A worker submits an accepted assignment, with files for its FileUploadAnswer questions. Each
/// file's answer carries its size and a fresh UploadedFileKey; the bytes are kept for
/// GetFileUploadURL.
pub fn submit_with_files(
    svc: &Service,
    assignment_id: &str,
    answers: Answers,
    files: Vec<FileAnswer>,
) -> Result<(), WorkerError> {
    // The answer records the file's size as an xs:positiveInteger: an empty file is no answer.
    if let Some(f) = files.iter().find(|f| f.content.is_empty()) {
        return Err(WorkerError::BadInput(format!(
            "The file for question {} is empty.",
            f.question_identifier
        )));
    }
    let keyed: Vec<(FileAnswer, String)> = files.into_iter().map(|f| (f, ids::random())).collect();
    let document = match answers.listed() {
        Err(d) if keyed.is_empty() => d,
        Err(_) => {
            return Err(WorkerError::BadInput(
                "Files go with free-text answers, not with a QuestionFormAnswers document.".into(),
            ))
        }
        Ok(given) => {
            if let Some((f, _)) = keyed.iter().find(|(f, _)| {
                given
                    .iter()
                    .any(|a| a.question_identifier == f.question_identifier)
            }) {
                return Err(WorkerError::BadInput(format!(
                    "Question {} has both a text answer and a file.",
                    f.question_identifier
                )));
            }
            answers_document(given, &keyed)
        }
    };
    questions::validate_answers(&document)
        .map_err(|e| WorkerError::Op(OpError::XMLParseError(e)))?;
    let now = svc.settle_due_changes()?;
    svc.store.write(|tx| {
        let mut a = accepted_assignment(tx, assignment_id, |id, status| {
            WorkerError::NotSubmittable { id, status }
        })?;
        if now > a.deadline {
            return Err(WorkerError::DeadlinePassed);
        }
        let hit = tx
            .hit(&a.hit_id)?
            .ok_or_else(|| OpError::HITDoesNotExist(a.hit_id.clone()))?;
        let files: Vec<FileAnswer> = keyed.iter().map(|(f, _)| f.clone()).collect();
        check_file_answers(&hit, &files)?;
        for (f, key) in &keyed {
            tx.insert_uploaded_file(&store::UploadedFile {
                assignment_id: a.assignment_id.clone(),
                question_identifier: f.question_identifier.clone(),
                file_key: key.clone(),
                file_name: f.file_name.clone(),
                content: f.content.clone(),
            })?;
        }
        a.status = AssignmentState::Submitted;
        a.submit_time = Some(now);
        a.auto_approval_time = Some(now + Duration::seconds(hit.hit_type.auto_approval_delay));
        a.answer = Some(document);
        tx.update_assignment(&a)?;
        if let Some(t) = a.auto_approval_time {
            svc.next_due.note(t);
        }
        assignment_event(tx, EventType::AssignmentSubmitted, &a, now)?;
        if hit.state == HitState::Disposed {
            // DisableHIT promised to approve work that was in progress once it is submitted.
            pay(tx, &hit.requester, &a, &hit, now, false)?;
            a.status = AssignmentState::Approved;
            a.approval_time = Some(now);
            tx.update_assignment(&a)?;
            assignment_event(tx, EventType::AssignmentApproved, &a, now)?;
            return Ok(());
        }
        review::on_submitted(tx, &hit, &a, now)?;
        hit_changed(tx, &hit.hit_id, now)?;
        Ok(())
    })
}

/// The file behind a URL that GetFileUploadURL handed out, while the URL is still valid and
/// the file's HIT not disposed.
pub fn uploaded_file_at(svc: &Service, token: &str) -> Result<store::UploadedFile, WorkerError> {
    let now = svc.settle_due_changes()?;
    svc.store.read(|tx| {
        let Some((file, expires)) = tx.file_by_url_token(token.trim())? else {
            return Err(WorkerError::FileUrlUnknown);
        };
        if now >= expires {
            return Err(WorkerError::FileUrlExpired);
        }
        let hit = match tx.assignment(&file.assignment_id)? {
            Some(a) => tx.hit(&a.hit_id)?,
            None => None,
        };
        match hit {
            Some(h) if h.state != HitState::Disposed => Ok(file),
            _ => Err(WorkerError::FileUrlUnknown),
        }
    })
}
