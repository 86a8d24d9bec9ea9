//! The load benchmark: every figure beside a bare hyper hello-world measured in the same run.
//!
//! ```sh
//! cargo bench --bench load                # 1,000 and 100,000 HITs
//! cargo bench --bench load -- --million   # and 1,000,000 HITs
//! ```
//!
//! It fills databases with the bulk loader (`loader.rs`, cached under `target/bench-db/`),
//! starts the real `turkstand serve` on a copy of each, and prints:
//! 1. reads and durable writes over SOAP and REST at 10 and 50 keep-alive connections, on the
//!    100,000-HIT database: p50, p99, requests per second and their ratio to hello-world's,
//!    and the CPU a request cost the server and the load generator (`cpu.rs`);
//! 2. a mixed run of one write to ten reads;
//! 3. at each scale, the list operations (SearchHITs at page 1 and past the middle in every
//!    sort order, also right after a CreateHIT; GetReviewableHITs; GetAssignmentsForHIT;
//!    GetQualificationRequests): p50 and p99 on one connection, requests per second over 10;
//!    with the server's start-up time, resident memory and the database's bytes per HIT.
//!
//! `BENCH_REQUESTS` sets the requests per read row (default 3000; writes take half), and
//! `BENCH_ROW_SECONDS` the most a run may take (default 10: a slow operation is measured on
//! what it answers by then). `BENCH_ROWS=GetHIT,CreateHIT` runs only the rows whose label holds
//! one of the words, `BENCH_SCALES=1000` only those scales (and `BENCH_SCALES=throughput`, or
//! `throughput,1000`, the throughput tables as well). `BENCH_THROUGHPUT_HITS=1000000` runs the
//! throughput tables on the million-HIT database instead, for the memory it takes under load.

mod cpu;
mod drive;
mod loader;
mod server;

use drive::{call, measure, Figures, Protocol, Req, Target};
use loader::Shape;
use server::Server;
use turkstand::store::AssignmentState;

pub(crate) const KEY: &str = "AKIABENCHMARK0000001";
pub(crate) const SECRET: &str = "benchmark-secret";

const PAGE_SIZE: usize = 10;
const SORTS: [&str; 5] = [
    "CreationTime",
    "Title",
    "Reward",
    "Expiration",
    "Enumeration",
];
const QUESTION: &str = r#"<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd"><HTMLContent><![CDATA[<p>Benchmark</p>]]></HTMLContent><FrameHeight>450</FrameHeight></HTMLQuestion>"#;

/// Whether the row `label` is to run (`BENCH_ROWS`).
fn wanted(label: &str) -> bool {
    std::env::var("BENCH_ROWS").map_or(true, |rows| rows.split(',').any(|w| label.contains(w)))
}

pub(crate) fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn p(k: &str, v: impl ToString) -> (&str, String) {
    (k, v.to_string())
}

/// The HITs live in a database of `n` (not disposed of), and so SearchHITs' list length.
fn live(n: usize) -> usize {
    (0..n)
        .filter(|&i| loader::shape(i) != Shape::Disposed)
        .count()
}

fn create_hit(protocol: Protocol, i: usize) -> Req {
    call(
        protocol,
        "CreateHIT",
        &[
            p("Title", format!("Benchmark task {:02}", i % 50)),
            p("Description", "Created under load"),
            p("Reward.1.Amount", "0.05"),
            p("Reward.1.CurrencyCode", "USD"),
            p("AssignmentDurationInSeconds", 3600),
            p("LifetimeInSeconds", 86_400),
            p("MaxAssignments", 3),
            p("Question", QUESTION),
        ],
    )
}

fn search(protocol: Protocol, sort: &str, page: usize) -> Req {
    call(
        protocol,
        "SearchHITs",
        &[
            p("SortProperty", sort),
            p("PageSize", PAGE_SIZE),
            p("PageNumber", page),
        ],
    )
}

/// Request `i` of a row.
type MakeReq = Box<dyn Fn(usize) -> Req>;

/// Steps of one request each: request `i` is `make(i)`.
fn each(count: usize, make: impl Fn(usize) -> Req) -> Vec<Vec<Req>> {
    (0..count).map(|i| vec![make(i)]).collect()
}

/// A table's heading, with the baseline row under it. The last two columns are the CPU a
/// request cost the server and the load generator (which shares the cores), in microseconds.
fn heading(title: &str, baseline: &Figures) {
    println!("\n{title}");
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>8} {:>8} {:>8}",
        "", "p50 ms", "p99 ms", "req/s", "x hyper", "srv us", "load us"
    );
    row("bare hyper hello-world", baseline, baseline);
}

