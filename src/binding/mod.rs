//! The runtime of the generated bindings (`crate::model`): everything generated code names is
//! here, so the generator can point at one path (as generated gRPC code points at
//! `tonic::codegen`).
//!
//! Besides the decoding and encoding traits, this holds the legacy response envelope, written
//! by hand: the `OperationRequest` with the request id, the `Request` element each result
//! starts with (`IsValid`, the echo of the request when `ResponseGroup` asks for it, and the
//! `Errors` of a failed call). The envelope is written as XML rather than built from the
//! generated types, so this module knows no generated module and works for any WSDL whose
//! results have that shape (the generator checks they do).

pub mod params;

pub use crate::error::OpError;
pub use crate::xml::{
    attr_opt, attr_req, child, ns_matches, scalar, scalar_opt, Decode, DecodeError, Element,
    Encode, Scalar, Shape, Writer,
};
pub use params::{FromParams, Input, ParamView};

/// What a handler knows about the call it serves.
#[derive(Debug, Clone)]
pub struct Context {
    /// The calling requester's access key id.
    pub requester: String,
    pub request_id: String,
    /// The instant the call is served at, after everything due by then was settled.
    pub now: chrono::DateTime<chrono::Utc>,
}

/// One parameter of an operation's request, as the WSDL declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parameter {
    pub name: &'static str,
    /// Whether a request without it is refused (`minOccurs` is not 0).
    pub required: bool,
}

/// The input element of one operation (`CreateHIT`): what `answer` needs to call it.
pub trait Call: Decode {
    type Request: CallRequest;
    type Result: CallResult;
    /// The response's root element (`CreateHITResponse`).
    const RESPONSE: &'static str;
    /// The element of each result inside the response (`HIT`).
    const RESULT: &'static str;
    /// The requests the input carries, in order.
    fn requests(self) -> Vec<Self::Request>;
}

/// The request type of an operation (`CreateHITRequest`).
pub trait CallRequest: Decode + FromParams + Encode + Clone {
    /// The child of the legacy `Request` element that echoes this request in interface
    /// version `shape`, if that version has one and the request has a `ResponseGroup` to ask
    /// for it.
    fn echo_element(_shape: Shape) -> Option<&'static str> {
        None
    }
    /// The first enumeration value of this request that interface version `shape` lacks, as
    /// (element, value): such a request is refused as that version would refuse it.
    fn value_outside(&self, _shape: Shape) -> Option<(&'static str, &'static str)> {
        None
    }
    /// The request's `ResponseGroup` values.
    fn response_group(&self) -> &[String] {
        &[]
    }
}

/// The result type of an operation (`HIT`): its first child is the legacy `Request` element.
pub trait CallResult: Encode + Default {
    /// Drops the `Request` element a handler may have set; `answer` writes the real one.
    fn clear_request(&mut self);
}

/// Whether the caller asked for its request to be echoed back (`ResponseGroup` `Request`).
pub fn wants_request_echo(groups: &[String]) -> bool {
    groups.iter().any(|g| g == "Request")
}

/// Answers one call of operation `C`: decodes every request first, then writes the
/// `{Op}Response` element with one result per request, each as the handler made it or, if it
/// failed, empty but for its errors. A request that does not decode is answered as the legacy
/// service did, with its own invalid result, and the others still run; only a call whose
/// wrapper (outside its requests) does not decode is refused whole, before any handler runs.
pub fn answer<C: Call>(
    ctx: &Context,
    input: Input<'_>,
    w: &mut Writer,
    ns: Option<&str>,
    mut handler: impl FnMut(C::Request) -> Result<C::Result, OpError>,
) -> Result<(), DecodeError> {
    let validate_only = input.validate_only();
    let requests: Vec<Result<C::Request, DecodeError>> = match input {
        Input::Xml(el) => match C::decode(el) {
            Ok(call) => call.requests().into_iter().map(Ok).collect(),
            Err(whole) => {
                let each: Vec<_> = el
                    .children
                    .iter()
                    .filter(|c| c.name == "Request" && c.ns == el.ns)
                    .map(C::Request::decode)
                    .collect();
                if each.iter().all(Result::is_ok) {
                    return Err(whole);
                }
                each
            }
        },
        Input::Params(views) => views.iter().map(C::Request::from_params).collect(),
    };
    let shape = w.shape();
    begin_response(w, C::RESPONSE, ns);
    write_operation_request(w, &ctx.request_id, None);
    for req in requests {
        w.start(C::RESULT, &[]);
        let req = req.map_err(|e| OpError::from_decode(&e)).and_then(|req| {
            match req.value_outside(shape) {
                Some((element, value)) => Err(OpError::InvalidParameterValue(format!(
                    "The value {value} is not valid for {element} in this version of the API."
                ))),
                None => Ok(req),
            }
        });
        let echo = req.as_ref().ok().and_then(|req| {
            C::Request::echo_element(shape)
                .filter(|_| wants_request_echo(req.response_group()))
                .map(|name| (name, req.clone()))
        });
        let echo = echo.as_ref();
        let outcome = match req {
            Ok(_) if validate_only => Ok(C::Result::default()),
            req => req.and_then(&mut handler),
        };
        match outcome {
            Ok(mut result) => {
                write_request(w, echo, None);
                result.clear_request();
                result.encode_children(w);
            }
            Err(e) => {
                write_request(w, echo, Some(&e));
                C::Result::default().encode_children(w);
            }
        }
        w.end(C::RESULT);
    }
    w.end(C::RESPONSE);
    Ok(())
}

