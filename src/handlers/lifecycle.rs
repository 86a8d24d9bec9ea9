//! What happens by itself as the clock moves: accepted work past its deadline is abandoned and
//! its slot freed, and submitted work past its auto-approval time is approved and paid.
//!
//! Changes take effect at the moment they are due: every operation settles the store up to the
//! clock's present before it reads, so a read just after the moment sees the new state.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

use super::assignments::pay;
use super::Service;
use super::{hit_status, notifications, review};
use crate::error::OpError;
use crate::model::requester as api;
use crate::store::{self, AssignmentState, StoreError, Tx};

/// The earliest time (Unix seconds) at which something may be due; `i64::MIN` means "unknown,
/// look". Lets the common case skip the store entirely.
#[derive(Debug)]
pub struct NextDue(AtomicI64);

impl Default for NextDue {
    fn default() -> Self {
        NextDue(AtomicI64::new(i64::MIN))
    }
}

impl NextDue {
    /// Something new becomes due at `t` (or earlier than we knew).
    pub fn note(&self, t: DateTime<Utc>) {
        self.0.fetch_min(t.timestamp(), Ordering::AcqRel);
    }

    /// Nothing is known: the next settle looks at the store.
    pub fn forget(&self) {
        self.0.store(i64::MIN, Ordering::Release);
    }

    fn is_due(&self, now: DateTime<Utc>) -> bool {
        now.timestamp() >= self.0.load(Ordering::Acquire)
    }
}

impl Service {
    /// The clock's present, with everything due by then already done.
    pub fn now(&self) -> Result<DateTime<Utc>, OpError> {
        let now = self.clock.now();
        self.settle(now)?;
        Ok(now)
    }

    /// Applies every change due by `now`.
    pub fn settle(&self, now: DateTime<Utc>) -> Result<(), OpError> {
        if !self.next_due.is_due(now) {
            return Ok(());
        }
        self.store.write(|tx| {
            let mut touched: Vec<String> = Vec::new();
            for mut a in tx.overdue_accepted(now)? {
                a.status = AssignmentState::Abandoned;
                tx.update_assignment(&a)?;
                assignment_event(tx, api::EventType::AssignmentAbandoned, &a, a.deadline)?;
                touched.push(a.hit_id.clone());
            }
            for mut a in tx.due_auto_approvals(now)? {
                let Some(hit) = tx.hit(&a.hit_id)? else {
                    continue;
                };
                let when = a.auto_approval_time.unwrap_or(now);
                // The worker is paid whatever the balance: CreateHIT reserved nothing, and an
                // automatic approval cannot be refused.
                pay(tx, &hit.requester, &a, &hit, when, false)?;
                a.status = AssignmentState::Approved;
                a.approval_time = Some(when);
                tx.update_assignment(&a)?;
                assignment_event(tx, api::EventType::AssignmentApproved, &a, when)?;
                touched.push(a.hit_id.clone());
            }
            touched.extend(tx.newly_expired_hits(now)?);
            touched.sort();
            touched.dedup();
            for hit_id in touched {
                hit_changed(tx, &hit_id, now)?;
            }
            // Stored while the store is held, so no concurrent `note` can be overwritten.
            let next = [tx.next_assignment_event()?, tx.next_expiration()?]
                .into_iter()
                .flatten()
                .min();
            self.next_due
                .0
                .store(next.map_or(i64::MAX, |t| t.timestamp()), Ordering::Release);
            Ok::<_, OpError>(())
        })
    }
}

/// The meta key under which a manual clock's time is kept across restarts.
pub const CLOCK_KEY: &str = "manual_clock";

impl Service {
    /// Moves a manual clock to `to`, then applies everything due by then.
    pub fn set_clock(&self, to: DateTime<Utc>) -> Result<DateTime<Utc>, OpError> {
        let t = self
            .clock
            .set(to)
            .map_err(|e| OpError::InvalidParameterValue(e.to_string()))?;
        self.persist_clock(t)
    }

    /// Moves a manual clock forward (or back) by `seconds`, then applies everything due by then.
    pub fn advance_clock(&self, seconds: i64) -> Result<DateTime<Utc>, OpError> {
        let t = self
            .clock
            .advance(seconds)
            .map_err(|e| OpError::InvalidParameterValue(e.to_string()))?;
        self.persist_clock(t)
    }

    fn persist_clock(&self, t: DateTime<Utc>) -> Result<DateTime<Utc>, OpError> {
        self.store
            .write(|tx| tx.set_meta(CLOCK_KEY, &t.timestamp().to_string()))?;
        self.settle(t)?;
        Ok(t)
    }
}

/// Raises an assignment's event under its HIT's type.
pub fn assignment_event(
    tx: &Tx<'_>,
    event_type: api::EventType,
    a: &store::Assignment,
    when: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(hit) = tx.hit(&a.hit_id)? else {
        return Ok(());
    };
    notifications::raise(
        tx,
        &notifications::Event {
            event_type,
            time: when,
            requester: &hit.requester,
            hit_type_id: &hit.hit_type_id,
            hit_id: &hit.hit_id,
            assignment_id: Some(&a.assignment_id),
        },
    )
}

