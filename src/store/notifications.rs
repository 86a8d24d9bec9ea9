//! Notification specifications per HIT type, and every notification raised, with its outcome.
//!
//! Its tables: `schema/notifications.sql`.

use super::*;

const NOTIFICATION_COLUMNS: &str =
    "seq, requester, event_type, event_time, hit_type_id, hit_id, assignment_id, \
    destination, transport, version, state, attempts, last_error, delivered_time, test";

fn notification_from_row(r: &Row<'_>) -> rusqlite::Result<Notification> {
    from_columns!(
        r,
        Notification {
            seq,
            requester,
            event_type,
            event_time: time,
            hit_type_id,
            hit_id,
            assignment_id,
            destination,
            transport,
            version,
            state,
            attempts,
            last_error,
            delivered_time: opt_time,
            test,
        }
    )
}

impl Tx<'_> {
    pub fn notification_spec(
        &self,
        hit_type_id: &str,
    ) -> Result<Option<NotificationSpec>, StoreError> {
        self.one(
            "SELECT hit_type_id, requester, destination, transport, version, event_types, active \
             FROM notification_specs WHERE hit_type_id = ?1",
            [hit_type_id],
            |r| {
                let events: String = r.get(5)?;
                let event_types = events
                    .split(',')
                    .filter(|e| !e.is_empty())
                    .map(str::parse)
                    .collect::<Result<_, UnknownValue>>()
                    .map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            5,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        )
                    })?;
                Ok(NotificationSpec {
                    hit_type_id: r.get(0)?,
                    requester: r.get(1)?,
                    destination: r.get(2)?,
                    transport: r.get(3)?,
                    version: r.get(4)?,
                    event_types,
                    active: r.get(6)?,
                })
            },
        )
    }

    pub fn put_notification_spec(&self, s: &NotificationSpec) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO notification_specs(hit_type_id, requester, destination, transport, version, event_types, active) \
             VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(hit_type_id) DO UPDATE SET destination = excluded.destination, \
             transport = excluded.transport, version = excluded.version, event_types = excluded.event_types, \
             active = excluded.active",
            params![
                s.hit_type_id,
                s.requester,
                s.destination,
                s.transport,
                s.version,
                s.event_types
                    .iter()
                    .map(EventType::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
                s.active
            ],
        )?;
        Ok(())
    }

    /// Records a notification to send (or, for Email and SQS, to keep).
    pub fn insert_notification(&self, n: &Notification) -> Result<i64, StoreError> {
        self.exec(
            "INSERT INTO notifications(requester, event_type, event_time, hit_type_id, hit_id, assignment_id, \
             destination, transport, version, state, attempts, next_attempt, last_error, delivered_time, test) \
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,0,?12,?13,?14)",
            params![
                n.requester,
                n.event_type,
                ts(n.event_time),
                n.hit_type_id,
                n.hit_id,
                n.assignment_id,
                n.destination,
                n.transport,
                n.version,
                n.state,
                n.attempts,
                n.last_error,
                n.delivered_time.map(ts),
                n.test
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Pending deliveries whose next attempt is due at `wall` (real time, Unix milliseconds).
    pub fn due_notifications(
        &self,
        wall: i64,
        limit: i64,
    ) -> Result<Vec<Notification>, StoreError> {
        let sql = format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE state = 'Pending' AND next_attempt <= ?1 \
             ORDER BY seq LIMIT ?2"
        );
        self.all(&sql, params![wall, limit], notification_from_row)
    }

    /// Records the outcome of one delivery attempt.
    pub fn record_delivery(
        &self,
        seq: i64,
        state: NotificationState,
        attempts: i64,
        next_attempt: i64,
        error: Option<&str>,
        delivered: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE notifications SET state = ?2, attempts = ?3, next_attempt = ?4, last_error = ?5, \
             delivered_time = ?6 WHERE seq = ?1",
            params![seq, state, attempts, next_attempt, error, delivered.map(ts)],
        )?;
        Ok(())
    }

    /// Every notification of a requester (or of everyone), oldest first.
    pub fn notifications(&self, requester: Option<&str>) -> Result<Vec<Notification>, StoreError> {
        let sql = format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE (?1 IS NULL OR requester = ?1) ORDER BY seq"
        );
        self.all(&sql, params![requester], notification_from_row)
    }

    /// Notes that a once-per-episode HIT event (expired, reviewable) was raised; false when it
    /// already had been.
    pub fn mark_hit_event(&self, hit_id: &str, event_type: EventType) -> Result<bool, StoreError> {
        let n = self.exec(
            "INSERT OR IGNORE INTO hit_events(hit_id, event_type) VALUES (?1, ?2)",
            params![hit_id, event_type],
        )?;
        Ok(n == 1)
    }

    /// The HIT left the state the event announced (extended, reopened): it may be raised again.
    pub fn clear_hit_event(&self, hit_id: &str, event_type: EventType) -> Result<(), StoreError> {
        self.exec(
            "DELETE FROM hit_events WHERE hit_id = ?1 AND event_type = ?2",
            params![hit_id, event_type],
        )?;
        Ok(())
    }

    /// Open HITs whose expiration has come by `now` without HITExpired having been raised.
    pub fn newly_expired_hits(&self, now: DateTime<Utc>) -> Result<Vec<String>, StoreError> {
        self.all(
            "SELECT h.hit_id FROM hit_listing l JOIN hits h ON h.seq = l.seq \
             WHERE l.state = 'Open' AND l.expired = 0 AND l.expiration <= ?1 ORDER BY l.expiration",
            [ts(now)],
            |r| r.get(0),
        )
    }

    /// When the next open HIT expires without HITExpired having been raised for it.
    pub fn next_expiration(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let secs: Option<i64> = self.value(
            "SELECT MIN(expiration) FROM hit_listing WHERE state = 'Open' AND expired = 0",
            [],
        )?;
        Ok(opt_time(secs))
    }

    /// HITs not yet disposed of whose expiration is at or before `cutoff`.
    pub fn undisposed_hits_expired_by(
        &self,
        cutoff: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        self.all(
            "SELECT h.hit_id FROM hit_listing l JOIN hits h ON h.seq = l.seq \
             WHERE l.live = 1 AND l.expiration <= ?1 ORDER BY l.expiration",
            [ts(cutoff)],
            |r| r.get(0),
        )
    }

    /// The earliest expiration among HITs not yet disposed of.
    pub fn earliest_undisposed_expiration(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let secs: Option<i64> =
            self.value("SELECT MIN(expiration) FROM hit_listing WHERE live = 1", [])?;
        Ok(opt_time(secs))
    }
}
