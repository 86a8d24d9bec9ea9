//! The REST query interface: `Service=AWSMechanicalTurkRequester&Operation=…` by GET or POST.

use crate::auth::{Claims, Signed};
use crate::binding::params::{Input, Params};
use crate::binding::write_request_error;
use crate::handlers::Service;
use crate::model::requester::{dispatch, Operation};
use crate::wire::{begin_call, request_id, Reply};
use crate::xml::Writer;

const CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// Values that real legacy clients send although the 2014-08-15 schema does not list them, and
/// that the legacy service accepted: (operation, parameter, value). They are dropped before
/// decoding, so the operation's default applies; the signature still covers them.
const TOLERATED_VALUES: &[(&str, &str, &str)] = &[
    // boto 2's get_qualification_requests sends this by default.
    ("GetQualificationRequests", "SortProperty", "Expiration"),
];

fn without_tolerated(op: Operation, params: &Params) -> Option<Params> {
    let drop = |k: &str, v: &str| {
        TOLERATED_VALUES
            .iter()
            .any(|(o, p, x)| *o == op.name() && *p == k && *x == v)
    };
    if !params.pairs().iter().any(|(k, v)| drop(k, v)) {
        return None;
    }
    Some(Params::from_pairs(
        params
            .pairs()
            .iter()
            .filter(|(k, v)| !drop(k, v))
            .cloned()
            .collect(),
    ))
}

/// Handles one REST call whose parameters (query string and form body together) are `params`.
/// REST XML carries no namespace: some clients look elements up by plain name.
pub fn handle(svc: &Service, params: &Params) -> Reply {
    let request_id = request_id();
    let mut w = Writer::with_declaration();
    let op_name = params.get("Operation").map(str::trim).unwrap_or("");
    let Some(op) = Operation::from_name(op_name) else {
        let message = if op_name.is_empty() {
            "The Operation parameter is required.".to_string()
        } else {
            format!("The operation {op_name} is not a Mechanical Turk Requester operation.")
        };
        write_request_error(
            &mut w,
            "Response",
            None,
            &request_id,
            "AWS.MechanicalTurk.InvalidParameterValue",
            &message,
        );
        return Reply {
            status: 400,
            content_type: CONTENT_TYPE,
            body: w.into_string(),
        };
    };
    // boto 2 signs every parameter (SignatureVersion 1); everyone else signs the legacy way.
    let signed = if params.get("SignatureVersion").map(str::trim) == Some("1") {
        Signed::QueryV1 {
            params: params.pairs(),
        }
    } else {
        Signed::Legacy {
            operation: op.name(),
        }
    };
    let claims = Claims {
        access_key_id: params.get("AWSAccessKeyId"),
        timestamp: params.get("Timestamp"),
        signature: params.get("Signature"),
        signed,
    };
    let ctx = match begin_call(svc, &claims, &request_id) {
        Ok(ctx) => ctx,
        Err(e) => {
            write_request_error(
                &mut w,
                op.response_element(),
                None,
                &request_id,
                e.code(),
                &e.to_string(),
            );
            return Reply {
                status: 200,
                content_type: CONTENT_TYPE,
                body: w.into_string(),
            };
        }
    };
    let cleaned = without_tolerated(op, params);
    let view = cleaned.as_ref().unwrap_or(params).view();
    if let Err(e) = dispatch(svc, &ctx, op, Input::Params(&view), &mut w, None) {
        let mut w = Writer::with_declaration();
        let message = format!("The {} request has an invalid parameter: {e}", op.name());
        write_request_error(
            &mut w,
            op.response_element(),
            None,
            &request_id,
            "AWS.MechanicalTurk.InvalidParameterValue",
            &message,
        );
        return Reply {
            status: 200,
            content_type: CONTENT_TYPE,
            body: w.into_string(),
        };
    }
    Reply {
        status: 200,
        content_type: CONTENT_TYPE,
        body: w.into_string(),
    }
}
