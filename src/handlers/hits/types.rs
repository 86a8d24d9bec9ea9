//! Registering HIT types: a type is the properties HITs share (title, reward, durations,
//! qualification requirements); registering the same properties twice gives the same id.

use crate::error::OpError;
use crate::handlers::rules::{in_range, max_chars, required, reward_cents};
use crate::handlers::service::{Context, Service};
use crate::handlers::{ids, system_qualifications};
use crate::model::requester as api;
use crate::store::{self, Tx};

const MAX_REQUIREMENTS: usize = 10;

pub(super) fn requirement(
    tx: &Tx<'_>,
    q: &api::QualificationRequirement,
) -> Result<store::QualificationRequirement, OpError> {
    let id = q.qualification_type_id.trim();
    if system_qualifications::system_type(id).is_none() {
        // Any requester may require any type that still exists, as on the legacy marketplace.
        match tx.qualification_type(id)? {
            Some(t) if t.status != store::QualificationTypeState::Disposed => {}
            _ => return Err(OpError::QualificationTypeDoesNotExist(id.to_string())),
        }
    }
    use api::Comparator as C;
    let needs_values = !matches!(q.comparator, C::Exists | C::DoesNotExist);
    let has_values = !q.integer_value.is_empty() || !q.locale_value.is_empty();
    if needs_values && !has_values {
        return Err(OpError::InvalidParameterValue(format!(
            "QualificationRequirement {id} with Comparator {} needs an IntegerValue or a LocaleValue.",
            q.comparator.as_str()
        )));
    }
    if !needs_values && has_values {
        return Err(OpError::InvalidParameterValue(format!(
            "QualificationRequirement {id} with Comparator {} takes no IntegerValue or LocaleValue.",
            q.comparator.as_str()
        )));
    }
    if id == system_qualifications::WORKER_LOCALE {
        if !q.integer_value.is_empty() {
            return Err(OpError::InvalidParameterValue(format!(
                "QualificationRequirement {id} (Worker_Locale) takes a LocaleValue, not an IntegerValue."
            )));
        }
        // A locale compares only as equal or a member; Exists and DoesNotExist take no value.
        if needs_values && !matches!(q.comparator, C::EqualTo | C::NotEqualTo | C::In | C::NotIn) {
            return Err(OpError::InvalidParameterValue(format!(
                "QualificationRequirement {id} (Worker_Locale) takes only the EqualTo, NotEqualTo, In and NotIn comparators, not {}.",
                q.comparator.as_str()
            )));
        }
    } else if !q.locale_value.is_empty() {
        return Err(OpError::InvalidParameterValue(format!(
            "QualificationRequirement {id} takes no LocaleValue: only Worker_Locale ({}) does.",
            system_qualifications::WORKER_LOCALE
        )));
    }
    if !q.integer_value.is_empty() && !q.locale_value.is_empty() {
        return Err(OpError::InvalidParameterValue(format!(
            "QualificationRequirement {id} can have IntegerValues or LocaleValues, not both."
        )));
    }
    if q.integer_value.len() > 15 || q.locale_value.len() > 30 {
        return Err(OpError::InvalidParameterValue(format!(
            "QualificationRequirement {id} can have at most 15 IntegerValues or 30 LocaleValues."
        )));
    }
    if !matches!(q.comparator, C::In | C::NotIn)
        && (q.integer_value.len() > 1 || q.locale_value.len() > 1)
    {
        return Err(OpError::InvalidParameterValue(format!(
            "Only the In and NotIn comparators take more than one value (QualificationRequirement {id})."
        )));
    }
    Ok(store::QualificationRequirement {
        qualification_type_id: id.to_string(),
        comparator: q.comparator.into(),
        integer_values: q.integer_value.clone(),
        locale_values: q
            .locale_value
            .iter()
            .map(|l| store::Locale {
                country: l.country.clone(),
                subdivision: l.subdivision.clone(),
            })
            .collect(),
        required_to_preview: q.required_to_preview,
    })
}

/// The properties a HIT type is made of, as CreateHIT and RegisterHITType both take them.
pub(super) struct TypeProperties<'a> {
    title: Option<&'a str>,
    description: Option<&'a str>,
    keywords: Option<&'a str>,
    reward: Option<&'a api::Price>,
    assignment_duration: Option<i64>,
    auto_approval_delay: Option<i64>,
    qualification_requirements: &'a [api::QualificationRequirement],
}

