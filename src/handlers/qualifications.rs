//! Qualification types, and the requests workers make for them.

use chrono::{DateTime, Utc};

use super::render::{self, clamp_i32};
use super::rules::{given, in_range, max_chars, paging, valid_worker_id};
use super::service::{Context, Service};
use super::{ids, questions, system_qualifications};
use crate::error::OpError;
use crate::model::{answer_key, requester as api};
use crate::store::{
    self, Qualification, QualificationRequestQuery, QualificationRequestState, QualificationState,
    QualificationTypeState, Tx,
};
use crate::xml;

const MAX_DOCUMENT_BYTES: usize = 65_535;

fn check_answer_key(text: &str) -> Result<(), String> {
    let root =
        xml::parse(text.as_bytes(), &xml::ParseLimits::default()).map_err(|e| e.to_string())?;
    if root.name != "AnswerKey" || root.ns.as_deref() != Some(answer_key::NAMESPACE) {
        return Err(format!(
            "the AnswerKey document element must be AnswerKey in namespace {}",
            answer_key::NAMESPACE
        ));
    }
    crate::schema::first_problem(&root)
}

pub(super) fn create_qualification_type(
    svc: &Service,
    ctx: &Context,
    req: api::CreateQualificationTypeRequest,
) -> Result<api::QualificationType, OpError> {
    let now = ctx.now;
    let name = req.name.trim();
    if name.is_empty() {
        return Err(OpError::InvalidParameterValue(
            "The Name parameter is required.".into(),
        ));
    }
    max_chars("Name", name, 128)?;
    let description = req.description.clone().unwrap_or_default();
    max_chars("Description", &description, 2000)?;
    let keywords = req.keywords.clone().filter(|k| !k.trim().is_empty());
    if let Some(k) = &keywords {
        max_chars("Keywords", k, 1000)?;
    }
    let test = given(&req.test);
    let answer_key = given(&req.answer_key);
    let auto_granted = req.auto_granted.unwrap_or(false);
    for (label, doc) in [("Test", test), ("AnswerKey", answer_key)] {
        if doc.is_some_and(|d| d.len() > MAX_DOCUMENT_BYTES) {
            return Err(OpError::InvalidParameterValue(format!(
                "{label} can be at most {MAX_DOCUMENT_BYTES} bytes long."
            )));
        }
    }
    if let Some(t) = test {
        questions::validate_question_form(t).map_err(OpError::XMLParseError)?;
        if req.test_duration_in_seconds.is_none() {
            return Err(OpError::InvalidParameterValue(
                "TestDurationInSeconds is required when a Test is given.".into(),
            ));
        }
        if auto_granted {
            return Err(OpError::InvalidParameterValue(
                "A QualificationType with a Test cannot also be AutoGranted.".into(),
            ));
        }
    }
    if let Some(k) = answer_key {
        if test.is_none() {
            return Err(OpError::InvalidParameterValue(
                "An AnswerKey needs a Test.".into(),
            ));
        }
        check_answer_key(k).map_err(OpError::XMLParseError)?;
    }
    let test_duration = req
        .test_duration_in_seconds
        .map(|d| in_range("TestDurationInSeconds", d, 1, 31_536_000))
        .transpose()?;
    let retry_delay = req
        .retry_delay_in_seconds
        .map(|d| in_range("RetryDelayInSeconds", d, 0, i64::MAX))
        .transpose()?;
    let status = match req.qualification_type_status {
        Some(api::QualificationTypeStatus::Inactive) => QualificationTypeState::Inactive,
        _ => QualificationTypeState::Active,
    };
    svc.store.write(|tx| {
        if let Some(existing) = tx.qualification_type_by_name(&ctx.requester, name)? {
            return Err(OpError::QualificationTypeAlreadyExists {
                existing: existing.qualification_type_id,
            });
        }
        let q = store::QualificationType {
            qualification_type_id: ids::random(),
            requester: ctx.requester.clone(),
            creation_time: now,
            name: name.to_string(),
            description,
            keywords,
            status,
            retry_delay,
            test: test.map(str::to_string),
            test_duration,
            answer_key: answer_key.map(str::to_string),
            auto_granted,
            auto_granted_value: req.auto_granted_value,
        };
        tx.insert_qualification_type(&q)?;
        Ok(render::qualification_type(&q))
    })
}

