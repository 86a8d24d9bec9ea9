//! Qualification types, qualification requests and qualifications.
//!
//! Its tables: `schema/qualifications.sql` and `schema/qualifications.3.sql`.

use super::*;
use rusqlite::ToSql;

const QUALIFICATION_TYPE_COLUMNS: &str =
    "qualification_type_id, requester, creation_time, name, description, keywords, \
    status, retry_delay, test, test_duration, answer_key, auto_granted, auto_granted_value";

fn qualification_type_from_row(r: &Row<'_>) -> rusqlite::Result<QualificationType> {
    from_columns!(
        r,
        QualificationType {
            qualification_type_id,
            requester,
            creation_time: time,
            name,
            description,
            keywords,
            status,
            retry_delay,
            test,
            test_duration,
            answer_key,
            auto_granted,
            auto_granted_value,
        }
    )
}

const QUALIFICATION_REQUEST_COLUMNS: &str =
    "qualification_request_id, qualification_type_id, worker_id, state, test, answer, submit_time, reason";

fn qualification_request_from_row(r: &Row<'_>) -> rusqlite::Result<QualificationRequest> {
    from_columns!(
        r,
        QualificationRequest {
            qualification_request_id,
            qualification_type_id,
            worker_id,
            state,
            test,
            answer,
            submit_time: time,
            reason,
        }
    )
}

const QUALIFICATION_COLUMNS: &str = "qualification_type_id, worker_id, integer_value, \
    locale_country, locale_subdivision, grant_time, status";

fn qualification_from_row(r: &Row<'_>) -> rusqlite::Result<Qualification> {
    from_columns!(
        r,
        Qualification {
            qualification_type_id,
            worker_id,
            integer_value,
            locale_country,
            locale_subdivision,
            grant_time: time,
            status,
        }
    )
}

/// A qualification type's fields as statement parameters ?1 to ?13, in
/// `QUALIFICATION_TYPE_COLUMNS` order.
macro_rules! qualification_type_params {
    ($q:expr) => {
        params![
            $q.qualification_type_id,
            $q.requester,
            ts($q.creation_time),
            $q.name,
            $q.description,
            $q.keywords,
            $q.status,
            $q.retry_delay,
            $q.test,
            $q.test_duration,
            $q.answer_key,
            $q.auto_granted,
            $q.auto_granted_value
        ]
    };
}

