//! Wire formats: the SOAP 1.1 envelope and the REST query form. Both turn bytes into a call of
//! the generated dispatch and its result back into the legacy XML; neither knows HTTP.

pub mod rest;
pub mod soap;

// REST forms are parsed by the bindings' runtime (generated `FromParams` decodes them); this
// path stays for the readers of raw forms.
pub use crate::binding::params;

use crate::auth::{self, AuthError, Claims};
use crate::binding::Context;
use crate::error::OpError;
use crate::handlers::Service;
use crate::model::requester::Version;

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

/// The bundled interface version a call naming version `requested` (a date, from the SOAP
/// namespace or the REST `Version` parameter) is answered in. A bundled version answers the
/// versions after the previous bundled one up to itself, except that the newest answers only
/// itself and what comes later: everything between 2007-06-21 and 2014-08-15 is answered in the
/// 2012-03-25 shape. A call naming no version, or no readable one, gets the newest.
pub(crate) fn answering_version(requested: Option<&str>) -> Version {
    let newest = Version::ALL[0];
    let Some(requested) = requested.map(str::trim).filter(|r| is_date(r)) else {
        return newest;
    };
    let mut older_first: Vec<Version> = Version::ALL.to_vec();
    older_first.reverse();
    match older_first.iter().position(|v| requested <= v.name()) {
        None => newest,
        Some(i) if older_first[i] == newest && requested != newest.name() && i > 0 => {
            older_first[i - 1]
        }
        Some(i) => older_first[i],
    }
}

fn is_date(s: &str) -> bool {
    s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
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
