//! SearchHITs over SOAP through the real server, on one requester's 100,000 HITs: latency and
//! throughput of page 1 against page 500 (and the last page) at PageSize 100, for several sort
//! orders. Paging runs on an index, so a deep page should cost about what the first one does.
//!
//! Run with `cargo bench --bench search`. `BENCH_HITS` sets the number of HITs (default 100,000),
//! `BENCH_REQUESTS` the requests per measurement (default 300).

mod common;

use std::time::{Duration, Instant};

use chrono::Utc;

use common::{env_number, requests_per_second, CONNECTIONS, HEADERS, KEY};
use turkstand::client::Connection;
use turkstand::money::Cents;
use turkstand::store::{Hit, HitReviewStatus, HitState, HitType, Store, StoreError};

const PAGE_SIZE: usize = 100;
const QUESTION: &str = r#"<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd"><HTMLContent><![CDATA[<p>Benchmark</p>]]></HTMLContent><FrameHeight>450</FrameHeight></HTMLQuestion>"#;

fn envelope(inner: &str) -> String {
    common::envelope("SearchHITs", inner)
}

/// One SearchHITs on `conn`, its reply checked: how long the exchange took.
async fn timed_search(conn: &mut Connection, inner: &str) -> Duration {
    let body = envelope(inner);
    let start = Instant::now();
    let (status, reply) = conn
        .send("POST", "/", HEADERS, body)
        .await
        .expect("request");
    let took = start.elapsed();
    check(status, &reply);
    took
}

/// SearchHITs latencies, each taken right after a CreateHIT: a new HIT drops the requester's
/// marks, so every one of these searches rebuilds them first.
async fn latencies_after_create(addr: &str, inner: &str, n: usize) -> Vec<Duration> {
    let mut conn = Connection::open(addr).await.expect("connect");
    let create = format!(
        "<Title>Benchmark task 00</Title><Description>Created between searches</Description>\
         <Reward><Amount>0.05</Amount><CurrencyCode>USD</CurrencyCode></Reward>\
         <AssignmentDurationInSeconds>3600</AssignmentDurationInSeconds>\
         <LifetimeInSeconds>86400</LifetimeInSeconds><Question>{}</Question>",
        QUESTION
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    );
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let (status, reply) = conn
            .send("POST", "/", HEADERS, common::envelope("CreateHIT", &create))
            .await
            .expect("create");
        let text = String::from_utf8_lossy(&reply);
        assert!(
            status == 200 && text.contains("<IsValid>True</IsValid>"),
            "{text}"
        );
        out.push(timed_search(&mut conn, inner).await);
    }
    out.sort();
    out
}

/// Builds `n` HITs of 50 types (different titles and rewards) in one transaction.
fn build(store: &Store, n: usize) {
    let now = Utc::now();
    store
        .write(|tx| {
            let types: Vec<HitType> = (0..50)
                .map(|i| HitType {
                    hit_type_id: format!("BENCHTYPE{i:021}"),
                    requester: KEY.into(),
                    title: format!("Benchmark task {:02}", (i * 37) % 50),
                    description: "A HIT for the SearchHITs benchmark".into(),
                    keywords: Some("benchmark".into()),
                    reward: Cents(5 + (i as i64 * 13) % 100),
                    assignment_duration: 3600,
                    auto_approval_delay: 86_400,
                    qualification_requirements: vec![],
                })
                .collect();
            for t in &types {
                tx.upsert_hit_type(t)?;
            }
            for i in 0..n {
                let t = &types[i % types.len()];
                let created = now - chrono::Duration::seconds((n - i) as i64);
                let lifetime = 86_400 + ((i * 7919) % 100_000) as i64;
                tx.insert_hit(&Hit {
                    hit_id: format!("BENCHHIT{i:022}"),
                    hit_type_id: t.hit_type_id.clone(),
                    requester: KEY.into(),
                    creation_time: created,
                    question: Some(QUESTION.into()),
                    hit_layout_id: None,
                    max_assignments: 3,
                    lifetime,
                    expiration: created + chrono::Duration::seconds(lifetime),
                    requester_annotation: Some(format!("batch {}", i / 1000)),
                    review_status: HitReviewStatus::NotReviewed,
                    state: HitState::Open,
                    unique_request_token: None,
                    hit_type: t.clone(),
                })?;
            }
            Ok::<_, StoreError>(())
        })
        .expect("build HITs");
}

