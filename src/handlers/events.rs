//! Raising the notification events of HITs and assignments, under the HIT's type.

use chrono::{DateTime, Utc};

use super::notifications::{self, Event};
use crate::model::requester as api;
use crate::store::{self, StoreError, Tx};

/// The event `event_type` of `hit`, or of its assignment `assignment_id`, at `time`.
pub(crate) fn event<'a>(
    hit: &'a store::Hit,
    event_type: api::EventType,
    time: DateTime<Utc>,
    assignment_id: Option<&'a str>,
) -> Event<'a> {
    Event {
        event_type,
        time,
        requester: &hit.requester,
        hit_type_id: &hit.hit_type_id,
        hit_id: &hit.hit_id,
        assignment_id,
    }
}

/// Raises a HIT's own event (created, extended, expired, reviewable, disposed).
pub(crate) fn hit_event(
    tx: &Tx<'_>,
    hit: &store::Hit,
    event_type: api::EventType,
    time: DateTime<Utc>,
) -> Result<(), StoreError> {
    notifications::raise(tx, &event(hit, event_type, time, None))
}

/// Raises an assignment's event, looking up its HIT.
pub(crate) fn assignment_event(
    tx: &Tx<'_>,
    event_type: api::EventType,
    a: &store::Assignment,
    time: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(hit) = tx.hit(&a.hit_id)? else {
        return Ok(());
    };
    notifications::raise(tx, &event(&hit, event_type, time, Some(&a.assignment_id)))
}
