//! Simulated workers: they look for work, preview and accept HITs, submit (answers and uploaded
//! files) or return their assignments, and ask for qualifications, so that a requester client
//! has something real to review. Used by the admin API and the CLI.
//!
//! A worker may accept a HIT only if it meets every QualificationRequirement of the HIT and the
//! HIT's requester has not blocked it; requirements marked RequiredToPreview also guard preview.

use base64::Engine;
use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::error::OpError;
use crate::handlers::system_qualifications::{self, WorkerValue};
use crate::handlers::{assignment_event, hit_changed, hit_status, ids, questions, review, Service};
use crate::model::requester::EventType;
use crate::model::requester::{Comparator, HITStatus};
use crate::model::{question_form, question_form_answers};
use crate::money::Cents;
use crate::store::{
    self, AssignmentCounts, AssignmentState, HitState, QualificationRequestState,
    QualificationState, QualificationTypeState, StoreError, Tx,
};

/// The system QualificationType whose value is the worker's locale.
pub const WORKER_LOCALE: &str = "00000000000000000071";

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

/// What a worker holds of one qualification type: its score and/or its locale.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Held {
    pub integer: Option<i32>,
    pub locale: Option<store::Locale>,
}

/// The value a worker holds for a qualification type, or `None` when it has none (a revoked
/// qualification counts as none). System types are computed from the worker's history and
/// properties.
fn held(tx: &Tx<'_>, worker: &str, qualification_type: &str) -> Result<Option<Held>, StoreError> {
    let properties = |name: &str| -> Result<Option<WorkerValue>, StoreError> {
        if name == "Locale" {
            return Ok(tx.worker_locale(worker)?.and_then(|l| {
                Some(WorkerValue::Locale {
                    country: l.country?,
                    subdivision: l.subdivision,
                })
            }));
        }
        Ok(tx
            .worker_flags(worker)?
            .iter()
            .any(|f| f == name)
            .then_some(WorkerValue::Integer(1)))
    };
    Ok(
        system_qualifications::worker_value(tx, qualification_type, worker, &properties)?.map(
            |v| match v {
                WorkerValue::Integer(i) => Held {
                    integer: Some(i),
                    locale: None,
                },
                WorkerValue::Locale {
                    country,
                    subdivision,
                } => Held {
                    integer: None,
                    locale: Some(store::Locale {
                        country: Some(country),
                        subdivision,
                    }),
                },
            },
        ),
    )
}

/// Whether a worker's locale falls within a required one: the same country and, when the
/// requirement names a subdivision, the same subdivision.
fn locale_within(required: &store::Locale, worker: &store::Locale) -> bool {
    let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        _ => false,
    };
    same(&required.country, &worker.country)
        && (required.subdivision.is_none() || same(&required.subdivision, &worker.subdivision))
}

/// Whether a worker holding `held` meets a QualificationRequirement. Without the qualification
/// a worker meets only DoesNotExist, whatever the comparator.
pub fn meets(req: &store::QualificationRequirement, held: Option<&Held>) -> bool {
    let Some(comparator) = Comparator::parse(&req.comparator) else {
        return false;
    };
    let held = match (comparator, held) {
        (Comparator::Exists, h) => return h.is_some(),
        (Comparator::DoesNotExist, h) => return h.is_none(),
        (_, None) => return false,
        (_, Some(h)) => h,
    };
    if !req.locale_values.is_empty() {
        let Some(mine) = &held.locale else {
            return false;
        };
        let any = req.locale_values.iter().any(|l| locale_within(l, mine));
        return match comparator {
            Comparator::EqualTo | Comparator::In => any,
            Comparator::NotEqualTo | Comparator::NotIn => !any,
            // Order comparisons mean nothing for places.
            _ => false,
        };
    }
    let Some(v) = held.integer else {
        return false;
    };
    let values = &req.integer_values;
    let first = values.first().copied();
    match comparator {
        Comparator::LessThan => first.is_some_and(|x| v < x),
        Comparator::LessThanOrEqualTo => first.is_some_and(|x| v <= x),
        Comparator::GreaterThan => first.is_some_and(|x| v > x),
        Comparator::GreaterThanOrEqualTo => first.is_some_and(|x| v >= x),
        Comparator::EqualTo => first.is_some_and(|x| v == x),
        Comparator::NotEqualTo => first.is_some_and(|x| v != x),
        Comparator::In => values.contains(&v),
        Comparator::NotIn => !values.is_empty() && !values.contains(&v),
        Comparator::Exists | Comparator::DoesNotExist => true,
    }
}