impl Tx<'_> {
    pub fn insert_qualification_type(&self, q: &QualificationType) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO qualification_types(qualification_type_id, requester, creation_time, name, description, keywords, \
             status, retry_delay, test, test_duration, answer_key, auto_granted, auto_granted_value) \
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
            qualification_type_params!(q),
        )?;
        Ok(())
    }

    pub fn qualification_type(&self, id: &str) -> Result<Option<QualificationType>, StoreError> {
        let sql = format!("SELECT {QUALIFICATION_TYPE_COLUMNS} FROM qualification_types WHERE qualification_type_id = ?1");
        self.one(&sql, [id], qualification_type_from_row)
    }

    pub fn qualification_type_by_name(
        &self,
        requester: &str,
        name: &str,
    ) -> Result<Option<QualificationType>, StoreError> {
        let sql = format!(
            "SELECT {QUALIFICATION_TYPE_COLUMNS} FROM qualification_types WHERE requester = ?1 AND name = ?2 AND status != 'Disposed'"
        );
        self.one(&sql, [requester, name], qualification_type_from_row)
    }

    pub fn insert_qualification_request(&self, r: &QualificationRequest) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO qualification_requests(qualification_request_id, qualification_type_id, worker_id, state, test, \
             answer, submit_time, reason) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            params![
                r.qualification_request_id,
                r.qualification_type_id,
                r.worker_id,
                r.state,
                r.test,
                r.answer,
                ts(r.submit_time),
                r.reason
            ],
        )?;
        Ok(())
    }

    pub fn has_pending_qualification_request(
        &self,
        qualification_type_id: &str,
        worker_id: &str,
    ) -> Result<bool, StoreError> {
        self.value(
            "SELECT EXISTS(SELECT 1 FROM qualification_requests WHERE qualification_type_id = ?1 AND worker_id = ?2 AND state = 'Pending')",
            [qualification_type_id, worker_id],
        )
    }

    pub fn qualification_request(
        &self,
        id: &str,
    ) -> Result<Option<QualificationRequest>, StoreError> {
        let sql = format!("SELECT {QUALIFICATION_REQUEST_COLUMNS} FROM qualification_requests WHERE qualification_request_id = ?1");
        self.one(&sql, [id], qualification_request_from_row)
    }

    pub fn set_qualification_request_state(
        &self,
        id: &str,
        state: QualificationRequestState,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE qualification_requests SET state = ?2, reason = ?3 WHERE qualification_request_id = ?1",
            params![id, state, reason],
        )?;
        Ok(())
    }

    /// One page of the pending requests for the requester's qualification types.
    pub fn pending_qualification_requests(
        &self,
        q: &QualificationRequestQuery<'_>,
    ) -> Result<Page<QualificationRequest>, StoreError> {
        let dir = if q.descending { "DESC" } else { "ASC" };
        let order = if q.sort_by_type {
            format!("r.qualification_type_id {dir}, r.submit_time {dir}, r.seq {dir}")
        } else {
            format!("r.submit_time {dir}, r.seq {dir}")
        };
        let columns = QUALIFICATION_REQUEST_COLUMNS
            .split(", ")
            .map(|c| format!("r.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let (filter, args): (&str, Vec<&dyn ToSql>) = match &q.qualification_type_id {
            Some(t) => (
                "r.state = 'Pending' AND r.qualification_type_id = ?2 AND t.requester = ?1",
                vec![&q.requester, t],
            ),
            None => (
                "r.state = 'Pending' AND t.requester = ?1",
                vec![&q.requester],
            ),
        };
        // Requests first (CROSS JOIN keeps them outermost): the page is read in its order from
        // a pending-requests index, each checked for its type's requester, instead of every
        // pending request being gathered and sorted.
        let list = List {
            columns: &columns,
            from: "qualification_requests r CROSS JOIN qualification_types t USING (qualification_type_id)",
            filter,
            order: &order,
        };
        let items = self.page_items(
            &list,
            &args,
            q.page_size,
            q.page_number,
            qualification_request_from_row,
        )?;
        let total = self.value(
            "SELECT COALESCE(SUM(c.count), 0) FROM qualification_requests_pending c \
             JOIN qualification_types t USING (qualification_type_id) \
             WHERE t.requester = ?1 AND (?2 IS NULL OR c.qualification_type_id = ?2)",
            params![q.requester, q.qualification_type_id],
        )?;
        Ok(Page { items, total })
    }

    pub fn upsert_qualification(&self, q: &Qualification) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO qualifications(qualification_type_id, worker_id, integer_value, locale_country, locale_subdivision, \
             grant_time, status) VALUES (?1,?2,?3,?4,?5,?6,?7) \
             ON CONFLICT(qualification_type_id, worker_id) DO UPDATE SET integer_value = excluded.integer_value, \
             locale_country = excluded.locale_country, locale_subdivision = excluded.locale_subdivision, \
             grant_time = excluded.grant_time, status = excluded.status",
            params![
                q.qualification_type_id,
                q.worker_id,
                q.integer_value,
                q.locale_country,
                q.locale_subdivision,
                ts(q.grant_time),
                q.status
            ],
        )?;
        Ok(())
    }

    pub fn qualification(
        &self,
        qualification_type_id: &str,
        worker_id: &str,
    ) -> Result<Option<Qualification>, StoreError> {
        self.one(
            &format!("SELECT {QUALIFICATION_COLUMNS} FROM qualifications WHERE qualification_type_id = ?1 AND worker_id = ?2"),
            [qualification_type_id, worker_id],
            qualification_from_row,
        )
    }
}

/// What SearchQualificationTypes looks for.
pub struct QualificationTypeSearch<'a> {
    /// Words that must appear in the name, description or keywords (case-insensitive).
    pub query: Option<&'a str>,
    /// Only the types of this requester.
    pub owner: Option<&'a str>,
    pub descending: bool,
    pub page_size: i64,
    pub page_number: i64,
}

