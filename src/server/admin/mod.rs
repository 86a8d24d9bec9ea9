//! The admin API under `/_turkstand/`: JSON in and out, driving simulated workers.
//!
//! One function per route of [`api`]; [`routes`] registers each under its method and path.

pub mod api;
mod observe;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, on, MethodFilter};
use axum::Router;
use chrono::{DateTime, Utc};
use hyper::header::{ALLOW, CONTENT_TYPE};
use hyper::Method;
use serde::Serialize;
use serde_json::{Map, Value};
use tower::Layer;

use self::api::*;
use super::{exchange, header, read_body, respond, App};
use crate::error::OpError;
use crate::handlers::controls;
use crate::handlers::worker::{self as workers, Answers, WorkerError};
use crate::handlers::Service;
use crate::money::Cents;
use crate::store::Store;

const JSON: &str = "application/json";

/// A refused admin call: HTTP status, legacy-style code and message.
#[derive(Debug)]
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

    fn shutting_down() -> Refusal {
        Refusal {
            status: 503,
            code: super::refusal::UNAVAILABLE,
            message: super::SHUTTING_DOWN.into(),
        }
    }

    fn internal(message: String) -> Refusal {
        WorkerError::Op(OpError::Internal(message)).into()
    }

    /// A refused service call: its own fault is bad input, not a conflict.
    fn invalid(e: OpError) -> Refusal {
        match e {
            OpError::Internal(_) => WorkerError::from(e).into(),
            e => Refusal {
                status: 400,
                code: e.code(),
                message: e.to_string(),
            },
        }
    }
}

impl From<WorkerError> for Refusal {
    fn from(e: WorkerError) -> Self {
        Refusal {
            status: crate::web::worker_error_status(&e),
            code: e.code(),
            message: e.to_string(),
        }
    }
}

impl From<BadBody> for Refusal {
    fn from(e: BadBody) -> Self {
        Refusal::bad_input(e.0)
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        respond(self.status, JSON, json_text(&body).unwrap_or_default())
    }
}

/// Through a `Value`, whose keys are sorted: the order the admin API has always answered in.
fn json_text(value: impl Serialize) -> Result<String, serde_json::Error> {
    serde_json::to_value(value).map(|v| v.to_string())
}

/// The path below `/_turkstand/` as it was sent, before routing dropped its trailing slashes.
#[derive(Clone)]
struct SentPath(String);

/// The admin API's routes, for the server's router.
pub(super) fn routes(app: &Arc<App>) -> Router {
    let api = Router::new()
        .add(route::Health, health)
        .add(route::ReadClock, read_clock)
        .add(route::AdvanceClock, advance_clock)
        .add(route::SetClock, set_clock)
        .add(route::RegisterHitLayout, register_hit_layout)
        .add(route::Accept, accept)
        .add(route::Submit, submit)
        .add(route::Return, return_assignment)
        .add(route::ListHits, list_hits)
        .add(route::Preview, preview)
        .add(route::ListMessages, list_messages)
        .add(route::GetProperties, get_properties)
        .add(route::SetProperties, set_properties)
        .add(route::RequestQualification, request_qualification)
        .add(route::AnswerTest, answer_test)
        .add(route::ListNotifications, list_notifications)
        .add(
            route::ListRequesterNotifications,
            list_requester_notifications,
        )
        .add(route::SetBalance, set_balance);
    // `{*token}` needs one character at least; the bare prefix still answers like a bad token.
    let api = ["/_turkstand/files", UPLOADED_FILE_PATH]
        .into_iter()
        .fold(api, |api, path| {
            api.route(path, get(uploaded_file).head(no_such_endpoint))
        })
        .with_state(app.service.clone())
        .merge(observe::routes(app))
        .fallback(no_such_endpoint)
        .method_not_allowed_fallback(no_such_endpoint);
    let entry = middleware::from_fn_with_state(app.clone(), prepare).layer(api);
    Router::new()
        .route_service("/_turkstand/", entry.clone())
        .route_service("/_turkstand/{*rest}", entry)
}

