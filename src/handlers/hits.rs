//! HIT types and HITs: registering types, creating HITs (from properties, a HIT type or a
//! layout), looking them up and listing them, and every change a requester makes to a HIT.

use chrono::{DateTime, Duration, Utc};

use super::render::{self, Groups};
use super::{
    assignment_event, hit_changed, ids, notifications, paging, questions, review, Context, Service,
};
use crate::error::OpError;
use crate::model::html_question;
use crate::model::requester as api;
use crate::money::Cents;
use crate::store::{
    self, AssignmentCounts, AssignmentQuery, AssignmentSort, AssignmentState, HitFilter, HitQuery,
    HitSort, HitState, ReviewLevel, Tx,
};

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
/// How long a UniqueRequestToken keeps CreateHIT and ExtendHIT from being repeated.
const UNIQUE_TOKEN_LIFETIME: Duration = Duration::hours(24);
const MAX_TOKEN_CHARS: usize = 64;
const MAX_ASSIGNMENTS: i64 = 1_000_000_000;
/// The commission doubles at ten assignments, so the legacy service refused to extend a HIT
/// across that line.
const COMMISSION_STEP: i64 = 10;
/// The frame height of a layout registered without one.
const DEFAULT_FRAME_HEIGHT: i64 = 450;

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

/// The properties a HIT type is made of, as CreateHIT and RegisterHITType both take them.
struct TypeProperties<'a> {
    title: Option<&'a str>,
    description: Option<&'a str>,
    keywords: Option<&'a str>,
    reward: Option<&'a api::Price>,
    assignment_duration: Option<i64>,
    auto_approval_delay: Option<i64>,
    qualification_requirements: &'a [api::QualificationRequirement],
}

impl<'a> TypeProperties<'a> {
    fn of_create_hit(req: &'a api::CreateHITRequest) -> Self {
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

fn required<'a>(name: &str, value: Option<&'a str>) -> Result<&'a str, OpError> {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(OpError::InvalidParameterValue(format!(
            "The {name} parameter is required."
        ))),
    }
}

