//! SearchHITs over SOAP through the real server, on one requester's 100,000 HITs: latency and
//! throughput of page 1 against page 500 (and the last page) at PageSize 100, for several sort
//! orders. Paging runs on an index, so a deep page should cost about what the first one does.
//!
//! Run with `cargo bench --bench search`. `BENCH_HITS` sets the number of HITs (default 100,000),
//! `BENCH_REQUESTS` the requests per measurement (default 300).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;

use turkstand::auth::{legacy_signature, SERVICE};
use turkstand::client::Connection;
use turkstand::clock::Clock;
use turkstand::config::Account;
use turkstand::handlers::Service;
use turkstand::money::Cents;
use turkstand::server::{serve, App};
use turkstand::store::{Hit, HitReviewStatus, HitState, HitType, Store, StoreError};
use turkstand::xml::ParseLimits;

const CONNECTIONS: usize = 10;
const KEY: &str = "AKIABENCHMARK0000001";
const SECRET: &str = "benchmark-secret";
const NS: &str = "http://requester.mturk.amazonaws.com/doc/2014-08-15";
const PAGE_SIZE: usize = 100;
const QUESTION: &str = r#"<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd"><HTMLContent><![CDATA[<p>Benchmark</p>]]></HTMLContent><FrameHeight>450</FrameHeight></HTMLQuestion>"#;

fn envelope(inner: &str) -> String {
    envelope_for("SearchHITs", inner)
}

fn envelope_for(op: &str, inner: &str) -> String {
    let ts = Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    let sig = legacy_signature(SECRET, SERVICE, op, &ts);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><{op} xmlns="{NS}"><AWSAccessKeyId>{KEY}</AWSAccessKeyId><Timestamp>{ts}</Timestamp><Signature>{sig}</Signature><Request>{inner}</Request></{op}></soapenv:Body></soapenv:Envelope>"#
    )
}

const HEADERS: &[(&str, &str)] = &[
    ("content-type", "text/xml; charset=utf-8"),
    ("soapaction", "\"http://soap.amazon.com\""),
];

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
            .send("POST", "/", HEADERS, envelope_for("CreateHIT", &create))
            .await
            .expect("create");
        let text = String::from_utf8_lossy(&reply);
        assert!(
            status == 200 && text.contains("<IsValid>True</IsValid>"),
            "{text}"
        );
        let start = Instant::now();
        let (status, reply) = conn
            .send("POST", "/", HEADERS, envelope(inner))
            .await
            .expect("request");
        out.push(start.elapsed());
        check(status, &reply);
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
        let body = envelope(inner);
        let start = Instant::now();
        let (status, reply) = conn
            .send("POST", "/", HEADERS, body)
            .await
            .expect("request");
        out.push(start.elapsed());
        check(status, &reply);
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
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (addr, inner, next) = (addr.to_string(), inner.to_string(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = Connection::open(&addr).await.expect("connect");
            while next.fetch_add(1, Ordering::Relaxed) < n {
                let (status, reply) = conn
                    .send("POST", "/", HEADERS, envelope(&inner))
                    .await
                    .expect("request");
                check(status, &reply);
            }
        }));
    }
    for t in tasks {
        t.await.expect("load task");
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let hits = env("BENCH_HITS", 100_000);
    let requests = env("BENCH_REQUESTS", 300);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let dir = std::env::temp_dir().join(format!("turkstand-search-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("bench dir");
        let db = dir.join("bench.db");
        let store = Store::open(db.to_str().expect("utf-8 path")).expect("store");
        let account = Account {
            access_key_id: KEY.into(),
            secret_access_key: SECRET.into(),
            balance: Cents(10_000_000_000),
        };
        let built = Instant::now();
        build(&store, hits);
        let build_time = built.elapsed();
        let service = Service::new(store, Clock::system(), vec![account]).expect("service");
        let app = Arc::new(App {
            service: service.into(),
            max_body_bytes: 1 << 20,
            limits: ParseLimits::default(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr").to_string();
        tokio::spawn(serve(listener, app));

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
                let mean = l.iter().sum::<Duration>() / l.len() as u32;
                let rps = throughput(&addr, &inner, requests).await;
                println!(
                    "{:<34} {:>9.2} {:>9.2} {:>9.2} {:>10.0}",
                    format!("{sort} {direction} page {page}"),
                    ms(l[l.len() / 2]),
                    ms(l[(l.len() * 99 / 100).min(l.len() - 1)]),
                    ms(mean),
                    rps
                );
            }
        }
        for page in [1, 500.min(last)] {
            let inner = format!(
                "<SortProperty>Title</SortProperty><PageSize>{PAGE_SIZE}</PageSize><PageNumber>{page}</PageNumber>"
            );
            let l = latencies_after_create(&addr, &inner, (requests / 10).max(5)).await;
            let mean = l.iter().sum::<Duration>() / l.len() as u32;
            println!(
                "{:<34} {:>9.2} {:>9.2} {:>9.2} {:>10}",
                format!("Title page {page}, after a CreateHIT"),
                ms(l[l.len() / 2]),
                ms(l[(l.len() * 99 / 100).min(l.len() - 1)]),
                ms(mean),
                "-"
            );
        }
        let _ = std::fs::remove_dir_all(dir);
    });
}
