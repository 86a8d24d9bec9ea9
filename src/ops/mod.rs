//! Operation handlers, grouped by domain. Handlers know nothing of SOAP or HTTP.

/// What a handler knows about the call it serves.
#[derive(Debug, Clone)]
pub struct Context {
    /// The calling requester's access key id.
    pub requester: String,
    pub request_id: String,
}

/// Whether the caller asked for its request to be echoed back (`ResponseGroup` `Request`).
pub fn wants_request_echo(groups: &[String]) -> bool {
    groups.iter().any(|g| g == "Request")
}