/// The HIT type the properties describe. Its id is derived from them, so the same properties
/// always name the same type.
fn hit_type_from_properties(
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

/// The caller's own HIT type.
fn own_hit_type(tx: &Tx<'_>, ctx: &Context, id: &str) -> Result<store::HitType, OpError> {
    let id = id.trim();
    match tx.hit_type(id)? {
        Some(t) if t.requester == ctx.requester => Ok(t),
        _ => Err(OpError::InvalidParameterValue(format!(
            "HITTypeId {} does not exist.",
            id.to_uppercase()
        ))),
    }
}

pub fn register_hit_type(
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

/// A UniqueRequestToken, if one was given.
fn unique_token(token: &Option<String>) -> Result<Option<&str>, OpError> {
    let token = token.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if let Some(t) = token {
        max_chars("UniqueRequestToken", t, MAX_TOKEN_CHARS)?;
    }
    Ok(token)
}

/// Where a new HIT's question comes from.
enum QuestionSource<'a> {
    Document(&'a str),
    Layout(&'a str),
}

fn question_source(req: &api::CreateHITRequest) -> Result<QuestionSource<'_>, OpError> {
    let question = req
        .question
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty());
    let layout = req
        .hit_layout_id
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    match (question, layout) {
        (Some(q), None) => {
            check_question(q)?;
            Ok(QuestionSource::Document(q))
        }
        (None, Some(l)) => Ok(QuestionSource::Layout(l)),
        (Some(_), Some(_)) => Err(OpError::InvalidParameterValue(
            "Give either a Question or a HITLayoutId, not both.".into(),
        )),
        (None, None) => Err(OpError::InvalidParameterValue(
            "The Question parameter or the HITLayoutId parameter is required.".into(),
        )),
    }
}

fn check_question(q: &str) -> Result<(), OpError> {
    if q.len() > MAX_QUESTION_BYTES {
        return Err(OpError::InvalidParameterValue(format!(
            "The Question can be at most {MAX_QUESTION_BYTES} bytes long."
        )));
    }
    questions::validate_question(q).map_err(OpError::XMLParseError)?;
    Ok(())
}

fn is_placeholder_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The layout's HTML with each `${Name}` replaced by the value of the HITLayoutParameter of that
/// name. Every placeholder needs a value; values are put in as given, markup included.
fn fill_layout(
    layout: &store::HitLayout,
    parameters: &[api::HITLayoutParameter],
) -> Result<String, OpError> {
    let html = &layout.html_content;
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find('}') {
            Some(end) if is_placeholder_name(&after[..end]) => {
                let name = &after[..end];
                let value = parameters
                    .iter()
                    .find(|p| p.name.trim() == name)
                    .ok_or_else(|| {
                        OpError::InvalidParameterValue(format!(
                            "HITLayout {} needs a HITLayoutParameter named {name}.",
                            layout.hit_layout_id
                        ))
                    })?;
                out.push_str(&value.value);
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str("${");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// An HTMLQuestion document showing `html` in a frame `frame_height` pixels high.
fn html_question_document(html: &str, frame_height: i64) -> String {
    // A CDATA section cannot hold "]]>": end the section inside it and open another.
    let cdata = html.replace("]]>", "]]]]><![CDATA[>");
    format!(
        "<HTMLQuestion xmlns=\"{}\"><HTMLContent><![CDATA[{cdata}]]></HTMLContent><FrameHeight>{frame_height}</FrameHeight></HTMLQuestion>",
        html_question::NAMESPACE
    )
}

impl Service {
    /// Registers a HIT layout (the legacy service made them on its website) and returns its id.
    /// An existing layout with the same id is replaced.
    pub fn register_hit_layout(
        &self,
        hit_layout_id: Option<&str>,
        html_content: &str,
        frame_height: Option<i64>,
    ) -> Result<String, OpError> {
        let id = match hit_layout_id.map(str::trim).filter(|id| !id.is_empty()) {
            Some(id) if id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                id.to_string()
            }
            Some(id) => {
                return Err(OpError::InvalidParameterValue(format!(
                    "HITLayoutId {id:?} must be 1 to 64 letters and digits."
                )))
            }
            None => ids::random(),
        };
        if html_content.trim().is_empty() {
            return Err(OpError::InvalidParameterValue(
                "The HTMLContent of a layout is required.".into(),
            ));
        }
        let frame_height = in_range(
            "FrameHeight",
            frame_height.unwrap_or(DEFAULT_FRAME_HEIGHT),
            0,
            i32::MAX.into(),
        )?;
        check_question(&html_question_document(html_content, frame_height))?;
        let layout = store::HitLayout {
            hit_layout_id: id.clone(),
            html_content: html_content.to_string(),
            frame_height,
        };
        self.store.write(|tx| tx.upsert_hit_layout(&layout))?;
        Ok(id)
    }
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
        MAX_ASSIGNMENTS,
    )?;
    let annotation = req.requester_annotation.clone().filter(|a| !a.is_empty());
    if let Some(a) = &annotation {
        max_chars("RequesterAnnotation", a, 255)?;
    }
    let token = unique_token(&req.unique_request_token)?;
    let source = question_source(&req)?;
    let groups = Groups::of(&req.response_group, &[]);
    let hit_id = ids::random();
    // Review policies are given at creation only, and checked before anything is stored.
    let policies = [
        (ReviewLevel::Assignment, &req.assignment_review_policy),
        (ReviewLevel::HIT, &req.hit_review_policy),
    ]
    .into_iter()
    .filter_map(|(level, p)| p.as_ref().map(|p| review::validate(&hit_id, level, p)))
    .collect::<Result<Vec<_>, _>>()?;

    svc.store.write(|tx| {
        if let Some(t) = token {
            if let Some(existing) =
                tx.hit_by_token(&ctx.requester, t, now - UNIQUE_TOKEN_LIFETIME)?
            {
                return Err(OpError::HITAlreadyExists { existing });
            }
        }
        // Given a HITTypeId, the type's own properties stand and any others are ignored.
        let hit_type = match req
            .hit_type_id
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(id) => own_hit_type(tx, ctx, id)?,
            None => hit_type_from_properties(tx, ctx, &TypeProperties::of_create_hit(&req))?,
        };
        let (question, hit_layout_id) = match source {
            QuestionSource::Document(q) => (q.to_string(), None),
            QuestionSource::Layout(id) => {
                let layout = tx
                    .hit_layout(id)?
                    .ok_or_else(|| OpError::HITLayoutDoesNotExist(id.to_string()))?;
                let html = fill_layout(&layout, &req.hit_layout_parameter)?;
                let question = html_question_document(&html, layout.frame_height);
                check_question(&question)?;
                (question, Some(layout.hit_layout_id))
            }
        };
        check_funds(tx, ctx, &hit_type, max_assignments, max_assignments)?;
        tx.upsert_hit_type(&hit_type)?;
        let hit = store::Hit {
            hit_id: hit_id.clone(),
            hit_type_id: hit_type.hit_type_id.clone(),
            requester: ctx.requester.clone(),
            creation_time: now,
            question: Some(question),
            hit_layout_id,
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
        for p in &policies {
            tx.put_review_policy(p)?;
        }
        hit_event(tx, &hit, api::EventType::HitCreated, now)?;
        Ok(render::hit(&hit, &AssignmentCounts::default(), groups, now))
    })
}

/// Raises a HIT's own event (created, extended, disposed) under its type.
fn hit_event(
    tx: &Tx<'_>,
    hit: &store::Hit,
    event_type: api::EventType,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    notifications::raise(
        tx,
        &notifications::Event {
            event_type,
            time: now,
            requester: &hit.requester,
            hit_type_id: &hit.hit_type_id,
            hit_id: &hit.hit_id,
            assignment_id: None,
        },
    )?;
    Ok(())
}

/// Refuses unless the balance covers the reward and commission of `slots` more assignments of a
/// HIT that will have `max_assignments` in all. Nothing is reserved: payment comes at approval.
fn check_funds(
    tx: &Tx<'_>,
    ctx: &Context,
    hit_type: &store::HitType,
    max_assignments: i64,
    slots: i64,
) -> Result<(), OpError> {
    let reward = hit_type.reward;
    let per_assignment = reward
        .checked_add(reward.commission(max_assignments))
        .ok_or_else(|| OpError::InvalidParameterValue("The Reward is too large.".into()))?;
    let needed = Cents(per_assignment.0.saturating_mul(slots));
    let available = tx.balance(&ctx.requester)?.unwrap_or_default();
    if available < needed {
        return Err(OpError::InsufficientFunds { needed, available });
    }
    Ok(())
}

/// The caller's own HIT, or HITDoesNotExist.
pub(super) fn own_hit(tx: &Tx<'_>, ctx: &Context, hit_id: &str) -> Result<store::Hit, OpError> {
    match own_hit_even_disposed(tx, ctx, hit_id)? {
        h if h.state != HitState::Disposed => Ok(h),
        _ => Err(OpError::HITDoesNotExist(hit_id.trim().to_uppercase())),
    }
}

/// The caller's own HIT, disposed of or not: DisableHIT and DisposeHIT say a disposed HIT is
/// in the wrong state rather than missing.
fn own_hit_even_disposed(tx: &Tx<'_>, ctx: &Context, hit_id: &str) -> Result<store::Hit, OpError> {
    match tx.hit(hit_id.trim())? {
        Some(h) if h.requester == ctx.requester => Ok(h),
        _ => Err(OpError::HITDoesNotExist(hit_id.trim().to_uppercase())),
    }
}

/// The HIT with its assignment counts and the status they give it now.
fn hit_and_status(
    tx: &Tx<'_>,
    hit: store::Hit,
    now: DateTime<Utc>,
) -> Result<(store::Hit, AssignmentCounts, api::HITStatus), OpError> {
    let counts = tx.assignment_counts(&hit.hit_id)?;
    let status = hit_status(&hit, &counts, now);
    Ok((hit, counts, status))
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

fn render_hits(
    tx: &Tx<'_>,
    hits: &[store::Hit],
    groups: Groups,
    now: DateTime<Utc>,
) -> Result<Vec<api::HIT>, OpError> {
    hits.iter()
        .map(|h| {
            let counts = if groups.needs_counts() {
                tx.assignment_counts(&h.hit_id)?
            } else {
                AssignmentCounts::default()
            };
            Ok(render::hit(h, &counts, groups, now))
        })
        .collect()
}

fn hit_sort(p: Option<api::SearchHITsSortProperty>, default: HitSort) -> HitSort {
    use api::SearchHITsSortProperty as P;
    match p {
        Some(P::Title) => HitSort::Title,
        Some(P::Reward) => HitSort::Reward,
        Some(P::Expiration) => HitSort::Expiration,
        Some(P::CreationTime) => HitSort::CreationTime,
        Some(P::Enumeration) => HitSort::Enumeration,
        None => default,
    }
}

pub fn search_hits(
    svc: &Service,
    ctx: &Context,
    req: api::SearchHITsRequest,
) -> Result<api::SearchHITsResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 100)?;
    let now = svc.now()?;
    let groups = Groups::of(
        &req.response_group,
        &["Minimal", "HITDetail", "HITAssignmentSummary"],
    );
    let query = HitQuery {
        requester: &ctx.requester,
        filter: HitFilter::Live,
        sort: hit_sort(req.sort_property, HitSort::CreationTime),
        descending: matches!(req.sort_direction, Some(api::SortDirection::Descending)),
        page_size,
        page_number,
    };
    svc.store.read(|tx| {
        let page = tx.list_hits(&query)?;
        let hits = render_hits(tx, &page.items, groups, now)?;
        Ok(api::SearchHITsResult {
            request: None,
            page_number: Some(render::clamp_i32(page_number)),
            num_results: Some(render::clamp_i32(hits.len() as i64)),
            total_num_results: Some(render::clamp_i32(page.total)),
            hit: hits,
        })
    })
}

pub fn get_reviewable_hits(
    svc: &Service,
    ctx: &Context,
    req: api::GetReviewableHITsRequest,
) -> Result<api::GetReviewableHITsResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 100)?;
    let now = svc.now()?;
    let hit_type_id = req
        .hit_type_id
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let filter = match req.status {
        Some(api::ReviewableHITStatus::Reviewing) => HitFilter::Reviewing { hit_type_id },
        Some(api::ReviewableHITStatus::Reviewable) | None => {
            HitFilter::Reviewable { now, hit_type_id }
        }
    };
    use api::GetReviewableHITsSortProperty as P;
    let sort = match req.sort_property {
        Some(P::Title) => HitSort::Title,
        Some(P::Reward) => HitSort::Reward,
        Some(P::CreationTime) => HitSort::CreationTime,
        Some(P::Enumeration) => HitSort::Enumeration,
        Some(P::Expiration) | None => HitSort::Expiration,
    };
    // Unlike the other lists, this one runs newest expiration first unless told otherwise.
    let descending = !matches!(req.sort_direction, Some(api::SortDirection::Ascending));
    let query = HitQuery {
        requester: &ctx.requester,
        filter,
        sort,
        descending,
        page_size,
        page_number,
    };
    svc.store.read(|tx| {
        let page = tx.list_hits(&query)?;
        // The operation has the Minimal response group only: each HIT is its HITId.
        let hits: Vec<api::HIT> = page
            .items
            .into_iter()
            .map(|h| api::HIT {
                hit_id: Some(h.hit_id),
                ..Default::default()
            })
            .collect();
        Ok::<_, OpError>(api::GetReviewableHITsResult {
            request: None,
            page_number: Some(render::clamp_i32(page_number)),
            num_results: Some(render::clamp_i32(hits.len() as i64)),
            total_num_results: Some(render::clamp_i32(page.total)),
            hit: hits,
        })
    })
}