/// What guards a HIT: who may see it (preview) and who may work on it (accept).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Preview,
    Accept,
}

/// Refuses a worker the HIT's requester has blocked, or one that misses a requirement guarding
/// `action`.
fn check_access(
    tx: &Tx<'_>,
    worker: &str,
    hit: &store::Hit,
    action: Action,
) -> Result<(), WorkerError> {
    if tx.is_blocked(&hit.requester, worker)? {
        return Err(WorkerError::Blocked {
            worker: worker.into(),
            hit: hit.hit_id.clone(),
        });
    }
    for req in &hit.hit_type.qualification_requirements {
        if action == Action::Preview && req.required_to_preview != Some(true) {
            continue;
        }
        let value = held(tx, worker, &req.qualification_type_id)?;
        if !meets(req, value.as_ref()) {
            return Err(WorkerError::DoesNotMeetRequirements {
                worker: worker.into(),
                hit: hit.hit_id.clone(),
                qualification_type: req.qualification_type_id.clone(),
            });
        }
    }
    Ok(())
}

/// A HIT as it exists for workers: disposed ones are gone.
fn visible_hit(tx: &Tx<'_>, hit_id: &str) -> Result<store::Hit, WorkerError> {
    match tx.hit(hit_id.trim())? {
        Some(h) if h.state != HitState::Disposed => Ok(h),
        _ => Err(OpError::HITDoesNotExist(hit_id.trim().to_uppercase()).into()),
    }
}

/// A worker accepts a HIT, taking one of its assignment slots.
pub fn accept(svc: &Service, worker: &str, hit_id: &str) -> Result<String, WorkerError> {
    let worker = check_worker_id(worker)?;
    let now = svc.now()?;
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
        let counts = tx.assignment_counts(&hit.hit_id)?;
        let status = hit_status(&hit, &counts, now);
        if status != HITStatus::Assignable {
            return Err(WorkerError::NotAssignable {
                hit: hit.hit_id.clone(),
                status: status.as_str(),
            });
        }
        check_access(tx, worker, &hit, Action::Accept)?;
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
        assignment_event(tx, EventType::AssignmentAccepted, &a, now)?;
        hit_changed(tx, &hit.hit_id, now)?;
        Ok(a.assignment_id)
    })
}

/// A worker gives an accepted assignment back before its deadline; its slot is free again.
pub fn return_assignment(svc: &Service, assignment_id: &str) -> Result<(), WorkerError> {
    // Settling first turns work past its deadline into Abandoned, which cannot be returned.
    let now = svc.now()?;
    svc.store.write(|tx| {
        let id = assignment_id.trim();
        let mut a = tx
            .assignment(id)?
            .ok_or_else(|| OpError::AssignmentDoesNotExist(id.to_uppercase()))?;
        if a.status != AssignmentState::Accepted {
            return Err(WorkerError::NotReturnable {
                id: a.assignment_id,
                status: a.status.as_str(),
            });
        }
        a.status = AssignmentState::Returned;
        tx.update_assignment(&a)?;
        assignment_event(tx, EventType::AssignmentReturned, &a, now)?;
        hit_changed(tx, &a.hit_id, now)?;
        Ok(())
    })
}

