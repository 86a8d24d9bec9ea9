use super::*;

/// A directory of one test's own for its database files, removed when dropped (so it is made
/// before the store that uses it, and outlives it).
pub(super) struct ScratchDir(std::path::PathBuf);

impl ScratchDir {
    pub(super) fn new(name: &str) -> ScratchDir {
        let dir = std::env::temp_dir().join(format!("turkstand-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        ScratchDir(dir)
    }

    pub(super) fn file(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes `n` meta keys starting with `prefix`, one write each: what
/// [`wait_for_the_file_to_hold`] then looks for.
pub(super) fn write_keys(store: &Store, prefix: &str, n: i64) {
    for i in 0..n {
        store
            .write(|tx| tx.set_meta(&format!("{prefix}{i}"), "v"))
            .map_err(|e: StoreError| e)
            .unwrap();
    }
}

/// Waits (up to ten seconds, else fails) until the database file `db` in `dir`, read without
/// its log, holds `n` meta keys starting with `prefix`: until checkpoints have copied them in.
pub(super) fn wait_for_the_file_to_hold(dir: &ScratchDir, db: &str, prefix: &str, n: i64) {
    let copy = dir.file("copy.db");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        std::fs::copy(dir.file(db), &copy).unwrap();
        let found: i64 = Connection::open(&copy)
            .and_then(|c| {
                c.query_row(
                    "SELECT COUNT(*) FROM meta WHERE key LIKE ?1 || '%'",
                    [prefix],
                    |r| r.get(0),
                )
            })
            .unwrap_or(-1);
        if found == n {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{found} of {n} writes in the file"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

pub(super) fn at(secs: i64) -> DateTime<Utc> {
    time(1_700_000_000 + secs)
}

/// A HIT type of requester REQ with no keywords or requirements.
pub(super) fn hit_type_titled(id: &str, title: &str, reward: i64) -> HitType {
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

/// An open HIT of type `t`, with one assignment and no question, alive from `created` to
/// `expires` (seconds after `at(0)`).
pub(super) fn hit_of(id: &str, t: &HitType, created: i64, expires: i64) -> Hit {
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
        review_status: HitReviewStatus::NotReviewed,
        state: HitState::Open,
        unique_request_token: None,
        hit_type: t.clone(),
    }
}

/// An assignment accepted `accept` seconds after `at(0)`, due 600 seconds later.
pub(super) fn assignment_of(id: &str, hit_id: &str, worker: &str, accept: i64) -> Assignment {
    Assignment::accepted(
        id.into(),
        hit_id.into(),
        worker.into(),
        at(accept),
        at(accept + 600),
    )
}

fn hit_type() -> HitType {
    HitType {
        keywords: Some("a, b".into()),
        qualification_requirements: vec![QualificationRequirement {
            qualification_type_id: "Q".into(),
            comparator: Comparator::In,
            integer_values: vec![1, 2],
            locale_values: vec![],
            required_to_preview: Some(true),
        }],
        ..hit_type_titled("TYPE1", "Title", 25)
    }
}

fn hit(id: &str) -> Hit {
    Hit {
        question: Some("<QuestionForm/>".into()),
        max_assignments: 2,
        ..hit_of(id, &hit_type(), 0, 3600)
    }
}

fn assignment(id: &str, worker: &str, accept: i64) -> Assignment {
    assignment_of(id, "HIT1", worker, accept)
}

fn seeded(path: &str) -> Store {
    let store = Store::open(path).unwrap();
    store
        .write(|tx| {
            tx.ensure_account("REQ", Cents(1000))?;
            tx.upsert_hit_type(&hit_type())?;
            tx.insert_hit(&hit("HIT1"))?;
            tx.insert_assignment(&assignment("A1", "W1", 10))?;
            tx.insert_assignment(&assignment("A2", "W2", 5))?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    store
}

#[test]
fn records_round_trip_through_a_file_and_survive_reopening() {
    let dir = ScratchDir::new("store");
    let path = dir.file("t.db");
    drop(seeded(&path));
    let store = Store::open(&path).unwrap();
    let (h, a) = store
        .read(|tx| Ok::<_, StoreError>((tx.hit("HIT1")?.unwrap(), tx.assignment("A1")?.unwrap())))
        .unwrap();
    assert_eq!(h, hit("HIT1"));
    assert_eq!(a, assignment("A1", "W1", 10));
}

#[test]
fn a_failed_read_reports_its_own_error_and_leaves_the_readers_usable() {
    let dir = ScratchDir::new("store-read");
    let store = seeded(&dir.file("r.db"));
    for _ in 0..3 {
        let failed: Result<(), StoreError> = store.read(|tx| {
            tx.balance("REQ")?;
            Err(StoreError::Corrupt("refused".into()))
        });
        assert!(matches!(failed, Err(StoreError::Corrupt(m)) if m == "refused"));
        let balance = store.read(|tx| tx.balance("REQ")).unwrap();
        assert_eq!(balance, Some(Cents(1000)));
    }
}

#[test]
fn a_failed_transaction_changes_nothing() {
    let store = seeded(":memory:");
    let result: Result<(), StoreError> = store.write(|tx| {
        tx.set_balance("REQ", Cents(1))?;
        Err(StoreError::Corrupt("refused".into()))
    });
    assert!(result.is_err());
    let balance = store.read(|tx| tx.balance("REQ")).unwrap();
    assert_eq!(balance, Some(Cents(1000)));
}

#[test]
fn debits_are_recorded_and_reset_restores_configured_balances() {
    let store = seeded(":memory:");
    store
        .write(|tx| {
            tx.debit(&LedgerEntry {
                requester: "REQ".into(),
                time: at(1),
                kind: LedgerKind::Reward,
                amount: Cents(25),
                hit_id: Some("HIT1".into()),
                assignment_id: Some("A1".into()),
                worker_id: Some("W1".into()),
            })
        })
        .unwrap();
    assert_eq!(
        store.read(|tx| tx.balance("REQ")).unwrap(),
        Some(Cents(975))
    );
    store.write(|tx| tx.reset()).unwrap();
    assert_eq!(
        store.read(|tx| tx.balance("REQ")).unwrap(),
        Some(Cents(1000))
    );
    assert_eq!(store.read(|tx| tx.hit("HIT1")).unwrap(), None);
}

#[test]
fn assignment_pages_filter_sort_and_count() {
    let store = seeded(":memory:");
    let page = store
        .read(|tx| {
            tx.assignments_for_hit(&AssignmentQuery {
                hit_id: "HIT1",
                states: &[AssignmentState::Accepted],
                sort: AssignmentSort::AcceptTime,
                descending: false,
                page_size: 1,
                page_number: 1,
            })
        })
        .unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].assignment_id, "A2");
    let counts = store.read(|tx| tx.assignment_counts("HIT1")).unwrap();
    assert_eq!(counts.accepted, 2);
    assert_eq!(counts.occupying(), 2);
}

#[test]
fn unknown_stored_values_are_refused_not_guessed() {
    let store = seeded(":memory:");
    let refused = |sql: &str| {
        store
            .write(|tx| {
                tx.tx.execute(sql, [])?;
                Ok::<_, StoreError>((tx.hit_type("TYPE1").err(), tx.assignment("A1").err()))
            })
            .unwrap()
    };
    let (hit_type, _) = refused(
        "UPDATE hit_types SET qualification_requirements = \
         replace(qualification_requirements, '\"In\"', '\"Bogus\"')",
    );
    let hit_type = hit_type.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        hit_type.contains("\"Bogus\" is not a stored Comparator"),
        "{hit_type}"
    );
    let (_, assignment) =
        refused("UPDATE assignments SET status = 'Lost' WHERE assignment_id = 'A1'");
    let assignment = assignment.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        assignment.contains("\"Lost\" is not a stored AssignmentState"),
        "{assignment}"
    );
}

fn qualification_type(id: &str, requester: &str) -> QualificationType {
    QualificationType {
        qualification_type_id: id.into(),
        requester: requester.into(),
        creation_time: at(0),
        name: id.into(),
        description: "Description".into(),
        keywords: None,
        status: QualificationTypeState::Active,
        retry_delay: None,
        test: None,
        test_duration: None,
        answer_key: None,
        auto_granted: false,
        auto_granted_value: None,
    }
}

#[test]
fn pending_qualification_requests_page_and_count_as_their_states_change() {
    let store = Store::open(":memory:").unwrap();
    // (request, type, submit time): times repeat, so ties fall to the order of arrival.
    let requests: Vec<(String, &str, i64)> = (0..40)
        .map(|i| {
            (
                format!("QR{i:02}"),
                ["QA", "QB", "QC"][i % 3],
                (i as i64 * 7) % 11,
            )
        })
        .collect();
    store
        .write(|tx| {
            tx.insert_qualification_type(&qualification_type("QA", "REQ"))?;
            tx.insert_qualification_type(&qualification_type("QB", "REQ"))?;
            tx.insert_qualification_type(&qualification_type("QC", "OTHER"))?;
            for (id, t, time) in &requests {
                tx.insert_qualification_request(&QualificationRequest {
                    qualification_request_id: id.clone(),
                    qualification_type_id: t.to_string(),
                    worker_id: format!("W{id}"),
                    state: QualificationRequestState::Pending,
                    test: None,
                    answer: None,
                    submit_time: at(*time),
                    reason: None,
                })?;
            }
            for id in ["QR03", "QR04", "QR10"] {
                tx.set_qualification_request_state(id, QualificationRequestState::Granted, None)?;
            }
            tx.set_qualification_request_state("QR05", QualificationRequestState::Rejected, None)?;
            tx.set_qualification_request_state("QR04", QualificationRequestState::Pending, None)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let settled = ["QR03", "QR05", "QR10"];
    for type_filter in [None, Some("QA"), Some("QC")] {
        for sort_by_type in [false, true] {
            for descending in [false, true] {
                let mut expected: Vec<&(String, &str, i64)> = requests
                    .iter()
                    .filter(|(id, t, _)| {
                        *t != "QC"
                            && type_filter.is_none_or(|f| f == *t)
                            && !settled.contains(&id.as_str())
                    })
                    .collect();
                expected.sort_by_key(|(id, t, time)| {
                    (if sort_by_type { *t } else { "" }, *time, id.clone())
                });
                if descending {
                    expected.reverse();
                }
                let expected: Vec<&str> = expected.iter().map(|r| r.0.as_str()).collect();
                let page = |page_number| {
                    store.read(|tx| {
                        tx.pending_qualification_requests(&QualificationRequestQuery {
                            requester: "REQ",
                            qualification_type_id: type_filter,
                            sort_by_type,
                            descending,
                            page_size: 4,
                            page_number,
                        })
                    })
                };
                let mut listed = Vec::new();
                for n in 1.. {
                    let p = page(n).unwrap();
                    assert_eq!(p.total as usize, expected.len(), "{type_filter:?}");
                    if p.items.is_empty() {
                        break;
                    }
                    listed.extend(p.items.into_iter().map(|r| r.qualification_request_id));
                }
                assert_eq!(
                    listed, expected,
                    "{type_filter:?} {sort_by_type} {descending}"
                );
            }
        }
    }
}
