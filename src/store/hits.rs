//! HIT types and HITs.

use super::*;

/// Tables of this domain beyond `schema.sql` (`CREATE TABLE IF NOT EXISTS …`).
pub(super) const SCHEMA: &str = "";

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

impl Tx<'_> {
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
}