/// A price as the admin API shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PriceView {
    pub amount: String,
    pub currency_code: &'static str,
    pub formatted_price: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LocaleView {
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdivision: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RequirementView {
    pub qualification_type_id: String,
    pub comparator: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub integer_value: Vec<i32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locale_value: Vec<LocaleView>,
    pub required_to_preview: bool,
}

/// A HIT as a worker sees it on the marketplace; `Question` only in a preview.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct HitView {
    #[serde(rename = "HITId")]
    pub hit_id: String,
    #[serde(rename = "HITTypeId")]
    pub hit_type_id: String,
    pub title: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keywords: Option<String>,
    pub reward: PriceView,
    #[serde(rename = "HITStatus")]
    pub hit_status: &'static str,
    pub max_assignments: i64,
    pub number_of_assignments_available: i64,
    pub assignment_duration_in_seconds: i64,
    pub auto_approval_delay_in_seconds: i64,
    pub expiration: String,
    pub qualification_requirement: Vec<RequirementView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
}

fn wire_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl HitView {
    fn of(
        hit: &store::Hit,
        counts: &AssignmentCounts,
        status: HITStatus,
        with_question: bool,
    ) -> HitView {
        let t = &hit.hit_type;
        HitView {
            hit_id: hit.hit_id.clone(),
            hit_type_id: hit.hit_type_id.clone(),
            title: t.title.clone(),
            description: t.description.clone(),
            keywords: t.keywords.clone(),
            reward: PriceView {
                amount: t.reward.to_decimal().to_string(),
                currency_code: "USD",
                formatted_price: t.reward.formatted(),
            },
            hit_status: status.as_str(),
            max_assignments: hit.max_assignments,
            number_of_assignments_available: (hit.max_assignments - counts.occupying()).max(0),
            assignment_duration_in_seconds: t.assignment_duration,
            auto_approval_delay_in_seconds: t.auto_approval_delay,
            expiration: wire_time(hit.expiration),
            qualification_requirement: t
                .qualification_requirements
                .iter()
                .map(|q| RequirementView {
                    qualification_type_id: q.qualification_type_id.clone(),
                    comparator: q.comparator.clone(),
                    integer_value: q.integer_values.clone(),
                    locale_value: q
                        .locale_values
                        .iter()
                        .filter_map(|l| {
                            Some(LocaleView {
                                country: l.country.clone()?,
                                subdivision: l.subdivision.clone(),
                            })
                        })
                        .collect(),
                    required_to_preview: q.required_to_preview == Some(true),
                })
                .collect(),
            question: if with_question {
                hit.question.clone()
            } else {
                None
            },
        }
    }
}

/// A worker previews a HIT: its question and terms, without accepting it. Open to any worker
/// the requester has not blocked who meets the requirements marked RequiredToPreview, while the
/// HIT is on the marketplace (or the worker is working on it).
pub fn preview(svc: &Service, worker: &str, hit_id: &str) -> Result<HitView, WorkerError> {
    let worker = check_worker_id(worker)?;
    let now = svc.now()?;
    svc.store.read(|tx| {
        let hit = visible_hit(tx, hit_id)?;
        check_access(tx, worker, &hit, Action::Preview)?;
        let counts = tx.assignment_counts(&hit.hit_id)?;
        let status = hit_status(&hit, &counts, now);
        let working = tx
            .worker_assignments_for_hit(&hit.hit_id, worker)?
            .iter()
            .any(|a| a.status == AssignmentState::Accepted);
        if status != HITStatus::Assignable && !working {
            return Err(WorkerError::NotAssignable {
                hit: hit.hit_id.clone(),
                status: status.as_str(),
            });
        }
        Ok(HitView::of(&hit, &counts, status, true))
    })
}

