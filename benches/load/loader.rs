//! The bulk loader: fills a database with `n` HITs of one requester, and one assignment each,
//! in the states a working requester's account holds, through the store's own insert calls
//! (so the listing, its triggers and the migrations are the ones the server uses).
//!
//! Ids and states follow from a HIT's number alone, so the benchmark knows which HITs and
//! assignments to name without reading the database back.

use chrono::{DateTime, Duration, Utc};

use turkstand::money::Cents;
use turkstand::store::{
    Assignment, AssignmentState, EventType, Hit, HitReviewStatus, HitState, HitType,
    QualificationRequest, QualificationRequestState, QualificationType, QualificationTypeState,
    Store, StoreError,
};

use crate::KEY;

/// HITs written per transaction.
const CHUNK: usize = 20_000;
const TYPES: usize = 50;
pub(crate) const QUALIFICATION_TYPE: &str = "BENCHQUALTYPE000000000000000000";
const QUESTION: &str = r#"<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd"><HTMLContent><![CDATA[<p>Benchmark</p>]]></HTMLContent><FrameHeight>450</FrameHeight></HTMLQuestion>"#;
const ANSWER: &str = r#"<QuestionFormAnswers xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd"><Answer><QuestionIdentifier>q1</QuestionIdentifier><FreeText>blue</FreeText></Answer></QuestionFormAnswers>"#;

/// What HIT number `i` is, by `i % 10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Open with free slots, its one assignment accepted (0), submitted (1-3) or approved (4-6).
    Open(AssignmentState),
    /// Expired with its work submitted: Reviewable (7).
    Reviewable,
    /// Being reviewed, its work approved (8).
    Reviewing,
    /// Disposed of, its work approved (9).
    Disposed,
}

pub(crate) fn shape(i: usize) -> Shape {
    match i % 10 {
        0 => Shape::Open(AssignmentState::Accepted),
        1..=3 => Shape::Open(AssignmentState::Submitted),
        4..=6 => Shape::Open(AssignmentState::Approved),
        7 => Shape::Reviewable,
        8 => Shape::Reviewing,
        _ => Shape::Disposed,
    }
}

pub(crate) fn hit_id(i: usize) -> String {
    format!("BENCHHIT{i:022}")
}

pub(crate) fn assignment_id(i: usize) -> String {
    format!("BENCHASG{i:022}")
}

pub(crate) fn worker_id(i: usize) -> String {
    format!("ABENCHWORKER{:06}", i % 5000)
}

/// The numbers below `n` of HITs of `shape`, in order.
pub(crate) fn numbered(n: usize, shape_of: Shape) -> impl Iterator<Item = usize> {
    (0..n).filter(move |&i| shape(i) == shape_of)
}

fn hit_types() -> Vec<HitType> {
    (0..TYPES)
        .map(|t| HitType {
            hit_type_id: format!("BENCHTYPE{t:021}"),
            requester: KEY.into(),
            title: format!("Benchmark task {:02}", (t * 37) % TYPES),
            description: "A HIT of the load benchmark".into(),
            keywords: Some("benchmark".into()),
            reward: Cents(5 + (t as i64 * 13) % 100),
            assignment_duration: 3600,
            // Far beyond any run: nothing is approved by itself while the benchmark measures.
            auto_approval_delay: 30 * 86_400,
            qualification_requirements: vec![],
        })
        .collect()
}

