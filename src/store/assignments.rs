//! Assignments.
//!
//! Its tables: `schema/assignments.sql`.

use super::*;

const ASSIGNMENT_COLUMNS: &str =
    "assignment_id, hit_id, worker_id, status, accept_time, deadline, submit_time, \
    auto_approval_time, approval_time, rejection_time, answer, requester_feedback";

fn assignment_from_row(r: &Row<'_>) -> rusqlite::Result<Assignment> {
    from_columns!(
        r,
        Assignment {
            assignment_id,
            hit_id,
            worker_id,
            status,
            accept_time: time,
            deadline: time,
            submit_time: opt_time,
            auto_approval_time: opt_time,
            approval_time: opt_time,
            rejection_time: opt_time,
            answer,
            requester_feedback,
        }
    )
}

/// An assignment's fields as statement parameters ?1 to ?12, in `ASSIGNMENT_COLUMNS` order.
macro_rules! assignment_params {
    ($a:expr) => {
        params![
            $a.assignment_id,
            $a.hit_id,
            $a.worker_id,
            $a.status,
            ts($a.accept_time),
            ts($a.deadline),
            $a.submit_time.map(ts),
            $a.auto_approval_time.map(ts),
            $a.approval_time.map(ts),
            $a.rejection_time.map(ts),
            $a.answer,
            $a.requester_feedback
        ]
    };
}

