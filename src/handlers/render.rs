//! Turning stored records into the interface's result types, honouring response groups.

use chrono::{DateTime, Utc};

use super::system_qualifications;
use crate::model::requester as api;
use crate::money::Cents;
use crate::store::{self, AssignmentState, HitState, SlotCounts, StoreError, Tx};

/// The response groups a call asked for (or the operation's defaults when it named none).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Groups {
    pub hit_detail: bool,
    pub hit_question: bool,
    pub hit_assignment_summary: bool,
    pub assignment_feedback: bool,
}

/// What rendering a HIT shows of its assignments.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct HitCounts {
    pub slots: SlotCounts,
    /// Approved and rejected: read only for the HITAssignmentSummary group, which alone shows it.
    pub completed: i64,
}

impl Groups {
    /// The counts rendering the HIT in these groups needs, read no further than it needs them:
    /// the status (HITDetail) takes the slot counts alone, the summary a count by status.
    pub(super) fn hit_counts(&self, tx: &Tx<'_>, hit_id: &str) -> Result<HitCounts, StoreError> {
        if self.hit_assignment_summary {
            let all = tx.assignment_counts(hit_id)?;
            Ok(HitCounts {
                slots: all.slots(),
                completed: all.approved + all.rejected,
            })
        } else if self.hit_detail {
            Ok(HitCounts {
                slots: tx.slot_counts(hit_id)?,
                completed: 0,
            })
        } else {
            Ok(HitCounts::default())
        }
    }

    pub(super) fn of(given: &[String], defaults: &[&str]) -> Groups {
        // Naming only the Request group still leaves the operation's default data in place.
        let named: Vec<&str> = given
            .iter()
            .map(String::as_str)
            .filter(|g| *g != "Request")
            .collect();
        let chosen: &[&str] = if named.is_empty() { defaults } else { &named };
        let has = |g: &str| chosen.contains(&g);
        Groups {
            hit_detail: has("HITDetail"),
            hit_question: has("HITQuestion"),
            hit_assignment_summary: has("HITAssignmentSummary"),
            assignment_feedback: has("AssignmentFeedback"),
        }
    }
}

pub(super) fn price(c: Cents) -> api::Price {
    api::Price {
        amount: c.to_decimal(),
        currency_code: "USD".to_string(),
        formatted_price: Some(c.formatted()),
    }
}

pub(super) fn qualification_requirement(
    q: &store::QualificationRequirement,
) -> api::QualificationRequirement {
    api::QualificationRequirement {
        qualification_type_id: q.qualification_type_id.clone(),
        comparator: q.comparator.into(),
        integer_value: q.integer_values.clone(),
        locale_value: q
            .locale_values
            .iter()
            .map(|l| api::Locale {
                country: l.country.clone(),
                subdivision: l.subdivision.clone(),
            })
            .collect(),
        required_to_preview: q.required_to_preview,
    }
}

pub(super) fn hit(
    h: &store::Hit,
    counts: &HitCounts,
    groups: Groups,
    now: DateTime<Utc>,
) -> api::HIT {
    let mut out = api::HIT {
        hit_id: Some(h.hit_id.clone()),
        hit_type_id: Some(h.hit_type_id.clone()),
        ..Default::default()
    };
    if groups.hit_detail {
        let t = &h.hit_type;
        out.hit_group_id = Some(h.hit_type_id.clone());
        out.hit_layout_id = h.hit_layout_id.clone();
        out.creation_time = Some(h.creation_time);
        out.title = Some(t.title.clone());
        out.description = Some(t.description.clone());
        out.keywords = t.keywords.clone();
        out.hit_status = Some(hit_status(h, counts.slots, now));
        out.max_assignments = Some(clamp_i32(h.max_assignments));
        out.reward = Some(price(t.reward));
        out.auto_approval_delay_in_seconds = Some(t.auto_approval_delay);
        out.expiration = Some(h.expiration);
        out.assignment_duration_in_seconds = Some(t.assignment_duration);
        out.requester_annotation = h.requester_annotation.clone();
        out.qualification_requirement = t
            .qualification_requirements
            .iter()
            .map(qualification_requirement)
            .collect();
        out.hit_review_status = Some(h.review_status.into());
    }
    if groups.hit_question {
        out.question = h.question.clone();
    }
    if groups.hit_assignment_summary {
        out.number_of_assignments_pending = Some(clamp_i32(counts.slots.accepted));
        out.number_of_assignments_available = Some(clamp_i32(
            (h.max_assignments - counts.slots.occupying).max(0),
        ));
        out.number_of_assignments_completed = Some(clamp_i32(counts.completed));
    }
    out
}

