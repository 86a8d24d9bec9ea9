//! Storage: an embedded SQLite database. It knows the domain's records, not XML or HTTP.
//!
//! Every call runs inside one transaction (`read` or `write`), so a handler's checks and changes
//! are atomic: a refused approval leaves no trace, and an acknowledged one is committed before
//! the response is written.

mod records;

use std::sync::Mutex;

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use crate::money::Cents;

pub use records::*;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored record is corrupt: {0}")]
    Corrupt(String),
}

pub struct Store {
    conn: Mutex<Connection>,
}

/// One open transaction. All record access goes through here.
pub struct Tx<'c> {
    tx: rusqlite::Transaction<'c>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`; `:memory:` keeps everything in memory.
    pub fn open(path: &str) -> Result<Store, StoreError> {
        let conn = if path == ":memory:" {
            Connection::open_in_memory()?
        } else {
            Connection::open(path)?
        };
        // WAL with synchronous=NORMAL: a committed transaction survives the process being killed
        // (kill -9); only an operating-system crash could lose the last commits.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(include_str!("schema.sql"))?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    pub fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.run(TransactionBehavior::Deferred, f)
    }

    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.run(TransactionBehavior::Immediate, f)
    }

    fn run<T, E: From<StoreError>>(
        &self,
        behavior: TransactionBehavior,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        // A panic while holding the lock cannot leave a half-done transaction behind (it rolls back
        // on drop), so a poisoned lock is safe to reuse.
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn
            .transaction_with_behavior(behavior)
            .map_err(StoreError::from)?;
        let tx = Tx { tx };
        let out = f(&tx)?;
        tx.tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}

fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

fn time(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

fn opt_time(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.map(time)
}

fn parse_state<T: std::str::FromStr>(s: String) -> rusqlite::Result<T> {
    s.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown state {s}").into(),
        )
    })
}