fn row(label: &str, f: &Figures, baseline: &Figures) {
    println!(
        "{:<44} {:>9.3} {:>9.3} {:>9.0} {:>8.3} {:>8.1} {:>8.1}",
        label,
        f.p50(),
        f.p99(),
        f.rps,
        f.rps / baseline.rps,
        f.server_us,
        f.load_us
    );
}

/// The hello-world baseline at `connections`: the median run of three, by requests per second.
async fn baseline(hello: &Target, connections: usize, requests: usize) -> Figures {
    let mut runs = Vec::new();
    for _ in 0..3 {
        runs.push(
            measure(
                hello,
                connections,
                each(requests, |_| drive::plain_get()),
                drive::ok_status,
            )
            .await,
        );
    }
    runs.sort_by(|a, b| a.rps.total_cmp(&b.rps));
    runs.swap_remove(1)
}

/// Part 1 and 2: reads, writes and the mixed run against `server` on the database of `n` HITs.
async fn throughput_tables(server: &Server, n: usize, hello: &Target, reads: usize) {
    let writes = reads / 2;
    let addr = &server.target;
    let open: Vec<usize> = (0..n)
        .filter(|&i| matches!(loader::shape(i), Shape::Open(_)))
        .collect();
    // GetAssignment answers for work submitted (and then approved or not), not work in progress.
    let done: Vec<usize> = (0..n)
        .filter(|&i| matches!(loader::shape(i), Shape::Open(s) if s != AssignmentState::Accepted))
        .collect();
    let submitted: Vec<usize> =
        loader::numbered(n, Shape::Open(AssignmentState::Submitted)).collect();
    let approved: Vec<usize> =
        loader::numbered(n, Shape::Open(AssignmentState::Approved)).collect();
    let middle = live(n).div_ceil(PAGE_SIZE) / 2 + 1;
    // Each write row takes its own slice of the submitted assignments and the open HITs, as
    // many as are left of the `k` it asks for.
    let (mut next_submitted, mut next_open) = (0usize, 0usize);
    let take = |from: &[usize], at: &mut usize, k: usize| -> Vec<usize> {
        let s = from[*at..(*at + k).min(from.len())].to_vec();
        *at += s.len();
        s
    };
    for connections in [10, 50] {
        let base = baseline(hello, connections, reads).await;
        heading(
            &format!("Reads, {n} HITs, {connections} connections (SearchHITs PageSize {PAGE_SIZE}, deep page {middle})"),
            &base,
        );
        for protocol in [Protocol::Soap, Protocol::Rest] {
            let name = protocol.name();
            let reads_of: Vec<(String, Vec<Vec<Req>>)> = vec![
                (
                    "GetAccountBalance".into(),
                    each(reads, |_| call(protocol, "GetAccountBalance", &[])),
                ),
                (
                    "GetAssignment".into(),
                    each(reads, |i| {
                        call(
                            protocol,
                            "GetAssignment",
                            &[p(
                                "AssignmentId",
                                loader::assignment_id(done[i * 7 % done.len()]),
                            )],
                        )
                    }),
                ),
                (
                    "GetHIT".into(),
                    each(reads, |i| {
                        call(
                            protocol,
                            "GetHIT",
                            &[p("HITId", loader::hit_id(open[i * 7 % open.len()]))],
                        )
                    }),
                ),
                (
                    "SearchHITs page 1".into(),
                    each(reads, |_| search(protocol, "CreationTime", 1)),
                ),
                (
                    format!("SearchHITs page {middle}"),
                    each(reads, |_| search(protocol, "CreationTime", middle)),
                ),
                (
                    "GetReviewableHITs".into(),
                    each(reads, |_| {
                        call(protocol, "GetReviewableHITs", &[p("PageSize", PAGE_SIZE)])
                    }),
                ),
                (
                    "GetAssignmentsForHIT".into(),
                    each(reads, |i| {
                        call(
                            protocol,
                            "GetAssignmentsForHIT",
                            &[p("HITId", loader::hit_id(open[i * 7 % open.len()]))],
                        )
                    }),
                ),
            ];
            for (label, steps) in reads_of {
                if !wanted(&label) {
                    continue;
                }
                let f = measure(addr, connections, steps, drive::valid).await;
                row(&format!("{name} {label}"), &f, &base);
            }
        }
        let base = baseline(hello, connections, reads).await;
        heading(
            &format!("Durable writes, file store, {connections} connections"),
            &base,
        );
        let warm_and = writes + 200;
        for protocol in [Protocol::Soap, Protocol::Rest] {
            let name = protocol.name();
            if wanted("CreateHIT") {
                let f = measure(
                    addr,
                    connections,
                    each(warm_and, |i| create_hit(protocol, i)),
                    drive::valid,
                )
                .await;
                row(&format!("{name} CreateHIT"), &f, &base);
            }
            if wanted("ApproveAssignment") {
                let mine = take(&submitted, &mut next_submitted, warm_and);
                let f = measure(
                    addr,
                    connections,
                    each(mine.len(), |i| {
                        call(
                            protocol,
                            "ApproveAssignment",
                            &[
                                p("AssignmentId", loader::assignment_id(mine[i])),
                                p("RequesterFeedback", "Thanks"),
                            ],
                        )
                    }),
                    drive::valid,
                )
                .await;
                row(&format!("{name} ApproveAssignment"), &f, &base);
            }
            if wanted("GrantBonus") {
                let f = measure(
                    addr,
                    connections,
                    each(warm_and, |i| {
                        let a = approved[i * 13 % approved.len()];
                        call(
                            protocol,
                            "GrantBonus",
                            &[
                                p("WorkerId", loader::worker_id(a)),
                                p("AssignmentId", loader::assignment_id(a)),
                                p("BonusAmount.1.Amount", "0.01"),
                                p("BonusAmount.1.CurrencyCode", "USD"),
                                p("Reason", "Well done"),
                            ],
                        )
                    }),
                    drive::valid,
                )
                .await;
                row(&format!("{name} GrantBonus"), &f, &base);
            }
        }
        let mine = if wanted("accept") {
            take(&open, &mut next_open, warm_and)
        } else {
            Vec::new()
        };
        let steps: Vec<Vec<Req>> = mine
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let worker = format!("ALOADWORKER{connections:02}{k:07}");
                vec![drive::admin(
                    &format!("workers/{worker}/accept"),
                    format!(r#"{{"HITId":"{}"}}"#, loader::hit_id(i)),
                )]
            })
            .collect();
        // The accepted assignments' ids come back in the replies; accepting and submitting is
        // timed as one step by sending the submit for the id the accept named.
        if wanted("accept") {
            let f = accept_and_submit(addr, connections, steps).await;
            row("admin worker accept + submit", &f, &base);
        }

        let base = baseline(hello, connections, reads).await;
        heading(
            &format!("Mixed, one CreateHIT to ten reads (SOAP), {connections} connections"),
            &base,
        );
        if !wanted("mixed") {
            continue;
        }
        let f = measure(
            addr,
            connections,
            each(reads, |i| match i % 11 {
                0 => create_hit(Protocol::Soap, i),
                1..=4 => call(
                    Protocol::Soap,
                    "GetHIT",
                    &[p("HITId", loader::hit_id(open[i * 7 % open.len()]))],
                ),
                5..=8 => call(
                    Protocol::Soap,
                    "GetAssignment",
                    &[p(
                        "AssignmentId",
                        loader::assignment_id(done[i * 7 % done.len()]),
                    )],
                ),
                9 => search(Protocol::Soap, "Title", 1),
                _ => call(Protocol::Soap, "GetReviewableHITs", &[]),
            }),
            drive::valid,
        )
        .await;
        row("SOAP mixed 1:10", &f, &base);
    }
}

