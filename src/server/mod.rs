//! HTTP wiring on hyper + tokio: routes SOAP, REST, the WSDL and XSDs, and the admin API.

mod admin;
mod capture;

pub use capture::Capture;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, HOST};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

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
}

type Body = Full<Bytes>;

fn respond(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

fn reply(r: Reply) -> Response<Body> {
    respond(r.status, r.content_type, r.body)
}

/// Serves connections until the listener fails. Notifications are delivered beside it.
///
/// `TURKSTAND_CAPTURE_DIR`, read once here at start-up, makes it capture every service exchange
/// into that directory (see [`Capture`]).
pub async fn serve(listener: TcpListener, app: Arc<App>) -> std::io::Result<()> {
    let capture = match std::env::var_os("TURKSTAND_CAPTURE_DIR") {
        Some(dir) => Some(Capture::create(dir).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot create the capture directory: {e}"),
            )
        })?),
        None => None,
    };
    serve_capturing(listener, app, capture).await
}

/// [`serve`], writing every service exchange to `capture` when there is one.
pub async fn serve_capturing(
    listener: TcpListener,
    app: Arc<App>,
    capture: Option<Capture>,
) -> std::io::Result<()> {
    tokio::spawn(crate::notify::run(app.service.clone()));
    let capture = capture.map(Arc::new);
    loop {
        let (stream, peer) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let capture = capture.clone();
        let local = stream.local_addr().ok();
        tokio::spawn(async move {
            let svc = service_fn(move |req| {
                let app = app.clone();
                let capture = capture.clone();
                async move { Ok::<_, Infallible>(route(&app, capture.as_deref(), req, local).await) }
            });
            if let Err(e) = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), svc)
                .await
            {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
}

fn is_service_path(path: &str) -> bool {
    matches!(
        path,
        "/" | "/onca/xml" | "/onca/soap" | "/onca/soap/" | "/onca/xml/"
    )
}

fn wants_wsdl(query: &str) -> bool {
    query.split('&').any(|kv| {
        kv.split('=')
            .next()
            .is_some_and(|k| k.eq_ignore_ascii_case("wsdl"))
    })
}

/// The address clients should call, from the Host header when it is a plain host[:port].
fn base_url(req: &Request<Incoming>, local: Option<SocketAddr>) -> String {
    let host = req
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .map(str::to_string)
        .or_else(|| local.map(|a| a.to_string()))
        .unwrap_or_else(|| "127.0.0.1".to_string());
    format!("http://{host}")
}

async fn read_body(app: &App, req: Request<Incoming>) -> Result<Bytes, Response<Body>> {
    let too_large = || {
        respond(
            413,
            "text/plain; charset=utf-8",
            format!(
                "The request body is larger than the limit of {} bytes.\n",
                app.max_body_bytes
            ),
        )
    };
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > app.max_body_bytes as u64) {
        return Err(too_large());
    }
    match Limited::new(req.into_body(), app.max_body_bytes)
        .collect()
        .await
    {
        Ok(b) => Ok(b.to_bytes()),
        Err(e)
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(too_large())
        }
        Err(e) => Err(respond(
            400,
            "text/plain; charset=utf-8",
            format!("Could not read the request body: {e}\n"),
        )),
    }
}

fn is_soap(req: &Request<Incoming>, path: &str) -> bool {
    if path.starts_with("/onca/soap") {
        return true;
    }
    if path.starts_with("/onca/xml") {
        return false;
    }
    let ct = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    req.headers().contains_key("soapaction") || ct.contains("xml")
}

async fn route(
    app: &App,
    capture: Option<&Capture>,
    req: Request<Incoming>,
    local: Option<SocketAddr>,
) -> Response<Body> {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let method = req.method().clone();
    tracing::debug!(%method, %path, "request");

    if let Some(rest) = path.strip_prefix("/_turkstand/") {
        let rest = rest.to_string();
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = match read_body(app, req).await {
            Ok(b) => b,
            Err(r) => return r,
        };
        return admin::route(&app.service, &method, &rest, &content_type, &body);
    }
    if method == Method::GET || method == Method::HEAD {
        if let Some(name) = path.strip_prefix("/xsd/") {
            return match turkstand_documents::served_schema(name) {
                Some(doc) => respond(200, "text/xml; charset=utf-8", doc.text),
                None => respond(404, "text/plain; charset=utf-8", "No such schema.\n"),
            };
        }
        if is_service_path(&path) && wants_wsdl(&query) {
            let address = format!(
                "{}/?Service=AWSMechanicalTurkRequester",
                base_url(&req, local)
            );
            return respond(
                200,
                "text/xml; charset=utf-8",
                WSDL.replace(WSDL_ADDRESS, &address),
            );
        }
    }
    if !is_service_path(&path) {
        return respond(404, "text/plain; charset=utf-8", "Not found.\n");
    }
    match method {
        Method::GET => {
            let params = Params::parse(&query);
            let r = rest::handle(&app.service, &params);
            if let Some(c) = capture {
                c.rest(&params, &r);
            }
            reply(r)
        }
        Method::POST => {
            let soap = is_soap(&req, &path);
            let body = match read_body(app, req).await {
                Ok(b) => b,
                Err(r) => return r,
            };
            if soap {
                let r = soap::handle(&app.service, &body, &app.limits);
                if let Some(c) = capture {
                    c.soap(&body, &app.limits, &r);
                }
                reply(r)
            } else {
                let Ok(form) = std::str::from_utf8(&body) else {
                    return respond(
                        400,
                        "text/plain; charset=utf-8",
                        "The form body is not UTF-8.\n",
                    );
                };
                let joined = if query.is_empty() {
                    form.to_string()
                } else {
                    format!("{query}&{form}")
                };
                let params = Params::parse(&joined);
                let r = rest::handle(&app.service, &params);
                if let Some(c) = capture {
                    c.rest(&params, &r);
                }
                reply(r)
            }
        }
        _ => respond(405, "text/plain; charset=utf-8", "Use GET or POST.\n"),
    }
}
