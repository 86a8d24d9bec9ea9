//! Wire formats: the SOAP 1.1 envelope and the REST query form. Both turn bytes into a call of
//! the generated dispatch and its result back into the legacy XML; neither knows HTTP.

pub mod params;
pub mod rest;
pub mod soap;

use crate::auth::{self, AuthError, Claims};
use crate::handlers::{Context, Service};
use crate::model::requester::OperationRequest;
use crate::xml::{Encode, Writer};

/// What goes back to the client: an HTTP status, a content type and the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

pub fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Authenticates a call, returning the handler context.
pub(crate) fn authenticate(
    svc: &Service,
    claims: &Claims<'_>,
    request_id: &str,
) -> Result<Context, AuthError> {
    let account = auth::authenticate(&svc.accounts, claims, crate::clock::Clock::wall())?;
    Ok(Context {
        requester: account.access_key_id.clone(),
        request_id: request_id.to_string(),
    })
}

/// `<{Op}Response><OperationRequest>…<Errors>…</Errors></OperationRequest></{Op}Response>`: how the
/// legacy service answered calls it refused before running the operation (authentication, bad
/// parameters).
pub(crate) fn write_request_error(
    w: &mut Writer,
    root: &str,
    ns: Option<&str>,
    request_id: &str,
    code: &str,
    message: &str,
) {
    let op = OperationRequest {
        request_id: Some(request_id.to_string()),
        errors: Some(crate::error::errors(code, message)),
        ..Default::default()
    };
    match ns {
        Some(ns) => w.start(root, &[("xmlns", ns)]),
        None => w.start(root, &[]),
    }
    op.encode(w, "OperationRequest");
    w.end(root);
}
