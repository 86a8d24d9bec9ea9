//! The REST query interface: `Service=AWSMechanicalTurkRequester&Operation=…` by GET or POST.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::auth::{Claims, Signed};
use crate::binding::params::{Input, Params};
use crate::binding::write_request_error;
use crate::handlers::Service;
use crate::model::requester::{dispatch, Operation};
use crate::wire::{answering_version, begin_call, request_id, Reply};
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

/// The requests of a REST batch, `GetHIT.1.HITId=…&GetHIT.2.HITId=…`, in the order of their
/// numbers: each has its own numbered parameters (the `GetHIT.N.` prefix taken off) and every
/// unnumbered one, which the requests share. `None` when the call is not a batch.
fn batch(op: Operation, params: &Params) -> Option<Vec<Params>> {
    let prefix = format!("{}.", op.name());
    // One pass over the form: each numbered parameter goes to its request, the rest to all.
    let mut own: BTreeMap<u64, Vec<(String, String)>> = BTreeMap::new();
    let mut shared = Vec::new();
    for (k, v) in params.pairs() {
        let numbered = k
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split_once('.'))
            .and_then(|(n, name)| Some((n.parse::<u64>().ok()?, name)));
        match numbered {
            Some((n, name)) => own
                .entry(n)
                .or_default()
                .push((name.to_string(), v.clone())),
            None if !k.starts_with(&prefix) => shared.push((k.clone(), v.clone())),
            None => {}
        }
    }
    if own.is_empty() {
        return None;
    }
    Some(
        own.into_values()
            .map(|mut pairs| {
                pairs.extend(shared.iter().cloned());
                Params::from_pairs(pairs)
            })
            .collect(),
    )
}

/// A call refused before any operation could be named: `Response/Errors`, as the legacy
/// service answered it, with the HTTP `status` given.
pub fn refusal(status: u16, code: &str, message: &str) -> Reply {
    refuse_in(
        Writer::with_declaration(),
        &request_id(),
        (status, code),
        message,
    )
}

fn refuse_in(mut w: Writer, request_id: &str, (status, code): (u16, &str), message: &str) -> Reply {
    write_request_error(&mut w, "Response", None, request_id, code, message);
    Reply {
        status,
        content_type: CONTENT_TYPE,
        body: w.into_string(),
    }
}

/// Whether the call `params` make may write, and so wait for a commit.
pub fn may_write(params: &Params) -> bool {
    params
        .get("Operation")
        .and_then(|name| Operation::from_name(name.trim()))
        .is_some_and(|op| !crate::handlers::only_reads(op))
}

/// Handles one REST call whose parameters (query string and form body together) are `params`.
/// REST XML carries no namespace: some clients look elements up by plain name.
pub fn handle(svc: &Service, params: &Params) -> Reply {
    let request_id = request_id();
    let version = answering_version(params.get("Version"));
    let w = Writer::with_declaration().with_shape(version.shape());
    let op_name = params.get("Operation").map(str::trim).unwrap_or("");
    let Some(op) = Operation::from_name(op_name).filter(|op| op.in_version(version)) else {
        let message = if op_name.is_empty() {
            "The Operation parameter is required.".to_string()
        } else {
            format!("The operation {op_name} is not a Mechanical Turk Requester operation.")
        };
        return refuse_in(
            w,
            &request_id,
            (400, "AWS.MechanicalTurk.InvalidParameterValue"),
            &message,
        );
    };
    let mut w = w;
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
    // A plain call is decoded from its own form, copied only when a legacy spelling is renamed.
    let requests: Vec<Cow<'_, Params>> = match batch(op, params) {
        Some(items) => items
            .into_iter()
            .map(|p| Cow::Owned(normalised(op, &p).unwrap_or(p)))
            .collect(),
        None => vec![normalised(op, params).map_or(Cow::Borrowed(params), Cow::Owned)],
    };
    let views: Vec<_> = requests.iter().map(|p| p.view()).collect();
    if let Err(e) = dispatch(svc, &ctx, op, Input::Params(&views), &mut w, None) {
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
    use crate::auth::{legacy_signature, SERVICE};
    use crate::handlers::test_support::{at, create_hit, service, REQUESTER};

    /// A signed REST call of `op` with `extra` parameters, answered in process.
    fn rest(svc: &Service, op: &str, extra: &[(String, String)]) -> Reply {
        let ts = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let mut pairs: Vec<(String, String)> = [
            ("Service", SERVICE.to_string()),
            ("Operation", op.to_string()),
            ("AWSAccessKeyId", REQUESTER.to_string()),
            ("Timestamp", ts.clone()),
            ("Signature", legacy_signature("secret", SERVICE, op, &ts)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        pairs.extend(extra.iter().cloned());
        handle(svc, &Params::from_pairs(pairs))
    }

    #[test]
    fn a_rest_batch_is_one_result_per_numbered_request_in_order() {
        let svc = service(at("2026-03-01T12:00:00Z"));
        let hits: Vec<String> = (0..9)
            .map(|_| create_hit(&svc, |_| {}).unwrap().hit_id.unwrap())
            .collect();
        let ids_of = |body: &str| -> Vec<String> {
            body.split("<HIT><Request>")
                .skip(1)
                .map(|r| {
                    r.split("<HITId>")
                        .nth(1)
                        .and_then(|s| s.split('<').next())
                        .unwrap_or("")
                        .to_string()
                })
                .collect()
        };
        for n in [1usize, 2, 10] {
            // The last request of the ten names no HIT of the caller's.
            let mut ids: Vec<String> = hits.iter().take(n.min(9)).cloned().collect();
            if n == 10 {
                ids.push("3NOSUCHHIT0000000000000000000".into());
            }
            let mut extra: Vec<(String, String)> = ids
                .iter()
                .enumerate()
                .map(|(i, id)| (format!("GetHIT.{}.HITId", i + 1), id.clone()))
                .collect();
            // Shared parameters are given once, unnumbered.
            extra.push(("ResponseGroup.1".into(), "Minimal".into()));
            let r = rest(&svc, "GetHIT", &extra);
            assert_eq!(r.status, 200, "{}", r.body);
            assert_eq!(r.body.matches("<HIT><Request>").count(), n, "{}", r.body);
            let valid = r.body.matches("<IsValid>True</IsValid>").count();
            let invalid = r.body.matches("<IsValid>False</IsValid>").count();
            if n == 10 {
                assert_eq!((valid, invalid), (9, 1), "{}", r.body);
                assert!(
                    r.body.contains("AWS.MechanicalTurk.HITDoesNotExist"),
                    "{}",
                    r.body
                );
                assert_eq!(ids_of(&r.body)[..9], ids[..9]);
            } else {
                assert_eq!((valid, invalid), (n, 0), "{}", r.body);
                assert_eq!(ids_of(&r.body), ids);
            }
        }
    }

    #[test]
    fn a_batch_splits_numbered_parameters_and_shares_the_rest() {
        let p = Params::parse(
            "Operation=GetHIT&GetHIT.2.HITId=B&GetHIT.1.HITId=A&ResponseGroup=Minimal",
        );
        let items = batch(Operation::GetHIT, &p).expect("a batch");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].get("HITId"), Some("A"));
        assert_eq!(items[1].get("HITId"), Some("B"));
        assert!(items
            .iter()
            .all(|i| i.get("ResponseGroup") == Some("Minimal")));
        assert!(batch(Operation::GetHIT, &Params::parse("HITId=A")).is_none());
    }

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
