//! What happens by itself as the clock moves: accepted work past its deadline is abandoned and
//! its slot freed, and submitted work past its auto-approval time is approved and paid.
//!
//! Changes take effect at the moment they are due: every operation settles the store up to the
//! clock's present before it reads, so a read just after the moment sees the new state.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

use super::assignments::pay;
use super::Service;
use crate::error::OpError;
use crate::store::AssignmentState;

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
            for mut a in tx.overdue_accepted(now)? {
                a.status = AssignmentState::Abandoned;
                tx.update_assignment(&a)?;
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
            }
            // Stored while the store is held, so no concurrent `note` can be overwritten.
            let next = tx.next_assignment_event()?;
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
