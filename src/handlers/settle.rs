//! What happens by itself as the clock moves: accepted work past its deadline is abandoned and
//! its slot freed, and submitted work past its auto-approval time is approved and paid.
//!
//! Changes take effect at the moment they are due: every operation settles the store up to the
//! clock's present before it reads, so a read just after the moment sees the new state.

use chrono::{DateTime, Utc};

use super::events::{assignment_event, hit_event};
use super::funds::pay;
use super::render::hit_status;
use super::review;
use super::service::Service;
use crate::error::OpError;
use crate::model::requester as api;
use crate::store::{self, AssignmentState, Tx};

/// The meta key under which a manual clock's time is kept across restarts.
pub const CLOCK_KEY: &str = "manual_clock";

impl Service {
    /// Reads the clock and applies every change due by then (abandonment, auto-approval,
    /// expiry), returning that instant. Each call into the service does this once, before its
    /// handler runs, and the handler works at the instant returned.
    pub fn settle_due_changes(&self) -> Result<DateTime<Utc>, OpError> {
        let now = self.clock.now();
        self.settle(now)?;
        Ok(now)
    }

    /// Applies every change due by `now`.
    pub(crate) fn settle(&self, now: DateTime<Utc>) -> Result<(), OpError> {
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
            self.next_due.set(next);
            Ok::<_, OpError>(())
        })
    }
}

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
    if now >= hit.expiration {
        if tx.mark_hit_event(&hit.hit_id, "HITExpired")? {
            hit_event(tx, &hit, api::EventType::HitExpired, hit.expiration)?;
        }
    } else {
        tx.clear_hit_event(&hit.hit_id, "HITExpired")?;
    }
    let counts = tx.assignment_counts(&hit.hit_id)?;
    match hit_status(&hit, &counts, now) {
        api::HITStatus::Reviewable if tx.mark_hit_event(&hit.hit_id, "HITReviewable")? => {
            hit_event(tx, &hit, api::EventType::HitReviewable, now)?;
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
    use crate::handlers::worker::{self as workers, Answers};
    use crate::model::requester::{self as api, Requester};
    use crate::money::Cents;
    use crate::store::{LedgerKind, Store};

    const FORM: &str = r#"<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd"><Question><QuestionIdentifier>q1</QuestionIdentifier><QuestionContent><Text>Why?</Text></QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>"#;

    fn service(start: DateTime<Utc>) -> (Service, crate::handlers::Context) {
        let store = Store::open(":memory:").unwrap();
        let account = Account {
            access_key_id: "AKIALIFECYCLE".into(),
            secret_access_key: "secret".into(),
            balance: Cents(1000),
        };
        let svc = Service::new(store, Clock::manual(start), vec![account]).unwrap();
        let ctx = crate::handlers::Context {
            requester: "AKIALIFECYCLE".into(),
            request_id: "test".into(),
            now: start,
        };
        (svc, ctx)
    }

    fn hit(svc: &Service, ctx: &crate::handlers::Context) -> String {
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
