//! The load: signed SOAP and REST requests, many keep-alive connections sending them as fast
//! as answers come back, and the bare hyper server every figure is compared with.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Response;
use hyper_util::rt::TokioIo;

use turkstand::auth::{legacy_signature, SERVICE};
use turkstand::client::Connection;

use crate::cpu::{self, Threads};
use crate::{KEY, SECRET};

/// A server under load: where it listens, and the threads whose CPU it spends.
pub(crate) struct Target {
    pub(crate) addr: String,
    pub(crate) threads: Threads,
}

const NS: &str = "http://requester.mturk.amazonaws.com/doc/2014-08-15";
const SOAP_HEADERS: &[(&str, &str)] = &[
    ("content-type", "text/xml; charset=utf-8"),
    ("soapaction", "\"http://soap.amazon.com\""),
];
const JSON_HEADERS: &[(&str, &str)] = &[("content-type", "application/json")];

/// One request, ready to send.
#[derive(Clone)]
pub(crate) struct Req {
    method: &'static str,
    path: String,
    headers: &'static [(&'static str, &'static str)],
    body: Bytes,
    /// Whether its reply is handed to the run's `Follow`.
    follows_up: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    Soap,
    Rest,
}

impl Protocol {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Protocol::Soap => "SOAP",
            Protocol::Rest => "REST",
        }
    }
}

fn timestamp() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Escapes `s` for XML text.
pub(crate) fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `op` with `params`, signed now by the benchmark account. Parameters are named as REST names
/// them (`Reward.1.Amount`); SOAP nests them (`<Reward><Amount>`).
pub(crate) fn call(protocol: Protocol, op: &str, params: &[(&str, String)]) -> Req {
    let ts = timestamp();
    let sig = legacy_signature(SECRET, SERVICE, op, &ts);
    match protocol {
        Protocol::Soap => {
            let mut inner = String::new();
            // `Reward.1.Amount` then `Reward.1.CurrencyCode` are one <Reward> holding both.
            let mut open: Option<&str> = None;
            for (k, v) in params {
                let (parent, child) = match k.split_once(".1.") {
                    Some((parent, child)) => (Some(parent), child),
                    None => (None, *k),
                };
                if open != parent {
                    if let Some(o) = open {
                        inner.push_str(&format!("</{o}>"));
                    }
                    if let Some(p) = parent {
                        inner.push_str(&format!("<{p}>"));
                    }
                    open = parent;
                }
                inner.push_str(&format!("<{child}>{}</{child}>", escaped(v)));
            }
            if let Some(o) = open {
                inner.push_str(&format!("</{o}>"));
            }
            let body = format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><{op} xmlns="{NS}"><AWSAccessKeyId>{KEY}</AWSAccessKeyId><Timestamp>{ts}</Timestamp><Signature>{sig}</Signature><Request>{inner}</Request></{op}></soapenv:Body></soapenv:Envelope>"#
            );
            Req {
                method: "POST",
                path: "/".into(),
                headers: SOAP_HEADERS,
                body: body.into(),
                follows_up: false,
            }
        }
        Protocol::Rest => {
            let mut q = form_urlencoded::Serializer::new(String::new());
            q.append_pair("Service", SERVICE)
                .append_pair("Operation", op)
                .append_pair("Version", "2014-08-15")
                .append_pair("AWSAccessKeyId", KEY)
                .append_pair("Timestamp", &ts)
                .append_pair("Signature", &sig);
            for (k, v) in params {
                q.append_pair(k, v);
            }
            Req {
                method: "GET",
                path: format!("/?{}", q.finish()),
                headers: &[],
                body: Bytes::new(),
                follows_up: false,
            }
        }
    }
}

/// A JSON request to the admin API.
pub(crate) fn admin(path: &str, json: String) -> Req {
    Req {
        method: "POST",
        path: format!("/_turkstand/{path}"),
        headers: JSON_HEADERS,
        body: json.into(),
        follows_up: false,
    }
}

pub(crate) fn plain_get() -> Req {
    Req {
        method: "GET",
        path: "/".into(),
        headers: &[],
        body: Bytes::new(),
        follows_up: false,
    }
}

/// What a run measured: latencies sorted, steps per second, and the CPU microseconds a step
/// cost the server and the load generator.
pub(crate) struct Figures {
    pub(crate) latencies: Vec<Duration>,
    pub(crate) rps: f64,
    pub(crate) server_us: f64,
    pub(crate) load_us: f64,
}

impl Figures {
    fn at(&self, per_mille: usize) -> f64 {
        let l = &self.latencies;
        if l.is_empty() {
            return f64::NAN;
        }
        l[(l.len() * per_mille / 1000).min(l.len() - 1)].as_secs_f64() * 1000.0
    }
    pub(crate) fn p50(&self) -> f64 {
        self.at(500)
    }
    pub(crate) fn p99(&self) -> f64 {
        self.at(990)
    }
}

/// How a reply is judged: a failed check stops the benchmark, since its figures would lie.
pub(crate) type Check = fn(u16, &[u8]) -> bool;

pub(crate) fn valid(status: u16, body: &[u8]) -> bool {
    status == 200 && contains(body, b"<IsValid>True</IsValid>") && !contains(body, b"<Errors>")
}