impl<'a> TypeProperties<'a> {
    pub(super) fn of_create_hit(req: &'a api::CreateHITRequest) -> Self {
        TypeProperties {
            title: req.title.as_deref(),
            description: req.description.as_deref(),
            keywords: req.keywords.as_deref(),
            reward: req.reward.as_ref(),
            assignment_duration: req.assignment_duration_in_seconds,
            auto_approval_delay: req.auto_approval_delay_in_seconds,
            qualification_requirements: &req.qualification_requirement,
        }
    }

    fn of_register_hit_type(req: &'a api::RegisterHITTypeRequest) -> Self {
        TypeProperties {
            title: Some(&req.title),
            description: Some(&req.description),
            keywords: req.keywords.as_deref(),
            reward: Some(&req.reward),
            assignment_duration: Some(req.assignment_duration_in_seconds),
            auto_approval_delay: req.auto_approval_delay_in_seconds,
            qualification_requirements: &req.qualification_requirement,
        }
    }
}

/// The HIT type the properties describe. Its id is derived from them, so the same properties
/// always name the same type.
pub(super) fn hit_type_from_properties(
    tx: &Tx<'_>,
    ctx: &Context,
    p: &TypeProperties<'_>,
) -> Result<store::HitType, OpError> {
    let title = required("Title", p.title)?;
    max_chars("Title", title, 128)?;
    let description = required("Description", p.description)?;
    max_chars("Description", description, 2000)?;
    let keywords = p.keywords.map(str::trim).filter(|k| !k.is_empty());
    if let Some(k) = keywords {
        max_chars("Keywords", k, 1000)?;
    }
    let reward = reward_cents(
        p.reward.ok_or_else(|| {
            OpError::InvalidParameterValue("The Reward parameter is required.".into())
        })?,
        "Reward",
    )?;
    let duration = p.assignment_duration.ok_or_else(|| {
        OpError::InvalidParameterValue(
            "The AssignmentDurationInSeconds parameter is required.".into(),
        )
    })?;
    let duration = in_range("AssignmentDurationInSeconds", duration, 30, 31_536_000)?;
    let auto_approval = in_range(
        "AutoApprovalDelayInSeconds",
        p.auto_approval_delay.unwrap_or(2_592_000),
        0,
        2_592_000,
    )?;
    if p.qualification_requirements.len() > MAX_REQUIREMENTS {
        return Err(OpError::InvalidParameterValue(format!(
            "A HIT can have at most {MAX_REQUIREMENTS} QualificationRequirements."
        )));
    }
    let requirements = p
        .qualification_requirements
        .iter()
        .map(|q| requirement(tx, q))
        .collect::<Result<Vec<_>, _>>()?;
    let quals_json =
        serde_json::to_string(&requirements).map_err(|e| OpError::Internal(e.to_string()))?;
    let reward_text = reward.0.to_string();
    let duration_text = duration.to_string();
    let auto_text = auto_approval.to_string();
    let id = ids::derived(&[
        &ctx.requester,
        title,
        description,
        keywords.unwrap_or(""),
        &reward_text,
        &duration_text,
        &auto_text,
        &quals_json,
    ]);
    Ok(store::HitType {
        hit_type_id: id,
        requester: ctx.requester.clone(),
        title: title.to_string(),
        description: description.to_string(),
        keywords: keywords.map(str::to_string),
        reward,
        assignment_duration: duration,
        auto_approval_delay: auto_approval,
        qualification_requirements: requirements,
    })
}

pub(crate) fn register_hit_type(
    svc: &Service,
    ctx: &Context,
    req: api::RegisterHITTypeRequest,
) -> Result<api::RegisterHITTypeResult, OpError> {
    svc.store.write(|tx| {
        let t = hit_type_from_properties(tx, ctx, &TypeProperties::of_register_hit_type(&req))?;
        tx.upsert_hit_type(&t)?;
        Ok(api::RegisterHITTypeResult {
            request: None,
            hit_type_id: Some(t.hit_type_id),
        })
    })
}
