//! Accounts, their money, and the ledger of what left them.
//!
//! Its tables: `schema/accounts.sql`.

use super::*;

impl Tx<'_> {
    /// Makes sure the account exists; a new one starts at `initial`. An existing one keeps its
    /// persisted balance.
    pub fn ensure_account(&self, access_key_id: &str, initial: Cents) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO accounts(access_key_id, balance_cents, initial_cents) VALUES (?1, ?2, ?2) \
             ON CONFLICT(access_key_id) DO UPDATE SET initial_cents = excluded.initial_cents",
            params![access_key_id, initial.0],
        )?;
        Ok(())
    }

    pub fn balance(&self, access_key_id: &str) -> Result<Option<Cents>, StoreError> {
        self.one(
            "SELECT balance_cents FROM accounts WHERE access_key_id = ?1",
            [access_key_id],
            |r| r.get(0).map(Cents),
        )
    }

    pub fn set_balance(&self, access_key_id: &str, balance: Cents) -> Result<bool, StoreError> {
        let n = self.exec(
            "UPDATE accounts SET balance_cents = ?2 WHERE access_key_id = ?1",
            params![access_key_id, balance.0],
        )?;
        Ok(n == 1)
    }

    /// Takes money from a requester's balance and records why. The caller has checked the funds.
    pub fn debit(&self, entry: &LedgerEntry) -> Result<(), StoreError> {
        self.exec(
            "UPDATE accounts SET balance_cents = balance_cents - ?2 WHERE access_key_id = ?1",
            params![entry.requester, entry.amount.0],
        )?;
        self.exec(
            "INSERT INTO ledger(requester, time, kind, amount_cents, hit_id, assignment_id, worker_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                entry.requester,
                ts(entry.time),
                entry.kind,
                entry.amount.0,
                entry.hit_id,
                entry.assignment_id,
                entry.worker_id
            ],
        )?;
        Ok(())
    }

    /// Clears every record and puts each account back to its configured balance. Every table
    /// but the accounts and the meta keys (the persisted clock) is emptied, whichever domain
    /// file declared it.
    pub fn reset(&self) -> Result<(), StoreError> {
        // References between the emptied tables are checked at commit, when all are empty.
        self.tx.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
        let tables: Vec<String> = self
            .tx
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT IN ('accounts', 'meta') AND name NOT LIKE 'sqlite_%'",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for table in tables {
            self.tx.execute(
                &format!("DELETE FROM \"{}\"", table.replace('"', "\"\"")),
                [],
            )?;
        }
        self.tx
            .execute("UPDATE accounts SET balance_cents = initial_cents", [])?;
        Ok(())
    }

    // --- statistics ---

    /// Every HIT of the requester (disposed ones too) with its assignments, in creation order.
    pub fn hit_timelines(&self, requester: &str) -> Result<Vec<HitTimeline>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT h.seq, h.creation_time, h.expiration, h.max_assignments, h.state, t.reward_cents, \
             a.status, a.accept_time, a.deadline, a.submit_time, a.approval_time, a.rejection_time \
             FROM hits h JOIN hit_types t ON t.hit_type_id = h.hit_type_id \
             LEFT JOIN assignments a ON a.hit_id = h.hit_id \
             WHERE h.requester = ?1 ORDER BY h.seq, a.seq",
        )?;
        let mut rows = stmt.query([requester])?;
        let mut out: Vec<HitTimeline> = Vec::new();
        let mut last_seq = None;
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            if last_seq != Some(seq) {
                last_seq = Some(seq);
                out.push(HitTimeline {
                    creation_time: time(r.get(1)?),
                    expiration: time(r.get(2)?),
                    max_assignments: r.get(3)?,
                    state: r.get(4)?,
                    reward: Cents(r.get(5)?),
                    assignments: Vec::new(),
                });
            }
            if let (Some(status), Some(hit)) = (r.get(6)?, out.last_mut()) {
                hit.assignments
                    .push(assignment_timeline_from(r, status, 7)?);
            }
        }
        Ok(out)
    }

    /// Every assignment the worker held on the requester's HITs.
    pub fn worker_assignment_timelines(
        &self,
        requester: &str,
        worker_id: &str,
    ) -> Result<Vec<AssignmentTimeline>, StoreError> {
        self.all(
            "SELECT a.status, a.accept_time, a.deadline, a.submit_time, a.approval_time, a.rejection_time \
             FROM assignments a JOIN hits h ON h.hit_id = a.hit_id \
             WHERE a.worker_id = ?1 AND h.requester = ?2",
            [worker_id, requester],
            |r| assignment_timeline_from(r, r.get(0)?, 1),
        )
    }

    /// Every movement in the requester's ledger, oldest first.
    pub fn ledger_movements(&self, requester: &str) -> Result<Vec<LedgerMovement>, StoreError> {
        self.all(
            "SELECT time, kind, amount_cents FROM ledger WHERE requester = ?1 ORDER BY time, seq",
            [requester],
            |r| {
                Ok(LedgerMovement {
                    time: time(r.get(0)?),
                    kind: r.get(1)?,
                    amount: Cents(r.get(2)?),
                })
            },
        )
    }
}

