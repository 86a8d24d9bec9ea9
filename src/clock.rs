//! The service's one time source. Every time rule (deadlines, expiry, auto-approval, upload URL
//! lifetimes, UniqueRequestToken lifetimes, statistics periods) reads this clock, so that a
//! manual clock drives them all. In manual mode only the admin API moves it.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, SubsecRound, Utc};

#[derive(Debug, Clone)]
pub struct Clock {
    manual: Option<Arc<Mutex<DateTime<Utc>>>>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClockError {
    #[error("the clock is the system clock; start the server with --clock manual to move it")]
    NotManual,
    #[error("the clock cannot move to {0}")]
    OutOfRange(String),
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    pub fn system() -> Self {
        Clock { manual: None }
    }

    /// A clock that stands at `start` until moved.
    pub fn manual(start: DateTime<Utc>) -> Self {
        Clock {
            manual: Some(Arc::new(Mutex::new(start.trunc_subsecs(0)))),
        }
    }

    pub fn is_manual(&self) -> bool {
        self.manual.is_some()
    }

    /// The current time, truncated to whole seconds: the legacy service reported times to the
    /// second, and stored times must compare equal to the ones reported.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.manual {
            Some(t) => *t.lock().unwrap_or_else(|p| p.into_inner()),
            None => Self::wall(),
        }
    }

    /// Real time, whatever the mode: clients sign with their own clocks, so signature freshness
    /// is checked against this.
    pub fn wall() -> DateTime<Utc> {
        Utc::now().trunc_subsecs(0)
    }

    pub fn set(&self, to: DateTime<Utc>) -> Result<DateTime<Utc>, ClockError> {
        let cell = self.manual.as_ref().ok_or(ClockError::NotManual)?;
        let mut t = cell.lock().unwrap_or_else(|p| p.into_inner());
        *t = to.trunc_subsecs(0);
        Ok(*t)
    }

    pub fn advance(&self, seconds: i64) -> Result<DateTime<Utc>, ClockError> {
        let cell = self.manual.as_ref().ok_or(ClockError::NotManual)?;
        let mut t = cell.lock().unwrap_or_else(|p| p.into_inner());
        let next = Duration::try_seconds(seconds)
            .and_then(|d| t.checked_add_signed(d))
            .ok_or_else(|| ClockError::OutOfRange(format!("{seconds} seconds from {}", *t)))?;
        *t = next;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let c = Clock::manual(start);
        assert_eq!(c.now(), start);
        assert_eq!(c.advance(90).unwrap(), start + Duration::seconds(90));
        assert_eq!(
            c.clone().now(),
            start + Duration::seconds(90),
            "clones share the time"
        );
        c.set(start).unwrap();
        assert_eq!(c.now(), start);
        assert!(c.advance(i64::MAX).is_err());
    }

    #[test]
    fn the_system_clock_cannot_be_moved() {
        let c = Clock::system();
        assert_eq!(c.advance(1), Err(ClockError::NotManual));
        assert!((c.now() - Utc::now()).num_seconds().abs() <= 1);
    }
}