/// The Assignment structure: each time appears only once the event it records has happened.
pub(super) fn assignment(a: &store::Assignment, groups: Groups) -> api::Assignment {
    let status = match a.status {
        AssignmentState::Approved => Some(api::AssignmentStatus::Approved),
        AssignmentState::Rejected => Some(api::AssignmentStatus::Rejected),
        AssignmentState::Submitted => Some(api::AssignmentStatus::Submitted),
        _ => None,
    };
    api::Assignment {
        request: None,
        assignment_id: Some(a.assignment_id.clone()),
        worker_id: Some(a.worker_id.clone()),
        hit_id: Some(a.hit_id.clone()),
        assignment_status: status,
        auto_approval_time: a.auto_approval_time,
        accept_time: Some(a.accept_time),
        submit_time: a.submit_time,
        approval_time: a.approval_time,
        rejection_time: a.rejection_time,
        deadline: Some(a.deadline),
        answer: a.answer.clone(),
        requester_feedback: if groups.assignment_feedback {
            a.requester_feedback.clone()
        } else {
            None
        },
    }
}

pub(super) fn qualification_type(q: &store::QualificationType) -> api::QualificationType {
    api::QualificationType {
        request: None,
        qualification_type_id: Some(q.qualification_type_id.clone()),
        creation_time: Some(q.creation_time),
        name: Some(q.name.clone()),
        description: Some(q.description.clone()),
        keywords: q.keywords.clone(),
        qualification_type_status: Some(match q.status {
            store::QualificationTypeState::Inactive => api::QualificationTypeStatus::Inactive,
            _ => api::QualificationTypeStatus::Active,
        }),
        test: q.test.clone(),
        test_duration_in_seconds: q.test_duration,
        answer_key: q.answer_key.clone(),
        retry_delay_in_seconds: q.retry_delay,
        // System types are computed, not requested.
        is_requestable: Some(
            system_qualifications::system_type(&q.qualification_type_id).is_none(),
        ),
        auto_granted: Some(q.auto_granted),
        auto_granted_value: if q.auto_granted {
            Some(q.auto_granted_value.unwrap_or(1))
        } else {
            None
        },
    }
}

pub(super) fn qualification_request(r: &store::QualificationRequest) -> api::QualificationRequest {
    api::QualificationRequest {
        qualification_request_id: r.qualification_request_id.clone(),
        qualification_type_id: r.qualification_type_id.clone(),
        subject_id: r.worker_id.clone(),
        test: r.test.clone(),
        answer: r.answer.clone(),
        submit_time: r.submit_time,
    }
}

pub(super) fn qualification(q: &store::Qualification) -> api::Qualification {
    api::Qualification {
        request: None,
        qualification_type_id: Some(q.qualification_type_id.clone()),
        subject_id: Some(q.worker_id.clone()),
        grant_time: Some(q.grant_time),
        integer_value: q.integer_value,
        locale_value: q.locale_country.as_ref().map(|c| api::Locale {
            country: Some(c.clone()),
            subdivision: q.locale_subdivision.clone(),
        }),
        status: Some(match q.status {
            store::QualificationState::Granted => api::QualificationStatus::Granted,
            store::QualificationState::Revoked => api::QualificationStatus::Revoked,
        }),
    }
}

/// The status a HIT shows, derived from its stored state, its assignments and the clock.
pub(super) fn hit_status(h: &store::Hit, counts: SlotCounts, now: DateTime<Utc>) -> api::HITStatus {
    match h.state {
        HitState::Disposed => api::HITStatus::Disposed,
        HitState::Reviewing => api::HITStatus::Reviewing,
        HitState::Open => {
            let open_slots = h.max_assignments - counts.occupying > 0;
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

pub(crate) fn clamp_i32(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX })
}
