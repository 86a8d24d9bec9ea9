//! What both benchmarks share: the benchmark account, signed SOAP envelopes, a server on a
//! scratch database, and the load of many keep-alive connections at once.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use turkstand::auth::{legacy_signature, SERVICE};
use turkstand::client::Connection;
use turkstand::clock::Clock;
use turkstand::config::Account;
use turkstand::handlers::Service;
use turkstand::money::Cents;
use turkstand::server::{serve, App};
use turkstand::store::Store;

pub(crate) const CONNECTIONS: usize = 10;
pub(crate) const KEY: &str = "AKIABENCHMARK0000001";
pub(crate) const SECRET: &str = "benchmark-secret";
pub(crate) const NS: &str = "http://requester.mturk.amazonaws.com/doc/2014-08-15";

pub(crate) const HEADERS: &[(&str, &str)] = &[
    ("content-type", "text/xml; charset=utf-8"),
    ("soapaction", "\"http://soap.amazon.com\""),
];

/// A SOAP envelope for `op` signed now by the benchmark account, `inner` being its Request.
pub(crate) fn envelope(op: &str, inner: &str) -> String {
    let ts = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    let sig = legacy_signature(SECRET, SERVICE, op, &ts);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><{op} xmlns="{NS}"><AWSAccessKeyId>{KEY}</AWSAccessKeyId><Timestamp>{ts}</Timestamp><Signature>{sig}</Signature><Request>{inner}</Request></{op}></soapenv:Body></soapenv:Envelope>"#
    )
}

/// The number in the environment variable `name`, or `default` when it is unset or no number.
pub(crate) fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// A fresh store in the temporary directory `name`-<pid>, which the caller removes at the end.
pub(crate) fn scratch_store(name: &str) -> (PathBuf, Store) {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench dir");
    let db = dir.join("bench.db");
    let store = Store::open(db.to_str().expect("utf-8 path")).expect("store");
    (dir, store)
}

/// The service on `store` with the one benchmark account, rich enough for any run.
pub(crate) fn service(store: Store) -> Service {
    let account = Account {
        access_key_id: KEY.into(),
        secret_access_key: SECRET.into(),
        balance: Cents(10_000_000_000),
    };
    Service::new(store, Clock::system(), vec![account]).expect("service")
}

/// Serves `service` on a free local port: its address.
pub(crate) async fn serve_on_a_free_port(service: Service) -> String {
    serve_with_body_limit(service, 1 << 20).await
}

/// [`serve_on_a_free_port`] taking bodies of up to `max_body_bytes`.
pub(crate) async fn serve_with_body_limit(service: Service, max_body_bytes: usize) -> String {
    serve_app_on_a_free_port(App::new(Arc::new(service), max_body_bytes)).await
}

/// Serves `app` on a free local port: its address.
pub(crate) async fn serve_app_on_a_free_port(app: App) -> String {
    let app = Arc::new(app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    tokio::spawn(serve(listener, app));
    addr
}

/// Requests per second for `n` requests over `CONNECTIONS` concurrent keep-alive connections:
/// request `i` sends `body(i)`, and every reply must pass `check`.
pub(crate) async fn requests_per_second<B, C>(addr: &str, n: usize, body: B, check: C) -> f64
where
    B: Fn(usize) -> String + Send + Sync + 'static,
    C: Fn(u16, &[u8]) + Send + Sync + 'static,
{
    let (body, check) = (Arc::new(body), Arc::new(check));
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (addr, next) = (addr.to_string(), next.clone());
        let (body, check) = (body.clone(), check.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = Connection::open(&addr).await.expect("connect");
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let (status, reply) = conn
                    .send("POST", "/", HEADERS, body(i))
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
