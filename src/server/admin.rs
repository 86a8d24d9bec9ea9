//! The admin API under `/_turkstand/`: JSON in and out, driving simulated workers.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::respond;
use crate::handlers::controls;
use crate::handlers::worker::{self as workers, Answers, WorkerError};
use crate::handlers::Service;
use crate::money::Cents;

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
    #[serde(default)]
    answers: serde_json::Map<String, Value>,
    /// `{"QuestionIdentifier": {"name": "x.txt", "content_base64": "…"}}`
    #[serde(default)]
    files: std::collections::BTreeMap<String, workers::FileUpload>,
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

/// Every notification raised, with its outcome.
fn notifications_json(svc: &Service, requester: Option<&str>) -> Result<Value, Refusal> {
    let list = svc
        .store
        .read(|tx| tx.notifications(requester))
        .map_err(WorkerError::from)?;
    let time = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    Ok(Value::Array(
        list.into_iter()
            .map(|n| {
                json!({
                    "Requester": n.requester,
                    "EventType": n.event_type,
                    "EventTime": time(n.event_time),
                    "HITTypeId": n.hit_type_id,
                    "HITId": n.hit_id,
                    "AssignmentId": n.assignment_id,
                    "Destination": n.destination,
                    "Transport": n.transport,
                    "Version": n.version,
                    "Status": n.state.as_str(),
                    "Attempts": n.attempts,
                    "LastError": n.last_error,
                    "DeliveredTime": n.delivered_time.map(time),
                    "Test": n.test,
                })
            })
            .collect(),
    ))
}

