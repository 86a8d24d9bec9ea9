//! The records the store keeps. Plain data: the rules that move them live in `crate::handlers`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::enums::*;
use crate::money::Cents;

/// A QualificationRequirement, as stored with a HIT type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualificationRequirement {
    pub qualification_type_id: String,
    pub comparator: Comparator,
    #[serde(default)]
    pub integer_values: Vec<i32>,
    #[serde(default)]
    pub locale_values: Vec<Locale>,
    #[serde(default)]
    pub required_to_preview: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Locale {
    pub country: Option<String>,
    pub subdivision: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HitType {
    pub hit_type_id: String,
    pub requester: String,
    pub title: String,
    pub description: String,
    pub keywords: Option<String>,
    pub reward: Cents,
    pub assignment_duration: i64,
    pub auto_approval_delay: i64,
    pub qualification_requirements: Vec<QualificationRequirement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub hit_id: String,
    pub hit_type_id: String,
    pub requester: String,
    pub creation_time: DateTime<Utc>,
    pub question: Option<String>,
    pub hit_layout_id: Option<String>,
    pub max_assignments: i64,
    pub lifetime: i64,
    pub expiration: DateTime<Utc>,
    pub requester_annotation: Option<String>,
    pub review_status: HitReviewStatus,
    pub state: HitState,
    pub unique_request_token: Option<String>,
    /// The type's properties, which the HIT shows as its own.
    pub hit_type: HitType,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub assignment_id: String,
    pub hit_id: String,
    pub worker_id: String,
    pub status: AssignmentState,
    pub accept_time: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub submit_time: Option<DateTime<Utc>>,
    pub auto_approval_time: Option<DateTime<Utc>>,
    pub approval_time: Option<DateTime<Utc>>,
    pub rejection_time: Option<DateTime<Utc>>,
    pub answer: Option<String>,
    pub requester_feedback: Option<String>,
}

impl Assignment {
    /// Work a worker has just accepted, due by `deadline`.
    pub fn accepted(
        assignment_id: String,
        hit_id: String,
        worker_id: String,
        accept_time: DateTime<Utc>,
        deadline: DateTime<Utc>,
    ) -> Assignment {
        Assignment {
            assignment_id,
            hit_id,
            worker_id,
            status: AssignmentState::Accepted,
            accept_time,
            deadline,
            submit_time: None,
            auto_approval_time: None,
            approval_time: None,
            rejection_time: None,
            answer: None,
            requester_feedback: None,
        }
    }
}

/// A HIT's assignments counted by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AssignmentCounts {
    pub accepted: i64,
    pub submitted: i64,
    pub approved: i64,
    pub rejected: i64,
    pub returned: i64,
    pub abandoned: i64,
}

impl AssignmentCounts {
    pub fn add(&mut self, state: AssignmentState, n: i64) {
        let slot = match state {
            AssignmentState::Accepted => &mut self.accepted,
            AssignmentState::Submitted => &mut self.submitted,
            AssignmentState::Approved => &mut self.approved,
            AssignmentState::Rejected => &mut self.rejected,
            AssignmentState::Returned => &mut self.returned,
            AssignmentState::Abandoned => &mut self.abandoned,
        };
        *slot += n;
    }

    /// Assignments that hold one of the HIT's slots: returned and abandoned ones gave theirs back.
    pub fn occupying(&self) -> i64 {
        self.accepted + self.submitted + self.approved + self.rejected
    }

    pub fn slots(&self) -> SlotCounts {
        SlotCounts {
            accepted: self.accepted,
            occupying: self.occupying(),
        }
    }
}

/// Of a HIT's assignments, those in progress and those holding a slot: all that its status
/// depends on. The listing keeps them per HIT, so they are read from one row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlotCounts {
    pub accepted: i64,
    pub occupying: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentSort {
    AcceptTime,
    SubmitTime,
    Answer,
    AssignmentStatus,
}

pub struct AssignmentQuery<'a> {
    pub hit_id: &'a str,
    pub states: &'a [AssignmentState],
    pub sort: AssignmentSort,
    pub descending: bool,
    pub page_size: i64,
    pub page_number: i64,
}

pub struct QualificationRequestQuery<'a> {
    pub requester: &'a str,
    pub qualification_type_id: Option<&'a str>,
    pub sort_by_type: bool,
    pub descending: bool,
    pub page_size: i64,
    pub page_number: i64,
}

