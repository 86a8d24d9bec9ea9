//! The bodies a fired rule answers with, in the legacy forms: what the service sent when it
//! was throttling, failing or switched off.

use super::Call;
use crate::binding::{write_request_error, write_result_error};
use crate::error::OpError;
use crate::model::requester::{Operation, NAMESPACE};
use crate::server::admin::api::{ErrorBody, ErrorDetail, FaultEffect, Transport};
use crate::wire::soap::Fault;
use crate::wire::{request_id, Reply};
use crate::xml::Writer;

const XML: &str = "text/xml; charset=utf-8";
const JSON: &str = "application/json";

const THROTTLED: &str = "Service Unavailable: the request was throttled. Try it again later.";
const THROTTLE_CODE: &str = "AWS.ServiceUnavailable";
/// The fault code the legacy Java SDK retries on.
const THROTTLE_FAULT: &str = "soapenv:Server.ServiceUnavailable";

/// The answer the service gave every call after it was switched off on 2019-06-01.
const SHUTDOWN_MESSAGE: &str = "This Requester API is no longer supported. Please use the latest \
    API using the official AWS SDK. https://aws.amazon.com/getting-started/tools-sdks";

fn internal() -> OpError {
    OpError::Internal("an internal error occurred (a turkstand fault rule)".into())
}

fn reply(status: u16, body: String) -> Reply {
    Reply {
        status,
        content_type: XML,
        body,
    }
}

/// The answer to a service call of `effect`, for the effects that answer instead of the call.
pub(crate) fn service(call: &Call, effect: &FaultEffect) -> Option<Reply> {
    let op = call.operation.and_then(Operation::from_name);
    let soap = call.transport == Some(Transport::Soap);
    let (status, code, message) = match effect {
        FaultEffect::Shutdown => return Some(shutdown()),
        FaultEffect::Throttle => (503, THROTTLE_CODE, THROTTLED.to_string()),
        FaultEffect::InternalError => (500, internal().code(), internal().to_string()),
        FaultEffect::LegacyError { code, message } => {
            let message = message
                .clone()
                .unwrap_or_else(|| format!("The request failed with {code}."));
            return Some(legacy_error(call, op, code, &message));
        }
        FaultEffect::Delay { .. }
        | FaultEffect::Reset
        | FaultEffect::Stall
        | FaultEffect::LostAnswer => return None,
    };
    if soap {
        let fault = Fault { code, message };
        let faultcode = if status == 503 {
            THROTTLE_FAULT
        } else {
            "soapenv:Server"
        };
        return Some(fault.reply_as(faultcode, status));
    }
    let mut w = Writer::with_declaration();
    let root = op.map_or("Response", |op| op.response_element());
    write_request_error(&mut w, root, None, &request_id(), code, &message);
    Some(reply(status, w.into_string()))
}

/// `AWS.MechanicalTurk.*` codes are the operation's own and go in its result; every other code
/// is the request's and goes in `OperationRequest`. Both are answered with HTTP 200.
fn legacy_error(call: &Call, op: Option<Operation>, code: &str, message: &str) -> Reply {
    let soap = call.transport == Some(Transport::Soap);
    let ns = soap.then(|| call.namespace.as_deref().unwrap_or(NAMESPACE));
    let mut w = Writer::with_declaration();
    if soap {
        w.start(
            "soapenv:Envelope",
            &[("xmlns:soapenv", turkstand_documents::SOAP_ENVELOPE_NS)],
        );
        w.start("soapenv:Body", &[]);
    }
    let id = request_id();
    match op {
        Some(op) if code.starts_with("AWS.MechanicalTurk.") => {
            let elements = (op.response_element(), op.result_element());
            write_result_error(&mut w, elements, ns, &id, code, message);
        }
        Some(op) => write_request_error(&mut w, op.response_element(), ns, &id, code, message),
        None => write_request_error(&mut w, "Response", ns, &id, code, message),
    }
    if soap {
        w.end("soapenv:Body");
        w.end("soapenv:Envelope");
    }
    reply(200, w.into_string())
}

fn shutdown() -> Reply {
    let mut w = Writer::new();
    w.start("Response", &[]);
    w.start("Errors", &[]);
    w.start("Error", &[]);
    w.text_element("Code", "Forbidden");
    w.text_element("Message", SHUTDOWN_MESSAGE);
    w.end("Error");
    w.end("Errors");
    w.text_element("RequestID", &request_id());
    w.end("Response");
    reply(403, w.into_string())
}