fn hit(i: usize, n: usize, t: &HitType, now: DateTime<Utc>) -> Hit {
    let created = now - Duration::seconds(2 * (n - i) as i64 + 7200);
    let expiration = match shape(i) {
        // Expired within the last 120 days, so not yet disposed of by itself.
        Shape::Reviewable | Shape::Reviewing | Shape::Disposed => now - Duration::seconds(60),
        Shape::Open(_) => now + Duration::seconds(7 * 86_400 + ((i * 7919) % 100_000) as i64),
    };
    Hit {
        hit_id: hit_id(i),
        hit_type_id: t.hit_type_id.clone(),
        requester: KEY.into(),
        creation_time: created,
        question: Some(QUESTION.into()),
        hit_layout_id: None,
        max_assignments: if shape(i) == Shape::Reviewable { 1 } else { 3 },
        lifetime: (expiration - created).num_seconds(),
        expiration,
        requester_annotation: Some(format!("batch {}", i / 1000)),
        review_status: HitReviewStatus::NotReviewed,
        state: match shape(i) {
            Shape::Reviewing => HitState::Reviewing,
            Shape::Disposed => HitState::Disposed,
            _ => HitState::Open,
        },
        unique_request_token: None,
        hit_type: t.clone(),
    }
}

fn assignment(i: usize, h: &Hit, now: DateTime<Utc>) -> Assignment {
    let accepted = h.creation_time + Duration::seconds(30);
    let mut a = Assignment::accepted(
        assignment_id(i),
        h.hit_id.clone(),
        worker_id(i),
        accepted,
        now + Duration::days(30),
    );
    let status = match shape(i) {
        Shape::Open(s) => s,
        Shape::Reviewable => AssignmentState::Submitted,
        Shape::Reviewing | Shape::Disposed => AssignmentState::Approved,
    };
    if status != AssignmentState::Accepted {
        let submitted = accepted + Duration::seconds(60);
        a.submit_time = Some(submitted);
        a.auto_approval_time = Some(now + Duration::days(30));
        a.answer = Some(ANSWER.into());
        a.deadline = accepted + Duration::seconds(3600);
    }
    if status == AssignmentState::Approved {
        a.approval_time = a.submit_time.map(|t| t + Duration::seconds(60));
    }
    a.status = status;
    a
}

/// Writes `n` HITs, their assignments and `n / 100` (at least 10) pending qualification
/// requests into `store`.
pub(crate) fn load(store: &Store, n: usize) -> Result<(), StoreError> {
    let now = Utc::now();
    let types = hit_types();
    store.write(|tx| {
        for t in &types {
            tx.upsert_hit_type(t)?;
        }
        tx.insert_qualification_type(&QualificationType {
            qualification_type_id: QUALIFICATION_TYPE.into(),
            requester: KEY.into(),
            creation_time: now,
            name: "Benchmark skill".into(),
            description: "Asked for by the benchmark's workers".into(),
            keywords: None,
            status: QualificationTypeState::Active,
            retry_delay: None,
            test: None,
            test_duration: None,
            answer_key: None,
            auto_granted: false,
            auto_granted_value: None,
        })?;
        for w in 0..(n / 100).max(10) {
            tx.insert_qualification_request(&QualificationRequest {
                qualification_request_id: format!("BENCHQR{w:023}"),
                qualification_type_id: QUALIFICATION_TYPE.into(),
                worker_id: format!("ABENCHASKER{w:07}"),
                state: QualificationRequestState::Pending,
                test: None,
                answer: None,
                submit_time: now - Duration::seconds(w as i64),
                reason: None,
            })?;
        }
        Ok::<_, StoreError>(())
    })?;
    for start in (0..n).step_by(CHUNK) {
        store.write(|tx| {
            for i in start..(start + CHUNK).min(n) {
                let h = hit(i, n, &types[i % TYPES], now);
                tx.insert_hit(&h)?;
                tx.insert_assignment(&assignment(i, &h, now))?;
                // Left as the server leaves an expired HIT: its once-only events raised.
                if h.expiration <= now {
                    tx.mark_hit_event(&h.hit_id, EventType::HitExpired)?;
                    if shape(i) == Shape::Reviewable {
                        tx.mark_hit_event(&h.hit_id, EventType::HitReviewable)?;
                    }
                }
            }
            Ok::<_, StoreError>(())
        })?;
    }
    Ok(())
}
