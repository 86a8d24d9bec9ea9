//! HIT types and HITs.
//!
//! Its tables: `schema/hits.sql`.

use super::*;

/// How far apart the marks of a live list are: a page reads at most this many rows beyond its own.
const MARK_INTERVAL: i64 = 256;

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

    /// Writes back what may change in a HIT after creation.
    pub fn update_hit(&self, h: &Hit) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE hits SET hit_type_id = ?2, max_assignments = ?3, expiration = ?4, state = ?5, \
                 review_status = ?6 WHERE hit_id = ?1",
            )?
            .execute(params![
                h.hit_id,
                h.hit_type_id,
                h.max_assignments,
                ts(h.expiration),
                h.state.as_str(),
                h.review_status
            ])?;
        Ok(())
    }

    /// One page of a requester's HITs, and how many the list holds in all.
    pub fn list_hits(&self, q: &HitQuery<'_>) -> Result<Page<Hit>, StoreError> {
        let key = match q.sort {
            HitSort::Title => "title",
            HitSort::Reward => "reward_cents",
            HitSort::Expiration => "expiration",
            HitSort::CreationTime => "creation_time",
            HitSort::Enumeration => "seq",
        };
        let offset = (q.page_number - 1).saturating_mul(q.page_size);
        let (seqs, total) = match q.filter {
            HitFilter::Live => {
                self.live_page(q.requester, key, q.descending, offset, q.page_size)?
            }
            _ => self.filtered_page(q, key, offset)?,
        };
        let by_seq = format!(
            "SELECT {HIT_COLUMNS}, {HIT_TYPE_COLUMNS} FROM hits h JOIN hit_types t USING (hit_type_id) WHERE h.seq = ?1"
        );
        let mut stmt = self.tx.prepare_cached(&by_seq)?;
        let items = seqs
            .iter()
            .map(|seq| stmt.query_row([seq], hit_from_row))
            .collect::<Result<_, _>>()?;
        Ok(Page { items, total })
    }

    /// A page of the requester's live HITs (those not disposed of), found from the nearest mark,
    /// so that its cost does not grow with its depth in the list.
    fn live_page(
        &self,
        requester: &str,
        key: &str,
        descending: bool,
        offset: i64,
        size: i64,
    ) -> Result<(Vec<i64>, i64), StoreError> {
        let total = match self
            .tx
            .prepare_cached(
                "SELECT total FROM hit_listing_mark_sets WHERE requester = ?1 AND sort = ?2",
            )?
            .query_row(params![requester, key], |r| r.get(0))
            .optional()?
        {
            Some(total) => total,
            None => self.mark_live_list(requester, key)?,
        };
        if offset >= total {
            return Ok((Vec::new(), total));
        }
        let len = size.min(total - offset);
        // Positions are kept in ascending order; a descending page is an ascending run read
        // backwards.
        let start = if descending {
            total - offset - len
        } else {
            offset
        };
        let (position, mark_key, mark_seq): (i64, rusqlite::types::Value, i64) = self
            .tx
            .prepare_cached(
                "SELECT position, key, seq FROM hit_listing_marks \
                 WHERE requester = ?1 AND sort = ?2 AND position <= ?3 ORDER BY position DESC LIMIT 1",
            )?
            .query_row(params![requester, key, start], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        let skip = start - position;
        // Rows sharing the mark's key come first, in seq order from the mark's own; then the rows
        // with greater keys. Each step reads at most one mark interval plus the page.
        let mut seqs: Vec<i64> = self
            .tx
            .prepare_cached(&format!(
                "SELECT seq FROM hit_listing WHERE requester = ?1 AND live = 1 AND {key} = ?2 AND seq >= ?3 \
                 ORDER BY seq LIMIT ?4"
            ))?
            .query_map(params![requester, mark_key, mark_seq, skip + len], |r| {
                r.get(0)
            })?
            .collect::<Result<_, _>>()?;
        let tied = seqs.len() as i64;
        seqs.drain(..(skip.min(tied)) as usize);
        if tied < skip + len {
            let rest_skip = (skip - tied).max(0);
            let rest_len = len - seqs.len() as i64;
            let more = self
                .tx
                .prepare_cached(&format!(
                    "SELECT seq FROM hit_listing WHERE requester = ?1 AND live = 1 AND {key} > ?2 \
                     ORDER BY {key}, seq LIMIT ?3 OFFSET ?4"
                ))?
                .query_map(params![requester, mark_key, rest_len, rest_skip], |r| {
                    r.get(0)
                })?
                .collect::<Result<Vec<i64>, _>>()?;
            seqs.extend(more);
        }
        if descending {
            seqs.reverse();
        }
        Ok((seqs, total))
    }

    /// Marks every `MARK_INTERVAL`th position of the requester's live list in `key` order, in
    /// one pass over its index, and returns the list's length.
    fn mark_live_list(&self, requester: &str, key: &str) -> Result<i64, StoreError> {
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO hit_listing_marks(requester, sort, position, key, seq) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut scan = self.tx.prepare_cached(&format!(
            "SELECT {key}, seq FROM hit_listing WHERE requester = ?1 AND live = 1 ORDER BY {key}, seq"
        ))?;
        let mut rows = scan.query([requester])?;
        let mut total: i64 = 0;
        while let Some(row) = rows.next()? {
            if total % MARK_INTERVAL == 0 {
                let mark_key: rusqlite::types::Value = row.get(0)?;
                let seq: i64 = row.get(1)?;
                insert.execute(params![requester, key, total, mark_key, seq])?;
            }
            total += 1;
        }
        self.tx
            .prepare_cached(
                "INSERT INTO hit_listing_mark_sets(requester, sort, total) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![requester, key, total])?;
        Ok(total)
    }

    /// A page of a filtered list (reviewable or reviewing HITs): counted and skipped through on
    /// an index, as these lists hold only what awaits review.
    fn filtered_page(
        &self,
        q: &HitQuery<'_>,
        key: &str,
        offset: i64,
    ) -> Result<(Vec<i64>, i64), StoreError> {
        let (condition, now, hit_type_id) = match q.filter {
            HitFilter::Live => ("live = 1", None, None),
            HitFilter::Reviewing { hit_type_id } => ("state = 'Reviewing'", None, hit_type_id),
            HitFilter::Reviewable { now, hit_type_id } => (
                "live = 1 AND state = 'Open' AND accepted = 0 \
                 AND (expiration <= :now OR occupying >= max_assignments)",
                Some(ts(now)),
                hit_type_id,
            ),
        };
        let mut args: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":requester", &q.requester)];
        if let Some(now) = &now {
            args.push((":now", now));
        }
        let mut filter = format!("requester = :requester AND {condition}");
        if let Some(t) = &hit_type_id {
            args.push((":hit_type_id", t));
            filter.push_str(" AND hit_type_id = :hit_type_id");
        }
        let total: i64 = self
            .tx
            .prepare_cached(&format!("SELECT COUNT(*) FROM hit_listing WHERE {filter}"))?
            .query_row(args.as_slice(), |r| r.get(0))?;
        let dir = if q.descending { "DESC" } else { "ASC" };
        let order = if key == "seq" {
            format!("seq {dir}")
        } else {
            format!("{key} {dir}, seq {dir}")
        };
        args.push((":limit", &q.page_size));
        args.push((":offset", &offset));
        let sql = format!(
            "SELECT seq FROM hit_listing WHERE {filter} ORDER BY {order} LIMIT :limit OFFSET :offset"
        );
        let seqs = self
            .tx
            .prepare_cached(&sql)?
            .query_map(args.as_slice(), |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok((seqs, total))
    }

    /// The request id of the ExtendHIT call a requester made with `token` since `since`, if any.
    pub fn extension_by_token(
        &self,
        requester: &str,
        token: &str,
        since: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT request_id FROM hit_extensions WHERE requester = ?1 AND token = ?2 AND time >= ?3 \
                 ORDER BY time DESC LIMIT 1",
            )?
            .query_row(params![requester, token, ts(since)], |r| r.get(0))
            .optional()?)
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
        self.tx
            .prepare_cached(
                "INSERT INTO hit_extensions(requester, token, time, request_id, hit_seq) \
                 SELECT ?1, ?2, ?3, ?4, seq FROM hits WHERE hit_id = ?5",
            )?
            .execute(params![requester, token, ts(time), request_id, hit_id])?;
        Ok(())
    }

    pub fn hit_layout(&self, hit_layout_id: &str) -> Result<Option<HitLayout>, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT hit_layout_id, html_content, frame_height FROM hit_layouts WHERE hit_layout_id = ?1",
            )?
            .query_row([hit_layout_id], |r| {
                Ok(HitLayout {
                    hit_layout_id: r.get(0)?,
                    html_content: r.get(1)?,
                    frame_height: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// Stores a layout, replacing any earlier one with the same id.
    pub fn upsert_hit_layout(&self, l: &HitLayout) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO hit_layouts(hit_layout_id, html_content, frame_height) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(hit_layout_id) DO UPDATE SET html_content = excluded.html_content, \
                 frame_height = excluded.frame_height",
            )?
            .execute(params![l.hit_layout_id, l.html_content, l.frame_height])?;
        Ok(())
    }

    /// How the HIT's assignments stand, by status.
    pub fn assignment_counts(&self, hit_id: &str) -> Result<AssignmentCounts, StoreError> {
        self.count_assignments("hit_id", hit_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        time(1_700_000_000 + secs)
    }

    fn hit_type(id: &str, title: &str, reward: i64) -> HitType {
        HitType {
            hit_type_id: id.into(),
            requester: "REQ".into(),
            title: title.into(),
            description: "Description".into(),
            keywords: None,
            reward: Cents(reward),
            assignment_duration: 600,
            auto_approval_delay: 3600,
            qualification_requirements: vec![],
        }
    }

    fn hit(id: &str, t: &HitType, created: i64, expires: i64) -> Hit {
        Hit {
            hit_id: id.into(),
            hit_type_id: t.hit_type_id.clone(),
            requester: t.requester.clone(),
            creation_time: at(created),
            question: None,
            hit_layout_id: None,
            max_assignments: 1,
            lifetime: expires - created,
            expiration: at(expires),
            requester_annotation: None,
            review_status: "NotReviewed".into(),
            state: HitState::Open,
            unique_request_token: None,
            hit_type: t.clone(),
        }
    }

    fn assignment(id: &str, hit_id: &str, status: AssignmentState) -> Assignment {
        Assignment {
            assignment_id: id.into(),
            hit_id: hit_id.into(),
            worker_id: "W".into(),
            status,
            accept_time: at(0),
            deadline: at(600),
            submit_time: None,
            auto_approval_time: None,
            approval_time: None,
            rejection_time: None,
            answer: None,
            requester_feedback: None,
        }
    }

    fn query(filter: HitFilter<'_>, sort: HitSort, descending: bool) -> HitQuery<'_> {
        HitQuery {
            requester: "REQ",
            filter,
            sort,
            descending,
            page_size: 10,
            page_number: 1,
        }
    }

    fn ids(p: &Page<Hit>) -> Vec<&str> {
        p.items.iter().map(|h| h.hit_id.as_str()).collect()
    }

    /// Three HITs whose titles, rewards, creation and expiration orders all differ.
    fn seeded() -> Store {
        let store = Store::open(":memory:").unwrap();
        store
            .write(|tx| {
                let (a, b, c) = (
                    hit_type("TA", "Beta", 5),
                    hit_type("TB", "Alpha", 50),
                    hit_type("TC", "Gamma", 20),
                );
                for t in [&a, &b, &c] {
                    tx.upsert_hit_type(t)?;
                }
                tx.insert_hit(&hit("H1", &a, 10, 500))?;
                tx.insert_hit(&hit("H2", &b, 30, 100))?;
                tx.insert_hit(&hit("H3", &c, 20, 300))?;
                let mut other = hit("H4", &a, 0, 50);
                other.requester = "OTHER".into();
                tx.insert_hit(&other)?;
                Ok::<_, StoreError>(())
            })
            .unwrap();
        store
    }

    #[test]
    fn lists_sort_on_every_property_both_ways() {
        let store = seeded();
        store
            .read(|tx| {
                let cases = [
                    (HitSort::Title, ["H2", "H1", "H3"]),
                    (HitSort::Reward, ["H1", "H3", "H2"]),
                    (HitSort::CreationTime, ["H1", "H3", "H2"]),
                    (HitSort::Expiration, ["H2", "H3", "H1"]),
                    (HitSort::Enumeration, ["H1", "H2", "H3"]),
                ];
                for (sort, expected) in cases {
                    let up = tx.list_hits(&query(HitFilter::Live, sort, false))?;
                    assert_eq!(ids(&up), expected, "{sort:?} ascending");
                    assert_eq!(up.total, 3);
                    let down = tx.list_hits(&query(HitFilter::Live, sort, true))?;
                    let mut reversed = expected;
                    reversed.reverse();
                    assert_eq!(ids(&down), reversed, "{sort:?} descending");
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    #[test]
    fn pages_split_the_list_and_count_all_of_it() {
        let store = seeded();
        store
            .read(|tx| {
                let mut q = query(HitFilter::Live, HitSort::Title, false);
                q.page_size = 2;
                assert_eq!(ids(&tx.list_hits(&q)?), ["H2", "H1"]);
                q.page_number = 2;
                let p = tx.list_hits(&q)?;
                assert_eq!((ids(&p), p.total), (vec!["H3"], 3));
                q.page_number = 3;
                let p = tx.list_hits(&q)?;
                assert_eq!((p.items.len(), p.total), (0, 3));
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    #[test]
    fn the_listing_follows_changes_to_hits_and_assignments() {
        let store = seeded();
        store
            .write(|tx| {
                let reviewable = |tx: &Tx<'_>, now: i64| -> Result<Vec<String>, StoreError> {
                    let q = query(
                        HitFilter::Reviewable {
                            now: at(now),
                            hit_type_id: None,
                        },
                        HitSort::Enumeration,
                        false,
                    );
                    Ok(tx
                        .list_hits(&q)?
                        .items
                        .into_iter()
                        .map(|h| h.hit_id)
                        .collect())
                };
                // At 200 only H2 has expired; H4 is another requester's.
                assert_eq!(reviewable(tx, 200)?, ["H2"]);
                // H1's only slot taken by work in progress: not reviewable, even once expired.
                tx.insert_assignment(&assignment("A1", "H1", AssignmentState::Accepted))?;
                assert_eq!(reviewable(tx, 1000)?, ["H2", "H3"]);
                let mut a = assignment("A1", "H1", AssignmentState::Submitted);
                tx.update_assignment(&a)?;
                // Submitted, it fills H1 before expiry.
                assert_eq!(reviewable(tx, 200)?, ["H1", "H2"]);
                a.status = AssignmentState::Returned;
                tx.update_assignment(&a)?;
                assert_eq!(reviewable(tx, 200)?, ["H2"]);

                let mut h2 = tx.hit("H2")?.unwrap();
                h2.state = HitState::Reviewing;
                tx.update_hit(&h2)?;
                assert_eq!(reviewable(tx, 200)?, Vec::<String>::new());
                let q = query(
                    HitFilter::Reviewing { hit_type_id: None },
                    HitSort::Expiration,
                    true,
                );
                assert_eq!(ids(&tx.list_hits(&q)?), ["H2"]);
                let q = query(
                    HitFilter::Reviewing {
                        hit_type_id: Some("TA"),
                    },
                    HitSort::Expiration,
                    true,
                );
                assert_eq!(tx.list_hits(&q)?.total, 0);

                // A new type re-sorts the HIT by its title and reward.
                let mut h3 = tx.hit("H3")?.unwrap();
                let t = hit_type("TD", "Aardvark", 20);
                tx.upsert_hit_type(&t)?;
                h3.hit_type_id = t.hit_type_id.clone();
                tx.update_hit(&h3)?;
                let p = tx.list_hits(&query(HitFilter::Live, HitSort::Title, false))?;
                assert_eq!(ids(&p), ["H3", "H2", "H1"]);

                h2.state = HitState::Disposed;
                tx.update_hit(&h2)?;
                let p = tx.list_hits(&query(HitFilter::Live, HitSort::Title, false))?;
                assert_eq!((ids(&p), p.total), (vec!["H3", "H1"], 2));
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    #[test]
    fn reset_takes_the_listing_and_extension_tokens_with_it() {
        let store = seeded();
        store
            .write(|tx| {
                tx.record_extension("REQ", "tok", at(0), "REQUEST-1", "H1")?;
                assert_eq!(
                    tx.extension_by_token("REQ", "tok", at(-10))?.as_deref(),
                    Some("REQUEST-1")
                );
                // A day later the token is free again.
                assert_eq!(tx.extension_by_token("REQ", "tok", at(1))?, None);
                assert_eq!(tx.extension_by_token("OTHER", "tok", at(-10))?, None);
                tx.reset()?;
                let p = tx.list_hits(&query(HitFilter::Live, HitSort::Title, false))?;
                assert_eq!(p.total, 0);
                assert_eq!(tx.extension_by_token("REQ", "tok", at(-10))?, None);
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    #[test]
    fn deep_pages_match_a_full_sort_in_every_order() {
        let store = Store::open(":memory:").unwrap();
        // Few distinct titles, rewards and times, so that ties span marks.
        let types: Vec<HitType> = (0..4)
            .map(|i| hit_type(&format!("T{i}"), &format!("Title {}", i % 3), [5, 9][i % 2]))
            .collect();
        let n = 700;
        store
            .write(|tx| {
                for t in &types {
                    tx.upsert_hit_type(t)?;
                }
                for i in 0..n {
                    let created = (i as i64 * 7) % 90;
                    let h = hit(
                        &format!("H{i:04}"),
                        &types[i % 4],
                        created,
                        100 + (i as i64 % 13),
                    );
                    tx.insert_hit(&h)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        let check = |tx: &Tx<'_>| -> Result<(), StoreError> {
            for sort in [
                HitSort::Title,
                HitSort::Reward,
                HitSort::Expiration,
                HitSort::CreationTime,
                HitSort::Enumeration,
            ] {
                let mut all: Vec<Hit> = Vec::new();
                let mut q = query(HitFilter::Live, sort, false);
                q.page_size = 1000;
                all.extend(tx.list_hits(&q)?.items);
                let sort_key = |h: &Hit| -> (String, i64) {
                    let seq: i64 = h.hit_id[1..].parse().unwrap();
                    let k = match sort {
                        HitSort::Title => h.hit_type.title.clone(),
                        HitSort::Reward => format!("{:09}", h.hit_type.reward.0),
                        HitSort::Expiration => format!("{:012}", ts(h.expiration)),
                        HitSort::CreationTime => format!("{:012}", ts(h.creation_time)),
                        HitSort::Enumeration => String::new(),
                    };
                    (k, seq)
                };
                let mut expected = all.clone();
                expected.sort_by_key(sort_key);
                assert_eq!(all, expected, "{sort:?} full list");
                for descending in [false, true] {
                    let mut want: Vec<&str> = expected.iter().map(|h| h.hit_id.as_str()).collect();
                    if descending {
                        want.reverse();
                    }
                    for size in [7, 100] {
                        let mut got = Vec::new();
                        for page in 1.. {
                            let q = HitQuery {
                                page_size: size,
                                page_number: page,
                                ..query(HitFilter::Live, sort, descending)
                            };
                            let p = tx.list_hits(&q)?;
                            assert_eq!(p.total, want.len() as i64);
                            if p.items.is_empty() {
                                break;
                            }
                            got.extend(p.items.into_iter().map(|h| h.hit_id));
                        }
                        assert_eq!(got, want, "{sort:?} descending={descending} size={size}");
                    }
                }
            }
            Ok(())
        };
        store.read(check).unwrap();
        // Disposing of HITs and changing a type's title drop the marks; the next lists rebuild them.
        store
            .write(|tx| {
                for i in (0..n).step_by(3) {
                    let mut h = tx.hit(&format!("H{i:04}"))?.unwrap();
                    h.state = HitState::Disposed;
                    tx.update_hit(&h)?;
                }
                let mut h = tx.hit("H0001")?.unwrap();
                h.hit_type_id = "T2".into();
                tx.update_hit(&h)?;
                Ok::<_, StoreError>(())
            })
            .unwrap();
        store.read(check).unwrap();
        store
            .write(|tx| {
                let q = query(HitFilter::Live, HitSort::Title, false);
                assert_eq!(tx.list_hits(&q)?.total, (n - n.div_ceil(3)) as i64);
                tx.reset()?;
                assert_eq!(tx.list_hits(&q)?.total, 0);
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

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
