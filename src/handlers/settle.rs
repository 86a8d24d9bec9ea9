//! What happens by itself as the clock moves: accepted work past its deadline is abandoned and
//! its slot freed, submitted work past its auto-approval time is approved and paid, and HITs
//! are disposed of 120 days after they expire.
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

/// How long after its expiration the legacy service disposed of a HIT by itself.
const AUTO_DISPOSAL_DELAY: chrono::Duration = chrono::Duration::days(120);

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
            for hit_id in tx.undisposed_hits_expired_by(now - AUTO_DISPOSAL_DELAY)? {
                let Some(mut hit) = tx.hit(&hit_id)? else {
                    continue;
                };
                hit.state = store::HitState::Disposed;
                tx.update_hit(&hit)?;
                let when = hit.expiration + AUTO_DISPOSAL_DELAY;
                hit_event(tx, &hit, api::EventType::HitDisposed, when)?;
            }
            // Stored while the store is held, so no concurrent `note` can be overwritten.
            let disposal = tx
                .earliest_undisposed_expiration()?
                .map(|t| t + AUTO_DISPOSAL_DELAY);
            let next = [tx.next_assignment_event()?, tx.next_expiration()?, disposal]
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
pub(super) fn hit_changed(tx: &Tx<'_>, hit_id: &str, now: DateTime<Utc>) -> Result<(), OpError> {
    let Some(hit) = tx.hit(hit_id)? else {
        return Ok(());
    };
    if hit.state != store::HitState::Open {
        return Ok(());
    }
    if now >= hit.expiration {
        if tx.mark_hit_event(&hit.hit_id, store::EventType::HitExpired)? {
            hit_event(tx, &hit, api::EventType::HitExpired, hit.expiration)?;
        }
    } else {
        tx.clear_hit_event(&hit.hit_id, store::EventType::HitExpired)?;
    }
    let counts = tx.slot_counts(&hit.hit_id)?;
    match hit_status(&hit, counts, now) {
        api::HITStatus::Reviewable
            if tx.mark_hit_event(&hit.hit_id, store::EventType::HitReviewable)? =>
        {
            hit_event(tx, &hit, api::EventType::HitReviewable, now)?;
            review::on_reviewable(tx, &hit, now)?;
        }
        api::HITStatus::Assignable => {
            tx.clear_hit_event(&hit.hit_id, store::EventType::HitReviewable)?
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::handlers::test_support::{at, create_hit, service};
    use crate::handlers::worker::{self as workers, Answers};
    use crate::money::Cents;
    use crate::store::LedgerKind;

    fn hit(svc: &Service) -> String {
        create_hit(svc, |_| {}).unwrap().hit_id.unwrap()
    }

    #[test]
    fn hits_are_disposed_of_120_days_after_they_expire() {
        let t0 = at("2026-03-01T12:00:00Z");
        let svc = service(t0);
        let hit_id = hit(&svc);
        let expiration = t0 + Duration::days(1);
        svc.set_clock(expiration + AUTO_DISPOSAL_DELAY - Duration::seconds(1))
            .unwrap();
        let kept = svc.store.read(|tx| tx.hit(&hit_id)).unwrap().unwrap();
        assert_eq!(kept.state, store::HitState::Open);
        svc.set_clock(expiration + AUTO_DISPOSAL_DELAY).unwrap();
        let gone = svc.store.read(|tx| tx.hit(&hit_id)).unwrap().unwrap();
        assert_eq!(gone.state, store::HitState::Disposed);
    }

    /// A service at `t0` with one HIT, which `worker` has accepted: (service, HIT, assignment).
    fn accepted_at(t0: DateTime<Utc>, worker: &str) -> (Service, String, String) {
        let svc = service(t0);
        let hit_id = hit(&svc);
        let a = workers::accept(&svc, worker, &hit_id).unwrap();
        (svc, hit_id, a)
    }

    #[test]
    fn auto_approval_pays_at_its_moment_and_records_that_moment() {
        let t0 = at("2026-03-01T12:00:00Z");
        let (svc, _, a) = accepted_at(t0, "AWORKERLIFE1");
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
        let (svc, hit_id, a) = accepted_at(at("2026-03-01T12:00:00Z"), "AWORKERLIFE2");
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
