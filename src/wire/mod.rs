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

/// A version 4 UUID from the thread's generator: `Uuid::new_v4` asks the kernel for every one,
/// a system call on each answer.
pub fn request_id() -> String {
    let bytes: [u8; 16] = rand::random();
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// The generated shape answering a call that names version `requested` (see
/// [`turkstand_documents::answering_version`]).
pub(crate) fn answering_version(requested: Option<&str>) -> Version {
    let name = turkstand_documents::answering_version(requested);
    Version::ALL
        .iter()
        .copied()
        .find(|v| v.name() == name)
        .unwrap_or(Version::ALL[0])
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_version_has_its_generated_shape() {
        for v in Version::ALL {
            assert_eq!(answering_version(Some(v.name())), *v);
        }
        assert_eq!(answering_version(Some("2008-08-02")), Version::V2012_03_25);
    }
}