/// One keep-alive connection sending `body` `n` times in a row: the sorted latencies.
async fn latencies(addr: &str, inner: &str, n: usize) -> Vec<Duration> {
    let mut conn = Connection::open(addr).await.expect("connect");
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(timed_search(&mut conn, inner).await);
    }
    out.sort();
    out
}

fn check(status: u16, reply: &[u8]) {
    let text = String::from_utf8_lossy(reply);
    let hits = text.matches("<HITId>").count();
    assert!(
        status == 200 && text.contains("<IsValid>True</IsValid>") && hits == PAGE_SIZE,
        "unexpected reply ({hits} HITs): {}",
        &text[..text.len().min(2000)]
    );
}

/// Requests per second over `CONNECTIONS` concurrent keep-alive connections.
async fn throughput(addr: &str, inner: &str, n: usize) -> f64 {
    let inner = inner.to_string();
    requests_per_second(addr, n, move |_| envelope(&inner), check).await
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One row of the table: p50, p99 and mean of the sorted latencies `l`, and `rps`.
fn print_row(label: &str, l: &[Duration], rps: &str) {
    let mean = l.iter().sum::<Duration>() / l.len() as u32;
    println!(
        "{:<34} {:>9.2} {:>9.2} {:>9.2} {:>10}",
        label,
        ms(l[l.len() / 2]),
        ms(l[(l.len() * 99 / 100).min(l.len() - 1)]),
        ms(mean),
        rps
    );
}

fn main() {
    let hits = env_number("BENCH_HITS", 100_000);
    let requests = env_number("BENCH_REQUESTS", 300);
    common::runtime().block_on(async move {
        let (dir, store) = common::scratch_store("turkstand-search-bench");
        let built = Instant::now();
        build(&store, hits);
        let build_time = built.elapsed();
        let addr = common::serve_on_a_free_port(common::service(store)).await;

        let last = hits.div_ceil(PAGE_SIZE).max(1);
        println!(
            "turkstand SearchHITs bench: {hits} HITs (built in {:.1} s), PageSize {PAGE_SIZE}, \
             {requests} requests per row; latency on one keep-alive connection, throughput over {CONNECTIONS}",
            build_time.as_secs_f64()
        );
        println!(
            "{:<34} {:>9} {:>9} {:>9} {:>10}",
            "SOAP SearchHITs", "p50 ms", "p99 ms", "mean ms", "req/s"
        );
        for (sort, direction) in [
            ("CreationTime", "Ascending"),
            ("Title", "Ascending"),
            ("Reward", "Descending"),
            ("Expiration", "Ascending"),
        ] {
            for page in [1, 500, last] {
                if page > last {
                    continue;
                }
                let inner = format!(
                    "<SortProperty>{sort}</SortProperty><SortDirection>{direction}</SortDirection>\
                     <PageSize>{PAGE_SIZE}</PageSize><PageNumber>{page}</PageNumber>"
                );
                latencies(&addr, &inner, requests / 10 + 1).await; // warm-up
                let l = latencies(&addr, &inner, requests).await;
                let rps = throughput(&addr, &inner, requests).await;
                print_row(
                    &format!("{sort} {direction} page {page}"),
                    &l,
                    &format!("{rps:.0}"),
                );
            }
        }
        for page in [1, 500.min(last)] {
            let inner = format!(
                "<SortProperty>Title</SortProperty><PageSize>{PAGE_SIZE}</PageSize><PageNumber>{page}</PageNumber>"
            );
            let l = latencies_after_create(&addr, &inner, (requests / 10).max(5)).await;
            print_row(&format!("Title page {page}, after a CreateHIT"), &l, "-");
        }
        let _ = std::fs::remove_dir_all(dir);
    });
}