pub(crate) fn ok_status(status: u16, _: &[u8]) -> bool {
    status == 200
}

/// Whether `what` occurs in `body`. The load generator shares the two cores with the server it
/// measures, so this must cost next to nothing: a naive scan of a 3 KB reply took microseconds.
pub(crate) fn contains(body: &[u8], what: &[u8]) -> bool {
    memchr::memmem::find(body, what).is_some()
}

/// A request made from the reply to the one before it (the submit of an accepted assignment).
pub(crate) type Follow = fn(&[u8]) -> Option<Req>;

/// Sends every request of `steps` once, over `connections` keep-alive connections, each
/// connection taking the next unsent step: a step is one or more requests sent in order on
/// one connection, then `follow`'s request if given. A step is timed as a whole, or only its
/// last request when `last_only`.
async fn run_with(
    target: &Target,
    connections: usize,
    steps: Vec<Vec<Req>>,
    check: Check,
    follow: Option<Follow>,
    last_only: bool,
) -> Figures {
    let steps = Arc::new(steps);
    let next = Arc::new(AtomicUsize::new(0));
    let cpu = cpu::Mark::now(&target.threads);
    let start = Instant::now();
    // A slow operation is measured on what it answers in the time a run is given.
    let deadline = start + Duration::from_secs(crate::env_number("BENCH_ROW_SECONDS", 10) as u64);
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (addr, next, steps) = (target.addr.clone(), next.clone(), steps.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = Connection::open(&addr).await.expect("connect");
            let mut took = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= steps.len() || Instant::now() > deadline {
                    break;
                }
                let mut begun = Instant::now();
                let mut queue: Vec<Req> = steps[i].iter().rev().cloned().collect();
                while let Some(r) = queue.pop() {
                    if last_only && queue.is_empty() {
                        begun = Instant::now();
                    }
                    let (status, reply) = conn
                        .send(r.method, &r.path, r.headers, r.body.clone())
                        .await
                        .expect("request");
                    if !check(status, &reply) {
                        return Err(format!(
                            "unexpected reply to {} {}: {status} {}",
                            r.method,
                            &r.path[..r.path.len().min(200)],
                            String::from_utf8_lossy(&reply[..reply.len().min(1500)])
                        ));
                    }
                    if queue.is_empty() && r.follows_up {
                        if let Some(more) = follow.and_then(|f| f(&reply)) {
                            queue.push(more);
                        }
                    }
                }
                took.push(begun.elapsed());
            }
            Ok(took)
        }));
    }
    let mut latencies = Vec::with_capacity(steps.len());
    for t in tasks {
        match t.await.expect("load task") {
            Ok(took) => latencies.extend(took),
            // Stop the whole benchmark (its servers stopped as it unwinds): the figures would lie.
            Err(e) => panic!("{e}"),
        }
    }
    let rps = latencies.len() as f64 / start.elapsed().as_secs_f64();
    let (server_us, load_us) = cpu.per_step(&target.threads, latencies.len());
    latencies.sort();
    Figures {
        latencies,
        rps,
        server_us,
        load_us,
    }
}

pub(crate) async fn run(
    target: &Target,
    connections: usize,
    steps: Vec<Vec<Req>>,
    check: Check,
) -> Figures {
    run_with(target, connections, steps, check, None, false).await
}

/// Like `run`, each step's last request alone timed.
pub(crate) async fn run_last_timed(
    target: &Target,
    connections: usize,
    steps: Vec<Vec<Req>>,
    check: Check,
) -> Figures {
    run_with(target, connections, steps, check, None, true).await
}

/// Like `run`, each step's request followed by `follow`'s, the pair timed as one.
pub(crate) async fn run_chained(
    target: &Target,
    connections: usize,
    steps: Vec<Vec<Req>>,
    follow: Follow,
) -> Figures {
    let steps: Vec<Vec<Req>> = steps
        .into_iter()
        .map(|s| {
            s.into_iter()
                .map(|r| Req {
                    follows_up: true,
                    ..r
                })
                .collect()
        })
        .collect();
    run_with(target, connections, steps, ok_status, Some(follow), false).await
}

/// Runs the first steps to warm up, then the rest to measure.
pub(crate) async fn measure(
    target: &Target,
    connections: usize,
    mut steps: Vec<Vec<Req>>,
    check: Check,
) -> Figures {
    // Writes cannot be repeated (an approval is made once): the warm-up steps are not measured.
    let warm = (steps.len() / 10).min(200);
    let measured = steps.split_off(warm);
    run(target, connections, steps, check).await;
    run(target, connections, measured, check).await
}

/// A hyper hello-world on its own two-thread runtime, as a plain HTTP server does it.
pub(crate) fn hello_world() -> Target {
    let (tx, rx) = std::sync::mpsc::channel();
    let threads = Threads::registry();
    let registry = threads.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .on_thread_start(move || registry.register())
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr").to_string())
                .expect("send address");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move {
                    let svc = service_fn(|_req| async {
                        Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(
                            b"Hello, world",
                        ))))
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
    });
    Target {
        addr: rx.recv().expect("hello-world address"),
        threads,
    }
}
