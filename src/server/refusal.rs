//! Refusals made before a request reaches its operation (a body too large or not UTF-8, a
//! request target or header block too large), each written in the form its caller reads: a SOAP
//! Fault, a REST `Response/Errors`, the admin API's JSON error, or plain text elsewhere.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use hyper::HeaderMap;

use super::admin::api::{ErrorBody, ErrorDetail};
use super::connections::ConnectionLimits;
use super::{is_soap, reply, respond, SERVICE_PATHS, TEXT};
use crate::wire::{rest, soap};

/// The legacy code for a request the service cannot take as sent.
pub(super) const INVALID: &str = "AWS.MechanicalTurk.InvalidParameterValue";
/// The legacy code for a call the service cannot take now; a retry may succeed.
pub(super) const UNAVAILABLE: &str = "AWS.ServiceUnavailable";

/// Who reads the refusal of a request to `path`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reader {
    Soap,
    Rest,
    Admin,
    Other,
}

impl Reader {
    pub(super) fn of(headers: &HeaderMap, path: &str) -> Reader {
        if path == "/_turkstand" || path.starts_with("/_turkstand/") {
            Reader::Admin
        } else if !SERVICE_PATHS.contains(&path) {
            Reader::Other
        } else if is_soap(headers, path) {
            Reader::Soap
        } else {
            Reader::Rest
        }
    }

    /// `message` refused with `status` and the legacy `code`, in this reader's form.
    pub(super) fn refuse(self, status: u16, code: &'static str, message: String) -> Response {
        match self {
            Reader::Soap => {
                let mut r = soap::Fault { code, message }.reply();
                r.status = status;
                reply(r)
            }
            Reader::Rest => reply(rest::refusal(status, code, &message)),
            Reader::Admin => {
                let body = ErrorBody {
                    error: ErrorDetail {
                        code: code.to_string(),
                        message,
                    },
                };
                let text = serde_json::to_value(body)
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                respond(status, "application/json", text)
            }
            Reader::Other => respond(status, TEXT, format!("{message}\n")),
        }
    }
}

/// Why an admin request carries text that XML 1.0 could not, if it does: its decoded path or a
/// string of its JSON body. What the admin API takes (answers, worker ids, layouts) ends up in
/// service answers, so it is refused at the door like SOAP and REST input. XML bodies are left
/// to the parser, which refuses the same characters.
pub(super) fn not_xml_text(path: &str, body: &[u8]) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8();
    let Ok(decoded) = decoded else {
        return Some("The path is not UTF-8 once percent-decoded.".into());
    };
    if let Some((_, c)) = crate::xml::first_non_xml_char(&decoded) {
        return Some(format!(
            "The path holds the character U+{:04X}, which XML 1.0 does not allow.",
            u32::from(c)
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let mut pending = vec![&value];
    while let Some(v) = pending.pop() {
        let found = match v {
            serde_json::Value::String(s) => crate::xml::first_non_xml_char(s),
            serde_json::Value::Array(items) => {
                pending.extend(items);
                None
            }
            serde_json::Value::Object(fields) => {
                for (k, v) in fields {
                    if let Some(found) = crate::xml::first_non_xml_char(k) {
                        return Some(character_message(found.1));
                    }
                    pending.push(v);
                }
                None
            }
            _ => None,
        };
        if let Some((_, c)) = found {
            return Some(character_message(c));
        }
    }
    None
}

fn character_message(c: char) -> String {
    format!(
        "The body holds the character U+{:04X}, which XML 1.0 does not allow.",
        u32::from(c)
    )
}

/// A body that could not be read whole.
#[derive(Debug, thiserror::Error)]
pub(super) enum BodyError {
    #[error("The request body is larger than the limit of {0} bytes.")]
    TooLarge(usize),
    #[error("The request body did not arrive within {0:?} of its head.")]
    TooSlow(std::time::Duration),
    #[error("Could not read the request body: {0}")]
    Unreadable(String),
}

impl BodyError {
    pub(super) fn status(&self) -> u16 {
        match self {
            BodyError::TooLarge(_) => 413,
            BodyError::TooSlow(_) => 408,
            BodyError::Unreadable(_) => 400,
        }
    }
}

/// Refuses a request target or header block over the limits, in the caller's form. hyper's
/// own head buffer is set above these limits (see [`ConnectionLimits::hyper_head_buffer`]) so
/// that such requests reach this layer.
pub(super) async fn oversized_head(
    State(limits): State<Arc<ConnectionLimits>>,
    req: Request,
    next: Next,
) -> Response {
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    let headers: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    let refused = if target > limits.max_uri_bytes {
        Some((
            414,
            format!(
                "The request URI is longer than the limit of {} bytes.",
                limits.max_uri_bytes
            ),
        ))
    } else if headers > limits.max_header_bytes {
        Some((
            431,
            format!(
                "The request headers are larger than the limit of {} bytes.",
                limits.max_header_bytes
            ),
        ))
    } else {
        None
    };
    match refused {
        Some((status, message)) => {
            Reader::of(req.headers(), req.uri().path()).refuse(status, INVALID, message)
        }
        None => next.run(req).await,
    }
}