/// The HITs a worker may accept now, oldest first: Assignable, with a slot the worker could
/// take, from requesters who have not blocked it, and whose requirements it meets.
pub fn acceptable_hits(svc: &Service, worker: &str) -> Result<Vec<HitView>, WorkerError> {
    let worker = check_worker_id(worker)?;
    let now = svc.now()?;
    svc.store.read(|tx| {
        let mut out = Vec::new();
        for id in tx.open_hits_for_worker(worker, now)? {
            let Some(hit) = tx.hit(&id)? else { continue };
            let counts = tx.assignment_counts(&hit.hit_id)?;
            let status = hit_status(&hit, &counts, now);
            if status != HITStatus::Assignable {
                continue;
            }
            match check_access(tx, worker, &hit, Action::Accept) {
                Ok(()) => out.push(HitView::of(&hit, &counts, status, false)),
                Err(WorkerError::Blocked { .. } | WorkerError::DoesNotMeetRequirements { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    })
}

/// A worker's own properties, as the admin API reads and writes them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkerProperties {
    #[serde(rename = "Locale", default)]
    pub locale: Option<LocaleView>,
    /// Agreed to see adult content (the Worker_Adult system qualification). Omitted: unchanged.
    #[serde(rename = "Adult", default, skip_serializing_if = "Option::is_none")]
    pub adult: Option<bool>,
    /// Holds the Masters qualification (sandbox and production ids). Omitted: unchanged.
    #[serde(rename = "Masters", default, skip_serializing_if = "Option::is_none")]
    pub masters: Option<bool>,
}

fn check_locale(l: &LocaleView) -> Result<store::Locale, WorkerError> {
    let country = l.country.trim().to_ascii_uppercase();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(WorkerError::BadInput(format!(
            "Country {:?} is not an ISO 3166-1 alpha-2 code such as US.",
            l.country
        )));
    }
    let subdivision = match l.subdivision.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) if (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Some(s.to_ascii_uppercase())
        }
        Some(s) => {
            return Err(WorkerError::BadInput(format!(
                "Subdivision {s:?} is not an ISO 3166-2 subdivision code such as WA."
            )))
        }
    };
    Ok(store::Locale {
        country: Some(country),
        subdivision,
    })
}

fn properties_view(locale: Option<store::Locale>, flags: &[String]) -> WorkerProperties {
    WorkerProperties {
        locale: locale.and_then(|l| {
            Some(LocaleView {
                country: l.country?,
                subdivision: l.subdivision,
            })
        }),
        // Shown only when set, so a plain worker reads as just its locale.
        adult: flags.iter().any(|f| f == "Adult").then_some(true),
        masters: flags.iter().any(|f| f == "Masters").then_some(true),
    }
}

/// A worker's properties.
pub fn properties(svc: &Service, worker: &str) -> Result<WorkerProperties, WorkerError> {
    let worker = check_worker_id(worker)?;
    let (locale, flags) = svc
        .store
        .read(|tx| Ok::<_, StoreError>((tx.worker_locale(worker)?, tx.worker_flags(worker)?)))?;
    Ok(properties_view(locale, &flags))
}

/// Sets a worker's properties; a missing or null Locale clears it.
pub fn set_properties(
    svc: &Service,
    worker: &str,
    props: WorkerProperties,
) -> Result<WorkerProperties, WorkerError> {
    let worker = check_worker_id(worker)?;
    let locale = props.locale.as_ref().map(check_locale).transpose()?;
    let flags = svc.store.write(|tx| {
        tx.set_worker_locale(worker, locale.as_ref())?;
        for (flag, on) in [("Adult", props.adult), ("Masters", props.masters)] {
            if let Some(on) = on {
                tx.set_worker_flag(worker, flag, on)?;
            }
        }
        tx.worker_flags(worker)
    })?;
    Ok(properties_view(locale, &flags))
}

