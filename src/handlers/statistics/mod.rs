//! Requester and worker statistics, computed from the store at the clock's present.
//!
//! The legacy service kept each statistic per calendar day, a day beginning at midnight US
//! Pacific time (daylight saving time followed). A day's value is the change in the statistic's
//! overall level caused by that day's activity: the assignments approved that day, the change in
//! the number of pending assignments, the change in the approval percentage. SevenDays and
//! ThirtyDays add up the days ending with today; LifeToDate is the level itself. A data point is
//! dated by the Pacific midnight starting its day (today's, for the aggregates), and a OneDay
//! series lists its `Count` days oldest first, ending with today.
//!
//! So every statistic here is a level evaluated at chosen moments from the recorded times of
//! HITs, assignments and ledger movements, and a period's value is the difference of two levels.
//! Where the store keeps only a present state without its time, the level in the past follows
//! these rules: a returned assignment is taken to have been returned when it was accepted, and a
//! disposed HIT to have been disposed at its last recorded event.

mod calendar;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use calendar::windows;

use super::rules::check_worker_id;
use super::service::{Context, Service};
use crate::error::OpError;
use crate::model::requester as api;
use crate::model::requester::RequesterStatistic as S;
use crate::store::{
    AssignmentState, AssignmentTimeline, HitState, HitTimeline, LedgerKind, LedgerMovement, Tx,
};

/// The longest OneDay series a call may ask for: ten years of days.
const MAX_COUNT: i32 = 3650;

/// Statistics GetRequesterWorkerStatistic answers; the others describe a requester as a whole.
const WORKER_STATISTICS: &[S] = &[
    S::NumberAssignmentsApproved,
    S::NumberAssignmentsRejected,
    S::PercentAssignmentsApproved,
    S::PercentAssignmentsRejected,
    S::NumberKnownAnswersCorrect,
    S::NumberKnownAnswersIncorrect,
    S::NumberKnownAnswersEvaluated,
    S::PercentKnownAnswersCorrect,
    S::NumberPluralityAnswersCorrect,
    S::NumberPluralityAnswersIncorrect,
    S::NumberPluralityAnswersEvaluated,
    S::PercentPluralityAnswersCorrect,
];

/// Every level a statistic is read from, at one moment. Money is in cents.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Levels {
    hits_created: i64,
    hits_completed: i64,
    hits_assignable: i64,
    hits_reviewable: i64,
    assignments_available: i64,
    accepted: i64,
    pending: i64,
    approved: i64,
    rejected: i64,
    returned: i64,
    abandoned: i64,
    reward_liability: i64,
    fee_liability: i64,
    reward: i64,
    rewards_paid: i64,
    reward_fee: i64,
    bonus: i64,
    bonus_fee: i64,
    review: ReviewOutcomes,
}

/// How answers fared against review policies' known answers and pluralities.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct ReviewOutcomes {
    known_correct: i64,
    known_incorrect: i64,
    plurality_correct: i64,
    plurality_incorrect: i64,
}

/// What the statistics read from the store.
#[derive(Debug, Default)]
struct History {
    hits: Vec<HitTimeline>,
    /// Assignments not reached through `hits` (a worker's, for GetRequesterWorkerStatistic).
    assignments: Vec<AssignmentTimeline>,
    ledger: Vec<LedgerMovement>,
    /// Each answer checked against a known answer: when, and whether it was right.
    known_answers: Vec<(DateTime<Utc>, bool)>,
    /// Each answer checked against a plurality's agreed answer: when, and whether it agreed.
    plurality_answers: Vec<(DateTime<Utc>, bool)>,
}

/// A statistic's level in the unit it is reported in.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Level {
    Count(i64),
    Cents(i64),
    Ratio(f64),
}

