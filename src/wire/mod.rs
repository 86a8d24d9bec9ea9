//! Wire formats: the SOAP 1.1 envelope and the REST query form. Both turn bytes into a call of
//! the generated dispatch and its result back into the legacy XML; neither knows HTTP.

pub mod params;
pub mod rest;
pub mod soap;

use crate::auth::{self, AuthError, Claims};
use crate::error::OpError;
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

/// Why a call was refused before its operation ran.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Refusal {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Op(#[from] OpError),
}

impl Refusal {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Refusal::Auth(e) => e.code(),
            Refusal::Op(e) => e.code(),
        }
    }
}

/// Authenticates a call and settles everything the clock has made due, returning the handler
/// context. This is the one place a call brings the store up to its present; every handler of
/// the call then works at `Context::now`.
pub(crate) fn begin_call(
    svc: &Service,
    claims: &Claims<'_>,
    request_id: &str,
) -> Result<Context, Refusal> {
    let account = auth::authenticate(&svc.accounts, claims, crate::clock::Clock::wall())?;
    let now = svc.settle_due_changes()?;
    Ok(Context {
        requester: account.access_key_id.clone(),
        request_id: request_id.to_string(),
        now,
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
