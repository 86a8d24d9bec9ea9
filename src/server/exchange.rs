//! One exchange, from request to answer, under the fault rules and into the journal.
//!
//! A handler describes the exchange ([`Call`]) and hands [`observe`] the work that answers it.
//! Faults that answer in place of the call, or delay it, act before it runs; a lost answer acts
//! after it has run. Closing a connection without an answer is more than a handler can do, so
//! such a response carries [`CloseWithoutAnswer`], and the connection's service (in `serve`)
//! turns it into the error that makes hyper drop the connection unanswered ([`deliver`]).

use std::convert::Infallible;
use std::future::Future;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use hyper::http::request::Parts;
use hyper::{Method, Uri};

use super::admin::api::{AppliedFault, FaultEffect, Transport};
use super::faults::{answers, Call, Fired};
use super::journal::{Exchange, Texts};
use super::{reply, App};
use crate::binding::params::Params;
use crate::model::requester::Operation;
use crate::wire::{soap, Reply};
use crate::xml::Element;

/// A response that must not be sent: the connection is closed in its place.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CloseWithoutAnswer;

/// What the connection's service fails with to close the connection without an answer.
#[derive(Debug, thiserror::Error)]
#[error("the connection was closed without an answer, as a fault rule asked")]
pub struct Unanswered;

/// The response to send, or [`Unanswered`] when there must be none.
pub(crate) fn deliver(answer: Result<Response, Infallible>) -> Result<Response, Unanswered> {
    let Ok(answer) = answer;
    match answer.extensions().get::<CloseWithoutAnswer>() {
        Some(_) => Err(Unanswered),
        None => Ok(answer),
    }
}

/// The request as it arrived, for the journal. Taking it costs two clock readings and
/// reference counts: the path is written out only when the exchange is recorded.
pub(crate) struct Arrival {
    time: DateTime<Utc>,
    started: Instant,
    method: Method,
    uri: Uri,
    body: Bytes,
}

impl Arrival {
    pub(crate) fn new(parts: &Parts, body: &Bytes) -> Arrival {
        Arrival {
            time: Utc::now(),
            started: Instant::now(),
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            body: body.clone(),
        }
    }
}

/// A REST call's description, from its parameters.
pub(crate) fn rest_call(params: &Params) -> Call {
    Call {
        transport: Some(Transport::Rest),
        operation: params
            .get("Operation")
            .and_then(|name| Operation::from_name(name.trim()))
            .map(|op| op.name()),
        version: params.get("Version").map(|v| v.trim().to_string()),
        account: params.get("AWSAccessKeyId").map(|k| k.trim().to_string()),
        ..Call::default()
    }
}

/// A SOAP call's description, from its envelope.
pub(crate) fn soap_call(envelope: Option<&Element>) -> Call {
    let mut call = Call {
        transport: Some(Transport::Soap),
        ..Call::default()
    };
    if let Some((op_el, op)) = envelope.and_then(|e| soap::operation_element(e).ok()) {
        call.operation = Some(op.name());
        call.account = soap::parameter(op_el, "AWSAccessKeyId").map(str::to_string);
        call.namespace = op_el.ns.clone();
    }
    call
}

/// An admin call's description: the route's name, and whether a simulated worker acts.
pub(crate) fn admin_call(route: Option<&'static str>, path: &str) -> Call {
    const WORKER_PREFIXES: [&str; 3] = [
        "/_turkstand/workers/",
        "/_turkstand/assignments/",
        "/_turkstand/qualification-requests/",
    ];
    Call {
        transport: Some(Transport::Admin),
        operation: route,
        worker: WORKER_PREFIXES.iter().any(|p| path.starts_with(p)),
        ..Call::default()
    }
}

/// Admin routes no rule touches, so that rules can always be seen and removed.
const NEVER_FAULTED: [&str; 5] = [
    "ListFaults",
    "AddFault",
    "RemoveFault",
    "ClearFaults",
    "ReadJournal",
];

/// What answers an exchange: the wire's reply, whose body the journal reads where it is, or a
/// response of the admin router, whose body has to be collected first.
pub(crate) enum Answer {
    Wire(Reply),
    Routed(Response),
}

impl Answer {
    pub(crate) fn into_response(self) -> Response {
        match self {
            Answer::Wire(r) => reply(r),
            Answer::Routed(r) => r,
        }
    }
}

/// Runs `perform` as the fault rules say for the call `describe` gives, and journals the
/// exchange. With no rule set and the journal off, the call is not even described.
pub(crate) async fn observe<D, F, Fut>(
    app: &App,
    describe: D,
    arrival: Arrival,
    perform: F,
) -> Response
where
    D: FnOnce() -> Call,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Answer>,
{
    if app.journal.is_off() && !app.faults.any_set() {
        return perform().await.into_response();
    }
    let call = describe();
    let exempt = call.transport == Some(Transport::Admin)
        && call.operation.is_some_and(|r| NEVER_FAULTED.contains(&r));
    let fired = if exempt {
        None
    } else {
        app.faults.check(&call)
    };
    let (answer, sent) = match fired.as_ref().map(|f| &f.effect) {
        None => (Some(perform().await), true),
        Some(FaultEffect::Delay { ms }) => {
            tokio::time::sleep(Duration::from_millis(*ms)).await;
            (Some(perform().await), true)
        }
        Some(FaultEffect::Reset) => (None, false),
        Some(FaultEffect::Stall) => {
            tokio::time::sleep(app.faults.stall_max()).await;
            (None, false)
        }
        // Performed and committed before the connection goes: the point of this fault.
        Some(FaultEffect::LostAnswer) => (Some(perform().await), false),
        Some(effect) => {
            let instead = match call.transport {
                Some(Transport::Admin) => answers::admin(effect),
                _ => answers::service(&call, effect),
            };
            (instead.map(Answer::Wire), true)
        }
    };
    let path = arrival.uri.path_and_query().map_or("", |p| p.as_str());
    let (response, texts) = match answer {
        Some(Answer::Wire(r)) => {
            let texts = Texts::new(path, &arrival.body, Some(r.body.as_bytes()));
            (reply(r), texts)
        }
        Some(Answer::Routed(r)) => {
            let (parts, body) = r.into_parts();
            // The bodies here are whole already: collecting them takes no copy.
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let texts = Texts::new(path, &arrival.body, Some(&bytes));
            (Response::from_parts(parts, Body::from(bytes)), texts)
        }
        None => (Response::default(), Texts::new(path, &arrival.body, None)),
    };
    let status = sent.then(|| response.status().as_u16());
    app.journal.record(Exchange {
        time: arrival.time,
        call,
        method: arrival.method,
        texts,
        status,
        duration: arrival.started.elapsed(),
        fault: fired.map(|Fired { rule, effect }| AppliedFault {
            rule,
            effect: effect.kind().to_string(),
        }),
    });
    if sent {
        response
    } else {
        let mut closed = Response::default();
        closed.extensions_mut().insert(CloseWithoutAnswer);
        closed
    }
}