fn json_requirements(s: String) -> rusqlite::Result<Vec<QualificationRequirement>> {
    serde_json::from_str(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

const HIT_TYPE_COLUMNS: &str = "t.hit_type_id, t.requester, t.title, t.description, t.keywords, \
    t.reward_cents, t.assignment_duration, t.auto_approval_delay, t.qualification_requirements";

/// The HIT type whose `HIT_TYPE_COLUMNS` start at column `at`.
fn hit_type_from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<HitType> {
    Ok(HitType {
        hit_type_id: r.get(at)?,
        requester: r.get(at + 1)?,
        title: r.get(at + 2)?,
        description: r.get(at + 3)?,
        keywords: r.get(at + 4)?,
        reward: Cents(r.get(at + 5)?),
        assignment_duration: r.get(at + 6)?,
        auto_approval_delay: r.get(at + 7)?,
        qualification_requirements: json_requirements(r.get(at + 8)?)?,
    })
}

/// A HIT's own columns, followed by its type's `HIT_TYPE_COLUMNS`.
const HIT_COLUMNS: &str =
    "h.hit_id, h.hit_type_id, h.requester, h.creation_time, h.question, h.hit_layout_id, \
    h.max_assignments, h.lifetime, h.expiration, h.requester_annotation, h.review_status, h.state, \
    h.unique_request_token";

fn hit_from_row(r: &Row<'_>) -> rusqlite::Result<Hit> {
    Ok(Hit {
        hit_id: r.get(0)?,
        hit_type_id: r.get(1)?,
        requester: r.get(2)?,
        creation_time: time(r.get(3)?),
        question: r.get(4)?,
        hit_layout_id: r.get(5)?,
        max_assignments: r.get(6)?,
        lifetime: r.get(7)?,
        expiration: time(r.get(8)?),
        requester_annotation: r.get(9)?,
        review_status: r.get(10)?,
        state: parse_state(r.get(11)?)?,
        unique_request_token: r.get(12)?,
        hit_type: hit_type_from_row(r, 13)?,
    })
}

const ASSIGNMENT_COLUMNS: &str =
    "assignment_id, hit_id, worker_id, status, accept_time, deadline, submit_time, \
    auto_approval_time, approval_time, rejection_time, answer, requester_feedback";

fn assignment_from_row(r: &Row<'_>) -> rusqlite::Result<Assignment> {
    Ok(Assignment {
        assignment_id: r.get(0)?,
        hit_id: r.get(1)?,
        worker_id: r.get(2)?,
        status: parse_state(r.get(3)?)?,
        accept_time: time(r.get(4)?),
        deadline: time(r.get(5)?),
        submit_time: opt_time(r.get(6)?),
        auto_approval_time: opt_time(r.get(7)?),
        approval_time: opt_time(r.get(8)?),
        rejection_time: opt_time(r.get(9)?),
        answer: r.get(10)?,
        requester_feedback: r.get(11)?,
    })
}

const QUALIFICATION_TYPE_COLUMNS: &str =
    "qualification_type_id, requester, creation_time, name, description, keywords, \
    status, retry_delay, test, test_duration, answer_key, auto_granted, auto_granted_value";

fn qualification_type_from_row(r: &Row<'_>) -> rusqlite::Result<QualificationType> {
    Ok(QualificationType {
        qualification_type_id: r.get(0)?,
        requester: r.get(1)?,
        creation_time: time(r.get(2)?),
        name: r.get(3)?,
        description: r.get(4)?,
        keywords: r.get(5)?,
        status: parse_state(r.get(6)?)?,
        retry_delay: r.get(7)?,
        test: r.get(8)?,
        test_duration: r.get(9)?,
        answer_key: r.get(10)?,
        auto_granted: r.get(11)?,
        auto_granted_value: r.get(12)?,
    })
}

const QUALIFICATION_REQUEST_COLUMNS: &str =
    "qualification_request_id, qualification_type_id, worker_id, state, test, answer, submit_time, reason";

fn qualification_request_from_row(r: &Row<'_>) -> rusqlite::Result<QualificationRequest> {
    Ok(QualificationRequest {
        qualification_request_id: r.get(0)?,
        qualification_type_id: r.get(1)?,
        worker_id: r.get(2)?,
        state: parse_state(r.get(3)?)?,
        test: r.get(4)?,
        answer: r.get(5)?,
        submit_time: time(r.get(6)?),
        reason: r.get(7)?,
    })
}

impl Tx<'_> {
    // --- meta ---

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")?
            .execute([key, value])?;
        Ok(())
    }

    // --- accounts and money ---

    /// Makes sure the account exists; a new one starts at `initial`. An existing one keeps its
    /// persisted balance.
    pub fn ensure_account(&self, access_key_id: &str, initial: Cents) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO accounts(access_key_id, balance_cents, initial_cents) VALUES (?1, ?2, ?2) \
                 ON CONFLICT(access_key_id) DO UPDATE SET initial_cents = excluded.initial_cents",
            )?
            .execute(params![access_key_id, initial.0])?;
        Ok(())
    }

    pub fn balance(&self, access_key_id: &str) -> Result<Option<Cents>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT balance_cents FROM accounts WHERE access_key_id = ?1")?
            .query_row([access_key_id], |r| r.get(0).map(Cents))
            .optional()?)
    }

    pub fn set_balance(&self, access_key_id: &str, balance: Cents) -> Result<bool, StoreError> {
        let n = self
            .tx
            .prepare_cached("UPDATE accounts SET balance_cents = ?2 WHERE access_key_id = ?1")?
            .execute(params![access_key_id, balance.0])?;
        Ok(n == 1)
    }

    /// Takes money from a requester's balance and records why. The caller has checked the funds.
    pub fn debit(&self, entry: &LedgerEntry) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE accounts SET balance_cents = balance_cents - ?2 WHERE access_key_id = ?1",
            )?
            .execute(params![entry.requester, entry.amount.0])?;
        self.tx
            .prepare_cached(
                "INSERT INTO ledger(requester, time, kind, amount_cents, hit_id, assignment_id, worker_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                entry.requester,
                ts(entry.time),
                entry.kind.as_str(),
                entry.amount.0,
                entry.hit_id,
                entry.assignment_id,
                entry.worker_id
            ])?;
        Ok(())
    }

    /// Clears every record and puts each account back to its configured balance.
    pub fn reset(&self) -> Result<(), StoreError> {
        self.tx.execute_batch(
            "DELETE FROM ledger; DELETE FROM qualifications; DELETE FROM qualification_requests; \
             DELETE FROM qualification_types; DELETE FROM assignments; DELETE FROM hits; DELETE FROM hit_types; \
             UPDATE accounts SET balance_cents = initial_cents;",
        )?;
        Ok(())
    }

    // --- HIT types and HITs ---

    /// Stores the HIT type unless one with this id exists already (ids are derived from the contents).
    pub fn upsert_hit_type(&self, t: &HitType) -> Result<(), StoreError> {
        let quals = serde_json::to_string(&t.qualification_requirements)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO hit_types(hit_type_id, requester, title, description, keywords, reward_cents, \
                 assignment_duration, auto_approval_delay, qualification_requirements) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
            )?
            .execute(params![
                t.hit_type_id,
                t.requester,
                t.title,
                t.description,
                t.keywords,
                t.reward.0,
                t.assignment_duration,
                t.auto_approval_delay,
                quals
            ])?;
        Ok(())
    }

    pub fn hit_type(&self, hit_type_id: &str) -> Result<Option<HitType>, StoreError> {
        let sql = format!("SELECT {HIT_TYPE_COLUMNS} FROM hit_types t WHERE t.hit_type_id = ?1");
        Ok(self
            .tx
            .prepare_cached(&sql)?
            .query_row([hit_type_id], |r| hit_type_from_row(r, 0))
            .optional()?)
    }

    pub fn insert_hit(&self, h: &Hit) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO hits(hit_id, hit_type_id, requester, creation_time, question, hit_layout_id, max_assignments, \
                 lifetime, expiration, requester_annotation, review_status, state, unique_request_token) \
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
            )?
            .execute(params![
                h.hit_id,
                h.hit_type_id,
                h.requester,
                ts(h.creation_time),
                h.question,
                h.hit_layout_id,
                h.max_assignments,
                h.lifetime,
                ts(h.expiration),
                h.requester_annotation,
                h.review_status,
                h.state.as_str(),
                h.unique_request_token
            ])?;
        Ok(())
    }

    pub fn hit(&self, hit_id: &str) -> Result<Option<Hit>, StoreError> {
        let sql = format!("SELECT {HIT_COLUMNS}, {HIT_TYPE_COLUMNS} FROM hits h JOIN hit_types t USING (hit_type_id) WHERE h.hit_id = ?1");
        Ok(self
            .tx
            .prepare_cached(&sql)?
            .query_row([hit_id], hit_from_row)
            .optional()?)
    }

    /// The HIT a requester created with `token` since `since`, if any.
    pub fn hit_by_token(
        &self,
        requester: &str,
        token: &str,
        since: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT hit_id FROM hits WHERE requester = ?1 AND unique_request_token = ?2 AND creation_time >= ?3 \
                 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row(params![requester, token, ts(since)], |r| r.get(0))
            .optional()?)
    }

    /// How the HIT's assignments stand, by status.
    pub fn assignment_counts(&self, hit_id: &str) -> Result<AssignmentCounts, StoreError> {
        let mut counts = AssignmentCounts::default();
        let mut stmt = self.tx.prepare_cached(
            "SELECT status, COUNT(*) FROM assignments WHERE hit_id = ?1 GROUP BY status",
        )?;
        let rows = stmt.query_map([hit_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (status, n) = row?;
            let status: AssignmentState = status
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("assignment status {status}")))?;
            counts.add(status, n);
        }
        Ok(counts)
    }

    // --- assignments ---

    pub fn insert_assignment(&self, a: &Assignment) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO assignments(assignment_id, hit_id, worker_id, status, accept_time, deadline, submit_time, \
                 auto_approval_time, approval_time, rejection_time, answer, requester_feedback) \
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
            )?
            .execute(params![
                a.assignment_id,
                a.hit_id,
                a.worker_id,
                a.status.as_str(),
                ts(a.accept_time),
                ts(a.deadline),
                a.submit_time.map(ts),
                a.auto_approval_time.map(ts),
                a.approval_time.map(ts),
                a.rejection_time.map(ts),
                a.answer,
                a.requester_feedback
            ])?;
        Ok(())
    }

    /// Writes back every mutable field of an assignment.
    pub fn update_assignment(&self, a: &Assignment) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE assignments SET status = ?2, submit_time = ?3, auto_approval_time = ?4, approval_time = ?5, \
                 rejection_time = ?6, answer = ?7, requester_feedback = ?8 WHERE assignment_id = ?1",
            )?
            .execute(params![
                a.assignment_id,
                a.status.as_str(),
                a.submit_time.map(ts),
                a.auto_approval_time.map(ts),
                a.approval_time.map(ts),
                a.rejection_time.map(ts),
                a.answer,
                a.requester_feedback
            ])?;
        Ok(())
    }

    pub fn assignment(&self, assignment_id: &str) -> Result<Option<Assignment>, StoreError> {
        let sql = format!("SELECT {ASSIGNMENT_COLUMNS} FROM assignments WHERE assignment_id = ?1");
        Ok(self
            .tx
            .prepare_cached(&sql)?
            .query_row([assignment_id], assignment_from_row)
            .optional()?)
    }

    /// Every assignment a worker ever held on a HIT, oldest first.
    pub fn worker_assignments_for_hit(
        &self,
        hit_id: &str,
        worker_id: &str,
    ) -> Result<Vec<Assignment>, StoreError> {
        let sql = format!("SELECT {ASSIGNMENT_COLUMNS} FROM assignments WHERE hit_id = ?1 AND worker_id = ?2 ORDER BY seq");
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map([hit_id, worker_id], assignment_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One page of a HIT's assignments in the given states, and how many there are in all.
    pub fn assignments_for_hit(
        &self,
        q: &AssignmentQuery<'_>,
    ) -> Result<Page<Assignment>, StoreError> {
        let states: Vec<&str> = q.states.iter().map(|s| s.as_str()).collect();
        let placeholders = vec!["?"; states.len()].join(",");
        let filter = format!("hit_id = ? AND status IN ({placeholders})");
        let mut args: Vec<&dyn rusqlite::ToSql> = vec![&q.hit_id];
        for s in &states {
            args.push(s);
        }
        let total: i64 = self
            .tx
            .prepare_cached(&format!("SELECT COUNT(*) FROM assignments WHERE {filter}"))?
            .query_row(args.as_slice(), |r| r.get(0))?;
        let column = match q.sort {
            AssignmentSort::AcceptTime => "accept_time",
            AssignmentSort::SubmitTime => "submit_time",
            AssignmentSort::Answer => "answer",
            AssignmentSort::AssignmentStatus => "status",
        };
        let dir = if q.descending { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT {ASSIGNMENT_COLUMNS} FROM assignments WHERE {filter} ORDER BY {column} {dir}, seq {dir} LIMIT ? OFFSET ?"
        );
        let limit = q.page_size;
        let offset = (q.page_number - 1).saturating_mul(q.page_size);
        args.push(&limit);
        args.push(&offset);
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let items = stmt
            .query_map(args.as_slice(), assignment_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(Page { items, total })
    }

    // --- qualification types, requests and qualifications ---

    pub fn insert_qualification_type(&self, q: &QualificationType) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO qualification_types(qualification_type_id, requester, creation_time, name, description, keywords, \
                 status, retry_delay, test, test_duration, answer_key, auto_granted, auto_granted_value) \
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
            )?
            .execute(params![
                q.qualification_type_id,
                q.requester,
                ts(q.creation_time),
                q.name,
                q.description,
                q.keywords,
                q.status.as_str(),
                q.retry_delay,
                q.test,
                q.test_duration,
                q.answer_key,
                q.auto_granted,
                q.auto_granted_value
            ])?;
        Ok(())
    }

    pub fn qualification_type(&self, id: &str) -> Result<Option<QualificationType>, StoreError> {
        let sql = format!("SELECT {QUALIFICATION_TYPE_COLUMNS} FROM qualification_types WHERE qualification_type_id = ?1");
        Ok(self
            .tx
            .prepare_cached(&sql)?
            .query_row([id], qualification_type_from_row)
            .optional()?)
    }

    pub fn qualification_type_by_name(
        &self,
        requester: &str,
        name: &str,
    ) -> Result<Option<QualificationType>, StoreError> {
        let sql = format!(
            "SELECT {QUALIFICATION_TYPE_COLUMNS} FROM qualification_types WHERE requester = ?1 AND name = ?2 AND status != 'Disposed'"
        );
        Ok(self
            .tx
            .prepare_cached(&sql)?
            .query_row([requester, name], qualification_type_from_row)
            .optional()?)
    }

    pub fn insert_qualification_request(&self, r: &QualificationRequest) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO qualification_requests(qualification_request_id, qualification_type_id, worker_id, state, test, \
                 answer, submit_time, reason) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            )?
            .execute(params![
                r.qualification_request_id,
                r.qualification_type_id,
                r.worker_id,
                r.state.as_str(),
                r.test,
                r.answer,
                ts(r.submit_time),
                r.reason
            ])?;
        Ok(())
    }

    pub fn has_pending_qualification_request(
        &self,
        qualification_type_id: &str,
        worker_id: &str,
    ) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM qualification_requests WHERE qualification_type_id = ?1 AND worker_id = ?2 AND state = 'Pending')",
            )?
            .query_row([qualification_type_id, worker_id], |r| r.get(0))?)
    }

    pub fn qualification_request(
        &self,
        id: &str,
    ) -> Result<Option<QualificationRequest>, StoreError> {
        let sql = format!("SELECT {QUALIFICATION_REQUEST_COLUMNS} FROM qualification_requests WHERE qualification_request_id = ?1");
        Ok(self
            .tx
            .prepare_cached(&sql)?
            .query_row([id], qualification_request_from_row)
            .optional()?)
    }

    pub fn set_qualification_request_state(
        &self,
        id: &str,
        state: QualificationRequestState,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE qualification_requests SET state = ?2, reason = ?3 WHERE qualification_request_id = ?1")?
            .execute(params![id, state.as_str(), reason])?;
        Ok(())
    }

    /// One page of the pending requests for the requester's qualification types.
    pub fn pending_qualification_requests(
        &self,
        q: &QualificationRequestQuery<'_>,
    ) -> Result<Page<QualificationRequest>, StoreError> {
        let filter = "r.state = 'Pending' AND t.requester = ?1 AND (?2 IS NULL OR r.qualification_type_id = ?2)";
        let total: i64 = self
            .tx
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM qualification_requests r JOIN qualification_types t USING (qualification_type_id) WHERE {filter}"
            ))?
            .query_row(params![q.requester, q.qualification_type_id], |r| r.get(0))?;
        let column = if q.sort_by_type {
            "r.qualification_type_id"
        } else {
            "r.submit_time"
        };
        let dir = if q.descending { "DESC" } else { "ASC" };
        let cols = QUALIFICATION_REQUEST_COLUMNS
            .split(", ")
            .map(|c| format!("r.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {cols} FROM qualification_requests r JOIN qualification_types t USING (qualification_type_id) \
             WHERE {filter} ORDER BY {column} {dir}, r.seq {dir} LIMIT ?3 OFFSET ?4"
        );
        let offset = (q.page_number - 1).saturating_mul(q.page_size);
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let items = stmt
            .query_map(
                params![q.requester, q.qualification_type_id, q.page_size, offset],
                qualification_request_from_row,
            )?
            .collect::<Result<_, _>>()?;
        Ok(Page { items, total })
    }

    pub fn upsert_qualification(&self, q: &Qualification) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO qualifications(qualification_type_id, worker_id, integer_value, locale_country, locale_subdivision, \
                 grant_time, status) VALUES (?1,?2,?3,?4,?5,?6,?7) \
                 ON CONFLICT(qualification_type_id, worker_id) DO UPDATE SET integer_value = excluded.integer_value, \
                 locale_country = excluded.locale_country, locale_subdivision = excluded.locale_subdivision, \
                 grant_time = excluded.grant_time, status = excluded.status",
            )?
            .execute(params![
                q.qualification_type_id,
                q.worker_id,
                q.integer_value,
                q.locale_country,
                q.locale_subdivision,
                ts(q.grant_time),
                q.status.as_str()
            ])?;
        Ok(())
    }

    pub fn qualification(
        &self,
        qualification_type_id: &str,
        worker_id: &str,
    ) -> Result<Option<Qualification>, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT qualification_type_id, worker_id, integer_value, locale_country, locale_subdivision, grant_time, status \
                 FROM qualifications WHERE qualification_type_id = ?1 AND worker_id = ?2",
            )?
            .query_row([qualification_type_id, worker_id], |r| {
                Ok(Qualification {
                    qualification_type_id: r.get(0)?,
                    worker_id: r.get(1)?,
                    integer_value: r.get(2)?,
                    locale_country: r.get(3)?,
                    locale_subdivision: r.get(4)?,
                    grant_time: time(r.get(5)?),
                    status: parse_state(r.get(6)?)?,
                })
            })
            .optional()?)
    }
}

#[cfg(test)]
mod tests;
