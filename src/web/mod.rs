//! The pages a person uses: the worker site under `/mturk/` (paths as the real worker site had
//! them), the requester console under `/requester/`, and the landing page a browser sees at
//! `GET /`. Every action goes through the same handlers as the API, so the same rules refuse it
//! with the same legacy codes and messages.
//!
//! Pages are maud templates (escaped by construction), load nothing from outside this server,
//! and every state-changing form is a POST carrying the visit's CSRF token (see [`csrf`]). The
//! one exception is `POST /mturk/externalSubmit`, which ExternalQuestion and HTMLQuestion pages
//! of any origin post to, as they did to MTurk: there the assignment id is the credential.

mod console;
mod csrf;
mod form;
mod landing;
mod layout;
mod question;
#[cfg(test)]
mod tests;
mod worker;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use axum::Router;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use hyper::{HeaderMap, StatusCode};
use maud::Markup;

pub use landing::{landing, wants_landing};

use crate::handlers::Service;

/// The address this server is reached at (`http://host:port`), which the server works out
/// from each request and hands down, for `turkSubmitTo` and the landing page's links.
#[derive(Debug, Clone)]
pub struct BaseUrl(pub String);

/// What the pages share: the service, and the server's body limits.
pub(crate) struct Site {
    svc: Arc<Service>,
    max_body_bytes: usize,
    /// How long a posted form may take to arrive once its head has.
    body_read_timeout: std::time::Duration,
}

/// The routers of the pages, for the server to mount.
pub struct Routes {
    /// The worker site and the requester console, to be guarded as the admin API is.
    pub pages: Router,
    /// `POST /mturk/externalSubmit`, which task pages of any origin post to (a sandboxed
    /// HTMLQuestion frame as origin `null`): it must stay open to them, the assignment id
    /// being its credential.
    pub task_submissions: Router,
}

/// The pages' routers. Each request should carry a [`BaseUrl`].
pub fn routes(
    svc: Arc<Service>,
    max_body_bytes: usize,
    body_read_timeout: std::time::Duration,
) -> Routes {
    let site = Arc::new(Site {
        svc,
        max_body_bytes,
        body_read_timeout,
    });
    Routes {
        pages: worker::routes()
            .merge(console::routes())
            .route("/mturk/site.css", axum::routing::get(stylesheet))
            .with_state(site.clone()),
        task_submissions: worker::task_routes().with_state(site),
    }
}

async fn stylesheet() -> Response {
    let mut r = Response::new(Body::from(layout::CSS));
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("max-age=3600"));
    r
}

/// Who is visiting: the worker and requester signed in (if any) and the visit's CSRF token.
#[derive(Debug, Clone)]
pub(crate) struct Visit {
    worker: Option<String>,
    requester: Option<String>,
    csrf: csrf::Token,
    base: String,
}

const WORKER_COOKIE: &str = "turkstand_worker";
const REQUESTER_COOKIE: &str = "turkstand_requester";

impl Visit {
    fn of(req: &Request) -> Visit {
        Visit::from_headers(req.headers(), req.extensions().get::<BaseUrl>())
    }

    fn from_headers(headers: &HeaderMap, base: Option<&BaseUrl>) -> Visit {
        let cookie = |name: &str| cookie(headers, name).filter(|v| !v.is_empty());
        Visit {
            worker: cookie(WORKER_COOKIE)
                .and_then(|w| crate::handlers::worker::valid_worker_id(&w).map(str::to_string)),
            requester: cookie(REQUESTER_COOKIE),
            csrf: csrf::Token::of(cookie(csrf::COOKIE)),
            base: base
                .map(|b| b.0.clone())
                .unwrap_or_else(|| "http://127.0.0.1".to_string()),
        }
    }
}

