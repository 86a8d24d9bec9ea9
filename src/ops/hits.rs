//! HITs: creation, lookup and the status a HIT shows.

use chrono::{DateTime, Duration, Utc};

use super::render::{self, Groups};
use super::{ids, questions, Context, Service};
use crate::error::OpError;
use crate::model::requester as api;
use crate::money::Cents;
use crate::store::{self, AssignmentCounts, HitState, Tx};

/// Qualification types every requester may require without owning them (legacy system types).
pub const SYSTEM_QUALIFICATION_TYPES: &[&str] = &[
    "00000000000000000040",           // Worker_NumberHITsApproved
    "00000000000000000071",           // Worker_Locale
    "00000000000000000060",           // Worker_Adult
    "000000000000000000L0",           // Worker_PercentAssignmentsApproved
    "00000000000000000000",           // Worker_PercentAssignmentsSubmitted
    "00000000000000000070",           // Worker_PercentAssignmentsAbandoned
    "000000000000000000E0",           // Worker_PercentAssignmentsReturned
    "000000000000000000S0",           // Worker_PercentAssignmentsRejected
    "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6", // Masters (sandbox)
    "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH", // Masters (production)
];

const MAX_QUESTION_BYTES: usize = 65_535;
const MAX_REQUIREMENTS: usize = 10;
const UNIQUE_TOKEN_LIFETIME: Duration = Duration::hours(24);

/// The status a HIT shows, derived from its stored state, its assignments and the clock.
pub fn hit_status(h: &store::Hit, counts: &AssignmentCounts, now: DateTime<Utc>) -> api::HITStatus {
    match h.state {
        HitState::Disposed => api::HITStatus::Disposed,
        HitState::Reviewing => api::HITStatus::Reviewing,
        HitState::Open => {
            let open_slots = h.max_assignments - counts.occupying() > 0;
            if now < h.expiration && open_slots {
                api::HITStatus::Assignable
            } else if counts.accepted > 0 {
                api::HITStatus::Unassignable
            } else {
                api::HITStatus::Reviewable
            }
        }
    }
}

pub(super) fn in_range(name: &str, value: i64, min: i64, max: i64) -> Result<i64, OpError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(OpError::ParameterOutOfRange(format!(
            "The value {value} for {name} is invalid; it must be between {min} and {max}."
        )))
    }
}

pub(super) fn max_chars(name: &str, value: &str, max: usize) -> Result<(), OpError> {
    if value.chars().count() > max {
        Err(OpError::InvalidParameterValue(format!(
            "{name} can be at most {max} characters long."
        )))
    } else {
        Ok(())
    }
}

fn required<'a>(name: &str, value: &'a Option<String>) -> Result<&'a str, OpError> {
    match value.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(OpError::InvalidParameterValue(format!(
            "The {name} parameter is required."
        ))),
    }
}

pub(super) fn reward_cents(p: &api::Price, name: &str) -> Result<Cents, OpError> {
    if !p.currency_code.trim().eq_ignore_ascii_case("USD") {
        return Err(OpError::InvalidParameterValue(format!(
            "{name} CurrencyCode {} is not supported; only USD is.",
            p.currency_code
        )));
    }
    Cents::from_decimal(p.amount).ok_or_else(|| {
        OpError::InvalidParameterValue(format!(
            "{name} Amount {} must be zero or more, in whole cents.",
            p.amount
        ))
    })
}

