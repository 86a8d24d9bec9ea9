//! HIT types and HITs: registering types, creating HITs (from properties, a HIT type or a
//! layout), looking them up and listing them, and every change a requester makes to a HIT.

use chrono::Duration;

use super::types::{hit_type_from_properties, TypeProperties};

use crate::error::OpError;
use crate::handlers::access::own_hit_type;
use crate::handlers::events::hit_event;
use crate::handlers::funds::check_funds;
use crate::handlers::render::{self, Groups, HitCounts};
use crate::handlers::rules::{given, in_range, max_chars};
use crate::handlers::service::{Context, Service};
use crate::handlers::{ids, questions, review};
use crate::model::html_question;
use crate::model::requester as api;
use crate::store::{self, HitState, ReviewLevel};

const MAX_QUESTION_BYTES: usize = 65_535;
/// How long a UniqueRequestToken keeps CreateHIT and ExtendHIT from being repeated.
pub(super) const UNIQUE_TOKEN_LIFETIME: Duration = Duration::hours(24);
const MAX_TOKEN_CHARS: usize = 64;
pub(super) const MAX_ASSIGNMENTS: i64 = 1_000_000_000;
/// The frame height of a layout registered without one.
const DEFAULT_FRAME_HEIGHT: i64 = 450;

/// A UniqueRequestToken, if one was given.
pub(super) fn unique_token(token: &Option<String>) -> Result<Option<&str>, OpError> {
    let token = given(token);
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
    let question = given(&req.question);
    let layout = given(&req.hit_layout_id);
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
pub(super) fn fill_layout(
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
pub(super) fn html_question_document(html: &str, frame_height: i64) -> String {
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

pub(crate) fn create_hit(
    svc: &Service,
    ctx: &Context,
    req: api::CreateHITRequest,
) -> Result<api::HIT, OpError> {
    let now = ctx.now;
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
    let hit_id = ids::ordered();
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
        let hit_type = match given(&req.hit_type_id) {
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
        check_funds(
            tx,
            &ctx.requester,
            &hit_type,
            max_assignments,
            max_assignments,
        )?;
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
            review_status: store::HitReviewStatus::NotReviewed,
            state: HitState::Open,
            unique_request_token: token.map(str::to_string),
            hit_type,
        };
        tx.insert_hit(&hit)?;
        // Its expiration (and its disposal 120 days later) must wake the settling.
        svc.next_due.note(hit.expiration);
        for p in &policies {
            tx.put_review_policy(p)?;
        }
        hit_event(tx, &hit, api::EventType::HitCreated, now)?;
        Ok(render::hit(&hit, &HitCounts::default(), groups, now))
    })
}
