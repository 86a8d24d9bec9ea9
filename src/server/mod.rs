//! HTTP wiring: one axum [`Router`] for SOAP, REST, the WSDL and XSDs, and the admin API,
//! served over hyper's HTTP/1.1 connections by [`serve`].

pub mod admin;
pub mod connections;
mod exchange;
pub mod faults;
pub mod guard;
pub mod journal;
mod lane;
mod refusal;
#[cfg(test)]
mod tests;

pub use connections::ConnectionLimits;
pub use exchange::Unanswered;
pub use faults::Faults;
pub use guard::{protect, Access, Surface};
pub use journal::Journal;

use exchange::Answer;
use refusal::{BodyError, Reader, INVALID, UNAVAILABLE};

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware;
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::header::{HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, HOST};
use hyper::http::request::Parts;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{HeaderMap, Method, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::handlers::Service;
use crate::wire::params::Params;
use crate::wire::{rest, soap, Reply};
use crate::xml::ParseLimits;

pub const WSDL: &str = turkstand_documents::REQUESTER_2014_08_15.text;
const WSDL_ADDRESS: &str =
    "https://mechanicalturk.amazonaws.com/?Service=AWSMechanicalTurkRequester";

pub struct App {
    pub service: Arc<Service>,
    pub max_body_bytes: usize,
    pub limits: ParseLimits,
    pub connections: ConnectionLimits,
    /// What the admin API (and the pages, through [`protect`]) ask of each request.
    pub access: Access,
    pub faults: Faults,
    pub journal: Journal,
}

impl App {
    /// The service with default limits, no fault rules and an in-memory journal.
    pub fn new(service: Arc<Service>, max_body_bytes: usize) -> App {
        App {
            journal: Journal::new(journal::DEFAULT_JOURNAL_SIZE, &service.accounts),
            service,
            max_body_bytes,
            limits: ParseLimits::default(),
            connections: ConnectionLimits::default(),
            access: Access::default(),
            faults: Faults::new(faults::DEFAULT_STALL_MAX),
        }
    }
}

const TEXT: &str = "text/plain; charset=utf-8";
const XML: &str = "text/xml; charset=utf-8";

fn respond(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Response {
    let mut r = Response::new(Body::from(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

fn reply(r: Reply) -> Response {
    respond(r.status, r.content_type, r.body)
}

/// A header's text, or "" when it is missing or not text.
fn header(headers: &HeaderMap, name: HeaderName) -> &str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The address a connection came in on, for [`base_url`] when the Host header will not do.
#[derive(Clone, Copy)]
struct LocalAddr(SocketAddr);

/// Serves connections until the listener fails. Notifications are delivered beside it.
pub async fn serve(listener: TcpListener, app: Arc<App>) -> std::io::Result<()> {
    tokio::spawn(crate::notify::run(app.service.clone()));
    let limits = app.connections;
    let router = router(app);
    let registry = Arc::new(connections::Registry::new(limits));
    let busy = busy_refusal();
    connections::accept_forever(listener, registry, busy, |stream, peer, conn| {
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let local = stream.local_addr().ok();
        let conn = Arc::new(conn);
        let io = TokioIo::new(conn.watch(stream));
        let requests = conn.clone();
        let svc = service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            tracing::debug!(method = %req.method(), path = %req.uri().path(), "request");
            let in_flight = requests.begin_request();
            if let Some(local) = local {
                req.extensions_mut().insert(LocalAddr(local));
            }
            let answer = router.clone().oneshot(req);
            async move {
                let answer = answer.await;
                drop(in_flight);
                exchange::deliver(answer)
            }
        });
        let served = http1::Builder::new()
            .keep_alive(true)
            .max_buf_size(limits.hyper_head_buffer())
            .max_headers(500)
            .serve_connection(io, svc);
        tokio::spawn(async move { conn.run(served, peer).await });
    })
    .await;
    Ok(())
}

/// The whole HTTP answer for a client there is no room for: the legacy throttling error.
fn busy_refusal() -> Arc<[u8]> {
    let body = crate::wire::rest::refusal(
        503,
        UNAVAILABLE,
        "The server is serving as many connections as it may; try again shortly.",
    )
    .body;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: {XML}\r\ncontent-length: {}\r\n\
         retry-after: 1\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
    .into()
}

/// Where SOAP and REST calls are answered.
const SERVICE_PATHS: [&str; 5] = ["/", "/onca/xml", "/onca/soap", "/onca/soap/", "/onca/xml/"];

/// The whole HTTP entry point. [`serve`] drives it over connections; tests can drive it in
/// process with `tower::ServiceExt::oneshot`.
pub fn router(app: Arc<App>) -> Router {
    let admin = protect(admin::routes(&app), &app.access, Surface::Api);
    let web = crate::web::routes(
        app.service.clone(),
        app.max_body_bytes,
        app.connections.body_read_timeout,
    );
    // Task pages of any origin post their answers, as they did to MTurk; the other pages are
    // guarded like the admin API.
    let site = protect(web.pages, &app.access, Surface::Pages)
        .merge(web.task_submissions)
        .layer(middleware::map_request(with_base_url));
    let limits = Arc::new(app.connections);
    SERVICE_PATHS
        .into_iter()
        .fold(Router::new(), |r, path| r.route(path, any(service_path)))
        // The bare prefix too, which `{*name}` does not match: it names no schema.
        .route("/xsd/", any(schema))
        .route("/xsd/{*name}", any(schema))
        .route("/AWSMechanicalTurk/{*path}", any(interface))
        .fallback(|| async { respond(404, TEXT, "Not found.\n") })
        .with_state(app)
        .merge(admin)
        .merge(site)
        .layer(middleware::from_fn_with_state(
            limits,
            refusal::oversized_head,
        ))
}

/// Tells the pages the address they are served at.
async fn with_base_url(mut req: Request) -> Request {
    let base = crate::web::BaseUrl(base_url(&req));
    req.extensions_mut().insert(base);
    req
}

fn wants_wsdl(query: &str) -> bool {
    query.split('&').any(|kv| {
        kv.split('=')
            .next()
            .is_some_and(|k| k.eq_ignore_ascii_case("wsdl"))
    })
}

/// The address clients should call, from the Host header when it is a plain host[:port].
fn base_url(req: &Request) -> String {
    let host = Some(header(req.headers(), HOST))
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .map(str::to_string)
        .or_else(|| {
            req.extensions()
                .get::<LocalAddr>()
                .map(|LocalAddr(a)| a.to_string())
        })
        .unwrap_or_else(|| "127.0.0.1".to_string());
    format!("http://{host}")
}

/// The whole body, within the limit of `max_body_bytes` and, from when it is asked for (the
/// head is in by then), the body-read timeout: a request in flight is never closed as idle.
async fn read_body(app: &App, req: Request) -> Result<(Parts, Bytes), BodyError> {
    let max_body_bytes = app.max_body_bytes;
    let (parts, body) = req.into_parts();
    let declared = header(&parts.headers, CONTENT_LENGTH).parse::<u64>().ok();
    if declared.is_some_and(|n| n > max_body_bytes as u64) {
        return Err(BodyError::TooLarge(max_body_bytes));
    }
    let within = app.connections.body_read_timeout;
    let read = tokio::time::timeout(within, Limited::new(body, max_body_bytes).collect());
    let Ok(read) = read.await else {
        return Err(BodyError::TooSlow(within));
    };
    match read {
        Ok(b) => Ok((parts, b.to_bytes())),
        Err(e)
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(BodyError::TooLarge(max_body_bytes))
        }
        Err(e) => Err(BodyError::Unreadable(e.to_string())),
    }
}

fn is_soap(headers: &HeaderMap, path: &str) -> bool {
    if path.starts_with("/onca/soap") {
        return true;
    }
    if path.starts_with("/onca/xml") {
        return false;
    }
    headers.contains_key("soapaction")
        || header(headers, CONTENT_TYPE)
            .to_ascii_lowercase()
            .contains("xml")
}

/// `/xsd/<Name>.xsd`: the bundled data schemas.
async fn schema(req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return respond(404, TEXT, "Not found.\n");
    }
    let name = req.uri().path().strip_prefix("/xsd/").unwrap_or_default();
    match turkstand_documents::served_schema(name) {
        Some(doc) => respond(200, XML, doc.text),
        None => respond(404, TEXT, "No such schema.\n"),
    }
}

/// The interface documents where the legacy service kept them: `/AWSMechanicalTurk/{version}/`
/// `AWSMechanicalTurkRequester.wsdl` (and `.xsd`), the latest WSDL without a version. A WSDL's
/// address is this server.
async fn interface(req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return respond(404, TEXT, "Not found.\n");
    }
    let path = req.uri().path();
    let path = path.strip_prefix("/AWSMechanicalTurk/").unwrap_or_default();
    let (version, name) = path
        .split_once('/')
        .unwrap_or((turkstand_documents::DEFAULT_VERSION, path));
    match turkstand_documents::interface_document(version, name) {
        Some(doc) if doc.kind == turkstand_documents::Kind::Wsdl => {
            let address = format!("{}/?Service=AWSMechanicalTurkRequester", base_url(&req));
            respond(200, XML, doc.text.replace(WSDL_ADDRESS, &address))
        }
        Some(doc) => respond(200, XML, doc.text),
        None => respond(404, TEXT, "No such document.\n"),
    }
}

