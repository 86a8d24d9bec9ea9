//! The admin API under `/_turkstand/`: JSON in and out, driving simulated workers.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::respond;
use crate::money::Cents;
use crate::ops::Service;
use crate::workers::{self, Answers, WorkerError};

/// A refused admin call: HTTP status, legacy-style code and message.
struct Refusal {
    status: u16,
    code: &'static str,
    message: String,
}

impl Refusal {
    fn bad_input(message: impl Into<String>) -> Refusal {
        Refusal {
            status: 400,
            code: "AWS.MechanicalTurk.InvalidParameterValue",
            message: message.into(),
        }
    }
}

impl From<WorkerError> for Refusal {
    fn from(e: WorkerError) -> Self {
        let status = if e.is_internal() {
            500
        } else if e.is_not_found() {
            404
        } else {
            409
        };
        Refusal {
            status,
            code: e.code(),
            message: e.to_string(),
        }
    }
}

fn parse<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|e| Refusal::bad_input(format!("Invalid JSON body: {e}")))
}

/// A JSON string or number as text.
fn text(v: Value) -> String {
    match v {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

#[derive(Deserialize)]
struct Accept {
    #[serde(rename = "HITId")]
    hit_id: String,
}

#[derive(Deserialize)]
struct Submit {
    answers: serde_json::Map<String, Value>,
}

#[derive(Deserialize)]
struct RequestQualification {
    #[serde(rename = "QualificationTypeId")]
    qualification_type_id: String,
}

#[derive(Deserialize)]
struct Advance {
    seconds: i64,
}

#[derive(Deserialize)]
struct SetClock {
    now: String,
}

fn clock_json(svc: &Service, now: chrono::DateTime<chrono::Utc>) -> Value {
    json!({
        "now": now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "mode": if svc.clock.is_manual() { "manual" } else { "system" },
    })
}

#[derive(Deserialize)]
struct Balance {
    #[serde(rename = "AvailableBalance")]
    available_balance: Value,
}

pub fn route(
    svc: &Service,
    method: &Method,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> Response<Full<Bytes>> {
    match handle(svc, method, path, content_type, body) {
        Ok(v) => respond(200, "application/json", v.to_string()),
        Err(r) => respond(
            r.status,
            "application/json",
            json!({"error": {"code": r.code, "message": r.message}}).to_string(),
        ),
    }
}

fn handle(
    svc: &Service,
    method: &Method,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> Result<Value, Refusal> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        (&Method::GET, ["health"]) => Ok(json!({"status": "ok"})),
        (&Method::GET, ["clock"]) => Ok(clock_json(svc, svc.now().map_err(WorkerError::from)?)),
        (&Method::POST, ["clock", "advance"]) => {
            let req: Advance = parse(body)?;
            let now = svc.advance_clock(req.seconds).map_err(WorkerError::from)?;
            Ok(clock_json(svc, now))
        }
        (&Method::POST, ["clock", "set"]) => {
            let req: SetClock = parse(body)?;
            let to = crate::auth::parse_timestamp(&req.now).ok_or_else(|| {
                Refusal::bad_input(format!("{:?} is not an xs:dateTime", req.now))
            })?;
            let now = svc.set_clock(to).map_err(WorkerError::from)?;
            Ok(clock_json(svc, now))
        }
        (&Method::POST, ["reset"]) => {
            workers::reset(svc)?;
            Ok(json!({"reset": true}))
        }
        (&Method::POST, ["workers", worker, "accept"]) => {
            let req: Accept = parse(body)?;
            let id = workers::accept(svc, worker, &req.hit_id)?;
            Ok(json!({"AssignmentId": id}))
        }
        (&Method::POST, ["assignments", id, "submit"]) => {
            let answers =
                if content_type.contains("xml") || body.trim_ascii_start().starts_with(b"<") {
                    let doc = std::str::from_utf8(body)
                        .map_err(|_| Refusal::bad_input("The body is not UTF-8."))?;
                    Answers::Document(doc.to_string())
                } else {
                    let req: Submit = parse(body)?;
                    Answers::FreeText(req.answers.into_iter().map(|(k, v)| (k, text(v))).collect())
                };
            workers::submit(svc, id, answers)?;
            Ok(json!({"AssignmentId": id, "AssignmentStatus": "Submitted"}))
        }
        (&Method::POST, ["workers", worker, "qualification-requests"]) => {
            let req: RequestQualification = parse(body)?;
            let id = workers::request_qualification(svc, worker, &req.qualification_type_id)?;
            Ok(json!({"QualificationRequestId": id}))
        }
        (&Method::POST, ["accounts", key, "balance"]) => {
            let req: Balance = parse(body)?;
            let cents = Cents::parse_dollars(&text(req.available_balance)).ok_or_else(|| {
                Refusal::bad_input("AvailableBalance must be an amount in dollars, in whole cents.")
            })?;
            workers::set_balance(svc, key, cents)?;
            Ok(json!({"AvailableBalance": cents.to_decimal().to_string()}))
        }
        _ => Err(Refusal {
            status: 404,
            code: "NotFound",
            message: format!("There is no admin endpoint {method} /_turkstand/{path}."),
        }),
    }
}