fn ratio(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn level(stat: S, l: &Levels) -> Level {
    let r = &l.review;
    match stat {
        S::NumberHitsAssignable => Level::Count(l.hits_assignable),
        S::NumberHitsReviewable => Level::Count(l.hits_reviewable),
        S::NumberHitsCreated => Level::Count(l.hits_created),
        S::NumberHitsCompleted => Level::Count(l.hits_completed),
        S::TotalRewardPayout => Level::Cents(l.reward),
        S::TotalRewardFeePayout => Level::Cents(l.reward_fee),
        S::TotalFeePayout => Level::Cents(l.reward_fee.saturating_add(l.bonus_fee)),
        S::TotalRewardAndFeePayout => Level::Cents(l.reward.saturating_add(l.reward_fee)),
        S::TotalBonusPayout => Level::Cents(l.bonus),
        S::TotalBonusFeePayout => Level::Cents(l.bonus_fee),
        S::EstimatedFeeLiability => Level::Cents(l.fee_liability),
        S::EstimatedRewardLiability => Level::Cents(l.reward_liability),
        S::EstimatedTotalLiability => {
            Level::Cents(l.reward_liability.saturating_add(l.fee_liability))
        }
        S::NumberAssignmentsAvailable => Level::Count(l.assignments_available),
        S::NumberAssignmentsAccepted => Level::Count(l.accepted),
        S::NumberAssignmentsPending => Level::Count(l.pending),
        S::NumberAssignmentsApproved => Level::Count(l.approved),
        S::NumberAssignmentsRejected => Level::Count(l.rejected),
        S::NumberAssignmentsReturned => Level::Count(l.returned),
        S::NumberAssignmentsAbandoned => Level::Count(l.abandoned),
        // Dollars per approved assignment.
        S::AverageRewardAmount => Level::Ratio(ratio(l.reward, l.rewards_paid) / 100.0),
        S::PercentAssignmentsApproved => Level::Ratio(ratio(l.approved, l.approved + l.rejected)),
        S::PercentAssignmentsRejected => Level::Ratio(ratio(l.rejected, l.approved + l.rejected)),
        S::NumberKnownAnswersCorrect => Level::Count(r.known_correct),
        S::NumberKnownAnswersIncorrect => Level::Count(r.known_incorrect),
        S::NumberKnownAnswersEvaluated => Level::Count(r.known_correct + r.known_incorrect),
        S::PercentKnownAnswersCorrect => {
            Level::Ratio(ratio(r.known_correct, r.known_correct + r.known_incorrect))
        }
        S::NumberPluralityAnswersCorrect => Level::Count(r.plurality_correct),
        S::NumberPluralityAnswersIncorrect => Level::Count(r.plurality_incorrect),
        S::NumberPluralityAnswersEvaluated => {
            Level::Count(r.plurality_correct + r.plurality_incorrect)
        }
        S::PercentPluralityAnswersCorrect => Level::Ratio(ratio(
            r.plurality_correct,
            r.plurality_correct + r.plurality_incorrect,
        )),
    }
}

/// The data point for the change from level `from` to level `to`, dated `date`.
fn data_point(date: DateTime<Utc>, from: Level, to: Level) -> api::DataPoint {
    let (long_value, double_value) = match (from, to) {
        (Level::Count(a), Level::Count(b)) => (Some(b.saturating_sub(a)), None),
        (Level::Cents(a), Level::Cents(b)) => (None, Some(b.saturating_sub(a) as f64 / 100.0)),
        (Level::Ratio(a), Level::Ratio(b)) => (None, Some(b - a)),
        // A statistic keeps its unit; mixed units cannot arise.
        (_, Level::Count(b)) => (Some(b), None),
        (_, Level::Cents(b)) => (None, Some(b as f64 / 100.0)),
        (_, Level::Ratio(b)) => (None, Some(b)),
    };
    api::DataPoint {
        date,
        long_value,
        double_value,
    }
}

/// Adds one assignment's contribution to the assignment counters at second `s`.
fn count_assignment(a: &AssignmentTimeline, s: DateTime<Utc>, l: &mut Levels) {
    let by = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t <= s);
    if a.accept_time <= s {
        l.accepted += 1;
    }
    // An approved rejection counts as rejected until it was approved.
    if a.status == AssignmentState::Approved && by(a.approval_time) {
        l.approved += 1;
    } else if by(a.rejection_time) {
        l.rejected += 1;
    }
    match a.status {
        // When a worker returned the work is not recorded; the return is placed at acceptance.
        AssignmentState::Returned if a.accept_time <= s => l.returned += 1,
        // Work is abandoned the second after its deadline passes.
        AssignmentState::Abandoned if a.deadline < s => l.abandoned += 1,
        _ => {}
    }
    if by(a.submit_time) && !by(a.approval_time) && !by(a.rejection_time) {
        l.pending += 1;
    }
}

