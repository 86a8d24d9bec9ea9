//! The requester service as handlers see it: one store, one clock and the configured accounts.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::clock::Clock;
use crate::config::Account;
use crate::store::Store;

pub(super) use crate::binding::Context;

/// The requester service: one store, one clock, the configured accounts.
pub struct Service {
    pub store: Store,
    pub clock: Clock,
    pub accounts: Arc<Vec<Account>>,
    /// When the store next changes by itself (see `settle`).
    pub next_due: NextDue,
}

impl Service {
    pub fn new(
        store: Store,
        clock: Clock,
        accounts: Vec<Account>,
    ) -> Result<Service, crate::store::StoreError> {
        store.write(|tx| {
            for a in &accounts {
                tx.ensure_account(&a.access_key_id, a.balance)?;
            }
            Ok::<_, crate::store::StoreError>(())
        })?;
        Ok(Service {
            store,
            clock,
            accounts: Arc::new(accounts),
            next_due: NextDue::default(),
        })
    }
}

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

    /// The store says the next change falls due at `next` (never, if `None`).
    pub(crate) fn set(&self, next: Option<DateTime<Utc>>) {
        self.0
            .store(next.map_or(i64::MAX, |t| t.timestamp()), Ordering::Release);
    }

    pub(crate) fn is_due(&self, now: DateTime<Utc>) -> bool {
        now.timestamp() >= self.0.load(Ordering::Acquire)
    }
}
