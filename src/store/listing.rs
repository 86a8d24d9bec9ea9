//! The lists of a requester's HITs that SearchHITs and GetReviewableHITs page through.
//!
//! Its tables: `schema/listing.sql`, `schema/listing.2.sql` and `schema/listing.3.sql`, kept in
//! step with `hits`, `assignments` and `hit_events` by triggers.

use rusqlite::types::Value;

use super::*;

/// A bucket holding more entries than this is cut into runs of `BUCKET_RUN`; the trigger on
/// `hit_list_buckets` (schema/listing.2.sql) queues it at the same size.
const BUCKET_RUN: usize = 1024;

/// The condition of a HIT Reviewable at the bound time: live, open, not being worked on, and
/// expired or with every assignment taken.
macro_rules! reviewable_at {
    () => {
        "live = 1 AND state = 'Open' AND accepted = 0 \
         AND (expiration <= ? OR occupying >= max_assignments)"
    };
}

/// The kinds of stored list (`hit_list_shapes`).
#[derive(Debug, Clone, Copy)]
enum ListKind {
    Live = 0,
    Reviewable = 1,
    Reviewing = 2,
    ReviewableOrReviewing = 3,
}

impl HitSort {
    /// The sort order's number in `hit_list_shapes`, and its column in `hit_listing`.
    fn stored(self) -> (i64, &'static str) {
        match self {
            HitSort::Enumeration => (0, "seq"),
            HitSort::Title => (1, "title"),
            HitSort::Reward => (2, "reward_cents"),
            HitSort::CreationTime => (3, "creation_time"),
            HitSort::Expiration => (4, "expiration"),
        }
    }
}

