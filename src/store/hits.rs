//! HIT types and HITs.
//!
//! Its tables: `schema/hits.sql` and `schema/hits.3.sql`.

use super::*;

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
        state: r.get(11)?,
        unique_request_token: r.get(12)?,
        hit_type: hit_type_from_row(r, 13)?,
    })
}

impl Tx<'_> {
    /// Stores the HIT type unless one with this id exists already (ids are derived from the contents).
    pub fn upsert_hit_type(&self, t: &HitType) -> Result<(), StoreError> {
        let quals = serde_json::to_string(&t.qualification_requirements)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.exec(
            "INSERT OR IGNORE INTO hit_types(hit_type_id, requester, title, description, keywords, reward_cents, \
             assignment_duration, auto_approval_delay, qualification_requirements) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
            params![
                t.hit_type_id,
                t.requester,
                t.title,
                t.description,
                t.keywords,
                t.reward.0,
                t.assignment_duration,
                t.auto_approval_delay,
                quals
            ],
        )?;
        Ok(())
    }

    pub fn hit_type(&self, hit_type_id: &str) -> Result<Option<HitType>, StoreError> {
        let sql = format!("SELECT {HIT_TYPE_COLUMNS} FROM hit_types t WHERE t.hit_type_id = ?1");
        self.one(&sql, [hit_type_id], |r| hit_type_from_row(r, 0))
    }

    pub fn insert_hit(&self, h: &Hit) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO hits(hit_id, hit_type_id, requester, creation_time, question, hit_layout_id, max_assignments, \
             lifetime, expiration, requester_annotation, review_status, state, unique_request_token) \
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
            params![
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
                h.state,
                h.unique_request_token
            ],
        )?;
        Ok(())
    }

    pub fn hit(&self, hit_id: &str) -> Result<Option<Hit>, StoreError> {
        let sql = format!("SELECT {HIT_COLUMNS}, {HIT_TYPE_COLUMNS} FROM hits h JOIN hit_types t USING (hit_type_id) WHERE h.hit_id = ?1");
        self.one(&sql, [hit_id], hit_from_row)
    }

    /// The HIT a requester created with `token` since `since`, if any.
    pub fn hit_by_token(
        &self,
        requester: &str,
        token: &str,
        since: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        self.by_token(
            "SELECT hit_id FROM hits WHERE requester = ?1 AND unique_request_token = ?2 AND creation_time >= ?3 \
             ORDER BY seq DESC LIMIT 1",
            [requester, token],
            since,
        )
    }

    /// Writes back what may change in a HIT after creation.
    pub fn update_hit(&self, h: &Hit) -> Result<(), StoreError> {
        self.exec(
            "UPDATE hits SET hit_type_id = ?2, max_assignments = ?3, expiration = ?4, state = ?5, \
             review_status = ?6 WHERE hit_id = ?1",
            params![
                h.hit_id,
                h.hit_type_id,
                h.max_assignments,
                ts(h.expiration),
                h.state,
                h.review_status
            ],
        )?;
        Ok(())
    }

    /// The HITs stored at these places of `hits`, in this order.
    pub(super) fn hits_at(&self, seqs: &[i64]) -> Result<Vec<Hit>, StoreError> {
        let sql = format!(
            "SELECT {HIT_COLUMNS}, {HIT_TYPE_COLUMNS} FROM hits h JOIN hit_types t USING (hit_type_id) WHERE h.seq = ?1"
        );
        let mut stmt = self.tx.prepare_cached(&sql)?;
        Ok(seqs
            .iter()
            .map(|seq| stmt.query_row([seq], hit_from_row))
            .collect::<Result<_, _>>()?)
    }

    /// The request id of the ExtendHIT call a requester made with `token` since `since`, if any.
    pub fn extension_by_token(
        &self,
        requester: &str,
        token: &str,
        since: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        self.by_token(
            "SELECT request_id FROM hit_extensions WHERE requester = ?1 AND token = ?2 AND time >= ?3 \
             ORDER BY time DESC LIMIT 1",
            [requester, token],
            since,
        )
    }

    /// The id `sql` finds for a requester (?1) and a UniqueRequestToken (?2) used since ?3.
    fn by_token(
        &self,
        sql: &str,
        [requester, token]: [&str; 2],
        since: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        self.one(sql, params![requester, token, ts(since)], |r| r.get(0))
    }

    /// Remembers an ExtendHIT call made with a UniqueRequestToken.
    pub fn record_extension(
        &self,
        requester: &str,
        token: &str,
        time: DateTime<Utc>,
        request_id: &str,
        hit_id: &str,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO hit_extensions(requester, token, time, request_id, hit_seq) \
             SELECT ?1, ?2, ?3, ?4, seq FROM hits WHERE hit_id = ?5",
            params![requester, token, ts(time), request_id, hit_id],
        )?;
        Ok(())
    }

    pub fn hit_layout(&self, hit_layout_id: &str) -> Result<Option<HitLayout>, StoreError> {
        self.one(
            "SELECT hit_layout_id, html_content, frame_height FROM hit_layouts WHERE hit_layout_id = ?1",
            [hit_layout_id],
            |r| {
                Ok(HitLayout {
                    hit_layout_id: r.get(0)?,
                    html_content: r.get(1)?,
                    frame_height: r.get(2)?,
                })
            },
        )
    }

    /// Stores a layout, replacing any earlier one with the same id.
    pub fn upsert_hit_layout(&self, l: &HitLayout) -> Result<(), StoreError> {
        self.exec(
            "INSERT INTO hit_layouts(hit_layout_id, html_content, frame_height) VALUES (?1, ?2, ?3) \
             ON CONFLICT(hit_layout_id) DO UPDATE SET html_content = excluded.html_content, \
             frame_height = excluded.frame_height",
            params![l.hit_layout_id, l.html_content, l.frame_height],
        )?;
        Ok(())
    }

    /// How the HIT's assignments stand, by status.
    pub fn assignment_counts(&self, hit_id: &str) -> Result<AssignmentCounts, StoreError> {
        self.count_assignments("hit_id", hit_id)
    }

    /// The HIT's slot counts, as the listing keeps them: one row, where counting by status
    /// reads every assignment's.
    pub fn slot_counts(&self, hit_id: &str) -> Result<SlotCounts, StoreError> {
        self.one(
            "SELECT accepted, occupying FROM hit_listing \
             WHERE seq = (SELECT seq FROM hits WHERE hit_id = ?1)",
            [hit_id],
            |r| {
                Ok(SlotCounts {
                    accepted: r.get(0)?,
                    occupying: r.get(1)?,
                })
            },
        )?
        .ok_or_else(|| StoreError::Corrupt(format!("HIT {hit_id} has no listing row")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_are_stored_and_replaced() {
        let store = Store::open(":memory:").unwrap();
        store
            .write(|tx| {
                let mut l = HitLayout {
                    hit_layout_id: "L1".into(),
                    html_content: "<p>${a}</p>".into(),
                    frame_height: 450,
                };
                tx.upsert_hit_layout(&l)?;
                l.frame_height = 600;
                tx.upsert_hit_layout(&l)?;
                assert_eq!(tx.hit_layout("L1")?, Some(l));
                assert_eq!(tx.hit_layout("L2")?, None);
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
}