/// One page of a longer list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QualificationType {
    pub qualification_type_id: String,
    pub requester: String,
    pub creation_time: DateTime<Utc>,
    pub name: String,
    pub description: String,
    pub keywords: Option<String>,
    pub status: QualificationTypeState,
    pub retry_delay: Option<i64>,
    pub test: Option<String>,
    pub test_duration: Option<i64>,
    pub answer_key: Option<String>,
    pub auto_granted: bool,
    pub auto_granted_value: Option<i32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QualificationRequest {
    pub qualification_request_id: String,
    pub qualification_type_id: String,
    pub worker_id: String,
    pub state: QualificationRequestState,
    pub test: Option<String>,
    pub answer: Option<String>,
    pub submit_time: DateTime<Utc>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Qualification {
    pub qualification_type_id: String,
    pub worker_id: String,
    pub integer_value: Option<i32>,
    pub locale_country: Option<String>,
    pub locale_subdivision: Option<String>,
    pub grant_time: DateTime<Utc>,
    pub status: QualificationState,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LedgerEntry {
    pub requester: String,
    pub time: DateTime<Utc>,
    pub kind: LedgerKind,
    pub amount: Cents,
    pub hit_id: Option<String>,
    pub assignment_id: Option<String>,
    pub worker_id: Option<String>,
}

/// A file a worker uploaded as the answer to a FileUploadAnswer question.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadedFile {
    pub assignment_id: String,
    pub question_identifier: String,
    /// The UploadedFileKey the answer document carries.
    pub file_key: String,
    pub file_name: String,
    pub content: Vec<u8>,
}

/// A HIT layout: the HTML of an HTMLQuestion whose `${Name}` placeholders CreateHIT fills in from
/// its HITLayoutParameters.
#[derive(Debug, Clone, PartialEq)]
pub struct HitLayout {
    pub hit_layout_id: String,
    pub html_content: String,
    pub frame_height: i64,
}

/// What a list of HITs is sorted by (SearchHITs and GetReviewableHITs `SortProperty`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitSort {
    Title,
    Reward,
    Expiration,
    CreationTime,
    /// The order the HITs were created in.
    Enumeration,
}

/// Which of a requester's HITs a list holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HitFilter<'a> {
    /// Every HIT not disposed of (SearchHITs).
    Live,
    /// HITs whose status is Reviewable at `now`, optionally of one HIT type.
    Reviewable {
        now: DateTime<Utc>,
        hit_type_id: Option<&'a str>,
    },
    /// HITs the requester marked Reviewing, optionally of one HIT type.
    Reviewing { hit_type_id: Option<&'a str> },
    /// Both of the above at once.
    ReviewableOrReviewing {
        now: DateTime<Utc>,
        hit_type_id: Option<&'a str>,
    },
}

pub struct HitQuery<'a> {
    pub requester: &'a str,
    pub filter: HitFilter<'a>,
    pub sort: HitSort,
    pub descending: bool,
    pub page_size: i64,
    pub page_number: i64,
}

/// SetHITTypeNotification's specification for one HIT type.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationSpec {
    pub hit_type_id: String,
    pub requester: String,
    pub destination: String,
    pub transport: NotificationTransport,
    pub version: String,
    pub event_types: Vec<EventType>,
    pub active: bool,
}

/// One notification of one event to one destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub seq: i64,
    pub requester: String,
    pub event_type: EventType,
    pub event_time: DateTime<Utc>,
    pub hit_type_id: Option<String>,
    pub hit_id: Option<String>,
    pub assignment_id: Option<String>,
    pub destination: String,
    pub transport: NotificationTransport,
    pub version: String,
    pub state: NotificationState,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub delivered_time: Option<DateTime<Utc>>,
    pub test: bool,
}

/// A bonus a requester paid a worker for one of the worker's assignments.
#[derive(Debug, Clone, PartialEq)]
pub struct Bonus {
    pub requester: String,
    pub worker_id: String,
    pub assignment_id: String,
    pub hit_id: String,
    pub amount: Cents,
    /// The commission taken on top of the bonus.
    pub fee: Cents,
    pub reason: String,
    pub grant_time: DateTime<Utc>,
    pub unique_request_token: Option<String>,
    /// The RequestId of the GrantBonus call, quoted when a repeated token is refused.
    pub request_id: String,
}

/// A worker a requester has blocked.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerBlock {
    pub worker_id: String,
    pub reason: String,
    pub block_time: DateTime<Utc>,
}

/// A message NotifyWorkers delivered to a worker.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerMessage {
    pub requester: String,
    pub worker_id: String,
    pub subject: Option<String>,
    pub message_text: String,
    pub sent_time: DateTime<Utc>,
}

/// The recorded moments of one assignment, for statistics over time.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentTimeline {
    pub status: AssignmentState,
    pub accept_time: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub submit_time: Option<DateTime<Utc>>,
    pub approval_time: Option<DateTime<Utc>>,
    pub rejection_time: Option<DateTime<Utc>>,
}

/// One HIT with what statistics need of it and of its assignments.
#[derive(Debug, Clone, PartialEq)]
pub struct HitTimeline {
    pub creation_time: DateTime<Utc>,
    pub expiration: DateTime<Utc>,
    pub max_assignments: i64,
    pub state: HitState,
    pub reward: Cents,
    pub assignments: Vec<AssignmentTimeline>,
}

/// One movement of money out of a requester's balance, for statistics over time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LedgerMovement {
    pub time: DateTime<Utc>,
    pub kind: LedgerKind,
    pub amount: Cents,
}

/// One review policy parameter: a key with values, or with a map of keys to values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyParameter {
    pub key: String,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub map: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredReviewPolicy {
    pub hit_id: String,
    pub level: ReviewLevel,
    pub policy_name: String,
    pub parameters: Vec<PolicyParameter>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewResultRecord {
    pub hit_id: String,
    pub level: ReviewLevel,
    pub action_id: String,
    pub subject_id: String,
    pub subject_type: String,
    pub question_id: Option<String>,
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewActionRecord {
    pub hit_id: String,
    pub level: ReviewLevel,
    pub action_id: String,
    pub action_name: String,
    pub object_id: String,
    pub object_type: String,
    pub status: ReviewActionStatus,
    pub complete_time: Option<DateTime<Utc>>,
    pub result: Option<String>,
    pub error_code: Option<String>,
}