const SHUTTING_DOWN: &str = "The server is shutting down.";

/// SOAP and REST calls, and the WSDL (`?wsdl`) with its address set to this server.
async fn service_path(State(app): State<Arc<App>>, req: Request) -> Response {
    let query = req.uri().query().unwrap_or("").to_string();
    let method = req.method().clone();
    if (method == Method::GET || method == Method::HEAD) && wants_wsdl(&query) {
        let address = format!("{}/?Service=AWSMechanicalTurkRequester", base_url(&req));
        return respond(200, XML, WSDL.replace(WSDL_ADDRESS, &address));
    }
    if req.uri().path() == "/" && crate::web::wants_landing(&method, req.headers(), &query) {
        return crate::web::landing(&app.service, &base_url(&req), req.headers());
    }
    if method != Method::GET && method != Method::POST {
        return respond(405, TEXT, "Use GET or POST.\n");
    }
    let reader = if method == Method::GET {
        Reader::Rest
    } else {
        Reader::of(req.headers(), req.uri().path())
    };
    let (parts, body) = match read_body(&app, req).await {
        Ok(read) => read,
        Err(e) => return reader.refuse(e.status(), INVALID, e.to_string()),
    };
    let arrival = exchange::Arrival::new(&parts, &body);
    let large = body.len() > lane::LARGE_BODY_BYTES;
    if reader == Reader::Soap {
        let limits = app.limits;
        let parse = move || soap::parse(&body, &limits);
        let Some(envelope) = lane::parse(large, parse).await else {
            return reader.refuse(503, UNAVAILABLE, SHUTTING_DOWN.into());
        };
        let envelope = Arc::new(envelope);
        let call = || exchange::soap_call(envelope.as_ref().as_ref().ok());
        let writes = envelope.as_ref().as_ref().is_ok_and(soap::may_write);
        let handled = (app.clone(), envelope.clone());
        let handle = move || match handled.1.as_ref() {
            Ok(envelope) => soap::handle_envelope(&handled.0.service, envelope),
            Err(refused) => refused.clone(),
        };
        let perform = || answer(app.clone(), reader, writes, handle);
        return exchange::observe(&app, call, arrival, perform).await;
    }
    let form = if method == Method::GET {
        query
    } else {
        let Ok(form) = std::str::from_utf8(&body) else {
            return reader.refuse(400, INVALID, "The form body is not UTF-8.".into());
        };
        if query.is_empty() {
            form.to_string()
        } else {
            format!("{query}&{form}")
        }
    };
    // Text XML could not carry is refused before anything runs.
    let Some(params) = lane::parse(large, move || Params::parse_text(&form)).await else {
        return reader.refuse(503, UNAVAILABLE, SHUTTING_DOWN.into());
    };
    let params = match params {
        Ok(params) => params,
        Err(e) => return Reader::Rest.refuse(400, INVALID, e.to_string()),
    };
    let params = Arc::new(params);
    let call = || exchange::rest_call(&params);
    let writes = rest::may_write(&params);
    let handled = (app.clone(), params.clone());
    let handle = move || rest::handle(&handled.0.service, &handled.1);
    let perform = || answer(app.clone(), reader, writes, handle);
    exchange::observe(&app, call, arrival, perform).await
}

/// The reply `handle` gives, run where a call that `writes` can wait for its commit.
async fn answer(
    app: Arc<App>,
    reader: Reader,
    writes: bool,
    handle: impl FnOnce() -> Reply + Send + 'static,
) -> Answer {
    match lane::call(&app.service.store, writes, handle).await {
        Some(Ok(reply)) => Answer::Wire(reply),
        // Nothing the call wrote was kept, so it may be sent again; and what the call found
        // falls due next may have been learnt from writes now undone.
        Some(Err(not_committed)) => {
            app.service.next_due.forget();
            Answer::Routed(reader.refuse(503, UNAVAILABLE, not_committed.to_string()))
        }
        None => Answer::Routed(reader.refuse(503, UNAVAILABLE, SHUTTING_DOWN.into())),
    }
}