/// Accept then submit, each pair on one connection and timed as one.
async fn accept_and_submit(addr: &Target, connections: usize, accepts: Vec<Vec<Req>>) -> Figures {
    drive::run_chained(addr, connections, accepts, |reply| {
        let text = String::from_utf8_lossy(reply);
        let id = text
            .split("\"AssignmentId\":\"")
            .nth(1)?
            .split('"')
            .next()?
            .to_string();
        Some(drive::admin(
            &format!("assignments/{id}/submit"),
            r#"{"answers":{"q1":"blue"}}"#.into(),
        ))
    })
    .await
}

/// Part 3 at one scale: the list operations' latency on one connection and throughput over 10.
async fn scale_table(
    n: usize,
    requests: usize,
    hello: &Target,
    build: Option<std::time::Duration>,
    db: &std::path::Path,
) {
    let server = Server::start(db, &format!("scale-{n}"));
    let addr = &server.target;
    let base1 = baseline(hello, 1, requests).await;
    let base10 = baseline(hello, 10, requests).await;
    let middle = live(n).div_ceil(PAGE_SIZE) / 2 + 1;
    let bytes = server::size(db);
    println!(
        "\nAt {n} HITs ({n} assignments): database {:.1} MB, {:.0} bytes per HIT{}; start-up {:.0} ms",
        bytes as f64 / 1e6,
        bytes as f64 / n as f64,
        build.map_or(String::new(), |d| format!(", loaded in {:.1} s", d.as_secs_f64())),
        server.startup.as_secs_f64() * 1000.0
    );
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>8}",
        "(latency on 1 connection, req/s over 10)", "p50 ms", "p99 ms", "req/s", "x hyper"
    );
    let one_row = |label: String, one: Figures, ten: Figures| {
        println!(
            "{:<44} {:>9.3} {:>9.3} {:>9.0} {:>8.3}",
            label,
            one.p50(),
            one.p99(),
            ten.rps,
            ten.rps / base10.rps
        );
    };
    println!(
        "{:<44} {:>9.3} {:>9.3} {:>9.0} {:>8.3}",
        "bare hyper hello-world",
        base1.p50(),
        base1.p99(),
        base10.rps,
        1.0
    );
    let rows: Vec<(String, MakeReq)> = {
        let mut rows: Vec<(String, MakeReq)> = Vec::new();
        for sort in SORTS {
            for page in [1, middle] {
                rows.push((
                    format!("SearchHITs {sort} page {page}"),
                    Box::new(move |_| search(Protocol::Soap, sort, page)),
                ));
            }
        }
        rows.push((
            "GetReviewableHITs page 1".into(),
            Box::new(|_| {
                call(
                    Protocol::Soap,
                    "GetReviewableHITs",
                    &[p("PageSize", PAGE_SIZE)],
                )
            }),
        ));
        let open: Vec<usize> = (0..n)
            .filter(|&i| matches!(loader::shape(i), Shape::Open(_)))
            .collect();
        rows.push((
            "GetAssignmentsForHIT".into(),
            Box::new(move |i| {
                call(
                    Protocol::Soap,
                    "GetAssignmentsForHIT",
                    &[p("HITId", loader::hit_id(open[i * 7 % open.len()]))],
                )
            }),
        ));
        rows.push((
            "GetQualificationRequests page 1".into(),
            Box::new(|_| {
                call(
                    Protocol::Soap,
                    "GetQualificationRequests",
                    &[p("PageSize", PAGE_SIZE)],
                )
            }),
        ));
        rows
    };
    for (label, make) in rows {
        if !wanted(&label) {
            continue;
        }
        let one = measure(addr, 1, each(requests, &make), drive::valid).await;
        let ten = measure(addr, 10, each(requests, &make), drive::valid).await;
        one_row(label, one, ten);
    }
    for sort in SORTS {
        for page in [1, middle] {
            let label = format!("SearchHITs {sort} page {page} after CreateHIT");
            if !wanted(&label) {
                continue;
            }
            // The search alone is timed; the CreateHIT before it is what it must see.
            let steps: Vec<Vec<Req>> = (0..requests / 5)
                .map(|i| {
                    vec![
                        create_hit(Protocol::Soap, i),
                        search(Protocol::Soap, sort, page),
                    ]
                })
                .collect();
            let f = drive::run_last_timed(addr, 1, steps, drive::valid).await;
            println!(
                "{:<44} {:>9.3} {:>9.3} {:>9} {:>8}",
                label,
                f.p50(),
                f.p99(),
                "-",
                "-"
            );
        }
    }
    let (rss, peak) = server.memory_mb();
    println!("server memory after the load: {rss:.0} MB resident, {peak:.0} MB at peak");
}

