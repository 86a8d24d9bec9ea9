//! The one XML reader of turkstand: requests on the server's hot path, the bundled schemas and
//! WSDL read by the binding generator and by the validator, all become the same small,
//! namespace-resolved [`Element`] tree.
//!
//! Security posture, the same for every caller: any document type declaration is refused (so no
//! entity can ever be declared or expanded), references to anything but the five predefined
//! entities and character references are refused, only XML 1.0 characters are taken (raw or as
//! references), and depth, element count, attributes, namespace declarations and text are
//! bounded by [`ParseLimits`] before the work they would cost is done.
//!
//! Names are matched by namespace URI and local name, never by prefix; the namespace
//! declarations in scope stay on each element so that QName-valued attribute values
//! (`type="tns:Price"`) can be resolved too ([`Element::resolve`]).

mod chars;
mod element;
mod escape;
mod parse;

pub use chars::{first_non_xml_char, is_xml_char};
pub use element::{Attribute, Element, QName, UndeclaredPrefix};
pub use escape::{escape_attr_into, escape_text_into};
pub use parse::{parse, ParseError, ParseLimits};

/// The namespace the `xml` prefix is bound to, without a declaration.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of `xmlns` attributes, which nothing may be bound to.
pub const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";
/// XML Schema's own namespace (`xs:element`, `xs:string`).
pub const XS_NS: &str = "http://www.w3.org/2001/XMLSchema";
/// The XML Schema instance namespace (`xsi:nil`, `xsi:type`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
