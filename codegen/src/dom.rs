//! Schema and WSDL files, read with the reader the runtime uses ([`turkstand_xmldom`]).

use turkstand_xmldom::{ParseLimits, UndeclaredPrefix};

use crate::Error;

pub(crate) use turkstand_xmldom::{Element as Node, QName, XS_NS as XS};

pub(crate) const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";

/// Parses a document into its root node.
pub(crate) fn parse(text: &str) -> Result<Node, Error> {
    // The inputs are the project's own files, not requests.
    turkstand_xmldom::parse(text.as_bytes(), &ParseLimits::UNLIMITED)
        .map_err(|e| Error::new(e.to_string()))
}

/// What the generator needs beyond the shared tree.
pub(crate) trait NodeExt {
    /// The value of an attribute the schema construct cannot do without.
    fn req_attr(&self, name: &str) -> Result<&str, Error>;
}

impl NodeExt for Node {
    fn req_attr(&self, name: &str) -> Result<&str, Error> {
        self.attr(name).ok_or_else(|| {
            Error::new(format!(
                "line {}: <{}> lacks attribute '{}'",
                self.line, self.name, name
            ))
        })
    }
}

impl From<UndeclaredPrefix> for Error {
    fn from(e: UndeclaredPrefix) -> Error {
        Error::new(e.to_string())
    }
}