pub fn set_hit_as_reviewing(
    svc: &Service,
    ctx: &Context,
    req: api::SetHITAsReviewingRequest,
) -> Result<api::SetHITAsReviewingResult, OpError> {
    let now = svc.now()?;
    let revert = req.revert.unwrap_or(false);
    svc.store.write(|tx| {
        let (mut hit, _, status) = hit_and_status(tx, own_hit(tx, ctx, &req.hit_id)?, now)?;
        hit.state = match (revert, status) {
            (false, api::HITStatus::Reviewable) => HitState::Reviewing,
            (true, api::HITStatus::Reviewing) => HitState::Open,
            _ => {
                let (wanted, verb) = if revert {
                    ("Reviewing", "reverted to Reviewable")
                } else {
                    ("Reviewable", "set to Reviewing")
                };
                return Err(OpError::InvalidHITState(format!(
                    "HIT {} has the status {}: only a {wanted} HIT can be {verb}.",
                    hit.hit_id,
                    status.as_str()
                )));
            }
        };
        tx.update_hit(&hit)?;
        Ok(api::SetHITAsReviewingResult::default())
    })
}

pub fn extend_hit(
    svc: &Service,
    ctx: &Context,
    req: api::ExtendHITRequest,
) -> Result<api::ExtendHITResult, OpError> {
    let now = svc.now()?;
    let increment = req
        .max_assignments_increment
        .map(|n| in_range("MaxAssignmentsIncrement", n.into(), 1, MAX_ASSIGNMENTS))
        .transpose()?;
    let extension = req
        .expiration_increment_in_seconds
        .map(|s| in_range("ExpirationIncrementInSeconds", s, 3600, 31_536_000))
        .transpose()?;
    if increment.is_none() && extension.is_none() {
        return Err(OpError::InvalidParameterValue(
            "Give MaxAssignmentsIncrement, ExpirationIncrementInSeconds or both.".into(),
        ));
    }
    let token = unique_token(&req.unique_request_token)?;
    svc.store.write(|tx| {
        if let Some(t) = token {
            if let Some(earlier) =
                tx.extension_by_token(&ctx.requester, t, now - UNIQUE_TOKEN_LIFETIME)?
            {
                return Err(OpError::DuplicateCall { earlier });
            }
        }
        let mut hit = own_hit(tx, ctx, &req.hit_id)?;
        if let Some(n) = increment {
            let total = in_range(
                "MaxAssignments",
                hit.max_assignments.saturating_add(n),
                1,
                MAX_ASSIGNMENTS,
            )?;
            if hit.max_assignments < COMMISSION_STEP && total >= COMMISSION_STEP {
                return Err(OpError::InvalidMaximumAssignmentsIncrease(format!(
                    "HIT {} has {} assignments; a HIT with fewer than {COMMISSION_STEP} assignments cannot be extended to {COMMISSION_STEP} or more.",
                    hit.hit_id, hit.max_assignments
                )));
            }
            check_funds(tx, ctx, &hit.hit_type, total, n)?;
            hit.max_assignments = total;
        }
        if let Some(secs) = extension {
            let from = if hit.expiration > now {
                hit.expiration
            } else {
                now
            };
            hit.expiration = from + Duration::seconds(secs);
        }
        // Extended, a Reviewing HIT goes back on the market; once its new assignments are done or
        // its new lifetime is over it is Reviewable, whatever it was before.
        if hit.state == HitState::Reviewing {
            hit.state = HitState::Open;
        }
        tx.update_hit(&hit)?;
        if let Some(t) = token {
            tx.record_extension(&ctx.requester, t, now, &ctx.request_id, &hit.hit_id)?;
        }
        hit_event(tx, &hit, api::EventType::HitExtended, now)?;
        hit_changed(tx, &hit.hit_id, now)?;
        Ok(api::ExtendHITResult::default())
    })
}