fn requirement(
    tx: &Tx<'_>,
    q: &api::QualificationRequirement,
) -> Result<store::QualificationRequirement, OpError> {
    let id = q.qualification_type_id.trim();
    if !SYSTEM_QUALIFICATION_TYPES.contains(&id) {
        // Any requester may require any type that still exists, as on the legacy marketplace.
        match tx.qualification_type(id)? {
            Some(t) if t.status != store::QualificationTypeState::Disposed => {}
            _ => return Err(OpError::QualificationTypeDoesNotExist(id.to_string())),
        }
    }
    use api::Comparator as C;
    let needs_values = !matches!(q.comparator, C::Exists | C::DoesNotExist);
    if needs_values && q.integer_value.is_empty() && q.locale_value.is_empty() {
        return Err(OpError::InvalidParameterValue(format!(
            "QualificationRequirement {id} with Comparator {} needs an IntegerValue or a LocaleValue.",
            q.comparator.as_str()
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
        comparator: q.comparator.as_str().to_string(),
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

/// Builds (or finds) the HIT type that CreateHIT's own properties describe.
fn hit_type_from_properties(
    tx: &Tx<'_>,
    ctx: &Context,
    req: &api::CreateHITRequest,
) -> Result<store::HitType, OpError> {
    let title = required("Title", &req.title)?;
    max_chars("Title", title, 128)?;
    let description = required("Description", &req.description)?;
    max_chars("Description", description, 2000)?;
    let keywords = req
        .keywords
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    if let Some(k) = keywords {
        max_chars("Keywords", k, 1000)?;
    }
    let reward = reward_cents(
        req.reward.as_ref().ok_or_else(|| {
            OpError::InvalidParameterValue("The Reward parameter is required.".into())
        })?,
        "Reward",
    )?;
    let duration = req.assignment_duration_in_seconds.ok_or_else(|| {
        OpError::InvalidParameterValue(
            "The AssignmentDurationInSeconds parameter is required.".into(),
        )
    })?;
    let duration = in_range("AssignmentDurationInSeconds", duration, 30, 31_536_000)?;
    let auto_approval = in_range(
        "AutoApprovalDelayInSeconds",
        req.auto_approval_delay_in_seconds.unwrap_or(2_592_000),
        0,
        2_592_000,
    )?;
    if req.qualification_requirement.len() > MAX_REQUIREMENTS {
        return Err(OpError::InvalidParameterValue(format!(
            "A HIT can have at most {MAX_REQUIREMENTS} QualificationRequirements."
        )));
    }
    let requirements = req
        .qualification_requirement
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

pub fn create_hit(
    svc: &Service,
    ctx: &Context,
    req: api::CreateHITRequest,
) -> Result<api::HIT, OpError> {
    let now = svc.now()?;
    let lifetime = in_range("LifetimeInSeconds", req.lifetime_in_seconds, 30, 31_536_000)?;
    let max_assignments = in_range(
        "MaxAssignments",
        req.max_assignments.unwrap_or(1).into(),
        1,
        1_000_000_000,
    )?;
    let annotation = req.requester_annotation.clone().filter(|a| !a.is_empty());
    if let Some(a) = &annotation {
        max_chars("RequesterAnnotation", a, 255)?;
    }
    let token = req
        .unique_request_token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if let Some(t) = token {
        max_chars("UniqueRequestToken", t, 64)?;
    }
    let question = match (
        req.question
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty()),
        &req.hit_layout_id,
    ) {
        (Some(q), None) => {
            if q.len() > MAX_QUESTION_BYTES {
                return Err(OpError::InvalidParameterValue(format!(
                    "The Question can be at most {MAX_QUESTION_BYTES} bytes long."
                )));
            }
            questions::validate_question(q).map_err(OpError::XMLParseError)?;
            q.to_string()
        }
        (None, Some(layout)) => {
            return Err(OpError::HITLayoutDoesNotExist(layout.trim().to_string()))
        }
        (Some(_), Some(_)) => {
            return Err(OpError::InvalidParameterValue(
                "Give either a Question or a HITLayoutId, not both.".into(),
            ))
        }
        (None, None) => {
            return Err(OpError::InvalidParameterValue(
                "The Question parameter or the HITLayoutId parameter is required.".into(),
            ))
        }
    };
    let groups = Groups::of(&req.response_group, &[]);

    svc.store.write(|tx| {
        if let Some(t) = token {
            if let Some(existing) =
                tx.hit_by_token(&ctx.requester, t, now - UNIQUE_TOKEN_LIFETIME)?
            {
                return Err(OpError::HITAlreadyExists { existing });
            }
        }
        let hit_type = match req
            .hit_type_id
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(id) => match tx.hit_type(id)? {
                Some(t) if t.requester == ctx.requester => t,
                _ => {
                    return Err(OpError::InvalidParameterValue(format!(
                        "HITTypeId {id} does not exist."
                    )))
                }
            },
            None => hit_type_from_properties(tx, ctx, &req)?,
        };
        let per_assignment = hit_type
            .reward
            .checked_add(hit_type.reward.commission(max_assignments))
            .ok_or_else(|| OpError::InvalidParameterValue("The Reward is too large.".into()))?;
        let needed = Cents(per_assignment.0.saturating_mul(max_assignments));
        let available = tx.balance(&ctx.requester)?.unwrap_or_default();
        if available < needed {
            return Err(OpError::InsufficientFunds { needed, available });
        }
        tx.upsert_hit_type(&hit_type)?;
        let hit = store::Hit {
            hit_id: ids::random(),
            hit_type_id: hit_type.hit_type_id.clone(),
            requester: ctx.requester.clone(),
            creation_time: now,
            question: Some(question),
            hit_layout_id: None,
            max_assignments,
            lifetime,
            expiration: now + Duration::seconds(lifetime),
            requester_annotation: annotation,
            review_status: "NotReviewed".into(),
            state: HitState::Open,
            unique_request_token: token.map(str::to_string),
            hit_type,
        };
        tx.insert_hit(&hit)?;
        Ok(render::hit(&hit, &AssignmentCounts::default(), groups, now))
    })
}

/// The caller's own HIT, or HITDoesNotExist.
pub(super) fn own_hit(tx: &Tx<'_>, ctx: &Context, hit_id: &str) -> Result<store::Hit, OpError> {
    match tx.hit(hit_id.trim())? {
        Some(h) if h.requester == ctx.requester && h.state != HitState::Disposed => Ok(h),
        _ => Err(OpError::HITDoesNotExist(hit_id.trim().to_uppercase())),
    }
}

pub fn get_hit(svc: &Service, ctx: &Context, req: api::GetHITRequest) -> Result<api::HIT, OpError> {
    let now = svc.now()?;
    let groups = Groups::of(
        &req.response_group,
        &["Minimal", "HITDetail", "HITQuestion"],
    );
    svc.store.read(|tx| {
        let hit = own_hit(tx, ctx, &req.hit_id)?;
        let counts = if groups.needs_counts() {
            tx.assignment_counts(&hit.hit_id)?
        } else {
            AssignmentCounts::default()
        };
        Ok::<_, OpError>(render::hit(&hit, &counts, groups, now))
    })
}

pub fn register_hit_type(
    _svc: &Service,
    _ctx: &Context,
    _req: api::RegisterHITTypeRequest,
) -> Result<api::RegisterHITTypeResult, OpError> {
    Err(OpError::NotImplemented(
        api::Operation::RegisterHITType.name(),
    ))
}

pub fn dispose_hit(
    _svc: &Service,
    _ctx: &Context,
    _req: api::DisposeHITRequest,
) -> Result<api::DisposeHITResult, OpError> {
    Err(OpError::NotImplemented(api::Operation::DisposeHIT.name()))
}

pub fn disable_hit(
    _svc: &Service,
    _ctx: &Context,
    _req: api::DisableHITRequest,
) -> Result<api::DisableHITResult, OpError> {
    Err(OpError::NotImplemented(api::Operation::DisableHIT.name()))
}

pub fn get_reviewable_hits(
    _svc: &Service,
    _ctx: &Context,
    _req: api::GetReviewableHITsRequest,
) -> Result<api::GetReviewableHITsResult, OpError> {
    Err(OpError::NotImplemented(
        api::Operation::GetReviewableHITs.name(),
    ))
}

pub fn set_hit_as_reviewing(
    _svc: &Service,
    _ctx: &Context,
    _req: api::SetHITAsReviewingRequest,
) -> Result<api::SetHITAsReviewingResult, OpError> {
    Err(OpError::NotImplemented(
        api::Operation::SetHITAsReviewing.name(),
    ))
}

pub fn extend_hit(
    _svc: &Service,
    _ctx: &Context,
    _req: api::ExtendHITRequest,
) -> Result<api::ExtendHITResult, OpError> {
    Err(OpError::NotImplemented(api::Operation::ExtendHIT.name()))
}

pub fn force_expire_hit(
    _svc: &Service,
    _ctx: &Context,
    _req: api::ForceExpireHITRequest,
) -> Result<api::ForceExpireHITResult, OpError> {
    Err(OpError::NotImplemented(
        api::Operation::ForceExpireHIT.name(),
    ))
}

pub fn search_hits(
    _svc: &Service,
    _ctx: &Context,
    _req: api::SearchHITsRequest,
) -> Result<api::SearchHITsResult, OpError> {
    Err(OpError::NotImplemented(api::Operation::SearchHITs.name()))
}

pub fn change_hit_type_of_hit(
    _svc: &Service,
    _ctx: &Context,
    _req: api::ChangeHITTypeOfHITRequest,
) -> Result<api::ChangeHITTypeOfHITResult, OpError> {
    Err(OpError::NotImplemented(
        api::Operation::ChangeHITTypeOfHIT.name(),
    ))
}
