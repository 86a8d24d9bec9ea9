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

/// Parameter names the legacy documentation spelled otherwise than the schema does, which the
/// legacy service took too: (operation, documented name, schema name).
const LEGACY_SPELLINGS: &[(&str, &str, &str)] = &[
    // The 2008 reference spelled DisposeHIT's parameter this way.
    ("DisposeHIT", "HitId", "HITId"),
];

/// The parameters as the schema names them: tolerated values dropped and legacy spellings
/// renamed (unless the schema's own name is given too). `None` when nothing changes.
fn normalised(op: Operation, params: &Params) -> Option<Params> {
    let drop = |k: &str, v: &str| {
        TOLERATED_VALUES
            .iter()
            .any(|(o, p, x)| *o == op.name() && *p == k && *x == v)
    };
    let rename = |k: &str| {
        LEGACY_SPELLINGS
            .iter()
            .find(|(o, old, new)| *o == op.name() && *old == k && params.get(new).is_none())
            .map(|(_, _, new)| *new)
    };
    if !params
        .pairs()
        .iter()
        .any(|(k, v)| drop(k, v) || rename(k).is_some())
    {
        return None;
    }
    Some(Params::from_pairs(
        params
            .pairs()
            .iter()
            .filter(|(k, v)| !drop(k, v))
            .map(|(k, v)| {
                (
                    rename(k).map_or_else(|| k.clone(), str::to_string),
                    v.clone(),
                )
            })
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
    let cleaned = normalised(op, params);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispose_hit_takes_the_2008_spelling_hit_id() {
        let p = Params::parse("Operation=DisposeHIT&HitId=3ABC");
        let n = normalised(Operation::DisposeHIT, &p).expect("renamed");
        assert_eq!(n.get("HITId"), Some("3ABC"));
        assert_eq!(n.get("HitId"), None);
        // The schema's own name wins when both are given, and other operations are untouched.
        let both = Params::parse("Operation=DisposeHIT&HitId=OLD&HITId=NEW");
        assert!(normalised(Operation::DisposeHIT, &both).is_none());
        assert!(normalised(Operation::GetHIT, &p).is_none());
    }
}