impl Tx<'_> {
    /// One page of a requester's HITs, and how many the list holds in all.
    pub fn list_hits(&self, q: &HitQuery<'_>) -> Result<Page<Hit>, StoreError> {
        let stored = match q.filter {
            HitFilter::Live => Some(ListKind::Live),
            HitFilter::Reviewing { hit_type_id: None } => Some(ListKind::Reviewing),
            HitFilter::Reviewable {
                now,
                hit_type_id: None,
            } if self.expiry_marks_agree(now)? => Some(ListKind::Reviewable),
            HitFilter::ReviewableOrReviewing {
                now,
                hit_type_id: None,
            } if self.expiry_marks_agree(now)? => Some(ListKind::ReviewableOrReviewing),
            _ => None,
        };
        let Page { items: seqs, total } = match stored {
            Some(kind) => self.stored_page(q, kind)?,
            None => self.filtered_page(q)?,
        };
        Ok(Page {
            items: self.hits_at(&seqs)?,
            total,
        })
    }

    /// Whether every open HIT is marked expired exactly when its expiration has come by `now`,
    /// as settling at `now` leaves them: then the stored Reviewable list is the one at `now`.
    fn expiry_marks_agree(&self, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.value(
            "SELECT NOT EXISTS (SELECT 1 FROM hit_listing WHERE state = 'Open' AND expired = 0 \
               AND expiration <= ?1) \
             AND NOT EXISTS (SELECT 1 FROM hit_listing WHERE state = 'Open' AND expired = 1 \
               AND expiration > ?1)",
            [ts(now)],
        )
    }

    /// A page of a stored list, found by summing its bucket counts up to the page, so that
    /// its cost does not grow with its depth in the list or the list's length.
    fn stored_page(&self, q: &HitQuery<'_>, kind: ListKind) -> Result<Page<i64>, StoreError> {
        let Some(list) = self.one(
            "SELECT list FROM hit_lists WHERE requester = ?1 AND kind = ?2 AND sort = ?3",
            params![q.requester, kind as i64, q.sort.stored().0],
            |r| r.get::<_, i64>(0),
        )?
        else {
            return Ok(Page {
                items: Vec::new(),
                total: 0,
            });
        };
        let buckets: Vec<(Value, i64, i64)> = self.all(
            "SELECT start_key, start_seq, count FROM hit_list_buckets WHERE list = ?1 \
             ORDER BY start_key, start_seq",
            [list],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let total: i64 = buckets.iter().map(|b| b.2).sum();
        let offset = paging::offset(q.page_size, q.page_number);
        if offset >= total {
            return Ok(Page {
                items: Vec::new(),
                total,
            });
        }
        let len = q.page_size.min(total - offset);
        // Lists are kept in ascending order; a descending page is an ascending run read
        // backwards.
        let start = if q.descending {
            total - offset - len
        } else {
            offset
        };
        let mut before = 0;
        let mut from = (Value::Integer(i64::MIN), 0);
        for (key, seq, count) in buckets {
            if before + count > start {
                from = (key, seq);
                break;
            }
            before += count;
        }
        let mut seqs: Vec<i64> = self.all(
            "SELECT seq FROM hit_list_entries WHERE list = ?1 AND (key, seq) >= (?2, ?3) \
             ORDER BY key, seq LIMIT ?4 OFFSET ?5",
            params![list, from.0, from.1, len, start - before],
            |r| r.get(0),
        )?;
        if q.descending {
            seqs.reverse();
        }
        Ok(Page { items: seqs, total })
    }

    /// Cuts every bucket grown past its limit into runs of `BUCKET_RUN` entries. Run before
    /// each commit, so readers always find buckets of bounded size.
    pub(super) fn split_overfull_buckets(&self) -> Result<(), StoreError> {
        let overfull: Vec<(i64, Value, i64)> = self.all(
            "SELECT list, start_key, start_seq FROM hit_list_overfull",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if overfull.is_empty() {
            return Ok(());
        }
        for (list, key, seq) in overfull {
            self.split_bucket(list, key, seq, BUCKET_RUN)?;
        }
        self.exec("DELETE FROM hit_list_overfull", [])?;
        Ok(())
    }

    /// Cuts one bucket into runs of `run` entries, in one pass over its entries.
    fn split_bucket(&self, list: i64, key: Value, seq: i64, run: usize) -> Result<(), StoreError> {
        let count: i64 = self.value(
            "SELECT count FROM hit_list_buckets WHERE list = ?1 AND start_key = ?2 AND start_seq = ?3",
            params![list, key, seq],
        )?;
        let entries: Vec<(Value, i64)> = self.all(
            "SELECT key, seq FROM hit_list_entries WHERE list = ?1 AND (key, seq) >= (?2, ?3) \
             ORDER BY key, seq LIMIT ?4",
            params![list, key, seq, count],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (i, runs) in entries.chunks(run).enumerate() {
            let n = runs.len() as i64;
            if i == 0 {
                self.exec(
                    "UPDATE hit_list_buckets SET count = ?4 \
                     WHERE list = ?1 AND start_key = ?2 AND start_seq = ?3",
                    params![list, key, seq, n],
                )?;
            } else {
                let (k, s) = &runs[0];
                self.exec(
                    "INSERT INTO hit_list_buckets(list, start_key, start_seq, count) VALUES (?1, ?2, ?3, ?4)",
                    params![list, k, s, n],
                )?;
            }
        }
        Ok(())
    }

    /// Cuts every bucket into runs of `run`, so that small lists span many buckets.
    #[cfg(test)]
    fn split_every_bucket(&self, run: usize) -> Result<(), StoreError> {
        let all: Vec<(i64, Value, i64)> = self.all(
            "SELECT list, start_key, start_seq FROM hit_list_buckets",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        for (list, key, seq) in all {
            self.split_bucket(list, key, seq, run)?;
        }
        Ok(())
    }

    /// A page of a list the stored ones do not cover (one HIT type's, or Reviewable when the
    /// expiry marks lag the clock): counted and skipped through on an index.
    fn filtered_page(&self, q: &HitQuery<'_>) -> Result<Page<i64>, StoreError> {
        let key = q.sort.stored().1;
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
    fn every_change_of_status_keeps_the_listing_counts() {
        use AssignmentState::*;
        let all = [Accepted, Submitted, Approved, Rejected, Returned, Abandoned];
        let store = seeded();
        store
            .write(|tx| {
                // The listing's counts, which GetHIT reads, agree with a count by status.
                let counts = |tx: &Tx<'_>| -> Result<SlotCounts, StoreError> {
                    let kept = tx.slot_counts("H1")?;
                    assert_eq!(kept, tx.assignment_counts("H1")?.slots());
                    Ok(kept)
                };
                let expected = |s: AssignmentState| SlotCounts {
                    accepted: i64::from(s == Accepted),
                    occupying: i64::from(matches!(s, Accepted | Submitted | Approved | Rejected)),
                };
                for (i, from) in all.into_iter().enumerate() {
                    for to in all {
                        let id = format!("A{i}-{to:?}");
                        let mut a = assignment(&id, "H1", from);
                        tx.insert_assignment(&a)?;
                        a.status = to;
                        tx.update_assignment(&a)?;
                        assert_eq!(counts(tx)?, expected(to), "{from:?} to {to:?}");
                        tx.tx
                            .execute("DELETE FROM assignments WHERE assignment_id = ?1", [&id])?;
                        let none = SlotCounts::default();
                        assert_eq!(counts(tx)?, none, "{from:?} to {to:?}, deleted");
                    }
                }
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
    fn stored_lists_page_as_the_filtered_scan_does_across_many_buckets() {
        let store = Store::open(":memory:").unwrap();
        let types: Vec<HitType> = (0..4)
            .map(|i| hit_type(&format!("T{i}"), &format!("Title {}", i % 3), [5, 9][i % 2]))
            .collect();
        let now = at(100);
        store
            .write(|tx| {
                for t in &types {
                    tx.upsert_hit_type(t)?;
                }
                for i in 0..400 {
                    let mut h = hit(
                        &format!("H{i:04}"),
                        &types[i % 4],
                        (i as i64 * 7) % 90,
                        50 + (i as i64 % 13) * 10,
                    );
                    h.state = match i % 7 {
                        0 => HitState::Reviewing,
                        1 => HitState::Disposed,
                        _ => HitState::Open,
                    };
                    tx.insert_hit(&h)?;
                    if i % 3 == 0 {
                        tx.insert_assignment(&assignment(
                            &format!("A{i}"),
                            &h.hit_id,
                            AssignmentState::Submitted,
                        ))?;
                    }
                    // As settling at `now` leaves them.
                    if h.state == HitState::Open && h.expiration <= now {
                        tx.mark_hit_event(&h.hit_id, EventType::HitExpired)?;
                    }
                }
                tx.split_every_bucket(3)
            })
            .unwrap();
        store
            .read(|tx| {
                assert!(tx.expiry_marks_agree(now)?);
                let filters = [
                    HitFilter::Live,
                    HitFilter::Reviewing { hit_type_id: None },
                    HitFilter::Reviewable { now, hit_type_id: None },
                    HitFilter::ReviewableOrReviewing { now, hit_type_id: None },
                ];
                let sorts = [HitSort::Title, HitSort::Reward, HitSort::Expiration, HitSort::CreationTime, HitSort::Enumeration];
                for filter in filters {
                    for sort in sorts {
                        for descending in [false, true] {
                            for page_size in [7, 100] {
                                for page_number in 1..=60 {
                                    let q = HitQuery { page_size, page_number, ..query(filter, sort, descending) };
                                    let scanned = tx.filtered_page(&q)?;
                                    let p = tx.list_hits(&q)?;
                                    let stored: Vec<i64> = p.items.iter().map(|h| h.hit_id[1..].parse::<i64>().unwrap() + 1).collect();
                                    assert_eq!((stored, p.total), (scanned.items, scanned.total), "{filter:?} {sort:?} {descending} {page_size} {page_number}");
                                }
                            }
                        }
                    }
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    #[test]
    fn lists_fill_again_after_a_reset() {
        let store = seeded();
        store
            .write(|tx| {
                tx.reset()?;
                let t = hit_type("TA", "Beta", 5);
                tx.upsert_hit_type(&t)?;
                tx.insert_hit(&hit("H9", &t, 10, 500))?;
                let p = tx.list_hits(&query(HitFilter::Live, HitSort::Title, false))?;
                assert_eq!((ids(&p), p.total), (vec!["H9"], 1));
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
}