/// A pending request for one of the caller's qualification types.
fn own_pending_request(
    tx: &Tx<'_>,
    ctx: &Context,
    id: &str,
) -> Result<store::QualificationRequest, OpError> {
    let id = id.trim();
    let missing = || OpError::QualificationRequestDoesNotExist(id.to_uppercase());
    let r = tx.qualification_request(id)?.ok_or_else(missing)?;
    let owner = tx
        .qualification_type(&r.qualification_type_id)?
        .map(|t| t.requester);
    // A request still awaiting its test's answers is not the requester's to see yet.
    if owner.as_deref() != Some(ctx.requester.as_str())
        || r.state == QualificationRequestState::AwaitingAnswers
    {
        return Err(missing());
    }
    // A request is granted or rejected once; the legacy service called a second decision a
    // state violation.
    if r.state != QualificationRequestState::Pending {
        return Err(OpError::InvalidQualificationRequestState(format!(
            "QualificationRequest {} has already been processed.",
            r.qualification_request_id
        )));
    }
    Ok(r)
}

/// A qualification granted at `now` with `value` (1 unless the requester gave one).
fn granted(type_id: &str, worker: &str, value: Option<i32>, now: DateTime<Utc>) -> Qualification {
    Qualification {
        qualification_type_id: type_id.to_string(),
        worker_id: worker.to_string(),
        integer_value: Some(value.unwrap_or(1)),
        locale_country: None,
        locale_subdivision: None,
        grant_time: now,
        status: QualificationState::Granted,
    }
}

pub(super) fn get_qualification_requests(
    svc: &Service,
    ctx: &Context,
    req: api::GetQualificationRequestsRequest,
) -> Result<api::GetQualificationRequestsResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 1..=100)?;
    let type_id = given(&req.qualification_type_id);
    svc.store.read(|tx| {
        if let Some(id) = type_id {
            match tx.qualification_type(id)? {
                Some(t) if t.requester == ctx.requester => {}
                _ => return Err(OpError::QualificationTypeDoesNotExist(id.to_uppercase())),
            }
        }
        let page = tx.pending_qualification_requests(&QualificationRequestQuery {
            requester: &ctx.requester,
            qualification_type_id: type_id,
            sort_by_type: matches!(
                req.sort_property,
                Some(api::GetQualificationRequestsSortProperty::QualificationTypeId)
            ),
            descending: matches!(req.sort_direction, Some(api::SortDirection::Descending)),
            page_size,
            page_number,
        })?;
        Ok(api::GetQualificationRequestsResult {
            request: None,
            num_results: Some(clamp_i32(page.items.len() as i64)),
            total_num_results: Some(clamp_i32(page.total)),
            page_number: Some(clamp_i32(page_number)),
            qualification_request: page
                .items
                .iter()
                .map(render::qualification_request)
                .collect(),
        })
    })
}

pub(super) fn reject_qualification_request(
    svc: &Service,
    ctx: &Context,
    req: api::RejectQualificationRequestRequest,
) -> Result<api::RejectQualificationRequestResult, OpError> {
    svc.store.write(|tx| {
        let r = own_pending_request(tx, ctx, &req.qualification_request_id)?;
        tx.set_qualification_request_state(
            &r.qualification_request_id,
            QualificationRequestState::Rejected,
            req.reason.as_deref(),
        )?;
        Ok::<_, OpError>(())
    })?;
    Ok(api::RejectQualificationRequestResult::default())
}

pub(super) fn grant_qualification(
    svc: &Service,
    ctx: &Context,
    req: api::GrantQualificationRequest,
) -> Result<api::GrantQualificationResult, OpError> {
    let now = ctx.now;
    svc.store.write(|tx| {
        let r = own_pending_request(tx, ctx, &req.qualification_request_id)?;
        tx.set_qualification_request_state(
            &r.qualification_request_id,
            QualificationRequestState::Granted,
            None,
        )?;
        let granted = granted(
            &r.qualification_type_id,
            &r.worker_id,
            req.integer_value,
            now,
        );
        tx.upsert_qualification(&granted)?;
        Ok::<_, OpError>(())
    })?;
    Ok(api::GrantQualificationResult::default())
}

