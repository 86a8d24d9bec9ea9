//! Requests per second for SOAP GetAssignment and ApproveAssignment at 10 concurrent keep-alive
//! connections, beside a bare hyper hello-world server measured the same way.
//!
//! Run with `cargo bench --bench soap`. `BENCH_REQUESTS` sets the requests per scenario.

mod common;

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Response;
use hyper_util::rt::TokioIo;

use common::{env_number, envelope, requests_per_second, CONNECTIONS, KEY};
use turkstand::handlers::worker::{self as workers, Answers};
use turkstand::handlers::Context;
use turkstand::model::requester::{CreateHITRequest, Price, Requester};

const FORM: &str = r#"<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd"><Question><QuestionIdentifier>q</QuestionIdentifier><QuestionContent><Text>Q?</Text></QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>"#;

/// Sends every body once over `CONNECTIONS` keep-alive connections; returns requests per second.
async fn drive(addr: &str, bodies: Arc<Vec<String>>, expect: &'static str) -> f64 {
    let n = bodies.len();
    requests_per_second(
        addr,
        n,
        move |i| bodies[i].clone(),
        move |status, reply| {
            assert!(
                status == 200 && reply.windows(expect.len()).any(|w| w == expect.as_bytes()),
                "unexpected reply: {}",
                String::from_utf8_lossy(reply)
            );
        },
    )
    .await
}

async fn hello_world() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    tokio::spawn(async move {
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
    addr
}

fn main() {
    let requests = env_number("BENCH_REQUESTS", 20_000);
    common::runtime().block_on(async move {
        let (dir, store) = common::scratch_store("turkstand-bench");
        let service = common::service(store);

        // Enough submitted assignments for every approval, spread over HITs of 1,000 slots.
        let ctx = Context { requester: KEY.into(), request_id: "bench".into(), now: chrono::Utc::now() };
        let mut assignment_ids = Vec::with_capacity(requests);
        while assignment_ids.len() < requests {
            let hit = service
                .create_hit(&ctx, CreateHITRequest {
                    title: Some("Benchmark".into()),
                    description: Some("Benchmark HIT".into()),
                    reward: Some(Price { amount: "0.05".parse().expect("decimal"), currency_code: "USD".into(), formatted_price: None }),
                    assignment_duration_in_seconds: Some(3600),
                    lifetime_in_seconds: 86_400,
                    max_assignments: Some(1000),
                    question: Some(FORM.into()),
                    ..Default::default()
                })
                .expect("create HIT");
            let hit_id = hit.hit_id.expect("HITId");
            for w in 0..1000 {
                if assignment_ids.len() == requests {
                    break;
                }
                let a = workers::accept(&service, &format!("W{w}"), &hit_id).expect("accept");
                workers::submit(&service, &a, Answers::FreeText(vec![("q".into(), "answer".into())])).expect("submit");
                assignment_ids.push(a);
            }
        }
        let addr = common::serve_on_a_free_port(service).await;
        let hello = hello_world().await;

        let hello_bodies = Arc::new(vec![String::new(); requests]);
        drive(&hello, hello_bodies.clone(), "Hello").await; // warm-up
        let hello_rps = drive(&hello, hello_bodies, "Hello").await;

        let get: Arc<Vec<String>> = Arc::new(
            assignment_ids.iter().map(|a| envelope("GetAssignment", &format!("<AssignmentId>{a}</AssignmentId>"))).collect(),
        );
        drive(&addr, get.clone(), "<IsValid>True</IsValid>").await; // warm-up
        let get_rps = drive(&addr, get, "<IsValid>True</IsValid>").await;

        let approve: Arc<Vec<String>> = Arc::new(
            assignment_ids
                .iter()
                .map(|a| envelope("ApproveAssignment", &format!("<AssignmentId>{a}</AssignmentId><RequesterFeedback>Thanks</RequesterFeedback>")))
                .collect(),
        );
        let approve_rps = drive(&addr, approve, "<IsValid>True</IsValid>").await;

        println!("turkstand bench: {requests} requests per scenario, {CONNECTIONS} concurrent keep-alive connections");
        println!("hyper hello-world          {hello_rps:>10.0} req/s");
        println!("SOAP GetAssignment         {get_rps:>10.0} req/s   ratio to hello-world {:.3}", get_rps / hello_rps);
        println!("SOAP ApproveAssignment     {approve_rps:>10.0} req/s   ratio to hello-world {:.3}", approve_rps / hello_rps);
        let _ = std::fs::remove_dir_all(dir);
    });
}