pub fn route(
    svc: &Service,
    method: &Method,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> Response<Full<Bytes>> {
    // GetFileUploadURL's URLs serve the file itself, not JSON.
    if let (&Method::GET, Some(token)) = (method, path.strip_prefix("files/")) {
        let text = "text/plain; charset=utf-8";
        return match workers::uploaded_file_at(svc, token) {
            Ok(f) => respond(200, "application/octet-stream", f.content),
            Err(WorkerError::FileUrlExpired) => respond(410, text, "This URL has expired.\n"),
            Err(e) if e.is_internal() => respond(500, text, format!("{e}\n")),
            Err(_) => respond(404, text, "There is no file at this URL.\n"),
        };
    }
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
        (&Method::GET, ["clock"]) => Ok(clock_json(
            svc,
            svc.settle_due_changes().map_err(WorkerError::from)?,
        )),
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
        (&Method::POST, ["hit-layouts"]) => {
            // {"HITLayoutId"?: "…", "HTMLContent": "<p>${name}</p>", "FrameHeight"?: 450}
            let req: serde_json::Map<String, Value> = parse(body)?;
            let html = match req.get("HTMLContent") {
                Some(Value::String(s)) => s.as_str(),
                _ => return Err(Refusal::bad_input("HTMLContent (a string) is required.")),
            };
            let id = match req.get("HITLayoutId") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.as_str()),
                Some(_) => return Err(Refusal::bad_input("HITLayoutId must be a string.")),
            };
            let height = match req.get("FrameHeight") {
                None | Some(Value::Null) => None,
                Some(v) => Some(v.as_i64().ok_or_else(|| {
                    Refusal::bad_input("FrameHeight must be a whole number of pixels.")
                })?),
            };
            let id = svc
                .register_hit_layout(id, html, height)
                .map_err(|e| match e {
                    crate::error::OpError::Internal(_) => Refusal::from(WorkerError::from(e)),
                    e => Refusal {
                        status: 400,
                        code: e.code(),
                        message: e.to_string(),
                    },
                })?;
            Ok(json!({"HITLayoutId": id}))
        }
        (&Method::POST, ["reset"]) => {
            controls::reset(svc)?;
            Ok(json!({"reset": true}))
        }
        (&Method::POST, ["workers", worker, "accept"]) => {
            let req: Accept = parse(body)?;
            let id = workers::accept(svc, worker, &req.hit_id)?;
            Ok(json!({"AssignmentId": id}))
        }
        (&Method::POST, ["assignments", id, "submit"]) => {
            let (answers, files) =
                if content_type.contains("xml") || body.trim_ascii_start().starts_with(b"<") {
                    let doc = std::str::from_utf8(body)
                        .map_err(|_| Refusal::bad_input("The body is not UTF-8."))?;
                    (Answers::Document(doc.to_string()), Vec::new())
                } else {
                    let req: Submit = parse(body)?;
                    let files = req
                        .files
                        .into_iter()
                        .map(|(q, f)| f.into_answer(q))
                        .collect::<Result<Vec<_>, _>>()?;
                    let text = req.answers.into_iter().map(|(k, v)| (k, text(v))).collect();
                    (Answers::FreeText(text), files)
                };
            workers::submit_with_files(svc, id, answers, files)?;
            Ok(json!({"AssignmentId": id, "AssignmentStatus": "Submitted"}))
        }
        (&Method::POST, ["assignments", id, "return"]) => {
            workers::return_assignment(svc, id)?;
            Ok(json!({"AssignmentId": id, "AssignmentStatus": "Returned"}))
        }
        (&Method::GET, ["workers", worker, "hits", hit, "preview"]) => {
            Ok(serde_json::to_value(workers::preview(svc, worker, hit)?).unwrap_or_default())
        }
        (&Method::GET, ["workers", worker, "hits"]) => {
            let hits = workers::acceptable_hits(svc, worker)?;
            Ok(json!({"WorkerId": worker, "NumResults": hits.len(), "HITs": hits}))
        }
        (&Method::GET, ["workers", worker, "messages"]) => {
            // What NotifyWorkers delivered to the worker, oldest first.
            let messages = svc.worker_messages(worker).map_err(|e| match e {
                crate::error::OpError::Internal(_) => Refusal::from(WorkerError::from(e)),
                e => Refusal {
                    status: 400,
                    code: e.code(),
                    message: e.to_string(),
                },
            })?;
            Ok(Value::Array(
                messages
                    .into_iter()
                    .map(|m| {
                        json!({
                            "Requester": m.requester,
                            "Subject": m.subject,
                            "MessageText": m.message_text,
                            "SentTime": m.sent_time.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                        })
                    })
                    .collect(),
            ))
        }
        (&Method::GET, ["workers", worker]) => {
            Ok(serde_json::to_value(workers::properties(svc, worker)?).unwrap_or_default())
        }
        (&Method::POST, ["workers", worker]) => {
            let props = workers::set_properties(svc, worker, parse(body)?)?;
            Ok(serde_json::to_value(props).unwrap_or_default())
        }
        (&Method::POST, ["workers", worker, "qualification-requests"]) => {
            let req: RequestQualification = parse(body)?;
            let view = workers::request_qualification(svc, worker, &req.qualification_type_id)?;
            Ok(serde_json::to_value(view).unwrap_or_default())
        }
        (&Method::POST, ["qualification-requests", id, "answers"]) => {
            let answers =
                if content_type.contains("xml") || body.trim_ascii_start().starts_with(b"<") {
                    let doc = std::str::from_utf8(body)
                        .map_err(|_| Refusal::bad_input("The body is not UTF-8."))?;
                    Answers::Document(doc.to_string())
                } else {
                    let req: Submit = parse(body)?;
                    Answers::FreeText(req.answers.into_iter().map(|(k, v)| (k, text(v))).collect())
                };
            let view = workers::submit_qualification_answers(svc, id, answers)?;
            Ok(serde_json::to_value(view).unwrap_or_default())
        }
        (&Method::GET, ["notifications"]) => Ok(notifications_json(svc, None)?),
        (&Method::GET, ["requesters", requester, "notifications"]) => {
            Ok(notifications_json(svc, Some(requester))?)
        }
        (&Method::POST, ["accounts", key, "balance"]) => {
            let req: Balance = parse(body)?;
            let cents = Cents::parse_dollars(&text(req.available_balance)).ok_or_else(|| {
                Refusal::bad_input("AvailableBalance must be an amount in dollars, in whole cents.")
            })?;
            controls::set_balance(svc, key, cents)?;
            Ok(json!({"AvailableBalance": cents.to_decimal().to_string()}))
        }
        _ => Err(Refusal {
            status: 404,
            code: "NotFound",
            message: format!("There is no admin endpoint {method} /_turkstand/{path}."),
        }),
    }
}
