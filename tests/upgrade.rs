//! A database file written by an earlier build opens with this one, its data intact.
//!
//! tests/fixtures/db/main-before-issue-8.db was written by the server as it stood before the
//! schema was versioned (see tests/fixtures/db/README.md); every table holds rows.

use std::path::PathBuf;

use turkstand::money::Cents;
use turkstand::store::*;

const REQUESTER: &str = "AKIAFIXTUREREQUESTER1";
const REVIEWED_HIT: &str = "2QEXQ51O9KHS68ZE0BTBU4S5THWAKH";
const FILES_HIT: &str = "1ELIKTAVY6R0ES5VHQG1LRNA1YCPT3";
const DISPOSED_HIT: &str = "5NH3HH5TPAE72TX8OUID7T5FV2ZFKK";
const TESTED_TYPE: &str = "6N7WMLGGUU2YIFKEHGEN71JAVDO93P";
const MANUAL_TYPE: &str = "MDY9F1X3VNFBAOPEP1HRV0U8CNSM3O";

/// The requester's first ten live HITs by title.
const LIVE_BY_TITLE: HitQuery<'static> = HitQuery {
    requester: REQUESTER,
    filter: HitFilter::Live,
    sort: HitSort::Title,
    descending: false,
    page_size: 10,
    page_number: 1,
};

/// A copy of the fixture in a fresh scratch directory, so the test never changes the original.
fn copy_of_fixture(name: &str) -> (PathBuf, PathBuf) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("upgrade-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join("turkstand.db");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db/main-before-issue-8.db"),
        &path,
    )
    .expect("copy the fixture");
    (dir, path)
}

fn page<'a>(hit_id: &'a str, states: &'a [AssignmentState]) -> AssignmentQuery<'a> {
    AssignmentQuery {
        hit_id,
        states,
        sort: AssignmentSort::AcceptTime,
        descending: false,
        page_size: 100,
        page_number: 1,
    }
}