impl Tx<'_> {
    /// Assignments counted by status, over those whose `column` (`hit_id` or `worker_id`)
    /// equals `key`.
    pub(super) fn count_assignments(
        &self,
        column: &'static str,
        key: &str,
    ) -> Result<AssignmentCounts, StoreError> {
        let mut counts = AssignmentCounts::default();
        // Counted here rather than by GROUP BY, which would sort the rows in a temporary
        // B-tree on every GetHIT.
        let sql = format!("SELECT status FROM assignments WHERE {column} = ?1");
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let mut rows = stmt.query([key])?;
        while let Some(row) = rows.next()? {
            let status = row.get_ref(0)?.as_str().unwrap_or_default();
            let status: AssignmentState = status
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("assignment status {status}")))?;
            counts.add(status, 1);
        }
        Ok(counts)
    }

    pub fn insert_assignment(&self, a: &Assignment) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO assignments(assignment_id, hit_id, worker_id, status, accept_time, deadline, submit_time, \
             auto_approval_time, approval_time, rejection_time, answer, requester_feedback) \
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
            assignment_params!(a),
        )?;
        Ok(())
    }

    /// Writes back every mutable field of an assignment (the statement leaves the fixed ones,
    /// ?2, ?3, ?5 and ?6, unused).
    pub fn update_assignment(&self, a: &Assignment) -> Result<(), StoreError> {
        self.exec(
            "UPDATE assignments SET status = ?4, submit_time = ?7, auto_approval_time = ?8, approval_time = ?9, \
             rejection_time = ?10, answer = ?11, requester_feedback = ?12 WHERE assignment_id = ?1",
            assignment_params!(a),
        )?;
        Ok(())
    }

    pub fn assignment(&self, assignment_id: &str) -> Result<Option<Assignment>, StoreError> {
        let sql = format!("SELECT {ASSIGNMENT_COLUMNS} FROM assignments WHERE assignment_id = ?1");
        self.one(&sql, [assignment_id], assignment_from_row)
    }

    /// Every assignment a worker ever held on a HIT, oldest first.
    pub fn worker_assignments_for_hit(
        &self,
        hit_id: &str,
        worker_id: &str,
    ) -> Result<Vec<Assignment>, StoreError> {
        let sql = format!("SELECT {ASSIGNMENT_COLUMNS} FROM assignments WHERE hit_id = ?1 AND worker_id = ?2 ORDER BY seq");
        self.all(&sql, [hit_id, worker_id], assignment_from_row)
    }

    /// Every assignment a worker ever held, newest first.
    pub fn worker_assignments(&self, worker_id: &str) -> Result<Vec<Assignment>, StoreError> {
        let sql = format!(
            "SELECT {ASSIGNMENT_COLUMNS} FROM assignments WHERE worker_id = ?1 ORDER BY seq DESC"
        );
        self.all(&sql, [worker_id], assignment_from_row)
    }

    /// One page of a HIT's assignments in the given states, and how many there are in all.
    pub fn assignments_for_hit(
        &self,
        q: &AssignmentQuery<'_>,
    ) -> Result<Page<Assignment>, StoreError> {
        let placeholders = vec!["?"; q.states.len()].join(",");
        let mut args: Vec<&dyn rusqlite::ToSql> = vec![&q.hit_id];
        for s in q.states {
            args.push(s);
        }
        let column = match q.sort {
            AssignmentSort::AcceptTime => "accept_time",
            AssignmentSort::SubmitTime => "submit_time",
            AssignmentSort::Answer => "answer",
            AssignmentSort::AssignmentStatus => "status",
        };
        let dir = if q.descending { "DESC" } else { "ASC" };
        let list = List {
            columns: ASSIGNMENT_COLUMNS,
            from: "assignments",
            filter: &format!("hit_id = ? AND status IN ({placeholders})"),
            order: &format!("{column} {dir}, seq {dir}"),
        };
        self.page(
            &list,
            &args,
            q.page_size,
            q.page_number,
            assignment_from_row,
        )
    }

    /// Accepted assignments whose deadline has passed by `now`.
    pub fn overdue_accepted(&self, now: DateTime<Utc>) -> Result<Vec<Assignment>, StoreError> {
        let sql = format!(
            "SELECT {ASSIGNMENT_COLUMNS} FROM assignments WHERE status = 'Accepted' AND deadline < ?1 ORDER BY deadline, seq"
        );
        self.all(&sql, [ts(now)], assignment_from_row)
    }

    /// Submitted assignments whose auto-approval time has come by `now`.
    pub fn due_auto_approvals(&self, now: DateTime<Utc>) -> Result<Vec<Assignment>, StoreError> {
        let sql = format!(
            "SELECT {ASSIGNMENT_COLUMNS} FROM assignments WHERE status = 'Submitted' AND auto_approval_time <= ?1 \
             ORDER BY auto_approval_time, seq"
        );
        self.all(&sql, [ts(now)], assignment_from_row)
    }

    /// The earliest moment at which some assignment changes by itself: a deadline passing (one
    /// second after it) or an auto-approval coming due.
    pub fn next_assignment_event(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let secs: Option<i64> = self.value(
            "SELECT MIN(t) FROM ( \
               SELECT MIN(deadline) + 1 AS t FROM assignments WHERE status = 'Accepted' \
               UNION ALL SELECT MIN(auto_approval_time) FROM assignments WHERE status = 'Submitted')",
            [],
        )?;
        Ok(opt_time(secs))
    }

    // --- uploaded files ---

    pub fn insert_uploaded_file(&self, f: &UploadedFile) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO uploaded_files(assignment_id, question_identifier, file_key, file_name, content) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT(assignment_id, question_identifier) DO UPDATE SET file_key = excluded.file_key, \
             file_name = excluded.file_name, content = excluded.content",
            params![
                f.assignment_id,
                f.question_identifier,
                f.file_key,
                f.file_name,
                f.content
            ],
        )?;
        Ok(())
    }

    /// The file uploaded for one question of an assignment.
    pub fn uploaded_file(
        &self,
        assignment_id: &str,
        question_identifier: &str,
    ) -> Result<Option<UploadedFile>, StoreError> {
        self.one(
            "SELECT assignment_id, question_identifier, file_key, file_name, content FROM uploaded_files \
             WHERE assignment_id = ?1 AND question_identifier = ?2",
            [assignment_id, question_identifier],
            uploaded_file_from_row,
        )
    }

    /// Records a temporary URL token for a file, and forgets tokens that expired by `now`.
    pub fn insert_file_url(
        &self,
        token: &str,
        file_key: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.exec(
            "DELETE FROM file_upload_urls WHERE expires <= ?1",
            [ts(now)],
        )?;
        self.exec(
            "INSERT INTO file_upload_urls(token, file_key, expires) VALUES (?1, ?2, ?3)",
            params![token, file_key, ts(expires)],
        )?;
        Ok(())
    }

    /// The file a temporary URL token names, with the moment the token expires.
    pub fn file_by_url_token(
        &self,
        token: &str,
    ) -> Result<Option<(UploadedFile, DateTime<Utc>)>, StoreError> {
        self.one(
            "SELECT f.assignment_id, f.question_identifier, f.file_key, f.file_name, f.content, u.expires \
             FROM file_upload_urls u JOIN uploaded_files f ON f.file_key = u.file_key WHERE u.token = ?1",
            [token],
            |r| {
                Ok((uploaded_file_from_row(r)?, time(r.get(5)?)))
            },
        )
    }

    /// The ledger entries recorded for an assignment, oldest first.
    pub fn ledger_for_assignment(
        &self,
        assignment_id: &str,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        self.all(
            "SELECT requester, time, kind, amount_cents, hit_id, assignment_id, worker_id FROM ledger \
             WHERE assignment_id = ?1 ORDER BY seq",
            [assignment_id],
            |r| {
                Ok(LedgerEntry {
                    requester: r.get(0)?,
                    time: time(r.get(1)?),
                    kind: r.get(2)?,
                    amount: Cents(r.get(3)?),
                    hit_id: r.get(4)?,
                    assignment_id: r.get(5)?,
                    worker_id: r.get(6)?,
                })
            },
        )
    }
}

fn uploaded_file_from_row(r: &Row<'_>) -> rusqlite::Result<UploadedFile> {
    from_columns!(
        r,
        UploadedFile {
            assignment_id,
            question_identifier,
            file_key,
            file_name,
            content,
        }
    )
}