/// `<{Op}Response><OperationRequest>…<Errors>…</Errors></OperationRequest></{Op}Response>`: how the
/// legacy service answered calls it refused before running the operation (authentication, bad
/// parameters).
pub fn write_request_error(
    w: &mut Writer,
    root: &str,
    ns: Option<&str>,
    request_id: &str,
    code: &str,
    message: &str,
) {
    begin_response(w, root, ns);
    write_operation_request(w, request_id, Some((code, message, &[])));
    w.end(root);
}

/// `<{Op}Response><OperationRequest>…</OperationRequest><{Result}><Request><IsValid>False</IsValid>
/// <Errors>…</Errors></Request></{Result}></{Op}Response>`: where an operation's own errors go.
pub fn write_result_error(
    w: &mut Writer,
    (root, result): (&str, &str),
    ns: Option<&str>,
    request_id: &str,
    code: &str,
    message: &str,
) {
    begin_response(w, root, ns);
    write_operation_request(w, request_id, None);
    w.start(result, &[]);
    w.start("Request", &[]);
    w.text_element("IsValid", "False");
    write_errors(w, (code, message, &[]));
    w.end("Request");
    w.end(result);
    w.end(root);
}

fn begin_response(w: &mut Writer, root: &str, ns: Option<&str>) {
    match ns {
        Some(ns) => w.start(root, &[("xmlns", ns)]),
        None => w.start(root, &[]),
    }
}

/// An error as the `Errors` element carries it: code, message, data pairs.
type ErrorParts<'a> = (&'a str, &'a str, &'a [(&'static str, String)]);

fn write_operation_request(w: &mut Writer, request_id: &str, error: Option<ErrorParts<'_>>) {
    w.start("OperationRequest", &[]);
    w.text_element("RequestId", request_id);
    if let Some(error) = error {
        write_errors(w, error);
    }
    w.end("OperationRequest");
}

/// The `Request` element of one result: valid unless the handler failed with `error`.
fn write_request<R: Encode>(w: &mut Writer, echo: Option<&(&str, R)>, error: Option<&OpError>) {
    w.start("Request", &[]);
    w.text_element("IsValid", if error.is_some() { "False" } else { "True" });
    if let Some((name, req)) = echo {
        req.encode(w, name);
    }
    if let Some(e) = error {
        write_errors(w, (e.code(), &e.to_string(), &e.data()));
    }
    w.end("Request");
}

/// The legacy `Errors` element with one error. Messages end in the server's time in
/// milliseconds, as the legacy service's did.
fn write_errors(w: &mut Writer, (code, message, data): ErrorParts<'_>) {
    w.start("Errors", &[]);
    w.start("Error", &[]);
    w.text_element("Code", code);
    w.text_element(
        "Message",
        &format!("{} ({})", message, chrono::Utc::now().timestamp_millis()),
    );
    for (key, value) in data {
        w.start("Data", &[]);
        w.text_element("Key", key);
        w.text_element("Value", value);
        w.end("Data");
    }
    w.end("Error");
    w.end("Errors");
}
