//! SOAP 1.1, document/literal: unwrap the envelope, route the body's operation element, and wrap
//! the response (or a Fault) back up.

use crate::auth::{Claims, Signed};
use crate::binding::{write_request_error, Input};
use crate::handlers::Service;
use crate::model::requester::{dispatch, Operation};
use crate::wire::{answering_version, begin_call, request_id, Reply};
use crate::xml::{self, Element, ParseLimits, Writer};
use turkstand_documents::SOAP_ENVELOPE_NS as ENVELOPE_NS;

use crate::xml::REQUESTER_NS_PREFIX;
const CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// A SOAP Fault: what cannot become an operation call. Always the client's fault here.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// The legacy error code carried in the fault's detail.
    pub code: &'static str,
    pub message: String,
}

impl Fault {
    fn new(code: &'static str, message: impl Into<String>) -> Fault {
        Fault {
            code,
            message: message.into(),
        }
    }

    pub fn xml_parse(message: impl Into<String>) -> Fault {
        Fault::new("AWS.MechanicalTurk.XMLParseError", message)
    }

    pub fn invalid(message: impl Into<String>) -> Fault {
        Fault::new("AWS.MechanicalTurk.InvalidParameterValue", message)
    }

    /// A client's fault: HTTP 400, not the customary 500, since clients retry 5xx and none of
    /// these would succeed on retry.
    pub fn reply(&self) -> Reply {
        self.reply_as("soapenv:Client", 400)
    }

    /// The fault with this `faultcode` (a QName in the envelope's namespace, prefix `soapenv`)
    /// and HTTP status.
    pub fn reply_as(&self, faultcode: &str, status: u16) -> Reply {
        let mut w = Writer::with_declaration();
        w.start("soapenv:Envelope", &[("xmlns:soapenv", ENVELOPE_NS)]);
        w.start("soapenv:Body", &[]);
        w.start("soapenv:Fault", &[]);
        // faultcode, faultstring and detail are unqualified in SOAP 1.1.
        w.start("faultcode", &[]);
        w.text(faultcode);
        w.end("faultcode");
        w.start("faultstring", &[]);
        w.text(&self.message);
        w.end("faultstring");
        w.start("detail", &[]);
        w.start("Errors", &[("xmlns", crate::model::requester::NAMESPACE)]);
        w.start("Error", &[]);
        w.start("Code", &[]);
        w.text(self.code);
        w.end("Code");
        w.start("Message", &[]);
        w.text(&self.message);
        w.end("Message");
        w.end("Error");
        w.end("Errors");
        w.end("detail");
        w.end("soapenv:Fault");
        w.end("soapenv:Body");
        w.end("soapenv:Envelope");
        Reply {
            status,
            content_type: CONTENT_TYPE,
            body: w.into_string(),
        }
    }
}

/// The operation element inside `Envelope/Body`, and the operation it names.
pub fn operation_element(envelope: &Element) -> Result<(&Element, Operation), Fault> {
    if envelope.name != "Envelope" || envelope.ns.as_deref() != Some(ENVELOPE_NS) {
        return Err(Fault::invalid(format!(
            "The request is not a SOAP 1.1 envelope: the document element is {} in {}.",
            envelope.name,
            envelope.ns.as_deref().unwrap_or("no namespace")
        )));
    }
    let body = envelope
        .children
        .iter()
        .find(|c| c.name == "Body" && c.ns.as_deref() == Some(ENVELOPE_NS))
        .ok_or_else(|| Fault::invalid("The SOAP envelope has no Body."))?;
    let op_el = match body.children.as_slice() {
        [one] => one,
        [] => return Err(Fault::invalid("The SOAP Body is empty.")),
        _ => {
            return Err(Fault::invalid(
                "The SOAP Body must hold exactly one operation element.",
            ))
        }
    };
    let in_requester_ns = op_el
        .ns
        .as_deref()
        .is_some_and(|ns| ns.starts_with(REQUESTER_NS_PREFIX));
    match Operation::from_name(&op_el.name) {
        Some(op) if in_requester_ns => Ok((op_el, op)),
        _ => Err(unknown_operation(op_el)),
    }
}

fn unknown_operation(op_el: &Element) -> Fault {
    Fault::invalid(format!(
        "The operation {} in namespace {} is not a Mechanical Turk Requester operation.",
        op_el.name,
        op_el.ns.as_deref().unwrap_or("(none)")
    ))
}

fn child_text<'a>(el: &'a Element, name: &str) -> Option<&'a str> {
    el.children
        .iter()
        .find(|c| c.name == name && c.ns == el.ns)
        .map(|c| c.text.trim())
}

/// Handles one SOAP request body.
pub fn handle(svc: &Service, body: &[u8], limits: &ParseLimits) -> Reply {
    match parse(body, limits) {
        Ok(envelope) => handle_envelope(svc, &envelope),
        Err(refused) => refused,
    }
}

/// The request body as an XML document, or the Fault that answers it.
pub fn parse(body: &[u8], limits: &ParseLimits) -> Result<Element, Reply> {
    xml::parse(body, limits).map_err(|e| {
        Fault::xml_parse(format!("The request body is not well-formed XML: {e}")).reply()
    })
}

/// The text of the operation element's child `name` (`AWSAccessKeyId`), if it has one.
pub fn parameter<'a>(op_el: &'a Element, name: &str) -> Option<&'a str> {
    child_text(op_el, name)
}

/// Whether the call in `envelope` may write, and so wait for a commit (a malformed one is
/// refused without touching the store).
pub fn may_write(envelope: &Element) -> bool {
    operation_element(envelope).is_ok_and(|(_, op)| !crate::handlers::only_reads(op))
}

/// Handles one SOAP request, parsed by [`parse`].
pub fn handle_envelope(svc: &Service, envelope: &Element) -> Reply {
    let (op_el, op) = match operation_element(envelope) {
        Ok(x) => x,
        Err(f) => return f.reply(),
    };
    let ns = op_el
        .ns
        .as_deref()
        .unwrap_or(crate::model::requester::NAMESPACE);
    let version = answering_version(ns.strip_prefix(REQUESTER_NS_PREFIX));
    if !op.in_version(version) {
        return unknown_operation(op_el).reply();
    }
    let request_id = request_id();
    let claims = Claims {
        access_key_id: child_text(op_el, "AWSAccessKeyId"),
        timestamp: child_text(op_el, "Timestamp"),
        signature: child_text(op_el, "Signature"),
        signed: Signed::Legacy {
            operation: op.name(),
        },
    };
    let mut w = Writer::with_declaration().with_shape(version.shape());
    w.start("soapenv:Envelope", &[("xmlns:soapenv", ENVELOPE_NS)]);
    w.start("soapenv:Body", &[]);
    match begin_call(svc, &claims, &request_id) {
        Err(e) => write_request_error(
            &mut w,
            op.response_element(),
            Some(ns),
            &request_id,
            e.code(),
            &e.to_string(),
        ),
        Ok(ctx) => {
            if let Err(e) = dispatch(svc, &ctx, op, Input::Xml(op_el), &mut w, Some(ns)) {
                return Fault::invalid(format!(
                    "The {} request does not match the schema: {e}",
                    op.name()
                ))
                .reply();
            }
        }
    }
    w.end("soapenv:Body");
    w.end("soapenv:Envelope");
    Reply {
        status: 200,
        content_type: CONTENT_TYPE,
        body: w.into_string(),
    }
}