pub fn force_expire_hit(
    svc: &Service,
    ctx: &Context,
    req: api::ForceExpireHITRequest,
) -> Result<api::ForceExpireHITResult, OpError> {
    let now = svc.now()?;
    svc.store.write(|tx| {
        let mut hit = own_hit(tx, ctx, &req.hit_id)?;
        if hit.expiration <= now {
            return Err(OpError::InvalidHITState(format!(
                "HIT {} has already expired.",
                hit.hit_id
            )));
        }
        // Work already accepted may still be submitted; only new workers are turned away.
        hit.expiration = now;
        tx.update_hit(&hit)?;
        hit_changed(tx, &hit.hit_id, now)?;
        Ok(api::ForceExpireHITResult::default())
    })
}

pub fn disable_hit(
    svc: &Service,
    ctx: &Context,
    req: api::DisableHITRequest,
) -> Result<api::DisableHITResult, OpError> {
    let now = svc.now()?;
    svc.store.write(|tx| {
        let hit = own_hit_even_disposed(tx, ctx, &req.hit_id)?;
        let (mut hit, counts, status) = hit_and_status(tx, hit, now)?;
        match status {
            api::HITStatus::Assignable | api::HITStatus::Unassignable => {}
            api::HITStatus::Disposed => {
                return Err(OpError::InvalidHITState(format!(
                    "HIT {} has already been disposed of.",
                    hit.hit_id
                )))
            }
            api::HITStatus::Reviewable | api::HITStatus::Reviewing => {
                return Err(OpError::InvalidHITState(format!(
                    "HIT {} is {}: DisableHIT does not work on reviewable HITs. Approve or reject its assignments, then call DisposeHIT.",
                    hit.hit_id,
                    status.as_str()
                )))
            }
        }
        // Submitted work is approved and paid, all of it or (short of funds) none of it.
        let submitted = tx
            .assignments_for_hit(&AssignmentQuery {
                hit_id: &hit.hit_id,
                states: &[AssignmentState::Submitted],
                sort: AssignmentSort::SubmitTime,
                descending: false,
                page_size: i64::MAX,
                page_number: 1,
            })?
            .items;
        check_funds(
            tx,
            ctx,
            &hit.hit_type,
            hit.max_assignments,
            counts.submitted,
        )?;
        for mut a in submitted {
            super::assignments::pay(tx, &ctx.requester, &a, &hit, now, false)?;
            a.status = AssignmentState::Approved;
            a.approval_time = Some(now);
            tx.update_assignment(&a)?;
            assignment_event(tx, api::EventType::AssignmentApproved, &a, now)?;
        }
        hit.state = HitState::Disposed;
        tx.update_hit(&hit)?;
        hit_event(tx, &hit, api::EventType::HitDisposed, now)?;
        Ok(api::DisableHITResult::default())
    })
}