/// Looks at a HIT after anything that may have moved it: raises HITExpired once its expiration
/// has passed and HITReviewable once it becomes reviewable (running its HIT review policy), and
/// re-arms both when an extension reopens it.
pub fn hit_changed(tx: &Tx<'_>, hit_id: &str, now: DateTime<Utc>) -> Result<(), OpError> {
    let Some(hit) = tx.hit(hit_id)? else {
        return Ok(());
    };
    if hit.state != store::HitState::Open {
        return Ok(());
    }
    let event = |event_type| notifications::Event {
        event_type,
        time: now,
        requester: &hit.requester,
        hit_type_id: &hit.hit_type_id,
        hit_id: &hit.hit_id,
        assignment_id: None,
    };
    if now >= hit.expiration {
        if tx.mark_hit_event(&hit.hit_id, "HITExpired")? {
            notifications::raise(
                tx,
                &notifications::Event {
                    time: hit.expiration,
                    ..event(api::EventType::HitExpired)
                },
            )?;
        }
    } else {
        tx.clear_hit_event(&hit.hit_id, "HITExpired")?;
    }
    let counts = tx.assignment_counts(&hit.hit_id)?;
    match hit_status(&hit, &counts, now) {
        api::HITStatus::Reviewable if tx.mark_hit_event(&hit.hit_id, "HITReviewable")? => {
            notifications::raise(tx, &event(api::EventType::HitReviewable))?;
            review::on_reviewable(tx, &hit, now)?;
        }
        api::HITStatus::Assignable => tx.clear_hit_event(&hit.hit_id, "HITReviewable")?,
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use rust_decimal::Decimal;

    use super::*;
    use crate::clock::Clock;
    use crate::config::Account;
    use crate::model::requester::{self as api, Requester};
    use crate::money::Cents;
    use crate::store::{LedgerKind, Store};
    use crate::workers::{self, Answers};

    const FORM: &str = r#"<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd"><Question><QuestionIdentifier>q1</QuestionIdentifier><QuestionContent><Text>Why?</Text></QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>"#;

    fn service(start: DateTime<Utc>) -> (Service, super::super::Context) {
        let store = Store::open(":memory:").unwrap();
        let account = Account {
            access_key_id: "AKIALIFECYCLE".into(),
            secret_access_key: "secret".into(),
            balance: Cents(1000),
        };
        let svc = Service::new(store, Clock::manual(start), vec![account]).unwrap();
        let ctx = super::super::Context {
            requester: "AKIALIFECYCLE".into(),
            request_id: "test".into(),
        };
        (svc, ctx)
    }

    fn hit(svc: &Service, ctx: &super::super::Context) -> String {
        let req = api::CreateHITRequest {
            title: Some("Lifecycle".into()),
            description: Some("Time-driven changes".into()),
            reward: Some(api::Price {
                amount: Decimal::new(25, 2),
                currency_code: "USD".into(),
                formatted_price: None,
            }),
            assignment_duration_in_seconds: Some(600),
            auto_approval_delay_in_seconds: Some(3600),
            lifetime_in_seconds: 86400,
            max_assignments: Some(2),
            question: Some(FORM.into()),
            ..Default::default()
        };
        svc.create_hit(ctx, req).unwrap().hit_id.unwrap()
    }

    #[test]
    fn auto_approval_pays_at_its_moment_and_records_that_moment() {
        let t0 = DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let (svc, ctx) = service(t0);
        let hit_id = hit(&svc, &ctx);
        let a = workers::accept(&svc, "AWORKERLIFE1", &hit_id).unwrap();
        svc.advance_clock(100).unwrap();
        workers::submit(&svc, &a, Answers::FreeText(vec![("q1".into(), "x".into())])).unwrap();
        let due = t0 + Duration::seconds(100 + 3600);

        svc.set_clock(due - Duration::seconds(1)).unwrap();
        let before = svc.store.read(|tx| tx.assignment(&a)).unwrap().unwrap();
        assert_eq!(before.status, AssignmentState::Submitted);
        assert_eq!(before.auto_approval_time, Some(due));
        assert_eq!(
            svc.store.read(|tx| tx.balance("AKIALIFECYCLE")).unwrap(),
            Some(Cents(1000))
        );

        // Moved well past the moment: the approval still happens at the moment itself.
        svc.set_clock(due + Duration::seconds(500)).unwrap();
        let after = svc.store.read(|tx| tx.assignment(&a)).unwrap().unwrap();
        assert_eq!(after.status, AssignmentState::Approved);
        assert_eq!(after.approval_time, Some(due));
        assert_eq!(
            svc.store.read(|tx| tx.balance("AKIALIFECYCLE")).unwrap(),
            Some(Cents(1000 - 30))
        );
        let ledger = svc.store.read(|tx| tx.ledger_for_assignment(&a)).unwrap();
        let entries: Vec<_> = ledger.iter().map(|e| (e.kind, e.amount, e.time)).collect();
        assert_eq!(
            entries,
            vec![
                (LedgerKind::Reward, Cents(25), due),
                (LedgerKind::RewardFee, Cents(5), due)
            ]
        );
    }

    #[test]
    fn work_past_its_deadline_is_abandoned_one_second_after_it() {
        let t0 = DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let (svc, ctx) = service(t0);
        let hit_id = hit(&svc, &ctx);
        let a = workers::accept(&svc, "AWORKERLIFE2", &hit_id).unwrap();
        svc.advance_clock(600).unwrap();
        let at_deadline = svc.store.read(|tx| tx.assignment(&a)).unwrap().unwrap();
        assert_eq!(at_deadline.status, AssignmentState::Accepted);
        svc.advance_clock(1).unwrap();
        let past = svc.store.read(|tx| tx.assignment(&a)).unwrap().unwrap();
        assert_eq!(past.status, AssignmentState::Abandoned);
        let counts = svc.store.read(|tx| tx.assignment_counts(&hit_id)).unwrap();
        assert_eq!(counts.occupying(), 0);
        let late = workers::submit(&svc, &a, Answers::FreeText(vec![("q1".into(), "x".into())]));
        assert_eq!(
            late.unwrap_err().code(),
            "AWS.MechanicalTurk.InvalidAssignmentState"
        );
    }
}
