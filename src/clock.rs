//! The service's one time source. Every time rule (deadlines, expiry, auto-approval, signature
//! freshness) reads the clock through here so that a manual clock can later drive them all.

use chrono::{DateTime, SubsecRound, Utc};

#[derive(Debug, Default, Clone)]
pub struct Clock;

impl Clock {
    pub fn system() -> Self {
        Clock
    }

    /// The current time, truncated to whole seconds: the legacy service reported times to the second,
    /// and stored times must compare equal to the ones reported.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(0)
    }
}
