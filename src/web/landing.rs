//! `GET /` in a browser: what this server is and where everything is. API clients, which send
//! an Operation or do not ask for HTML, get the service's answer as before.

use axum::response::Response;
use hyper::header::ACCEPT;
use hyper::{HeaderMap, Method};
use maud::html;

use super::layout::{self, Area};
use super::{page, Visit};
use crate::handlers::Service;

/// Whether a request for `/` is a browser's visit rather than a service call.
pub fn wants_landing(method: &Method, headers: &HeaderMap, query: &str) -> bool {
    let html = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("text/html"));
    let has_operation =
        form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k.eq_ignore_ascii_case("Operation"));
    (method == Method::GET || method == Method::HEAD) && html && !has_operation
}

/// The landing page; `base` is the address the browser used.
pub fn landing(svc: &Service, base: &str, headers: &HeaderMap) -> Response {
    let visit = Visit::from_headers(headers, Some(&super::BaseUrl(base.to_string())));
    let endpoint = format!("{base}/?Service=AWSMechanicalTurkRequester");
    let wsdl = [
        ("2014-08-15", format!("{base}/?wsdl")),
        (
            "2014-08-15",
            format!("{base}/AWSMechanicalTurk/2014-08-15/AWSMechanicalTurkRequester.wsdl"),
        ),
        (
            "2007-06-21",
            format!("{base}/AWSMechanicalTurk/2007-06-21/AWSMechanicalTurkRequester.wsdl"),
        ),
    ];
    page(
        200,
        &visit,
        layout::shell(
            "A Mechanical Turk stand-in",
            Area::Landing,
            &visit,
            html! {
                p { "A local stand-in for the legacy Amazon Mechanical Turk Requester API (SOAP 1.1 and REST, WSDL version 2014-08-15), with simulated workers." }
                h2 { "Endpoints" }
                dl.terms {
                    dt { "SOAP and REST" } dd { code { (endpoint) } }
                    dt { "Admin API" } dd { code { (base) "/_turkstand/" } }
                    @for (version, url) in &wsdl {
                        dt { "WSDL " (version) } dd { a href=(url) { (url) } }
                    }
                    dt { "Data schemas" } dd { a href="/xsd/QuestionForm.xsd" { "QuestionForm.xsd" } ", " a href="/xsd/QuestionFormAnswers.xsd" { "QuestionFormAnswers.xsd" } ", " a href="/xsd/HTMLQuestion.xsd" { "HTMLQuestion.xsd" } ", " a href="/xsd/ExternalQuestion.xsd" { "ExternalQuestion.xsd" } }
                }
                h2 { "Accounts" }
                ul {
                    @for a in svc.accounts.iter() { li { "AWSAccessKeyId " code { (a.access_key_id) } } }
                }
                h2 { "Sites" }
                ul {
                    li { a href="/mturk/findhits" { "Worker site" } ": find, preview, accept and submit HITs as any worker." }
                    li { a href="/requester/hits" { "Requester console" } ": review work, pay, and manage this server." }
                }
            },
        ),
    )
}