/// The last recorded moment of a HIT: when it was disposed, at the earliest.
fn last_event(h: &HitTimeline) -> DateTime<Utc> {
    h.assignments
        .iter()
        .flat_map(|a| {
            let abandoned = (a.status == AssignmentState::Abandoned).then_some(a.deadline);
            [
                Some(a.accept_time),
                a.submit_time,
                a.approval_time,
                a.rejection_time,
                abandoned,
            ]
        })
        .flatten()
        .fold(h.creation_time, DateTime::max)
}

/// Adds one HIT and its assignments to the levels at second `s`, `now` being the present.
/// The status follows `hits::hit_status` as the HIT stood at `s`.
fn count_hit(h: &HitTimeline, s: DateTime<Utc>, now: DateTime<Utc>, l: &mut Levels) {
    for a in &h.assignments {
        count_assignment(a, s, l);
    }
    if h.creation_time > s {
        return;
    }
    l.hits_created += 1;
    if h.state == HitState::Disposed && last_event(h) <= s {
        l.hits_completed += 1;
        return;
    }
    let (mut occupying, mut outstanding, mut undecided) = (0i64, 0i64, 0i64);
    for a in h.assignments.iter().filter(|a| a.accept_time <= s) {
        let by = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t <= s);
        let gone = match a.status {
            AssignmentState::Returned => true,
            AssignmentState::Abandoned => a.deadline < s,
            _ => false,
        };
        if gone {
            continue;
        }
        occupying += 1;
        if !by(a.submit_time) {
            outstanding += 1;
        } else if !by(a.approval_time) && !by(a.rejection_time) {
            undecided += 1;
        }
    }
    let open_slots = (h.max_assignments - occupying).max(0);
    let open_status = if s < h.expiration && open_slots > 0 {
        api::HITStatus::Assignable
    } else if outstanding > 0 {
        api::HITStatus::Unassignable
    } else {
        api::HITStatus::Reviewable
    };
    // When a HIT was set Reviewing is not recorded; it counts as Reviewing once Reviewable.
    let status = match h.state {
        HitState::Reviewing if s >= now || open_status == api::HITStatus::Reviewable => {
            api::HITStatus::Reviewing
        }
        _ => open_status,
    };
    let unclaimed = match status {
        api::HITStatus::Assignable => {
            l.hits_assignable += 1;
            l.assignments_available += open_slots;
            open_slots
        }
        api::HITStatus::Reviewable => {
            l.hits_reviewable += 1;
            0
        }
        _ => 0,
    };
    // Each unclaimed, in-progress or unreviewed assignment may still be paid, with its fee.
    let liable = unclaimed + outstanding + undecided;
    let fee = h.reward.commission(h.max_assignments);
    l.reward_liability = l
        .reward_liability
        .saturating_add(h.reward.0.saturating_mul(liable));
    l.fee_liability = l.fee_liability.saturating_add(fee.0.saturating_mul(liable));
}