fn main() {
    let million = std::env::args().any(|a| a == "--million");
    let reads = env_number("BENCH_REQUESTS", 3000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .on_thread_start(|| cpu::LOAD.register())
        .enable_all()
        .build()
        .expect("runtime");
    let hello = drive::hello_world();
    let mut scales = vec![1_000, 100_000];
    if million {
        scales.push(1_000_000);
    }
    if let Ok(only) = std::env::var("BENCH_SCALES") {
        scales.retain(|n| only.split(',').any(|s| s == n.to_string()));
    }
    let dbs: Vec<_> = scales.iter().map(|&n| (n, server::prepared(n))).collect();
    println!(
        "turkstand load benchmark: {reads} requests per read row, {} per write row; {} cores",
        reads / 2,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    runtime.block_on(async {
        if std::env::var("BENCH_SCALES").map_or(true, |only| only.contains("throughput")) {
            let hits = env_number("BENCH_THROUGHPUT_HITS", 100_000);
            let (db, _) = server::prepared(hits);
            let server = Server::start(&db, "throughput");
            throughput_tables(&server, hits, &hello, reads).await;
            let (rss, peak) = server.memory_mb();
            println!("server memory after the load: {rss:.0} MB resident, {peak:.0} MB at peak");
        }
        for (n, (db, build)) in &dbs {
            scale_table(*n, reads / 10, &hello, *build, db).await;
        }
    });
}
