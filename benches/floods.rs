//! How fast parser floods are refused, and what they cost everyone else: the round trip of a
//! SOAP request with 80,000 attributes on one element and of one with 40,000 namespace
//! declarations (both unsigned, both refused with the legacy parse Fault), and the latency of a
//! normal signed GetAccountBalance while two floods are being sent without pause: one call a
//! millisecond, from when both floods are under way until at least as many floods as samples
//! have been refused.
//!
//! Run with `cargo bench --bench floods`. `BENCH_REQUESTS` sets the samples per figure.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{env_number, envelope, scratch_store, service, HEADERS, NS};
use turkstand::client::Connection;

fn flood(attributes: &str) -> String {
    format!(
        r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><GetAccountBalance xmlns="{NS}"{attributes}/></soapenv:Body></soapenv:Envelope>"#
    )
}

/// One request on a fresh connection: how long until the whole answer was read.
async fn round_trip(addr: &str, body: &str, expect: &str) -> Duration {
    let start = Instant::now();
    let mut conn = Connection::open(addr).await.expect("connect");
    let (status, reply) = conn
        .send("POST", "/", HEADERS, body.to_string())
        .await
        .expect("request");
    let elapsed = start.elapsed();
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.contains(expect), "{status}: {reply}");
    elapsed
}

fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| ms(samples[((samples.len() - 1) as f64 * q).round() as usize]);
    format!(
        "median {:.2} ms, p99 {:.2} ms, max {:.2} ms over {}",
        at(0.5),
        at(0.99),
        at(1.0),
        samples.len()
    )
}

fn main() {
    let samples = env_number("BENCH_REQUESTS", 20);
    let (dir, store) = scratch_store("turkstand-bench-floods");
    common::runtime().block_on(async {
        let addr = common::serve_with_body_limit(service(store), 4 << 20).await;
        let attributes: String = (0..80_000).map(|i| format!(" a{i}=\"\"")).collect();
        let namespaces: String = (0..40_000)
            .map(|i| format!(" xmlns:p{i}=\"urn:{i}\""))
            .collect();
        let floods = [
            ("80,000 attributes", flood(&attributes)),
            ("40,000 namespace declarations", flood(&namespaces)),
        ];
        for (what, body) in &floods {
            let mut times = Vec::new();
            for _ in 0..samples {
                times.push(round_trip(&addr, body, "AWS.MechanicalTurk.XMLParseError").await);
            }
            println!(
                "{what} ({} KB): refused in {}",
                body.len() / 1024,
                summary(times)
            );
        }

        let normal = || envelope("GetAccountBalance", "");
        let mut quiet = Vec::new();
        for _ in 0..samples {
            quiet.push(round_trip(&addr, &normal(), "<IsValid>True</IsValid>").await);
        }
        println!("GetAccountBalance alone: {}", summary(quiet));

        let stop = Arc::new(AtomicBool::new(false));
        let refused = Arc::new(AtomicUsize::new(0));
        let mut attackers = Vec::new();
        for (_, body) in floods {
            let (addr, stop, refused) = (addr.clone(), stop.clone(), refused.clone());
            attackers.push(tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    round_trip(&addr, &body, "XMLParseError").await;
                    refused.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
        while refused.load(Ordering::Relaxed) < 2 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let before = refused.load(Ordering::Relaxed);
        let mut loaded = Vec::new();
        while loaded.len() < samples || refused.load(Ordering::Relaxed) - before < samples {
            loaded.push(round_trip(&addr, &normal(), "<IsValid>True</IsValid>").await);
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let floods_sent = refused.load(Ordering::Relaxed) - before;
        stop.store(true, Ordering::Relaxed);
        for a in attackers {
            a.await.expect("attacker");
        }
        println!(
            "GetAccountBalance during two floods: {} ({floods_sent} floods refused meanwhile)",
            summary(loaded)
        );
    });
    let _ = std::fs::remove_dir_all(dir);
}
