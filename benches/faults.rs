//! What fault rules and the journal cost when no rule is set. Each setting is one server: the
//! defaults (no rule, the journal's ring of 64 on); one with nothing observing its exchanges (the
//! journal off and no rule, so an exchange is not even described), the baseline; a second such
//! server, a control that shows the noise floor; one with a rule that never matches (every
//! exchange takes the rules' lock); one that also writes the journal to a file; and one whose
//! ring keeps 1,000 exchanges, for what a larger ring costs: every exchange kept is some 2 KB
//! that the next exchanges write to and free from memory out of cache.
//!
//! Two tables, both of SOAP GetAccountBalance:
//! - **In process**: the router driven without a socket, one exchange at a time, so that the
//!   time an exchange takes is the server's work alone. This is the figure the cost is read
//!   from: it leaves out the network and hyper's connection work, so it overstates the share.
//! - **Over HTTP**: requests per second at 10 keep-alive connections. A shared 2-core machine
//!   moves this by a few percent between two identical servers (see the control), more than
//!   the cost being measured.
//!
//! Each round measures every setting once, in an order that turns each round; a setting's cost
//! is the median over the rounds of its figure against the baseline's in the same round.
//!
//! Run with `cargo bench --bench faults`. `BENCH_ROUNDS` (default 31), `BENCH_CALLS` (exchanges
//! a setting a round in process, default 2,000) and `BENCH_REQUESTS` (over HTTP, default 3,000).

mod common;

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::Router;
use common::{env_number, envelope, requests_per_second, CONNECTIONS, HEADERS};
use tower::ServiceExt;
use turkstand::server::admin::api::{FaultEffect, FaultMatch, FaultRule, FaultWhen};
use turkstand::server::journal::DEFAULT_JOURNAL_SIZE;
use turkstand::server::{App, Journal};

const VALID: &[u8] = b"<IsValid>True</IsValid>";

async fn drive(addr: &str, n: usize) -> f64 {
    requests_per_second(
        addr,
        n,
        |_| envelope("GetAccountBalance", ""),
        |status, reply| {
            assert!(
                status == 200 && reply.windows(VALID.len()).any(|w| w == VALID),
                "unexpected reply: {}",
                String::from_utf8_lossy(reply)
            );
        },
    )
    .await
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    match xs.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => xs[n / 2],
        n => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

/// Seconds an exchange takes, over `n` exchanges made one after another through `router`.
async fn exchange_time(router: &Router, n: usize) -> f64 {
    let body = bytes::Bytes::from(envelope("GetAccountBalance", ""));
    let start = Instant::now();
    for _ in 0..n {
        let mut req = hyper::Request::post("/");
        for (name, value) in HEADERS {
            req = req.header(*name, *value);
        }
        let req = req.body(Body::from(body.clone())).expect("request");
        let answer = router.clone().oneshot(req).await.expect("infallible");
        let status = answer.status();
        let reply = axum::body::to_bytes(answer.into_body(), usize::MAX)
            .await
            .expect("body");
        assert!(
            status == 200 && reply.windows(VALID.len()).any(|w| w == VALID),
            "unexpected reply: {}",
            String::from_utf8_lossy(&reply)
        );
    }
    start.elapsed().as_secs_f64() / n as f64
}

/// Runs `measure` for every setting, `rounds` times in turning order: each setting's runs.
async fn rounds_of<T: Clone, F, Fut>(settings: &[T], rounds: usize, measure: F) -> Vec<Vec<f64>>
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = f64>,
{
    let n = settings.len();
    let mut runs = vec![Vec::new(); n];
    for round in 0..rounds {
        for i in 0..n {
            let at = (i + round) % n;
            runs[at].push(measure(settings[at].clone()).await);
        }
    }
    runs
}

/// Each setting's median figure, and the median over the rounds of how much worse it was
/// than the baseline (the first), as a percentage; `higher_is_better` for throughput.
fn table(names: &[&str], runs: &[Vec<f64>], unit: &str, higher_is_better: bool) {
    println!(
        "{:<34} {:>14} {:>26}",
        "setting", unit, "cost against the baseline"
    );
    for (name, r) in names.iter().zip(runs) {
        let ratios = r
            .iter()
            .zip(&runs[0])
            .map(|(x, b)| if higher_is_better { b / x } else { x / b })
            .collect();
        let cost = (median(ratios) - 1.0) * 100.0;
        let figure = median(r.clone());
        let figure = if higher_is_better {
            figure
        } else {
            figure * 1e6
        };
        println!("{name:<34} {figure:>14.2} {cost:>25.1}%");
    }
}

fn main() {
    let requests = env_number("BENCH_REQUESTS", 3_000);
    let calls = env_number("BENCH_CALLS", 2_000);
    let rounds = env_number("BENCH_ROUNDS", 31);
    common::runtime().block_on(async move {
        let (dir, _) = common::scratch_store("turkstand-bench-faults");
        let app = |name: &str| {
            let store = turkstand::store::Store::open(
                dir.join(format!("{name}.db")).to_str().expect("utf-8 path"),
            )
            .expect("store");
            App::new(Arc::new(common::service(store)), 1 << 20)
        };
        let unobserved = |name: &str| {
            let mut a = app(name);
            a.journal = Journal::new(0, &a.service.accounts);
            a
        };
        let never = app("never");
        never
            .faults
            .add(FaultRule {
                matching: FaultMatch {
                    operation: Some("CreateHIT".into()),
                    ..FaultMatch::default()
                },
                when: FaultWhen::Always,
                effect: FaultEffect::Throttle,
            })
            .expect("rule");
        let mut file = app("file");
        file.journal = Journal::new(DEFAULT_JOURNAL_SIZE, &file.service.accounts)
            .append_to(&dir.join("journal.jsonl"))
            .expect("journal file");
        let settings = [
            ("baseline: nothing observed", unobserved("baseline")),
            ("control: nothing observed", unobserved("control")),
            ("defaults: no rule, ring on", app("default")),
            ("a rule that never matches", never),
            ("ring and --journal FILE", file),
            ("no rule, a ring of 1,000", {
                let mut a = app("ring-1000");
                a.journal = Journal::new(1000, &a.service.accounts);
                a
            }),
        ];
        let names: Vec<&str> = settings.iter().map(|(name, _)| *name).collect();
        let mut routers = Vec::new();
        let mut servers = Vec::new();
        for (_, app) in settings {
            let app = Arc::new(app);
            let router = turkstand::server::router(app.clone());
            exchange_time(&router, calls / 2).await; // warm-up
            routers.push(router);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let addr = listener.local_addr().expect("addr").to_string();
            tokio::spawn(turkstand::server::serve(listener, app));
            drive(&addr, requests / 2).await; // warm-up
            servers.push(addr);
        }
        let in_process = rounds_of(&routers, rounds, |r| async move {
            exchange_time(&r, calls).await
        })
        .await;
        let over_http = rounds_of(&servers, rounds, |addr| async move {
            drive(&addr, requests).await
        })
        .await;
        println!(
            "turkstand bench faults: SOAP GetAccountBalance, {rounds} rounds, medians\n\n\
             In process, one exchange at a time ({calls} a setting a round):"
        );
        table(&names, &in_process, "µs an exchange", false);
        println!("\nOver HTTP, {CONNECTIONS} connections ({requests} requests a setting a round):");
        table(&names, &over_http, "req/s", true);
        let _ = std::fs::remove_dir_all(dir);
    });
}