fn count_ledger(m: &LedgerMovement, s: DateTime<Utc>, l: &mut Levels) {
    if m.time > s {
        return;
    }
    let amount = m.amount.0;
    match m.kind {
        LedgerKind::Reward => {
            l.reward += amount;
            l.rewards_paid += 1;
        }
        LedgerKind::RewardFee => l.reward_fee += amount,
        LedgerKind::Bonus => l.bonus += amount,
        LedgerKind::BonusFee => l.bonus_fee += amount,
    }
}

/// Adds one answer check of a review policy, made at `when`, to the levels at second `s`.
fn count_check(
    when: DateTime<Utc>,
    right: bool,
    known_answer: bool,
    s: DateTime<Utc>,
    l: &mut Levels,
) {
    if when > s {
        return;
    }
    let r = &mut l.review;
    let slot = match (known_answer, right) {
        (true, true) => &mut r.known_correct,
        (true, false) => &mut r.known_incorrect,
        (false, true) => &mut r.plurality_correct,
        (false, false) => &mut r.plurality_incorrect,
    };
    *slot += 1;
}

/// Each answer SimplePlurality scored (one worker's, if given), checked against the answer the
/// plurality agreed on for its question. The policy ran once the HIT was reviewable, so the
/// checks are dated by the last answer it counted.
fn plurality_answer_checks(
    agreed: &[(String, String, String)],
    scored: &[(String, String, DateTime<Utc>, Option<String>)],
    worker: Option<&str>,
) -> Vec<(DateTime<Utc>, bool)> {
    let mut ran: HashMap<&str, DateTime<Utc>> = HashMap::new();
    for (hit, _, submitted, _) in scored {
        let t = ran.entry(hit.as_str()).or_insert(*submitted);
        *t = (*t).max(*submitted);
    }
    let mut out = Vec::new();
    for (hit, w, _, answer) in scored {
        if worker.is_some_and(|x| x != w) {
            continue;
        }
        let Some(when) = ran.get(hit.as_str()).copied() else {
            continue;
        };
        let values = super::review::answers_of(answer.as_deref());
        for (_, question, agreed_answer) in agreed.iter().filter(|(h, _, _)| h == hit) {
            out.push((when, values.get(question) == Some(agreed_answer)));
        }
    }
    out
}

/// The levels at second `s`, counted directly from the history.
#[cfg(test)]
fn levels_at(history: &History, s: DateTime<Utc>, now: DateTime<Utc>) -> Levels {
    let mut l = Levels::default();
    for h in &history.hits {
        count_hit(h, s, now, &mut l);
    }
    for a in &history.assignments {
        count_assignment(a, s, &mut l);
    }
    for m in &history.ledger {
        count_ledger(m, s, &mut l);
    }
    for &(when, right) in &history.known_answers {
        count_check(when, right, true, s, &mut l);
    }
    for &(when, right) in &history.plurality_answers {
        count_check(when, right, false, s, &mut l);
    }
    l
}

const QUANTITIES: usize = 22;

impl Levels {
    fn to_array(self) -> [i64; QUANTITIES] {
        [
            self.hits_created,
            self.hits_completed,
            self.hits_assignable,
            self.hits_reviewable,
            self.assignments_available,
            self.accepted,
            self.pending,
            self.approved,
            self.rejected,
            self.returned,
            self.abandoned,
            self.reward_liability,
            self.fee_liability,
            self.reward,
            self.rewards_paid,
            self.reward_fee,
            self.bonus,
            self.bonus_fee,
            self.review.known_correct,
            self.review.known_incorrect,
            self.review.plurality_correct,
            self.review.plurality_incorrect,
        ]
    }