/// The answer to an admin API call, in the admin API's JSON refusal form.
pub(crate) fn admin(effect: &FaultEffect) -> Option<Reply> {
    let (status, code, message) = match effect {
        FaultEffect::Throttle => (503, THROTTLE_CODE.to_string(), THROTTLED.to_string()),
        FaultEffect::InternalError => (500, internal().code().to_string(), internal().to_string()),
        FaultEffect::Shutdown => (403, "Forbidden".into(), SHUTDOWN_MESSAGE.to_string()),
        FaultEffect::LegacyError { code, message } => (
            409,
            code.clone(),
            message
                .clone()
                .unwrap_or_else(|| format!("The request failed with {code}.")),
        ),
        FaultEffect::Delay { .. }
        | FaultEffect::Reset
        | FaultEffect::Stall
        | FaultEffect::LostAnswer => return None,
    };
    let body = ErrorBody {
        error: ErrorDetail { code, message },
    };
    Some(Reply {
        status,
        content_type: JSON,
        body: serde_json::to_string(&body).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(transport: Transport, op: &'static str) -> Call {
        Call {
            transport: Some(transport),
            operation: Some(op),
            ..Call::default()
        }
    }

    #[test]
    fn a_throttle_is_a_503_in_either_form() {
        let soap =
            service(&call(Transport::Soap, "GetHIT"), &FaultEffect::Throttle).expect("answer");
        assert_eq!(soap.status, 503);
        assert!(soap
            .body
            .contains("<faultcode>soapenv:Server.ServiceUnavailable</faultcode>"));
        assert!(soap.body.contains("<Code>AWS.ServiceUnavailable</Code>"));
        let rest =
            service(&call(Transport::Rest, "GetHIT"), &FaultEffect::Throttle).expect("answer");
        assert_eq!(rest.status, 503);
        assert!(
            rest.body
                .contains("<GetHITResponse><OperationRequest><RequestId>"),
            "{}",
            rest.body
        );
        assert!(rest
            .body
            .contains("<Errors><Error><Code>AWS.ServiceUnavailable</Code>"));
    }

    #[test]
    fn legacy_errors_go_where_their_code_belongs() {
        let effect = |code: &str| FaultEffect::LegacyError {
            code: code.into(),
            message: Some("No money.".into()),
        };
        let op = service(
            &call(Transport::Rest, "ApproveAssignment"),
            &effect("AWS.MechanicalTurk.InsufficientFunds"),
        )
        .expect("answer");
        assert_eq!(op.status, 200);
        assert!(op.body.contains(
            "</OperationRequest><ApproveAssignmentResult><Request><IsValid>False</IsValid><Errors><Error>\
             <Code>AWS.MechanicalTurk.InsufficientFunds</Code><Message>No money. ("
        ), "{}", op.body);
        let mut soap = call(Transport::Soap, "CreateHIT");
        soap.namespace = Some("http://requester.mturk.amazonaws.com/doc/2012-03-25".into());
        let request = service(&soap, &effect("AWS.NotAuthorized")).expect("answer");
        assert!(request.body.contains(
            "<soapenv:Body><CreateHITResponse xmlns=\"http://requester.mturk.amazonaws.com/doc/2012-03-25\">\
             <OperationRequest><RequestId>"
        ), "{}", request.body);
        assert!(request
            .body
            .contains("<Errors><Error><Code>AWS.NotAuthorized</Code>"));
        assert!(!request.body.contains("<HIT>"));
    }

    #[test]
    fn the_shutdown_answer_is_the_legacy_403() {
        let r = service(&call(Transport::Soap, "GetHIT"), &FaultEffect::Shutdown).expect("answer");
        assert_eq!(r.status, 403);
        assert!(r.body.starts_with(
            "<Response><Errors><Error><Code>Forbidden</Code><Message>This Requester API is no longer supported."
        ), "{}", r.body);
        assert!(r.body.contains("</Message></Error></Errors><RequestID>"));
    }

    #[test]
    fn effects_around_the_call_have_no_answer_of_their_own() {
        for e in [
            FaultEffect::Reset,
            FaultEffect::Stall,
            FaultEffect::LostAnswer,
            FaultEffect::Delay { ms: 1 },
        ] {
            assert!(service(&call(Transport::Rest, "GetHIT"), &e).is_none());
            assert!(admin(&e).is_none());
        }
        let r = admin(&FaultEffect::Throttle).expect("answer");
        assert_eq!((r.status, r.content_type), (503, JSON));
    }
}