/// Reads the whole body before routing, so an oversized one is refused on any path, and
/// routes the path without its trailing slashes, which the admin API has always forgiven.
/// Every call but a read of the journal goes through the fault rules and into the journal.
async fn prepare(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let (mut parts, body) = match read_body(&app, req).await {
        Ok(read) => read,
        Err(e) => return super::Reader::Admin.refuse(e.status(), super::INVALID, e.to_string()),
    };
    if let Some(why) = super::refusal::not_xml_text(parts.uri.path(), &body) {
        return super::Reader::Admin.refuse(400, super::INVALID, why);
    }
    let arrival = exchange::Arrival::new(&parts, &body);
    let sent = parts
        .uri
        .path()
        .strip_prefix("/_turkstand/")
        .unwrap_or_default()
        .to_string();
    let query = parts
        .uri
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    if let Ok(uri) = format!("/_turkstand/{}{query}", sent.trim_end_matches('/')).parse() {
        parts.uri = uri;
    }
    let name = route::name_of(&parts.method, parts.uri.path());
    let call = exchange::admin_call(name, parts.uri.path());
    parts.extensions.insert(SentPath(sent));
    let run = || async {
        let mut answer = next.run(Request::from_parts(parts, Body::from(body))).await;
        // A wrong method is an unknown endpoint here, so axum's `Allow` would say too much.
        answer.headers_mut().remove(ALLOW);
        exchange::Answer::Routed(answer)
    };
    // Following the journal must not fill it.
    if name == Some(route::ReadJournal::NAME) {
        return run().await.into_response();
    }
    exchange::observe(&app, move || call, arrival, run).await
}

async fn no_such_endpoint(req: Request) -> Response {
    let path = match req.extensions().get::<SentPath>() {
        Some(SentPath(sent)) => sent.clone(),
        None => req.uri().path().to_string(),
    };
    Refusal {
        status: 404,
        code: "NotFound",
        message: format!(
            "There is no admin endpoint {} /_turkstand/{path}.",
            req.method()
        ),
    }
    .into_response()
}

/// A route's function: the state (the service, or the whole app), the path's parameters as
/// sent, and the decoded body.
type RouteFn<S, R, const N: usize> =
    fn(&S, [&str; N], <R as Route>::Request) -> Result<<R as Route>::Response, Refusal>;

trait AddRoute<S> {
    fn add<R, const N: usize>(self, route: R, f: RouteFn<S, R, N>) -> Self
    where
        R: Route + Send + 'static,
        R::Request: Send + 'static,
        R::Response: Send + 'static;
}

impl<S: Stored + Send + Sync + 'static> AddRoute<S> for Router<Arc<S>> {
    fn add<R, const N: usize>(self, _: R, f: RouteFn<S, R, N>) -> Self
    where
        R: Route + Send + 'static,
        R::Request: Send + 'static,
        R::Response: Send + 'static,
    {
        let handler = move |State(state): State<Arc<S>>, req: Request| async move {
            match call::<S, R, N>(state, f, req)
                .await
                .and_then(|answer| json_text(answer).map_err(|e| Refusal::internal(e.to_string())))
            {
                Ok(text) => respond(200, JSON, text),
                Err(refused) => refused.into_response(),
            }
        };
        let Ok(filter) = MethodFilter::try_from(R::METHOD) else {
            tracing::error!(method = %R::METHOD, path = R::PATH, "no such method to route");
            return self;
        };
        let mut method = on(filter, handler);
        if R::METHOD == Method::GET {
            // The admin API has never answered HEAD, which axum would send to the GET route.
            method = method.head(no_such_endpoint);
        }
        self.route(R::PATH, method)
    }
}

/// Runs the route's function on the decoded call; one that may write (any method but GET) on
/// the lane for writes, where waiting for its commit holds up no async worker.
async fn call<S: Stored + Send + Sync + 'static, R: Route, const N: usize>(
    state: Arc<S>,
    f: RouteFn<S, R, N>,
    req: Request,
) -> Result<R::Response, Refusal>
where
    R::Request: Send + 'static,
    R::Response: Send + 'static,
{
    let path = req.uri().path().to_string();
    let content_type = header(req.headers(), CONTENT_TYPE).to_string();
    let body = axum::body::to_bytes(req.into_body(), usize::MAX)
        .await
        .map_err(|e| Refusal::internal(e.to_string()))?;
    let request = R::Request::from_body(&content_type, &body)?;
    let held = state.clone();
    let run = move || {
        let params = R::params::<N>(&path)
            .ok_or_else(|| Refusal::internal(format!("{path} does not fit {}", R::PATH)))?;
        f(&state, params, request)
    };
    match super::lane::call(held.store(), R::METHOD != Method::GET, run).await {
        Some(Ok(answer)) => answer,
        Some(Err(not_committed)) => Err(Refusal::internal(not_committed.to_string())),
        None => Err(Refusal::shutting_down()),
    }
}

