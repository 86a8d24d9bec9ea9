//! Review policies attached to HITs, and the results and actions they produced.
//!
//! Its tables: `schema/review.sql`.

use super::*;

impl Tx<'_> {
    pub fn put_review_policy(&self, p: &StoredReviewPolicy) -> Result<(), StoreError> {
        let params_json =
            serde_json::to_string(&p.parameters).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.exec(
            "INSERT OR REPLACE INTO review_policies(hit_id, level, policy_name, parameters) VALUES (?1,?2,?3,?4)",
            params![p.hit_id, p.level, p.policy_name, params_json],
        )?;
        Ok(())
    }

    pub fn review_policy(
        &self,
        hit_id: &str,
        level: ReviewLevel,
    ) -> Result<Option<StoredReviewPolicy>, StoreError> {
        self.one(
            "SELECT policy_name, parameters FROM review_policies WHERE hit_id = ?1 AND level = ?2",
            params![hit_id, level],
            |r| {
                let json: String = r.get(1)?;
                let parameters = serde_json::from_str(&json).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        1,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?;
                Ok(StoredReviewPolicy {
                    hit_id: hit_id.to_string(),
                    level,
                    policy_name: r.get(0)?,
                    parameters,
                })
            },
        )
    }

    pub fn insert_review_result(&self, r: &ReviewResultRecord) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO review_results(hit_id, level, action_id, subject_id, subject_type, question_id, key, value) \
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            params![
                r.hit_id,
                r.level,
                r.action_id,
                r.subject_id,
                r.subject_type,
                r.question_id,
                r.key,
                r.value
            ],
        )?;
        Ok(())
    }

    pub fn insert_review_action(&self, a: &ReviewActionRecord) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO review_actions(hit_id, level, action_id, action_name, object_id, object_type, status, \
             complete_time, result, error_code) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            params![
                a.hit_id,
                a.level,
                a.action_id,
                a.action_name,
                a.object_id,
                a.object_type,
                a.status,
                a.complete_time.map(ts),
                a.result,
                a.error_code
            ],
        )?;
        Ok(())
    }

    /// Whether a policy at `level` has already produced anything for `subject_id`.
    pub fn reviewed(
        &self,
        hit_id: &str,
        level: ReviewLevel,
        subject_id: &str,
    ) -> Result<bool, StoreError> {
        self.value(
            "SELECT EXISTS(SELECT 1 FROM review_results WHERE hit_id = ?1 AND level = ?2 AND subject_id = ?3)",
            params![hit_id, level, subject_id],
        )
    }

    /// One page of a HIT's results at a level, and how many there are.
    pub fn review_results(
        &self,
        hit_id: &str,
        level: ReviewLevel,
        page_size: i64,
        page_number: i64,
    ) -> Result<Page<ReviewResultRecord>, StoreError> {
        let columns = "action_id, subject_id, subject_type, question_id, key, value";
        self.review_page(
            "review_results",
            columns,
            hit_id,
            level,
            [page_size, page_number],
            |r| {
                Ok(ReviewResultRecord {
                    hit_id: hit_id.to_string(),
                    level,
                    action_id: r.get(0)?,
                    subject_id: r.get(1)?,
                    subject_type: r.get(2)?,
                    question_id: r.get(3)?,
                    key: r.get(4)?,
                    value: r.get(5)?,
                })
            },
        )
    }

    /// One page of a HIT's actions at a level, and how many there are.
    pub fn review_actions(
        &self,
        hit_id: &str,
        level: ReviewLevel,
        page_size: i64,
        page_number: i64,
    ) -> Result<Page<ReviewActionRecord>, StoreError> {
        let columns = "action_id, action_name, object_id, object_type, status, complete_time, \
            result, error_code";
        self.review_page(
            "review_actions",
            columns,
            hit_id,
            level,
            [page_size, page_number],
            |r| {
                Ok(ReviewActionRecord {
                    hit_id: hit_id.to_string(),
                    level,
                    action_id: r.get(0)?,
                    action_name: r.get(1)?,
                    object_id: r.get(2)?,
                    object_type: r.get(3)?,
                    status: r.get(4)?,
                    complete_time: opt_time(r.get(5)?),
                    result: r.get(6)?,
                    error_code: r.get(7)?,
                })
            },
        )
    }

    /// One page of what `table` holds for a HIT at a level, in the order it was recorded.
    fn review_page<T>(
        &self,
        table: &str,
        columns: &str,
        hit_id: &str,
        level: ReviewLevel,
        [page_size, page_number]: [i64; 2],
        f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Page<T>, StoreError> {
        let list = List {
            columns,
            from: table,
            filter: "hit_id = ?1 AND level = ?2",
            order: "seq",
        };
        self.page(&list, params![hit_id, level], page_size, page_number, f)
    }
}