/// The answers a worker submits: a QuestionFormAnswers document, or free text per question.
pub enum Answers {
    Document(String),
    FreeText(Vec<(String, String)>),
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
fn check_file_answers(hit: &store::Hit, files: &[FileAnswer]) -> Result<(), WorkerError> {
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

/// A QuestionFormAnswers document with free-text answers and uploaded-file answers.
fn answers_document(free: &[(String, String)], files: &[(FileAnswer, String)]) -> String {
    use question_form_answers::{QuestionFormAnswers, QuestionFormAnswersAnswer};
    let mut doc = QuestionFormAnswers {
        answer: free
            .iter()
            .map(|(id, text)| QuestionFormAnswersAnswer {
                question_identifier: id.clone(),
                free_text: Some(text.clone()),
                ..Default::default()
            })
            .collect(),
    };
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
    let document = match answers {
        Answers::Document(d) if keyed.is_empty() => d,
        Answers::Document(_) => {
            return Err(WorkerError::BadInput(
                "Files go with free-text answers, not with a QuestionFormAnswers document.".into(),
            ))
        }
        Answers::FreeText(pairs) if keyed.is_empty() => {
            questions::answers_document(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        }
        Answers::FreeText(pairs) => {
            if let Some((f, _)) = keyed
                .iter()
                .find(|(f, _)| pairs.iter().any(|(q, _)| *q == f.question_identifier))
            {
                return Err(WorkerError::BadInput(format!(
                    "Question {} has both a text answer and a file.",
                    f.question_identifier
                )));
            }
            answers_document(&pairs, &keyed)
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
            crate::handlers::pay(tx, &hit.requester, &a, &hit, now, false)?;
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
    let now = svc.now()?;
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

/// A worker asks for a qualification. AutoGranted types grant it at once; a type with a Test
/// waits for the worker's answers (`submit_qualification_answers`); any other request waits for
/// the requester. RetryDelayInSeconds governs asking again; without it, a worker asks once.
pub fn request_qualification(
    svc: &Service,
    worker: &str,
    qualification_type_id: &str,
) -> Result<QualificationRequestView, WorkerError> {
    let worker = check_worker_id(worker)?;
    let now = svc.now()?;
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

fn grant(
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
    let document = match answers {
        Answers::Document(d) => d,
        Answers::FreeText(pairs) => {
            questions::answers_document(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        }
    };
    let parsed = questions::validate_answers(&document)
        .map_err(|e| WorkerError::Op(OpError::XMLParseError(e)))?;
    let now = svc.now()?;
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
                    let score = crate::handlers::grading::grade(&key, &parsed);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn req(
        comparator: &str,
        ints: &[i32],
        locales: &[(&str, Option<&str>)],
    ) -> store::QualificationRequirement {
        store::QualificationRequirement {
            qualification_type_id: "Q".into(),
            comparator: comparator.into(),
            integer_values: ints.to_vec(),
            locale_values: locales
                .iter()
                .map(|(c, s)| store::Locale {
                    country: Some(c.to_string()),
                    subdivision: s.map(str::to_string),
                })
                .collect(),
            required_to_preview: None,
        }
    }

    fn score(v: i32) -> Held {
        Held {
            integer: Some(v),
            locale: None,
        }
    }

    fn place(country: &str, subdivision: Option<&str>) -> Held {
        Held {
            integer: None,
            locale: Some(store::Locale {
                country: Some(country.into()),
                subdivision: subdivision.map(str::to_string),
            }),
        }
    }

    #[test]
    fn integer_comparators_compare_the_workers_score_with_the_value() {
        let cases: &[(&str, &[i32], bool)] = &[
            ("LessThan", &[51], true),
            ("LessThan", &[50], false),
            ("LessThanOrEqualTo", &[50], true),
            ("LessThanOrEqualTo", &[49], false),
            ("GreaterThan", &[49], true),
            ("GreaterThan", &[50], false),
            ("GreaterThanOrEqualTo", &[50], true),
            ("GreaterThanOrEqualTo", &[51], false),
            ("EqualTo", &[50], true),
            ("EqualTo", &[51], false),
            ("NotEqualTo", &[51], true),
            ("NotEqualTo", &[50], false),
            ("In", &[10, 50, 90], true),
            ("In", &[10, 90], false),
            ("NotIn", &[10, 90], true),
            ("NotIn", &[10, 50], false),
            ("Exists", &[], true),
            ("DoesNotExist", &[], false),
        ];
        for (comparator, values, expected) in cases {
            assert_eq!(
                meets(&req(comparator, values, &[]), Some(&score(50))),
                *expected,
                "{comparator} {values:?} against 50"
            );
        }
    }

    #[test]
    fn without_the_qualification_only_does_not_exist_is_met() {
        for comparator in [
            "LessThan",
            "LessThanOrEqualTo",
            "GreaterThan",
            "GreaterThanOrEqualTo",
            "EqualTo",
            "NotEqualTo",
            "In",
            "NotIn",
            "Exists",
        ] {
            assert!(!meets(&req(comparator, &[1], &[]), None), "{comparator}");
        }
        assert!(meets(&req("DoesNotExist", &[], &[]), None));
        // A qualification without a score meets Exists but no comparison.
        let bare = Held::default();
        assert!(meets(&req("Exists", &[], &[]), Some(&bare)));
        assert!(!meets(&req("NotEqualTo", &[1], &[]), Some(&bare)));
        assert!(!meets(&req("Bogus", &[1], &[]), Some(&score(1))));
    }

    #[test]
    fn locale_comparators_match_country_and_optional_subdivision() {
        let seattle = place("US", Some("WA"));
        let berlin = place("DE", None);
        let us = &[("US", None)][..];
        let wa = &[("US", Some("WA"))][..];
        let ca = &[("US", Some("CA"))][..];
        assert!(meets(&req("EqualTo", &[], us), Some(&seattle)));
        assert!(meets(&req("EqualTo", &[], wa), Some(&seattle)));
        assert!(!meets(&req("EqualTo", &[], ca), Some(&seattle)));
        assert!(!meets(&req("EqualTo", &[], us), Some(&berlin)));
        assert!(!meets(&req("EqualTo", &[], wa), Some(&place("US", None))));
        assert!(meets(&req("EqualTo", &[], &[("us", None)]), Some(&seattle)));
        assert!(meets(&req("NotEqualTo", &[], us), Some(&berlin)));
        assert!(!meets(&req("NotEqualTo", &[], us), Some(&seattle)));
        assert!(meets(&req("NotEqualTo", &[], ca), Some(&seattle)));
        let some = &[("GB", None), ("US", Some("WA"))][..];
        assert!(meets(&req("In", &[], some), Some(&seattle)));
        assert!(!meets(&req("In", &[], some), Some(&berlin)));
        assert!(meets(&req("NotIn", &[], some), Some(&berlin)));
        assert!(!meets(&req("NotIn", &[], some), Some(&seattle)));
        // No locale: only DoesNotExist.
        assert!(!meets(&req("NotEqualTo", &[], us), None));
        assert!(!meets(&req("NotIn", &[], us), None));
        assert!(meets(&req("DoesNotExist", &[], &[]), None));
        // A score is not a place, and places have no order.
        assert!(!meets(&req("EqualTo", &[], us), Some(&score(1))));
        assert!(!meets(&req("LessThan", &[], us), Some(&seattle)));
    }

    #[test]
    fn locales_are_checked_before_they_are_kept() {
        let ok = check_locale(&LocaleView {
            country: "us".into(),
            subdivision: Some("wa".into()),
        })
        .unwrap();
        assert_eq!(ok.country.as_deref(), Some("US"));
        assert_eq!(ok.subdivision.as_deref(), Some("WA"));
        for (country, subdivision) in [
            ("USA", None),
            ("U1", None),
            ("", None),
            ("US", Some("WASH")),
        ] {
            let bad = LocaleView {
                country: country.into(),
                subdivision: subdivision.map(str::to_string),
            };
            assert!(check_locale(&bad).is_err(), "{country} {subdivision:?}");
        }
    }
}