impl Tx<'_> {
    /// Writes back every mutable property of a qualification type (the statement leaves the
    /// fixed ones, ?2, ?3, ?4 and ?6, unused).
    pub fn update_qualification_type(&self, q: &QualificationType) -> Result<(), StoreError> {
        self.exec(
            "UPDATE qualification_types SET description = ?5, status = ?7, retry_delay = ?8, test = ?9, \
             test_duration = ?10, answer_key = ?11, auto_granted = ?12, auto_granted_value = ?13 \
             WHERE qualification_type_id = ?1",
            qualification_type_params!(q),
        )?;
        Ok(())
    }

    /// One page of the active qualification types that match, sorted by name.
    pub fn search_qualification_types(
        &self,
        q: &QualificationTypeSearch<'_>,
    ) -> Result<Page<QualificationType>, StoreError> {
        let mut filter = String::from("status = 'Active'");
        let mut args: Vec<String> = Vec::new();
        if let Some(owner) = q.owner {
            args.push(owner.to_string());
            filter.push_str(&format!(" AND requester = ?{}", args.len()));
        }
        for word in q.query.unwrap_or("").split_whitespace().take(16) {
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            args.push(format!("%{}%", escaped.to_lowercase()));
            let n = args.len();
            filter.push_str(&format!(
                " AND (lower(name) LIKE ?{n} ESCAPE '\\' OR lower(description) LIKE ?{n} ESCAPE '\\' \
                 OR lower(coalesce(keywords, '')) LIKE ?{n} ESCAPE '\\')"
            ));
        }
        let bound: Vec<&dyn rusqlite::ToSql> =
            args.iter().map(|a| a as &dyn rusqlite::ToSql).collect();
        let dir = if q.descending { "DESC" } else { "ASC" };
        let list = List {
            columns: QUALIFICATION_TYPE_COLUMNS,
            from: "qualification_types",
            filter: &filter,
            order: &format!("name {dir}, seq {dir}"),
        };
        self.page(
            &list,
            &bound,
            q.page_size,
            q.page_number,
            qualification_type_from_row,
        )
    }

    /// The type is gone: its qualifications are removed and its open requests rejected.
    pub fn dispose_qualification_type(&self, id: &str) -> Result<(), StoreError> {
        self.exec(
            "UPDATE qualification_types SET status = 'Disposed' WHERE qualification_type_id = ?1",
            [id],
        )?;
        self.exec(
            "DELETE FROM qualifications WHERE qualification_type_id = ?1",
            [id],
        )?;
        self.exec(
            "UPDATE qualification_requests SET state = 'Rejected' \
             WHERE qualification_type_id = ?1 AND state IN ('Pending', 'AwaitingAnswers')",
            [id],
        )?;
        Ok(())
    }

    /// The qualifications a worker holds (granted, not revoked), by type id.
    pub fn worker_qualifications(&self, worker_id: &str) -> Result<Vec<Qualification>, StoreError> {
        let sql = format!(
            "SELECT {QUALIFICATION_COLUMNS} FROM qualifications \
             WHERE worker_id = ?1 AND status = 'Granted' ORDER BY qualification_type_id"
        );
        self.all(&sql, [worker_id], qualification_from_row)
    }

    /// One page of a type's qualifications in the given status, oldest grant first.
    pub fn qualifications_for_type(
        &self,
        qualification_type_id: &str,
        status: QualificationState,
        page_size: i64,
        page_number: i64,
    ) -> Result<Page<Qualification>, StoreError> {
        let list = List {
            columns: QUALIFICATION_COLUMNS,
            from: "qualifications",
            filter: "qualification_type_id = ?1 AND status = ?2",
            order: "grant_time, worker_id",
        };
        self.page(
            &list,
            params![qualification_type_id, status],
            page_size,
            page_number,
            qualification_from_row,
        )
    }

    /// One page of the ids of a requester's HITs (not disposed) whose type requires the
    /// qualification type, oldest first.
    pub fn hit_ids_requiring(
        &self,
        requester: &str,
        qualification_type_id: &str,
        page_size: i64,
        page_number: i64,
    ) -> Result<Page<String>, StoreError> {
        let list = List {
            columns: "h.hit_id",
            from: "hits h JOIN hit_types t USING (hit_type_id)",
            filter: "h.requester = ?1 AND h.state != 'Disposed' AND EXISTS (SELECT 1 FROM \
                json_each(t.qualification_requirements) j WHERE json_extract(j.value, '$.qualification_type_id') = ?2)",
            order: "h.seq",
        };
        self.page(
            &list,
            params![requester, qualification_type_id],
            page_size,
            page_number,
            |r| r.get(0),
        )
    }

    /// The worker's most recent request for the type, if any.
    pub fn latest_qualification_request(
        &self,
        qualification_type_id: &str,
        worker_id: &str,
    ) -> Result<Option<QualificationRequest>, StoreError> {
        let sql = format!(
            "SELECT {QUALIFICATION_REQUEST_COLUMNS} FROM qualification_requests \
             WHERE qualification_type_id = ?1 AND worker_id = ?2 ORDER BY seq DESC LIMIT 1"
        );
        self.one(
            &sql,
            [qualification_type_id, worker_id],
            qualification_request_from_row,
        )
    }

    pub fn set_qualification_request_answer(
        &self,
        id: &str,
        answer: &str,
        submit_time: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.exec(
            "UPDATE qualification_requests SET answer = ?2, submit_time = ?3 WHERE qualification_request_id = ?1",
            params![id, answer, ts(submit_time)],
        )?;
        Ok(())
    }
}

impl Tx<'_> {
    /// A worker's assignments across all requesters, counted by status: the history that the
    /// system qualifications are computed from.
    pub fn worker_assignment_counts(
        &self,
        worker_id: &str,
    ) -> Result<AssignmentCounts, StoreError> {
        self.count_assignments("worker_id", worker_id)
    }
}
