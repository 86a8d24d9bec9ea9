//! The marketplace as a worker sees it: the HITs it may accept now, and a HIT's preview.

use serde::{Deserialize, Serialize};

use super::eligibility::{check_access, visible_hit, Action};
use super::error::WorkerError;
use super::work::check_worker_id;
use crate::handlers::render::hit_status;
use crate::handlers::service::Service;
use crate::model::requester::HITStatus;
use crate::store::{self, AssignmentState, SlotCounts};

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

pub(super) fn wire_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl HitView {
    fn of(hit: &store::Hit, counts: SlotCounts, status: HITStatus, with_question: bool) -> HitView {
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
            number_of_assignments_available: (hit.max_assignments - counts.occupying).max(0),
            assignment_duration_in_seconds: t.assignment_duration,
            auto_approval_delay_in_seconds: t.auto_approval_delay,
            expiration: wire_time(hit.expiration),
            qualification_requirement: t
                .qualification_requirements
                .iter()
                .map(|q| RequirementView {
                    qualification_type_id: q.qualification_type_id.clone(),
                    comparator: q.comparator.to_string(),
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
    let now = svc.settle_due_changes()?;
    svc.store.read(|tx| {
        let hit = visible_hit(tx, hit_id)?;
        check_access(tx, worker, &hit, Action::Preview)?;
        let counts = tx.slot_counts(&hit.hit_id)?;
        let status = hit_status(&hit, counts, now);
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
        Ok(HitView::of(&hit, counts, status, true))
    })
}

/// The HITs a worker may accept now, oldest first: Assignable, with a slot the worker could
/// take, from requesters who have not blocked it, and whose requirements it meets.
pub fn acceptable_hits(svc: &Service, worker: &str) -> Result<Vec<HitView>, WorkerError> {
    Ok(marketplace(svc, worker)?
        .into_iter()
        .filter(|l| l.refused.is_none())
        .map(|l| l.hit)
        .collect())
}

/// A HIT on the worker site's marketplace: what the worker sees of it, whose it is, and why the
/// worker may not accept it, if it may not.
#[derive(Debug, Clone)]
pub struct Listing {
    pub hit: HitView,
    pub requester: String,
    pub refused: Option<WorkerError>,
}

/// Every Assignable HIT with a slot the worker could take, oldest first, from requesters who
/// have not blocked it; those whose requirements it misses are listed with the reason, as the
/// worker site marked them.
pub fn marketplace(svc: &Service, worker: &str) -> Result<Vec<Listing>, WorkerError> {
    let worker = check_worker_id(worker)?;
    let now = svc.settle_due_changes()?;
    svc.store.read(|tx| {
        let mut out = Vec::new();
        for id in tx.open_hits_for_worker(worker, now)? {
            let Some(hit) = tx.hit(&id)? else { continue };
            let counts = tx.slot_counts(&hit.hit_id)?;
            let status = hit_status(&hit, counts, now);
            if status != HITStatus::Assignable {
                continue;
            }
            let refused = match check_access(tx, worker, &hit, Action::Accept) {
                Ok(()) => None,
                Err(WorkerError::Blocked { .. }) => continue,
                Err(e @ WorkerError::DoesNotMeetRequirements { .. }) => Some(e),
                Err(e) => return Err(e),
            };
            out.push(Listing {
                hit: HitView::of(&hit, counts, status, false),
                requester: hit.requester.clone(),
                refused,
            });
        }
        Ok(out)
    })
}
