//! What fault rules and the journal cost: SOAP GetAccountBalance requests per second at 10
//! concurrent keep-alive connections with the defaults (no rule, the journal's ring on), beside
//! the same load with the journal's ring off (the least every exchange does), with a rule that
//! never matches (every exchange takes the rules' lock), and with the journal also written to
//! a file.
//!
//! Run with `cargo bench --bench faults`. `BENCH_REQUESTS` sets the requests per round; each
//! setting runs `BENCH_ROUNDS` rounds (default 3), interleaved, and the best is reported.

mod common;

use std::sync::Arc;

use common::{env_number, envelope, requests_per_second, CONNECTIONS};
use turkstand::server::admin::api::{FaultEffect, FaultMatch, FaultRule, FaultWhen};
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

fn main() {
    let requests = env_number("BENCH_REQUESTS", 20_000);
    let rounds = env_number("BENCH_ROUNDS", 3);
    common::runtime().block_on(async move {
        let (dir, _) = common::scratch_store("turkstand-bench-faults");
        let app = |name: &str| {
            let store = turkstand::store::Store::open(
                dir.join(format!("{name}.db")).to_str().expect("utf-8 path"),
            )
            .expect("store");
            App::new(Arc::new(common::service(store)), 1 << 20)
        };
        let default = app("default");
        let mut ring_off = app("ring-off");
        ring_off.journal = Journal::new(0, &ring_off.service.accounts);
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
        file.journal = Journal::new(1000, &file.service.accounts)
            .append_to(&dir.join("journal.jsonl"))
            .expect("journal file");
        let settings = [
            ("defaults: no rule, ring on", default),
            ("journal ring off", ring_off),
            ("a rule that never matches", never),
            ("ring and --journal FILE", file),
        ];
        let mut servers = Vec::new();
        for (name, app) in settings {
            let addr = common::serve_app_on_a_free_port(app).await;
            drive(&addr, requests / 4).await; // warm-up
            servers.push((name, addr, 0f64));
        }
        for _ in 0..rounds {
            for (_, addr, best) in servers.iter_mut() {
                *best = best.max(drive(addr, requests).await);
            }
        }
        println!(
            "turkstand bench faults: SOAP GetAccountBalance, {requests} requests a round, best of {rounds}, {CONNECTIONS} connections"
        );
        let base = servers[1].2;
        for (name, _, rps) in &servers {
            println!(
                "{name:<28} {rps:>10.0} req/s   {:+.1}% against the ring off",
                (rps / base - 1.0) * 100.0
            );
        }
        let _ = std::fs::remove_dir_all(dir);
    });
}
