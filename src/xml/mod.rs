//! Runtime XML support for the generated bindings: the namespace-resolved element
//! tree of [`turkstand_xmldom`] ([`parse`]), a string [`Writer`], the [`Scalar`]
//! value codecs and the [`Decode`]/[`Encode`] traits implemented by the generated types.

mod decode;
mod scalar;
mod writer;

pub use decode::{
    attr_opt, attr_req, child, ns_matches, scalar, scalar_opt, Decode, DecodeError, Encode,
    REQUESTER_NS_PREFIX,
};
pub use scalar::Scalar;
pub use turkstand_xmldom::{
    escape_attr_into, escape_text_into, first_non_xml_char, is_xml_char, parse, Attribute, Element,
    ParseError, ParseLimits, QName, XML_NS, XSI_NS, XS_NS,
};
pub use writer::{Shape, Writer};

/// Encodes `value` as a complete document whose root element `name` declares `ns`
/// as its default namespace (no XML declaration).
pub fn encode_document<T: Encode + ?Sized>(value: &T, name: &str, ns: &str) -> String {
    let mut w = Writer::new();
    w.next_start_xmlns(ns);
    value.encode(&mut w, name);
    w.into_string()
}

/// Parses `input` with default limits and decodes the root element as `T`.
pub fn decode_document<T: Decode>(input: &[u8]) -> Result<T, DocumentError> {
    let el = parse(input, &ParseLimits::default())?;
    Ok(T::decode(&el)?)
}

/// Error of [`decode_document`]: either the XML is malformed or it does not match the schema.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DocumentError {
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error(transparent)]
    Decode(#[from] DecodeError),
}
