//! Qualification types, and the requests workers make for them.

use super::hits::{in_range, max_chars};
use super::render;
use super::{ids, paging, questions, Context, Service};
use crate::error::OpError;
use crate::model::{answer_key, requester as api};
use crate::store::{
    self, Qualification, QualificationRequestQuery, QualificationRequestState, QualificationState,
    QualificationTypeState, Tx,
};
use crate::xml::{self, Decode};

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
    answer_key::AnswerKey::decode(&root)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

pub fn create_qualification_type(
    svc: &Service,
    ctx: &Context,
    req: api::CreateQualificationTypeRequest,
) -> Result<api::QualificationType, OpError> {
    let now = svc.now()?;
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
    let test = req.test.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let answer_key = req
        .answer_key
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
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
    // Requests already granted or rejected are gone, as far as the requester can see.
    if owner.as_deref() != Some(ctx.requester.as_str())
        || r.state != QualificationRequestState::Pending
    {
        return Err(missing());
    }
    Ok(r)
}

pub fn get_qualification_requests(
    svc: &Service,
    ctx: &Context,
    req: api::GetQualificationRequestsRequest,
) -> Result<api::GetQualificationRequestsResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 100)?;
    let type_id = req
        .qualification_type_id
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
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
            num_results: Some(render::clamp_i32(page.items.len() as i64)),
            total_num_results: Some(render::clamp_i32(page.total)),
            page_number: Some(render::clamp_i32(page_number)),
            qualification_request: page
                .items
                .iter()
                .map(render::qualification_request)
                .collect(),
        })
    })
}

pub fn reject_qualification_request(
    svc: &Service,
    ctx: &Context,
    req: api::RejectQualificationRequestRequest,
) -> Result<(), OpError> {
    svc.store.write(|tx| {
        let r = own_pending_request(tx, ctx, &req.qualification_request_id)?;
        tx.set_qualification_request_state(
            &r.qualification_request_id,
            QualificationRequestState::Rejected,
            req.reason.as_deref(),
        )?;
        Ok(())
    })
}

pub fn grant_qualification(
    svc: &Service,
    ctx: &Context,
    req: api::GrantQualificationRequest,
) -> Result<(), OpError> {
    let now = svc.now()?;
    svc.store.write(|tx| {
        let r = own_pending_request(tx, ctx, &req.qualification_request_id)?;
        tx.set_qualification_request_state(
            &r.qualification_request_id,
            QualificationRequestState::Granted,
            None,
        )?;
        tx.upsert_qualification(&Qualification {
            qualification_type_id: r.qualification_type_id.clone(),
            worker_id: r.worker_id.clone(),
            integer_value: Some(req.integer_value.unwrap_or(1)),
            locale_country: None,
            locale_subdivision: None,
            grant_time: now,
            status: QualificationState::Granted,
        })?;
        Ok(())
    })
}