pub fn dispose_hit(
    svc: &Service,
    ctx: &Context,
    req: api::DisposeHITRequest,
) -> Result<api::DisposeHITResult, OpError> {
    let now = svc.now()?;
    svc.store.write(|tx| {
        let hit = own_hit_even_disposed(tx, ctx, &req.hit_id)?;
        let (mut hit, counts, status) = hit_and_status(tx, hit, now)?;
        // A Reviewing HIT is a Reviewable one the requester is busy with: it may be disposed too.
        if !matches!(
            status,
            api::HITStatus::Reviewable | api::HITStatus::Reviewing
        ) {
            return Err(OpError::InvalidHITState(format!(
                "HIT {} is {}: only a Reviewable HIT can be disposed of.",
                hit.hit_id,
                status.as_str()
            )));
        }
        if counts.submitted > 0 {
            return Err(OpError::InvalidHITState(format!(
                "HIT {} has {} submitted assignments that are neither approved nor rejected.",
                hit.hit_id, counts.submitted
            )));
        }
        hit.state = HitState::Disposed;
        tx.update_hit(&hit)?;
        hit_event(tx, &hit, api::EventType::HitDisposed, now)?;
        Ok(api::DisposeHITResult::default())
    })
}

pub fn change_hit_type_of_hit(
    svc: &Service,
    ctx: &Context,
    req: api::ChangeHITTypeOfHITRequest,
) -> Result<api::ChangeHITTypeOfHITResult, OpError> {
    let type_id = required("HITTypeId", Some(&req.hit_type_id))?;
    svc.store.write(|tx| {
        let mut hit = own_hit(tx, ctx, &req.hit_id)?;
        let new_type = own_hit_type(tx, ctx, type_id)?;
        if new_type.reward != hit.hit_type.reward {
            return Err(OpError::InvalidParameterValue(format!(
                "HIT type {} has the Reward {}, but HIT {} has the Reward {}: the new type must have the same Reward.",
                new_type.hit_type_id,
                new_type.reward.formatted(),
                hit.hit_id,
                hit.hit_type.reward.formatted()
            )));
        }
        hit.hit_type_id = new_type.hit_type_id.clone();
        hit.hit_type = new_type;
        tx.update_hit(&hit)?;
        Ok(api::ChangeHITTypeOfHITResult::default())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(html: &str) -> store::HitLayout {
        store::HitLayout {
            hit_layout_id: "LAYOUT1".into(),
            html_content: html.into(),
            frame_height: 450,
        }
    }

    fn param(name: &str, value: &str) -> api::HITLayoutParameter {
        api::HITLayoutParameter {
            name: name.into(),
            value: value.into(),
        }
    }

    #[test]
    fn layouts_fill_every_placeholder() {
        let l =
            layout("<p>${name}</p><img src=\"${image_url}\"> ${name} costs $5 {x} ${not valid}");
        let filled = fill_layout(
            &l,
            &[
                param("name", "Lyon & <b>Paris</b>"),
                param("image_url", "https://example.com/a.png"),
                param("unused", "ignored"),
            ],
        )
        .unwrap();
        assert_eq!(
            filled,
            "<p>Lyon & <b>Paris</b></p><img src=\"https://example.com/a.png\"> Lyon & <b>Paris</b> costs $5 {x} ${not valid}"
        );
    }

    #[test]
    fn a_missing_layout_parameter_is_refused() {
        let err = fill_layout(&layout("<p>${name}</p>"), &[param("other", "x")]).unwrap_err();
        assert_eq!(err.code(), "AWS.MechanicalTurk.InvalidParameterValue");
        assert!(err.to_string().contains("name"), "{err}");
        // An unterminated placeholder is plain text.
        assert_eq!(fill_layout(&layout("a ${b"), &[]).unwrap(), "a ${b");
    }

    #[test]
    fn layout_questions_are_valid_html_questions_even_with_cdata_ends() {
        let doc = html_question_document("<p>]]> and ]]></p>", 300);
        assert_eq!(
            questions::validate_question(&doc),
            Ok(questions::QuestionKind::HTMLQuestion)
        );
        assert!(doc.contains("<FrameHeight>300</FrameHeight>"));
    }

    #[test]
    fn requirements_take_values_only_where_their_comparator_does() {
        let store = store::Store::open(":memory:").unwrap();
        let req = |comparator, ints: Vec<i32>| api::QualificationRequirement {
            qualification_type_id: "00000000000000000040".into(),
            comparator,
            integer_value: ints,
            locale_value: vec![],
            required_to_preview: None,
        };
        store
            .read(|tx| {
                assert!(requirement(tx, &req(api::Comparator::Exists, vec![])).is_ok());
                assert!(requirement(tx, &req(api::Comparator::Exists, vec![1])).is_err());
                assert!(requirement(tx, &req(api::Comparator::GreaterThan, vec![])).is_err());
                assert!(requirement(tx, &req(api::Comparator::GreaterThan, vec![1, 2])).is_err());
                assert!(requirement(tx, &req(api::Comparator::In, (0..15).collect())).is_ok());
                assert!(requirement(tx, &req(api::Comparator::In, (0..16).collect())).is_err());
                Ok::<_, OpError>(())
            })
            .unwrap();
    }
}