fn read_everything_back(store: &Store) -> Result<(), StoreError> {
    store.read(|tx| {
        // Accounts, the ledger and the manual clock.
        assert_eq!(tx.balance(REQUESTER)?, Some(Cents(99880)));
        assert_eq!(tx.ledger_movements(REQUESTER)?.len(), 6);
        assert_eq!(tx.meta("manual_clock")?.as_deref(), Some("1796162757"));

        // HITs, their types and requirements, and the listing SearchHITs reads.
        let hit = tx.hit(REVIEWED_HIT)?.expect("the reviewed HIT");
        assert_eq!(hit.hit_type.title, "Fixture reviewed");
        assert_eq!(hit.requester_annotation.as_deref(), Some("batch-1"));
        assert_eq!(hit.review_status, HitReviewStatus::NotReviewed);
        assert_eq!(hit.hit_type.reward, Cents(25));
        let reqs = &hit.hit_type.qualification_requirements;
        assert_eq!(reqs.len(), 2);
        assert_eq!(reqs[0].qualification_type_id, TESTED_TYPE);
        assert_eq!(reqs[0].comparator, Comparator::GreaterThanOrEqualTo);
        assert_eq!(reqs[0].integer_values, [50]);
        assert_eq!(reqs[0].required_to_preview, Some(true));
        assert_eq!(reqs[1].comparator, Comparator::In);
        assert_eq!(reqs[1].locale_values[1].country.as_deref(), Some("CA"));
        assert_eq!(
            tx.hit(DISPOSED_HIT)?.map(|h| h.state),
            Some(HitState::Disposed)
        );
        let live = tx.list_hits(&LIVE_BY_TITLE)?;
        let titles: Vec<&str> = live
            .items
            .iter()
            .map(|h| h.hit_type.title.as_str())
            .collect();
        assert_eq!(
            (titles, live.total),
            (
                vec!["Fixture files", "Fixture layout", "Fixture reviewed"],
                3
            )
        );
        let reviewing = tx.list_hits(&HitQuery {
            requester: REQUESTER,
            filter: HitFilter::Reviewing { hit_type_id: None },
            sort: HitSort::Enumeration,
            descending: false,
            page_size: 10,
            page_number: 1,
        })?;
        assert_eq!(
            reviewing.items[0].hit_layout_id.as_deref(),
            Some("FIXTURELAYOUT1")
        );
        assert_eq!(
            tx.hit_layout("FIXTURELAYOUT1")?.map(|l| l.frame_height),
            Some(450)
        );
        assert!(tx
            .extension_by_token(REQUESTER, "fixture-extend-1", time(0))?
            .is_some());

        // Assignments in every state, their files and upload URLs.
        let all = [
            AssignmentState::Accepted,
            AssignmentState::Submitted,
            AssignmentState::Approved,
            AssignmentState::Rejected,
            AssignmentState::Returned,
            AssignmentState::Abandoned,
        ];
        let files = tx.assignments_for_hit(&page(FILES_HIT, &all))?;
        let states: Vec<AssignmentState> = files.items.iter().map(|a| a.status).collect();
        assert_eq!(
            states,
            [
                AssignmentState::Approved,
                AssignmentState::Rejected,
                AssignmentState::Returned,
                AssignmentState::Abandoned,
                AssignmentState::Submitted,
                AssignmentState::Accepted,
            ]
        );
        assert_eq!(
            files.items[1].requester_feedback.as_deref(),
            Some("Wrong file.")
        );
        let approved = &files.items[0];
        let file = tx
            .uploaded_file(&approved.assignment_id, "upload")?
            .expect("the uploaded file");
        assert_eq!(
            (file.file_name.as_str(), file.content.as_slice()),
            ("notes.txt", &b"fixture file"[..])
        );
        assert_eq!(tx.ledger_for_assignment(&approved.assignment_id)?.len(), 4);
        let counts = tx.assignment_counts(FILES_HIT)?;
        assert_eq!((counts.accepted, counts.occupying()), (1, 4));
        let bonuses = tx.bonuses(REQUESTER, Some(FILES_HIT), None, 10, 1)?;
        assert_eq!(bonuses.items[0].amount, Cents(50));
        assert!(tx
            .bonus_by_token(REQUESTER, "fixture-bonus-1", time(0))?
            .is_some());

        // Qualification types, requests and qualifications.
        let types = tx.search_qualification_types(&QualificationTypeSearch {
            query: Some("fixture"),
            owner: Some(REQUESTER),
            descending: false,
            page_size: 10,
            page_number: 1,
        })?;
        let names: Vec<&str> = types.items.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Fixture auto", "Fixture manual", "Fixture test"]);
        let tested = tx
            .qualification_type(TESTED_TYPE)?
            .expect("the tested type");
        assert!(tested.test.is_some() && tested.answer_key.is_some());
        assert_eq!(
            (tested.retry_delay, tested.test_duration),
            (Some(3600), Some(600))
        );
        let pending = tx.pending_qualification_requests(&QualificationRequestQuery {
            requester: REQUESTER,
            qualification_type_id: None,
            sort_by_type: false,
            descending: false,
            page_size: 10,
            page_number: 1,
        })?;
        assert_eq!(pending.items[0].worker_id, "AFIXTUREWORKER3");
        let rejected = tx
            .latest_qualification_request(MANUAL_TYPE, "AFIXTUREWORKER2")?
            .expect("the rejected request");
        assert_eq!(
            (rejected.state, rejected.reason.as_deref()),
            (QualificationRequestState::Rejected, Some("Not yet."))
        );
        let graded = tx
            .qualification(TESTED_TYPE, "AFIXTUREWORKER1")?
            .expect("the graded qualification");
        assert_eq!(
            (graded.integer_value, graded.status),
            (Some(100), QualificationState::Granted)
        );
        let revoked =
            tx.qualifications_for_type(MANUAL_TYPE, QualificationState::Revoked, 10, 1)?;
        assert_eq!(revoked.items[0].integer_value, Some(42));

        // Review policies, results and actions.
        let policy = tx
            .review_policy(REVIEWED_HIT, ReviewLevel::Assignment)?
            .expect("the policy");
        assert_eq!(policy.policy_name, "ScoreMyKnownAnswers/2011-09-01");
        let results = tx.review_results(REVIEWED_HIT, ReviewLevel::Assignment, 10, 1)?;
        assert_eq!(results.items[1].value, "100");
        let actions = tx.review_actions(REVIEWED_HIT, ReviewLevel::Assignment, 10, 1)?;
        assert_eq!(actions.items[0].status, ReviewActionStatus::Succeeded);

        // Notifications.
        let spec = tx
            .notification_spec(&hit.hit_type_id)?
            .expect("the specification");
        assert_eq!(spec.transport, Email);
        assert_eq!(
            spec.event_types,
            [
                EventType::AssignmentAccepted,
                EventType::AssignmentSubmitted,
                EventType::HitReviewable,
                EventType::HitExpired,
            ]
        );
        let sent = tx.notifications(Some(REQUESTER))?;
        let outcomes: Vec<(EventType, NotificationTransport, NotificationState)> = sent
            .iter()
            .map(|n| (n.event_type, n.transport, n.state))
            .collect();
        use NotificationState::{Failed, Recorded};
        use NotificationTransport::{Email, Rest};
        assert_eq!(
            outcomes,
            [
                (EventType::Ping, Rest, Failed),
                (EventType::AssignmentAccepted, Email, Recorded),
                (EventType::AssignmentSubmitted, Email, Recorded),
                (EventType::HitExpired, Email, Recorded),
                (EventType::HitReviewable, Email, Recorded),
            ]
        );
        assert_eq!(sent[0].attempts, 5);

        // Workers: properties, blocks and messages.
        let locale = tx.worker_locale("AFIXTUREWORKER1")?.expect("a locale");
        assert_eq!(locale.subdivision.as_deref(), Some("WA"));
        assert_eq!(tx.worker_flags("AFIXTUREWORKER2")?, [WorkerFlag::Masters]);
        assert!(tx.is_blocked(REQUESTER, "AFIXTUREWORKER2")?);
        assert_eq!(
            tx.worker_messages("AFIXTUREWORKER1")?[0].subject.as_deref(),
            Some("Hello")
        );
        Ok(())
    })
}

