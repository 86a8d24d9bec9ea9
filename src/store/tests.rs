use super::*;

fn at(secs: i64) -> DateTime<Utc> {
    time(1_700_000_000 + secs)
}

fn hit_type() -> HitType {
    HitType {
        hit_type_id: "TYPE1".into(),
        requester: "REQ".into(),
        title: "Title".into(),
        description: "Description".into(),
        keywords: Some("a, b".into()),
        reward: Cents(25),
        assignment_duration: 600,
        auto_approval_delay: 3600,
        qualification_requirements: vec![QualificationRequirement {
            qualification_type_id: "Q".into(),
            comparator: "In".into(),
            integer_values: vec![1, 2],
            locale_values: vec![],
            required_to_preview: Some(true),
        }],
    }
}

fn hit(id: &str) -> Hit {
    Hit {
        hit_id: id.into(),
        hit_type_id: "TYPE1".into(),
        requester: "REQ".into(),
        creation_time: at(0),
        question: Some("<QuestionForm/>".into()),
        hit_layout_id: None,
        max_assignments: 2,
        lifetime: 3600,
        expiration: at(3600),
        requester_annotation: None,
        review_status: "NotReviewed".into(),
        state: HitState::Open,
        unique_request_token: None,
        hit_type: hit_type(),
    }
}

fn assignment(id: &str, worker: &str, accept: i64) -> Assignment {
    Assignment {
        assignment_id: id.into(),
        hit_id: "HIT1".into(),
        worker_id: worker.into(),
        status: AssignmentState::Accepted,
        accept_time: at(accept),
        deadline: at(accept + 600),
        submit_time: None,
        auto_approval_time: None,
        approval_time: None,
        rejection_time: None,
        answer: None,
        requester_feedback: None,
    }
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
    let dir = std::env::temp_dir().join(format!("turkstand-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.db");
    let _ = std::fs::remove_file(&path);
    let path = path.to_str().unwrap();
    drop(seeded(path));
    let store = Store::open(path).unwrap();
    let (h, a) = store
        .read(|tx| Ok::<_, StoreError>((tx.hit("HIT1")?.unwrap(), tx.assignment("A1")?.unwrap())))
        .unwrap();
    assert_eq!(h, hit("HIT1"));
    assert_eq!(a, assignment("A1", "W1", 10));
    std::fs::remove_dir_all(dir).unwrap();
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