/// A cookie's value from the request's `Cookie` headers.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(hyper::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A cookie for the whole site, unreadable by scripts and never sent by other sites' forms.
fn set_cookie(name: &str, value: &str) -> String {
    let age = if value.is_empty() { "; Max-Age=0" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{age}")
}

/// The security headers of every page: nothing loads from elsewhere but the frames that show
/// a requester's own ExternalQuestion, and no other site may frame these pages.
const PAGE_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-src *; frame-ancestors 'self'; base-uri 'none'";

fn finish(mut r: Response, status: u16, visit: &Visit, policy: &'static str) -> Response {
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    h.insert("content-security-policy", HeaderValue::from_static(policy));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if visit.csrf.is_new() {
        if let Ok(v) = HeaderValue::from_str(&set_cookie(csrf::COOKIE, visit.csrf.value())) {
            h.append(SET_COOKIE, v);
        }
    }
    r
}

/// An HTML page.
fn page(status: u16, visit: &Visit, markup: Markup) -> Response {
    html_with_policy(status, visit, markup.into_string(), PAGE_POLICY)
}

fn html_with_policy(status: u16, visit: &Visit, text: String, policy: &'static str) -> Response {
    let mut r = Response::new(Body::from(text));
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    finish(r, status, visit, policy)
}

/// After a POST that did its work: see the result at `to` (303, so a reload does not repeat
/// it), with cookies to set.
fn see_other(visit: &Visit, to: &str, cookies: &[String]) -> Response {
    let mut r = Response::new(Body::empty());
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(LOCATION, v);
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            r.headers_mut().append(SET_COOKIE, v);
        }
    }
    finish(r, 303, visit, PAGE_POLICY)
}

/// Signs in to or out of one site: the posted form (its CSRF token checked) gives `cookie` the
/// value `value` makes of it ("" signs out), and the browser goes on to `to`.
async fn set_identity(
    site: &Site,
    req: Request,
    area: layout::Area,
    (cookie, to): (&str, &str),
    value: impl FnOnce(&form::Posted) -> Result<String, Refused>,
) -> Response {
    let visit = Visit::of(&req);
    match form::read(site, &visit, req).await.and_then(|p| value(&p)) {
        Ok(v) => see_other(&visit, to, &[set_cookie(cookie, &v)]),
        Err(r) => refused_page(&visit, area, &r),
    }
}

/// A refusal, in the legacy code and message of the handler that refused.
#[derive(Debug, Clone)]
pub(crate) struct Refused {
    status: u16,
    code: &'static str,
    message: String,
}

impl Refused {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Refused {
        Refused {
            status,
            code,
            message: message.into(),
        }
    }

    fn bad_input(message: impl Into<String>) -> Refused {
        Refused::new(400, "AWS.MechanicalTurk.InvalidParameterValue", message)
    }
}

/// The HTTP status a simulated worker's refusal travels with, on the pages and the admin API.
pub(crate) fn worker_error_status(e: &crate::handlers::worker::WorkerError) -> u16 {
    if e.is_internal() {
        500
    } else if e.is_not_found() {
        404
    } else {
        409
    }
}

impl From<crate::handlers::worker::WorkerError> for Refused {
    fn from(e: crate::handlers::worker::WorkerError) -> Refused {
        Refused::new(worker_error_status(&e), e.code(), e.to_string())
    }
}

impl From<crate::error::OpError> for Refused {
    fn from(e: crate::error::OpError) -> Refused {
        let status = if matches!(e, crate::error::OpError::Internal(_)) {
            500
        } else {
            400
        };
        Refused::new(status, e.code(), e.to_string())
    }
}

/// The page that says why an action was refused, with the legacy error text.
fn refused_page(visit: &Visit, area: layout::Area, r: &Refused) -> Response {
    page(
        r.status,
        visit,
        layout::shell(
            "Request refused",
            area,
            visit,
            maud::html! {
                div.error role="alert" {
                    h2 { "Your request was refused" }
                    p { code { (r.code) } }
                    p.message { (r.message) }
                }
                p { a href=(area.home()) { "Back" } }
            },
        ),
    )
}