/// A qualification type anyone may look at: a requester's (not disposed), or a system type.
fn visible_type(tx: &Tx<'_>, id: &str) -> Result<store::QualificationType, OpError> {
    let id = id.trim();
    if let Some(t) = system_qualifications::system_type(id) {
        return Ok(system_qualifications::as_record(
            t,
            chrono::DateTime::UNIX_EPOCH,
        ));
    }
    match tx.qualification_type(id)? {
        Some(t) if t.status != QualificationTypeState::Disposed => Ok(t),
        _ => Err(OpError::QualificationTypeDoesNotExist(id.to_uppercase())),
    }
}

/// One of the caller's own qualification types (not disposed).
fn own_type(tx: &Tx<'_>, ctx: &Context, id: &str) -> Result<store::QualificationType, OpError> {
    let id = id.trim();
    match tx.qualification_type(id)? {
        Some(t) if t.status != QualificationTypeState::Disposed && t.requester == ctx.requester => {
            Ok(t)
        }
        _ => Err(OpError::QualificationTypeDoesNotExist(id.to_uppercase())),
    }
}

pub(super) fn get_qualification_type(
    svc: &Service,
    _ctx: &Context,
    req: api::GetQualificationTypeRequest,
) -> Result<api::QualificationType, OpError> {
    svc.store.read(|tx| {
        Ok(render::qualification_type(&visible_type(
            tx,
            &req.qualification_type_id,
        )?))
    })
}

pub(super) fn search_qualification_types(
    svc: &Service,
    ctx: &Context,
    req: api::SearchQualificationTypesRequest,
) -> Result<api::SearchQualificationTypesResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 1..=100)?;
    // Requesters' types are requestable; system types are not, so MustBeRequestable leaves them out.
    let query = given(&req.query);
    let owner = req
        .must_be_owned_by_caller
        .unwrap_or(false)
        .then_some(ctx.requester.as_str());
    // Legacy default: descending by name.
    let descending = !matches!(req.sort_direction, Some(api::SortDirection::Ascending));
    svc.store.read(|tx| {
        let page = tx.search_qualification_types(&store::QualificationTypeSearch {
            query,
            owner,
            descending,
            page_size,
            page_number,
        })?;
        let mut total = page.total;
        let mut items: Vec<api::QualificationType> =
            page.items.iter().map(render::qualification_type).collect();
        if !req.must_be_requestable && owner.is_none() {
            let words: Vec<String> = query
                .unwrap_or("")
                .split_whitespace()
                .map(str::to_lowercase)
                .collect();
            let mut matching: Vec<_> = system_qualifications::SYSTEM_TYPES
                .iter()
                .filter(|t| {
                    let text = format!("{} {}", t.name, t.description).to_lowercase();
                    words.iter().all(|w| text.contains(w.as_str()))
                })
                .collect();
            // In the requested order by Name, like the requesters' types.
            matching.sort_by(|a, b| a.name.cmp(b.name).then(a.id.cmp(b.id)));
            if descending {
                matching.reverse();
            }
            total += matching.len() as i64;
            // System types follow the requesters' types, on the pages after them.
            let first = (page_number - 1) * page_size;
            let offset = (first - page.total).max(0) as usize;
            let room = (page_size as usize).saturating_sub(items.len());
            for t in matching.into_iter().skip(offset).take(room) {
                items.push(render::qualification_type(
                    &system_qualifications::as_record(t, chrono::DateTime::UNIX_EPOCH),
                ));
            }
        }
        Ok(api::SearchQualificationTypesResult {
            request: None,
            num_results: Some(clamp_i32(items.len() as i64)),
            total_num_results: Some(clamp_i32(total)),
            page_number: Some(clamp_i32(page_number)),
            qualification_type: items,
        })
    })
}