    fn from_array(a: [i64; QUANTITIES]) -> Levels {
        Levels {
            hits_created: a[0],
            hits_completed: a[1],
            hits_assignable: a[2],
            hits_reviewable: a[3],
            assignments_available: a[4],
            accepted: a[5],
            pending: a[6],
            approved: a[7],
            rejected: a[8],
            returned: a[9],
            abandoned: a[10],
            reward_liability: a[11],
            fee_liability: a[12],
            reward: a[13],
            rewards_paid: a[14],
            reward_fee: a[15],
            bonus: a[16],
            bonus_fee: a[17],
            review: ReviewOutcomes {
                known_correct: a[18],
                known_incorrect: a[19],
                plurality_correct: a[20],
                plurality_incorrect: a[21],
            },
        }
    }
}

/// The moments at which an assignment's contribution to the levels can change: each condition
/// `count_assignment` tests turns at one of them.
fn assignment_moments(a: &AssignmentTimeline, out: &mut Vec<DateTime<Utc>>) {
    out.push(a.accept_time);
    out.extend(
        [a.submit_time, a.approval_time, a.rejection_time]
            .into_iter()
            .flatten(),
    );
    if a.status == AssignmentState::Abandoned {
        out.push(a.deadline + Duration::seconds(1));
    }
}

