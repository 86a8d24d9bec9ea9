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

const JSON: &str = "application/json";

fn ok(v: Value) -> Response<Full<Bytes>> {
    respond(200, JSON, v.to_string())
}

fn error(status: u16, code: &str, message: &str) -> Response<Full<Bytes>> {
    respond(
        status,
        JSON,
        json!({"error": {"code": code, "message": message}}).to_string(),
    )
}

fn worker_error(e: WorkerError) -> Response<Full<Bytes>> {
    let status = if e.is_internal() {
        500
    } else if e.is_not_found() {
        404
    } else {
        409
    };
    error(status, e.code(), &e.to_string())
}

fn parse<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, Response<Full<Bytes>>> {
    serde_json::from_slice(body).map_err(|e| {
        error(
            400,
            "AWS.MechanicalTurk.InvalidParameterValue",
            &format!("Invalid JSON body: {e}"),
        )
    })
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
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let result = match (method, segments.as_slice()) {
        (&Method::GET, ["health"]) => return ok(json!({"status": "ok"})),
        (&Method::POST, ["reset"]) => workers::reset(svc).map(|_| json!({"reset": true})),
        (&Method::POST, ["workers", worker, "accept"]) => {
            let req: Accept = match parse(body) {
                Ok(r) => r,
                Err(r) => return r,
            };
            workers::accept(svc, worker, &req.hit_id).map(|id| json!({"AssignmentId": id}))
        }
        (&Method::POST, ["assignments", id, "submit"]) => {
            let answers =
                if content_type.contains("xml") || body.trim_ascii_start().starts_with(b"<") {
                    match std::str::from_utf8(body) {
                        Ok(text) => Answers::Document(text.to_string()),
                        Err(_) => {
                            return error(
                                400,
                                "AWS.MechanicalTurk.InvalidParameterValue",
                                "The body is not UTF-8.",
                            )
                        }
                    }
                } else {
                    let req: Submit = match parse(body) {
                        Ok(r) => r,
                        Err(r) => return r,
                    };
                    let mut pairs = Vec::new();
                    for (k, v) in req.answers {
                        let text = match v {
                            Value::String(s) => s,
                            other => other.to_string(),
                        };
                        pairs.push((k, text));
                    }
                    Answers::FreeText(pairs)
                };
            workers::submit(svc, id, answers)
                .map(|_| json!({"AssignmentId": id, "AssignmentStatus": "Submitted"}))
        }
        (&Method::POST, ["workers", worker, "qualification-requests"]) => {
            let req: RequestQualification = match parse(body) {
                Ok(r) => r,
                Err(r) => return r,
            };
            workers::request_qualification(svc, worker, &req.qualification_type_id)
                .map(|id| json!({"QualificationRequestId": id}))
        }
        (&Method::POST, ["accounts", key, "balance"]) => {
            let req: Balance = match parse(body) {
                Ok(r) => r,
                Err(r) => return r,
            };
            let text = match &req.available_balance {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let Some(cents) = Cents::parse_dollars(&text) else {
                return error(
                    400,
                    "AWS.MechanicalTurk.InvalidParameterValue",
                    "AvailableBalance must be an amount in dollars.",
                );
            };
            workers::set_balance(svc, key, cents)
                .map(|_| json!({"AvailableBalance": cents.to_decimal().to_string()}))
        }
        _ => {
            return error(
                404,
                "NotFound",
                &format!("There is no admin endpoint {method} /_turkstand/{path}."),
            )
        }
    };
    match result {
        Ok(v) => ok(v),
        Err(e) => worker_error(e),
    }
}