pub(super) fn update_qualification_type(
    svc: &Service,
    ctx: &Context,
    req: api::UpdateQualificationTypeRequest,
) -> Result<api::QualificationType, OpError> {
    let test = given(&req.test);
    let answer_key = given(&req.answer_key);
    if let Some(d) = &req.description {
        max_chars("Description", d, 2000)?;
    }
    if let Some(t) = test {
        if t.len() > MAX_DOCUMENT_BYTES {
            return Err(OpError::InvalidParameterValue(format!(
                "Test can be at most {MAX_DOCUMENT_BYTES} bytes long."
            )));
        }
        questions::validate_question_form(t).map_err(OpError::XMLParseError)?;
    }
    if let Some(k) = answer_key {
        check_answer_key(k).map_err(OpError::XMLParseError)?;
    }
    // Updating the key or the duration means giving the test they belong to.
    if (answer_key.is_some() || req.test_duration_in_seconds.is_some()) && test.is_none() {
        return Err(OpError::InvalidParameterValue(
            "Updating the AnswerKey or TestDurationInSeconds requires the Test as well.".into(),
        ));
    }
    if test.is_some() && req.test_duration_in_seconds.is_none() {
        return Err(OpError::InvalidParameterValue(
            "TestDurationInSeconds is required when a Test is given.".into(),
        ));
    }
    svc.store.write(|tx| {
        let mut t = own_type(tx, ctx, &req.qualification_type_id)?;
        if let Some(d) = &req.description {
            t.description = d.clone();
        }
        match req.qualification_type_status {
            Some(api::QualificationTypeStatus::Active) => t.status = QualificationTypeState::Active,
            Some(api::QualificationTypeStatus::Inactive) => t.status = QualificationTypeState::Inactive,
            None => {}
        }
        if let Some(delay) = req.retry_delay_in_seconds {
            if t.retry_delay.is_none() {
                return Err(OpError::InvalidParameterValue(
                    "Retries were disabled when this QualificationType was created and cannot be enabled.".into(),
                ));
            }
            t.retry_delay = Some(in_range("RetryDelayInSeconds", delay, 0, i64::MAX)?);
        }
        if let Some(test) = test {
            t.test = Some(test.to_string());
            t.test_duration = req.test_duration_in_seconds.map(|d| in_range("TestDurationInSeconds", d, 1, 31_536_000)).transpose()?;
            t.answer_key = answer_key.map(str::to_string);
        }
        if let Some(auto) = req.auto_granted {
            if auto && t.test.is_some() {
                return Err(OpError::InvalidParameterValue(
                    "A QualificationType with a Test cannot also be AutoGranted.".into(),
                ));
            }
            t.auto_granted = auto;
        }
        if let Some(v) = req.auto_granted_value {
            t.auto_granted_value = Some(v);
        }
        tx.update_qualification_type(&t)?;
        Ok(render::qualification_type(&t))
    })
}

pub(super) fn dispose_qualification_type(
    svc: &Service,
    ctx: &Context,
    req: api::DisposeQualificationTypeRequest,
) -> Result<api::DisposeQualificationTypeResult, OpError> {
    let id = given(&req.qualification_type_id).ok_or_else(|| {
        OpError::InvalidParameterValue("The QualificationTypeId parameter is required.".into())
    })?;
    svc.store.write(|tx| {
        let t = own_type(tx, ctx, id)?;
        tx.dispose_qualification_type(&t.qualification_type_id)?;
        Ok::<_, OpError>(())
    })?;
    Ok(api::DisposeQualificationTypeResult::default())
}

pub(super) fn get_hits_for_qualification_type(
    svc: &Service,
    ctx: &Context,
    req: api::GetHITsForQualificationTypeRequest,
) -> Result<api::GetHITsForQualificationTypeResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 1..=100)?;
    let now = ctx.now;
    let groups = render::Groups::of(&req.response_group, &["Minimal"]);
    svc.store.read(|tx| {
        let id = visible_type(tx, &req.qualification_type_id)?.qualification_type_id;
        let page = tx.hit_ids_requiring(&ctx.requester, &id, page_size, page_number)?;
        let mut hits = Vec::with_capacity(page.items.len());
        for hit_id in &page.items {
            if let Some(h) = tx.hit(hit_id)? {
                let counts = groups.hit_counts(tx, hit_id)?;
                hits.push(render::hit(&h, &counts, groups, now));
            }
        }
        Ok(api::GetHITsForQualificationTypeResult {
            request: None,
            page_number: Some(clamp_i32(page_number)),
            num_results: Some(clamp_i32(hits.len() as i64)),
            total_num_results: Some(clamp_i32(page.total)),
            hit: hits,
        })
    })
}

