//! Capturing every service exchange to files, for the conformance pass.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::model::requester::Operation;
use crate::wire::params::Params;
use crate::wire::{soap, Reply};
use crate::xml::ParseLimits;

/// Where every exchange on the service paths is written, when `TURKSTAND_CAPTURE_DIR` asks for it:
/// the evidence that the conformance pass (tests/clients/conformance.py) checks with a schema
/// validator turkstand did not write. Files are `NNNNNN-{SOAP|REST}-{Operation}-request.{xml|json}`
/// and `…-response.xml`, written before the response leaves, so a client that has its answer can
/// rely on both files being there.
pub struct Capture {
    dir: PathBuf,
    next: AtomicU64,
}

impl Capture {
    /// Creates `dir` if needed.
    pub fn create(dir: impl Into<PathBuf>) -> std::io::Result<Capture> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)?;
        Ok(Capture {
            dir,
            next: AtomicU64::new(0),
        })
    }

    pub(super) fn soap(&self, request: &[u8], limits: &ParseLimits, reply: &Reply) {
        // Only the capture path pays for this second parse; the file name needs the operation even
        // when the request was answered with a Fault.
        let operation = crate::xml::parse(request, limits)
            .ok()
            .and_then(|envelope| {
                soap::operation_element(&envelope)
                    .ok()
                    .map(|(_, op)| op.name())
            });
        self.write("SOAP", operation, ("xml", request), reply);
    }

    pub(super) fn rest(&self, params: &Params, reply: &Reply) {
        let operation = params
            .get("Operation")
            .and_then(|name| Operation::from_name(name.trim()))
            .map(|op| op.name());
        // REST requests are form data, not XML: keep the decoded pairs, in order, one a line.
        let pairs: Vec<String> = params
            .pairs()
            .iter()
            .filter_map(|pair| serde_json::to_string(pair).ok())
            .collect();
        let request = format!("[\n{}\n]\n", pairs.join(",\n"));
        self.write("REST", operation, ("json", request.as_bytes()), reply);
    }

    fn write(
        &self,
        protocol: &str,
        operation: Option<&str>,
        request: (&str, &[u8]),
        reply: &Reply,
    ) {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let stem = format!("{n:06}-{protocol}-{}", operation.unwrap_or("Unknown"));
        let files = [
            (format!("{stem}-request.{}", request.0), request.1),
            (format!("{stem}-response.xml"), reply.body.as_bytes()),
        ];
        for (name, bytes) in files {
            if let Err(e) = std::fs::write(self.dir.join(&name), bytes) {
                tracing::error!(file = %name, error = %e, "cannot write a captured message");
            }
        }
    }
}