/// The names of the tables, indexes and triggers in the database at `path`, with its version.
fn schema_of(path: &std::path::Path) -> (u32, Vec<(String, String)>) {
    let conn = rusqlite::Connection::open(path).expect("open with rusqlite");
    let version = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version");
    let mut stmt = conn
        .prepare(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1, 2",
        )
        .expect("prepare");
    let names = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    (version, names)
}

fn time(secs: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(secs, 0).expect("a time")
}

#[test]
fn a_database_from_before_versioning_opens_with_its_data() {
    let (dir, path) = copy_of_fixture("open");
    assert_eq!(schema_of(&path).0, 0, "the fixture predates versioning");
    let store = Store::open(path.to_str().expect("utf-8 path")).expect("open the old database");
    read_everything_back(&store).expect("read back");

    // What was raised once is remembered (hit_events), and the listing still follows writes.
    store
        .write(|tx| {
            assert!(!tx.mark_hit_event(REVIEWED_HIT, EventType::HitExpired)?);
            assert!(!tx.mark_hit_event(REVIEWED_HIT, EventType::HitReviewable)?);
            let mut hit = tx.hit(FILES_HIT)?.expect("the files HIT");
            hit.state = HitState::Disposed;
            tx.update_hit(&hit)?;
            Ok::<_, StoreError>(())
        })
        .expect("write");
    drop(store);
    let fresh = dir.join("fresh.db");
    drop(Store::open(fresh.to_str().expect("utf-8 path")).expect("a new database"));
    let upgraded = schema_of(&path);
    assert_eq!(upgraded.0, SCHEMA_VERSION);
    assert_eq!(
        upgraded,
        schema_of(&fresh),
        "the upgraded file has all a new one has"
    );

    // Opened again, nothing is migrated twice.
    let store = Store::open(path.to_str().expect("utf-8 path")).expect("reopen");
    let live = store.read(|tx| tx.list_hits(&LIVE_BY_TITLE)).expect("list");
    assert_eq!(live.total, 2);
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
}
