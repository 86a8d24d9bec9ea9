//! The lists of a requester's HITs that SearchHITs and GetReviewableHITs page through.
//!
//! Its tables: `schema/listing.sql`, kept in step with `hits` and `assignments` by triggers.

use super::*;

/// How far apart the marks of a live list are: a page reads at most this many rows beyond its own.
const MARK_INTERVAL: i64 = 256;

/// The condition of a HIT Reviewable at the bound time: live, open, not being worked on, and
/// expired or with every assignment taken.
macro_rules! reviewable_at {
    () => {
        "live = 1 AND state = 'Open' AND accepted = 0 \
         AND (expiration <= ? OR occupying >= max_assignments)"
    };
}

impl Tx<'_> {
    /// One page of a requester's HITs, and how many the list holds in all.
    pub fn list_hits(&self, q: &HitQuery<'_>) -> Result<Page<Hit>, StoreError> {
        let key = match q.sort {
            HitSort::Title => "title",
            HitSort::Reward => "reward_cents",
            HitSort::Expiration => "expiration",
            HitSort::CreationTime => "creation_time",
            HitSort::Enumeration => "seq",
        };
        let Page { items: seqs, total } = match q.filter {
            HitFilter::Live => self.live_page(q, key)?,
            _ => self.filtered_page(q, key)?,
        };
        Ok(Page {
            items: self.hits_at(&seqs)?,
            total,
        })
    }

    /// A page of the requester's live HITs (those not disposed of), found from the nearest mark,
    /// so that its cost does not grow with its depth in the list.
    fn live_page(&self, q: &HitQuery<'_>, key: &str) -> Result<Page<i64>, StoreError> {
        let (requester, descending, size) = (q.requester, q.descending, q.page_size);
        let offset = paging::offset(size, q.page_number);
        let total = match self.one(
            "SELECT total FROM hit_listing_mark_sets WHERE requester = ?1 AND sort = ?2",
            params![requester, key],
            |r| r.get(0),
        )? {
            Some(total) => total,
            None => self.mark_live_list(requester, key)?,
        };
        if offset >= total {
            return Ok(Page {
                items: Vec::new(),
                total,
            });
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
        Ok(Page { items: seqs, total })
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
        self.exec(
            "INSERT INTO hit_listing_mark_sets(requester, sort, total) VALUES (?1, ?2, ?3)",
            params![requester, key, total],
        )?;
        Ok(total)
    }

    /// A page of a filtered list (reviewable or reviewing HITs): counted and skipped through on
    /// an index, as these lists hold only what awaits review.
    fn filtered_page(&self, q: &HitQuery<'_>, key: &str) -> Result<Page<i64>, StoreError> {
        let (condition, now, hit_type_id) = match q.filter {
            HitFilter::Live => ("live = 1", None, None),
            HitFilter::Reviewing { hit_type_id } => ("state = 'Reviewing'", None, hit_type_id),
            HitFilter::Reviewable { now, hit_type_id } => {
                (reviewable_at!(), Some(ts(now)), hit_type_id)
            }
            HitFilter::ReviewableOrReviewing { now, hit_type_id } => (
                concat!("(state = 'Reviewing' OR (", reviewable_at!(), "))"),
                Some(ts(now)),
                hit_type_id,
            ),
        };
        let mut args: Vec<&dyn rusqlite::ToSql> = vec![&q.requester];
        if let Some(now) = &now {
            args.push(now);
        }
        let mut filter = format!("requester = ? AND {condition}");
        if let Some(t) = &hit_type_id {
            args.push(t);
            filter.push_str(" AND hit_type_id = ?");
        }
        let dir = if q.descending { "DESC" } else { "ASC" };
        let order = if key == "seq" {
            format!("seq {dir}")
        } else {
            format!("{key} {dir}, seq {dir}")
        };
        let list = List {
            columns: "seq",
            from: "hit_listing",
            filter: &filter,
            order: &order,
        };
        self.page(&list, &args, q.page_size, q.page_number, |r| r.get(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::store::tests::{assignment_of, at, hit_of as hit, hit_type_titled as hit_type};

    fn assignment(id: &str, hit_id: &str, status: AssignmentState) -> Assignment {
        Assignment {
            status,
            ..assignment_of(id, hit_id, "W", 0)
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
}