impl Tx<'_> {
    /// Every known-answer check ScoreMyKnownAnswers made on the requester's assignments (one
    /// worker's, if given): when the answer was submitted, and whether it was right.
    pub fn known_answer_checks(
        &self,
        requester: &str,
        worker_id: Option<&str>,
    ) -> Result<Vec<(DateTime<Utc>, bool)>, StoreError> {
        self.all(
            "SELECT COALESCE(a.submit_time, a.accept_time), r.value \
             FROM hits h JOIN review_results r ON r.hit_id = h.hit_id AND r.level = 'Assignment' \
             JOIN assignments a ON a.assignment_id = r.subject_id \
             WHERE h.requester = ?1 AND r.key = 'KnownAnswerCorrect' \
             AND (?2 IS NULL OR a.worker_id = ?2) ORDER BY r.seq",
            params![requester, worker_id],
            |r| Ok((time(r.get(0)?), r.get::<_, String>(1)? == "true")),
        )
    }

    /// What SimplePlurality found in the requester's HITs: the answers it agreed on (HIT,
    /// question, answer), and each assignment it scored (HIT, worker, submit time, answers).
    #[allow(clippy::type_complexity)]
    pub fn plurality_checks(
        &self,
        requester: &str,
    ) -> Result<
        (
            Vec<(String, String, String)>,
            Vec<(String, String, DateTime<Utc>, Option<String>)>,
        ),
        StoreError,
    > {
        let mut stmt = self.tx.prepare_cached(
            "SELECT r.hit_id, COALESCE(r.question_id, ''), r.value \
             FROM hits h JOIN review_results r ON r.hit_id = h.hit_id AND r.level = 'HIT' \
             WHERE h.requester = ?1 AND r.key = 'AgreedAnswer' ORDER BY r.seq",
        )?;
        let agreed = stmt
            .query_map([requester], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.tx.prepare_cached(
            "SELECT r.hit_id, a.worker_id, COALESCE(a.submit_time, a.accept_time), a.answer \
             FROM hits h JOIN review_results r ON r.hit_id = h.hit_id AND r.level = 'HIT' \
             JOIN assignments a ON a.assignment_id = r.subject_id \
             WHERE h.requester = ?1 AND r.key = 'WorkerAgreementScore' ORDER BY r.seq",
        )?;
        let scored = stmt
            .query_map([requester], |r| {
                Ok((r.get(0)?, r.get(1)?, time(r.get(2)?), r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok((agreed, scored))
    }
}

/// The assignment times starting at column `at`: accept, deadline, submit, approval, rejection.
fn assignment_timeline_from(
    r: &Row<'_>,
    status: AssignmentState,
    at: usize,
) -> rusqlite::Result<AssignmentTimeline> {
    Ok(AssignmentTimeline {
        status,
        accept_time: time(r.get(at)?),
        deadline: time(r.get(at + 1)?),
        submit_time: opt_time(r.get(at + 2)?),
        approval_time: opt_time(r.get(at + 3)?),
        rejection_time: opt_time(r.get(at + 4)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_checks_are_read_for_the_requester_and_the_worker() -> Result<(), StoreError> {
        let store = Store::open(":memory:")?;
        store.write(|tx| {
            tx.tx.execute_batch(
                "INSERT INTO hit_types(hit_type_id, requester, title, description, reward_cents, \
                   assignment_duration, auto_approval_delay, qualification_requirements) \
                   VALUES ('T', 'R1', 't', 'd', 10, 60, 60, '[]');
                 INSERT INTO hits(hit_id, hit_type_id, requester, creation_time, max_assignments, \
                   lifetime, expiration, review_status, state) \
                   VALUES ('H1', 'T', 'R1', 100, 2, 60, 160, 'NotReviewed', 'Open'), \
                          ('H2', 'T', 'R2', 100, 1, 60, 160, 'NotReviewed', 'Open');
                 INSERT INTO assignments(assignment_id, hit_id, worker_id, status, accept_time, \
                   deadline, submit_time, answer) \
                   VALUES ('A1', 'H1', 'W1', 'Submitted', 110, 170, 120, '<a1/>'), \
                          ('A2', 'H1', 'W2', 'Submitted', 110, 170, 130, '<a2/>'), \
                          ('A3', 'H2', 'W1', 'Submitted', 110, 170, 140, '<a3/>');
                 INSERT INTO review_results(hit_id, level, action_id, subject_id, subject_type, \
                   question_id, key, value) VALUES \
                   ('H1', 'Assignment', 'X', 'A1', 'Assignment', 'q', 'KnownAnswerCorrect', 'true'), \
                   ('H1', 'Assignment', 'X', 'A2', 'Assignment', 'q', 'KnownAnswerCorrect', 'false'), \
                   ('H1', 'Assignment', 'X', 'A2', 'Assignment', NULL, 'KnownAnswerScore', '0'), \
                   ('H2', 'Assignment', 'X', 'A3', 'Assignment', 'q', 'KnownAnswerCorrect', 'true'), \
                   ('H1', 'HIT', 'Y', 'H1', 'HIT', 'q', 'AgreedAnswer', 'blue'), \
                   ('H1', 'HIT', 'Y', 'A1', 'Assignment', NULL, 'WorkerAgreementScore', '100'), \
                   ('H1', 'HIT', 'Y', 'A2', 'Assignment', NULL, 'WorkerAgreementScore', '0');",
            )?;
            assert_eq!(
                tx.known_answer_checks("R1", None)?,
                vec![(time(120), true), (time(130), false)]
            );
            assert_eq!(tx.known_answer_checks("R1", Some("W2"))?, vec![(time(130), false)]);
            assert_eq!(tx.known_answer_checks("R2", None)?, vec![(time(140), true)]);
            let (agreed, scored) = tx.plurality_checks("R1")?;
            assert_eq!(agreed, vec![("H1".into(), "q".into(), "blue".into())]);
            let who: Vec<(String, DateTime<Utc>)> =
                scored.into_iter().map(|(_, w, t, _)| (w, t)).collect();
            assert_eq!(who, vec![("W1".into(), time(120)), ("W2".into(), time(130))]);
            assert_eq!(tx.plurality_checks("R2")?, (vec![], vec![]));
            Ok(())
        })
    }
}