/// The store a route's state keeps: calls that write run on its batch thread.
trait Stored {
    fn store(&self) -> &Store;
}

impl Stored for Service {
    fn store(&self) -> &Store {
        &self.store
    }
}

impl Stored for App {
    fn store(&self) -> &Store {
        &self.service.store
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// JSON strings and numbers as answer text.
fn free_text(answers: Map<String, Value>) -> Answers {
    Answers::FreeText(
        answers
            .into_iter()
            .map(|(question, v)| match v {
                Value::String(s) => (question, s),
                other => (question, other.to_string()),
            })
            .collect(),
    )
}

fn health(_: &Service, []: [&str; 0], (): ()) -> Result<HealthStatus, Refusal> {
    Ok(HealthStatus {
        status: "ok".into(),
    })
}

fn clock_view(svc: &Service, now: Result<DateTime<Utc>, OpError>) -> Result<ClockView, Refusal> {
    Ok(ClockView {
        now: time(now.map_err(WorkerError::from)?),
        mode: if svc.clock.is_manual() {
            ClockMode::Manual
        } else {
            ClockMode::System
        },
    })
}

fn read_clock(svc: &Service, []: [&str; 0], (): ()) -> Result<ClockView, Refusal> {
    clock_view(svc, svc.settle_due_changes())
}

fn advance_clock(svc: &Service, []: [&str; 0], req: Advance) -> Result<ClockView, Refusal> {
    clock_view(svc, svc.advance_clock(req.seconds))
}

fn set_clock(svc: &Service, []: [&str; 0], req: SetClock) -> Result<ClockView, Refusal> {
    let to = crate::auth::parse_timestamp(&req.now)
        .ok_or_else(|| Refusal::bad_input(format!("{:?} is not an xs:dateTime", req.now)))?;
    clock_view(svc, svc.set_clock(to))
}

fn register_hit_layout(
    svc: &Service,
    []: [&str; 0],
    req: HitLayout,
) -> Result<RegisteredLayout, Refusal> {
    let id = svc
        .register_hit_layout(
            req.hit_layout_id.as_deref(),
            &req.html_content,
            req.frame_height,
        )
        .map_err(Refusal::invalid)?;
    Ok(RegisteredLayout { hit_layout_id: id })
}

fn accept(svc: &Service, [worker]: [&str; 1], req: Accept) -> Result<NewAssignment, Refusal> {
    Ok(NewAssignment {
        assignment_id: workers::accept(svc, worker, &req.hit_id)?,
    })
}

fn submit(
    svc: &Service,
    [id]: [&str; 1],
    req: Answered<Submit>,
) -> Result<AssignmentChange, Refusal> {
    let (answers, files) = match req {
        Answered::Document(doc) => (Answers::Document(doc), Vec::new()),
        Answered::Json(form) => {
            let files = form
                .files
                .into_iter()
                .map(|(question, f)| {
                    let upload = workers::FileUpload {
                        name: f.name,
                        content_base64: f.content_base64,
                    };
                    upload.into_answer(question)
                })
                .collect::<Result<Vec<_>, _>>()?;
            (free_text(form.answers), files)
        }
    };
    workers::submit_with_files(svc, id, answers, files)?;
    Ok(AssignmentChange {
        assignment_id: id.to_string(),
        assignment_status: WorkerAssignmentStatus::Submitted,
    })
}

fn return_assignment(svc: &Service, [id]: [&str; 1], (): ()) -> Result<AssignmentChange, Refusal> {
    workers::return_assignment(svc, id)?;
    Ok(AssignmentChange {
        assignment_id: id.to_string(),
        assignment_status: WorkerAssignmentStatus::Returned,
    })
}

fn list_hits(svc: &Service, [worker]: [&str; 1], (): ()) -> Result<AcceptableHits, Refusal> {
    let hits = workers::acceptable_hits(svc, worker)?;
    Ok(AcceptableHits {
        worker_id: worker.to_string(),
        num_results: hits.len(),
        hits,
    })
}

fn preview(svc: &Service, [worker, hit]: [&str; 2], (): ()) -> Result<HitView, Refusal> {
    Ok(workers::preview(svc, worker, hit)?)
}

fn list_messages(svc: &Service, [worker]: [&str; 1], (): ()) -> Result<Vec<MessageView>, Refusal> {
    let messages = svc.worker_messages(worker).map_err(Refusal::invalid)?;
    Ok(messages
        .into_iter()
        .map(|m| MessageView {
            requester: m.requester,
            subject: m.subject,
            message_text: m.message_text,
            sent_time: time(m.sent_time),
        })
        .collect())
}

fn get_properties(svc: &Service, [worker]: [&str; 1], (): ()) -> Result<WorkerProperties, Refusal> {
    Ok(workers::properties(svc, worker)?)
}

fn set_properties(
    svc: &Service,
    [worker]: [&str; 1],
    req: WorkerProperties,
) -> Result<WorkerProperties, Refusal> {
    Ok(workers::set_properties(svc, worker, req)?)
}

fn request_qualification(
    svc: &Service,
    [worker]: [&str; 1],
    req: RequestQualification,
) -> Result<QualificationRequestView, Refusal> {
    Ok(workers::request_qualification(
        svc,
        worker,
        &req.qualification_type_id,
    )?)
}

fn answer_test(
    svc: &Service,
    [id]: [&str; 1],
    req: Answered<Submit>,
) -> Result<QualificationRequestView, Refusal> {
    let answers = match req {
        Answered::Document(doc) => Answers::Document(doc),
        Answered::Json(form) => free_text(form.answers),
    };
    Ok(workers::submit_qualification_answers(svc, id, answers)?)
}

/// Every notification raised (for one requester, or all), with its outcome.
fn notifications(svc: &Service, requester: Option<&str>) -> Result<Vec<NotificationView>, Refusal> {
    let list = svc
        .store
        .read(|tx| tx.notifications(requester))
        .map_err(WorkerError::from)?;
    Ok(list
        .into_iter()
        .map(|n| NotificationView {
            requester: n.requester,
            event_type: n.event_type.as_str().to_string(),
            event_time: time(n.event_time),
            hit_type_id: n.hit_type_id,
            hit_id: n.hit_id,
            assignment_id: n.assignment_id,
            destination: n.destination,
            transport: n.transport.as_str().to_string(),
            version: n.version,
            status: n.state.as_str().to_string(),
            attempts: n.attempts,
            last_error: n.last_error,
            delivered_time: n.delivered_time.map(time),
            test: n.test,
        })
        .collect())
}

fn list_notifications(
    svc: &Service,
    []: [&str; 0],
    (): (),
) -> Result<Vec<NotificationView>, Refusal> {
    notifications(svc, None)
}

fn list_requester_notifications(
    svc: &Service,
    [requester]: [&str; 1],
    (): (),
) -> Result<Vec<NotificationView>, Refusal> {
    notifications(svc, Some(requester))
}

fn set_balance(svc: &Service, [key]: [&str; 1], req: Balance) -> Result<BalanceView, Refusal> {
    let dollars = match req.available_balance {
        Value::String(s) => s,
        other => other.to_string(),
    };
    let cents = Cents::parse_dollars(&dollars).ok_or_else(|| {
        Refusal::bad_input("AvailableBalance must be an amount in dollars, in whole cents.")
    })?;
    controls::set_balance(svc, key, cents)?;
    Ok(BalanceView {
        available_balance: cents.to_decimal().to_string(),
    })
}

/// GetFileUploadURL's URLs serve the file itself, not JSON.
async fn uploaded_file(State(svc): State<Arc<Service>>, req: Request) -> Response {
    let token = match req.extensions().get::<SentPath>() {
        Some(SentPath(sent)) => sent.strip_prefix("files/").map(str::to_string),
        None => None,
    };
    let Some(token) = token else {
        return no_such_endpoint(req).await;
    };
    let text = "text/plain; charset=utf-8";
    match workers::uploaded_file_at(&svc, &token) {
        Ok(f) => respond(200, "application/octet-stream", f.content),
        Err(WorkerError::FileUrlExpired) => respond(410, text, "This URL has expired.\n"),
        Err(e) if e.is_internal() => respond(500, text, format!("{e}\n")),
        Err(_) => respond(404, text, "There is no file at this URL.\n"),
    }
}