/// The moments at which a HIT's contribution to the levels can change (see `count_hit`).
fn hit_moments(h: &HitTimeline, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut out = vec![h.creation_time, h.expiration, now];
    if h.state == HitState::Disposed {
        out.push(last_event(h));
    }
    for a in &h.assignments {
        assignment_moments(a, &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Each level as a running total over time, built once from the history so that any number of
/// moments can be read from it. A record's contribution is constant between the moments at
/// which it can change, so it is evaluated at those moments only and recorded as changes.
struct Series {
    totals: Vec<Vec<(DateTime<Utc>, i64)>>,
}

impl Series {
    fn build(history: &History, now: DateTime<Utc>) -> Series {
        let mut changes: Vec<Vec<(DateTime<Utc>, i64)>> = vec![Vec::new(); QUANTITIES];
        fn track(
            changes: &mut [Vec<(DateTime<Utc>, i64)>],
            moments: &[DateTime<Utc>],
            eval: impl Fn(DateTime<Utc>) -> Levels,
        ) {
            let mut before = [0i64; QUANTITIES];
            for &m in moments {
                let after = eval(m).to_array();
                for (q, series) in changes.iter_mut().enumerate() {
                    if after[q] != before[q] {
                        series.push((m, after[q] - before[q]));
                    }
                }
                before = after;
            }
        }
        for h in &history.hits {
            track(&mut changes, &hit_moments(h, now), |s| {
                let mut l = Levels::default();
                count_hit(h, s, now, &mut l);
                l
            });
        }
        for a in &history.assignments {
            let mut moments = Vec::new();
            assignment_moments(a, &mut moments);
            moments.sort_unstable();
            moments.dedup();
            track(&mut changes, &moments, |s| {
                let mut l = Levels::default();
                count_assignment(a, s, &mut l);
                l
            });
        }
        for m in &history.ledger {
            track(&mut changes, &[m.time], |s| {
                let mut l = Levels::default();
                count_ledger(m, s, &mut l);
                l
            });
        }
        let checks = [
            (true, &history.known_answers),
            (false, &history.plurality_answers),
        ];
        for (known_answer, list) in checks {
            for &(when, right) in list {
                track(&mut changes, &[when], |s| {
                    let mut l = Levels::default();
                    count_check(when, right, known_answer, s, &mut l);
                    l
                });
            }
        }
        for series in &mut changes {
            series.sort_by_key(|(t, _)| *t);
            let mut total = 0i64;
            for (_, v) in series.iter_mut() {
                total = total.saturating_add(*v);
                *v = total;
            }
        }
        Series { totals: changes }
    }

    /// The levels at second `s`.
    fn at(&self, s: DateTime<Utc>) -> Levels {
        let mut a = [0i64; QUANTITIES];
        for (q, totals) in self.totals.iter().enumerate() {
            let i = totals.partition_point(|(t, _)| *t <= s);
            if let Some((_, total)) = i.checked_sub(1).and_then(|i| totals.get(i)) {
                a[q] = *total;
            }
        }
        Levels::from_array(a)
    }
}

/// Evaluates `stat` over `period` from `history`, as of `now`.
fn data_points(
    stat: S,
    period: api::TimePeriod,
    count: i32,
    history: &History,
    now: DateTime<Utc>,
) -> Result<Vec<api::DataPoint>, OpError> {
    let windows = windows(period, count, now).ok_or_else(|| {
        OpError::InvalidParameterValue(format!(
            "Statistics cannot be computed for the present time {now}."
        ))
    })?;
    let series = Series::build(history, now);
    let at = |s: DateTime<Utc>| level(stat, &series.at(s));
    Ok(windows
        .into_iter()
        .map(|(date, from, to)| {
            let before = match from {
                Some(s) => at(s),
                None => level(stat, &Levels::default()),
            };
            data_point(date, before, at(to))
        })
        .collect())
}

/// Whether the Parameters response group (Statistic, TimePeriod, WorkerId) is wanted. It is a
/// default group, with Minimal.
fn wants_parameters(groups: &[String]) -> bool {
    let named: Vec<&str> = groups
        .iter()
        .map(|g| g.trim())
        .filter(|g| *g != "Request")
        .collect();
    named.is_empty() || named.contains(&"Parameters")
}

/// Checks TimePeriod and Count, returning the period (LifeToDate when none was given: the
/// documentation calls it required, the WSDL does not) and the number of days.
fn period_and_count(
    stat: S,
    period: Option<api::TimePeriod>,
    count: Option<i32>,
) -> Result<(api::TimePeriod, i32), OpError> {
    let period = period.unwrap_or(api::TimePeriod::LifeToDate);
    if stat == S::NumberHitsAssignable && period != api::TimePeriod::LifeToDate {
        return Err(OpError::InvalidParameterValue(format!(
            "The statistic NumberHITsAssignable can only be queried as a LifeToDate value, not {}.",
            period.as_str()
        )));
    }
    // Count is only used for OneDay.
    let count = match period {
        api::TimePeriod::OneDay => count.unwrap_or(1),
        _ => 1,
    };
    if !(1..=MAX_COUNT).contains(&count) {
        return Err(OpError::ParameterOutOfRange(format!(
            "The value {count} for Count is invalid; it must be between 1 and {MAX_COUNT}."
        )));
    }
    Ok((period, count))
}

fn needs_hits(stat: S) -> bool {
    matches!(
        stat,
        S::NumberHitsAssignable
            | S::NumberHitsReviewable
            | S::NumberHitsCreated
            | S::NumberHitsCompleted
            | S::EstimatedFeeLiability
            | S::EstimatedRewardLiability
            | S::EstimatedTotalLiability
            | S::NumberAssignmentsAvailable
            | S::NumberAssignmentsAccepted
            | S::NumberAssignmentsPending
            | S::NumberAssignmentsApproved
            | S::NumberAssignmentsRejected
            | S::NumberAssignmentsReturned
            | S::NumberAssignmentsAbandoned
            | S::PercentAssignmentsApproved
            | S::PercentAssignmentsRejected
    )
}

fn needs_ledger(stat: S) -> bool {
    matches!(
        stat,
        S::TotalRewardPayout
            | S::TotalRewardFeePayout
            | S::TotalFeePayout
            | S::TotalRewardAndFeePayout
            | S::TotalBonusPayout
            | S::TotalBonusFeePayout
            | S::AverageRewardAmount
    )
}

/// Reads the review policies' answer checks when `stat` is about them.
fn read_review_checks(
    tx: &Tx<'_>,
    stat: S,
    requester: &str,
    worker: Option<&str>,
    h: &mut History,
) -> Result<(), OpError> {
    match stat {
        S::NumberKnownAnswersCorrect
        | S::NumberKnownAnswersIncorrect
        | S::NumberKnownAnswersEvaluated
        | S::PercentKnownAnswersCorrect => {
            h.known_answers = tx.known_answer_checks(requester, worker)?;
        }
        S::NumberPluralityAnswersCorrect
        | S::NumberPluralityAnswersIncorrect
        | S::NumberPluralityAnswersEvaluated
        | S::PercentPluralityAnswersCorrect => {
            let (agreed, scored) = tx.plurality_checks(requester)?;
            h.plurality_answers = plurality_answer_checks(&agreed, &scored, worker);
        }
        _ => {}
    }
    Ok(())
}

/// What a statistics call asks: the statistic, its period and count, the response groups, and
/// the worker (for GetRequesterWorkerStatistic).
struct Asked<'a> {
    stat: S,
    period: api::TimePeriod,
    count: i32,
    groups: &'a [String],
    worker: Option<&'a str>,
}

impl<'a> Asked<'a> {
    fn new(
        stat: S,
        period: Option<api::TimePeriod>,
        count: Option<i32>,
        groups: &'a [String],
        worker: Option<&'a str>,
    ) -> Result<Asked<'a>, OpError> {
        let (period, count) = period_and_count(stat, period, count)?;
        Ok(Asked {
            stat,
            period,
            count,
            groups,
            worker,
        })
    }
}

/// Reads the history `read` gathers (and the review checks the statistic needs) and answers
/// with the statistic's data points and, when asked for, the parameters they answer.
fn answer(
    svc: &Service,
    ctx: &Context,
    asked: Asked<'_>,
    read: impl FnOnce(&Tx<'_>) -> Result<History, OpError>,
) -> Result<api::GetStatisticResult, OpError> {
    let Asked {
        stat,
        period,
        count,
        groups,
        worker,
    } = asked;
    let history = svc.store.read(|tx| {
        let mut h = read(tx)?;
        read_review_checks(tx, stat, &ctx.requester, worker, &mut h)?;
        Ok::<_, OpError>(h)
    })?;
    let parameters = wants_parameters(groups);
    Ok(api::GetStatisticResult {
        request: None,
        data_point: data_points(stat, period, count, &history, ctx.now)?,
        statistic: parameters.then_some(stat),
        time_period: parameters.then_some(period),
        worker_id: worker.filter(|_| parameters).map(str::to_string),
    })
}

pub(super) fn get_requester_statistic(
    svc: &Service,
    ctx: &Context,
    req: api::GetRequesterStatisticRequest,
) -> Result<api::GetStatisticResult, OpError> {
    let stat = req.statistic;
    let groups = &req.response_group;
    let asked = Asked::new(stat, req.time_period, req.count, groups, None)?;
    answer(svc, ctx, asked, |tx| {
        let mut h = History::default();
        if needs_hits(stat) {
            h.hits = tx.hit_timelines(&ctx.requester)?;
        }
        if needs_ledger(stat) {
            h.ledger = tx.ledger_movements(&ctx.requester)?;
        }
        Ok(h)
    })
}

pub(super) fn get_requester_worker_statistic(
    svc: &Service,
    ctx: &Context,
    req: api::GetRequesterWorkerStatisticRequest,
) -> Result<api::GetStatisticResult, OpError> {
    let stat = req.statistic;
    if !WORKER_STATISTICS.contains(&stat) {
        return Err(OpError::InvalidParameterValue(format!(
            "The statistic {} is not available for a worker; GetRequesterWorkerStatistic answers {}.",
            stat.as_str(),
            WORKER_STATISTICS
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let worker = check_worker_id(&req.worker_id)?;
    let groups = &req.response_group;
    let asked = Asked::new(stat, req.time_period, req.count, groups, Some(worker))?;
    answer(svc, ctx, asked, |tx| {
        Ok(History {
            assignments: tx.worker_assignment_timelines(&ctx.requester, worker)?,
            ..History::default()
        })
    })
}