pub(super) fn get_qualifications_for_qualification_type(
    svc: &Service,
    ctx: &Context,
    req: api::GetQualificationsForQualificationTypeRequest,
) -> Result<api::GetQualificationsForQualificationTypeResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 1..=100)?;
    let status = match req.status {
        Some(api::QualificationStatus::Revoked) => QualificationState::Revoked,
        _ => QualificationState::Granted,
    };
    svc.store.read(|tx| {
        let t = own_type(tx, ctx, &req.qualification_type_id)?;
        let page =
            tx.qualifications_for_type(&t.qualification_type_id, status, page_size, page_number)?;
        Ok(api::GetQualificationsForQualificationTypeResult {
            request: None,
            page_number: Some(clamp_i32(page_number)),
            num_results: Some(clamp_i32(page.items.len() as i64)),
            total_num_results: Some(clamp_i32(page.total)),
            qualification: page.items.iter().map(render::qualification).collect(),
        })
    })
}

fn check_subject(worker_id: &str) -> Result<&str, OpError> {
    valid_worker_id(worker_id).ok_or_else(|| {
        OpError::InvalidParameterValue(format!("WorkerId {worker_id:?} is invalid."))
    })
}

pub(super) fn assign_qualification(
    svc: &Service,
    ctx: &Context,
    req: api::AssignQualificationRequest,
) -> Result<api::AssignQualificationResult, OpError> {
    let worker = check_subject(&req.worker_id)?;
    let now = ctx.now;
    svc.store.write(|tx| {
        let t = own_type(tx, ctx, &req.qualification_type_id)?;
        // Pending requests stay as they are: assigning does not answer them.
        let granted = granted(&t.qualification_type_id, worker, req.integer_value, now);
        tx.upsert_qualification(&granted)?;
        Ok::<_, OpError>(())
    })?;
    Ok(api::AssignQualificationResult::default())
}

/// The caller's qualification type and the worker's qualification of it.
fn own_qualification(
    tx: &Tx<'_>,
    ctx: &Context,
    type_id: &str,
    worker: &str,
) -> Result<Qualification, OpError> {
    let t = own_type(tx, ctx, type_id)?;
    tx.qualification(&t.qualification_type_id, worker.trim())?
        .ok_or_else(|| OpError::QualificationDoesNotExist {
            qualification_type: t.qualification_type_id.clone(),
            worker: worker.trim().to_uppercase(),
        })
}

pub(super) fn revoke_qualification(
    svc: &Service,
    ctx: &Context,
    req: api::RevokeQualificationRequest,
) -> Result<api::RevokeQualificationResult, OpError> {
    svc.store.write(|tx| {
        let mut q = own_qualification(tx, ctx, &req.qualification_type_id, &req.subject_id)?;
        if q.status == QualificationState::Revoked {
            return Err(OpError::InvalidQualificationState(format!(
                "The qualification of worker {} has already been revoked.",
                q.worker_id
            )));
        }
        q.status = QualificationState::Revoked;
        tx.upsert_qualification(&q)?;
        Ok(())
    })?;
    Ok(api::RevokeQualificationResult::default())
}

pub(super) fn get_qualification_score(
    svc: &Service,
    ctx: &Context,
    req: api::GetQualificationScoreRequest,
) -> Result<api::Qualification, OpError> {
    svc.store.read(|tx| {
        Ok(render::qualification(&own_qualification(
            tx,
            ctx,
            &req.qualification_type_id,
            &req.subject_id,
        )?))
    })
}

pub(super) fn update_qualification_score(
    svc: &Service,
    ctx: &Context,
    req: api::UpdateQualificationScoreRequest,
) -> Result<api::UpdateQualificationScoreResult, OpError> {
    let value = req.integer_value.ok_or_else(|| {
        OpError::InvalidParameterValue("The IntegerValue parameter is required.".into())
    })?;
    svc.store.write(|tx| {
        let mut q = own_qualification(tx, ctx, &req.qualification_type_id, &req.subject_id)?;
        if q.status != QualificationState::Granted {
            return Err(OpError::InvalidQualificationState(format!(
                "The qualification of worker {} is revoked.",
                q.worker_id
            )));
        }
        q.integer_value = Some(value);
        tx.upsert_qualification(&q)?;
        Ok(())
    })?;
    Ok(api::UpdateQualificationScoreResult::default())
}
