//! An XML Schema 1.0 validator for the documents the requester API carries: QuestionForm,
//! QuestionFormAnswers, AnswerKey, ExternalQuestion, HTMLQuestion, the FormattedContent XHTML
//! subset, and SOAP messages (and bare request or response documents) of the requester WSDL.
//!
//! It compiles the bundled schemas (`xsd/*.xsd`, the `xs:schema` inside the served WSDL, and a
//! SOAP 1.1 envelope schema) once, on first use, and covers what they use: global and local
//! element declarations and references, named and anonymous complex types with sequences,
//! choices and `all` groups nested to any depth with occurrence ranges, model and attribute
//! groups, complex-content extension, wildcards, mixed content, attributes with their uses, and
//! simple types derived from the built-in datatypes by restriction and list, with the
//! enumeration, pattern, length and range facets. The XML namespace's attributes (`xml:space`,
//! `xml:lang`, `xml:base`, `xml:id`) are built in: nothing is ever fetched.
//!
//! The document's root namespace picks the schema. Any requester API version namespace
//! (`…/doc/2012-03-25`) is read as 2014-08-15's, as the server does.

mod automaton;
pub mod cli;
mod compile;
mod datatypes;
mod model;
mod simple;
mod validate;
mod xsd_regex;

use std::sync::OnceLock;

use crate::model::{
    answer_key, external_question, html_question, question_form, question_form_answers,
};
use crate::xml::{self, Element, ParseLimits, REQUESTER_NS_PREFIX};

pub use model::SchemaSet;
pub use validate::Issue;

pub use turkstand_documents::SOAP_ENVELOPE_NS;
pub const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// The compiled bundled schemas: the data schemas, the SOAP envelope schema and the schema in
/// the WSDL of every interface version (each in its own namespace).
pub fn schemas() -> Result<&'static SchemaSet, String> {
    static SET: OnceLock<Result<SchemaSet, String>> = OnceLock::new();
    SET.get_or_init(|| {
        // A version's schema on its own repeats its WSDL's.
        let sources: Vec<&str> = turkstand_documents::ALL
            .iter()
            .filter(|d| d.kind != turkstand_documents::Kind::InterfaceSchema)
            .map(|d| d.text)
            .collect();
        compile::compile(&sources)
    })
    .as_ref()
    .map_err(|e| format!("the bundled schemas do not compile: {e}"))
}

/// What kind of document a root namespace announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    QuestionForm,
    QuestionFormAnswers,
    AnswerKey,
    ExternalQuestion,
    HTMLQuestion,
    FormattedContent,
    SoapEnvelope,
    /// A bare requester request or response element (a REST response, say).
    RequesterMessage,
}

impl DocumentKind {
    pub fn of_namespace(ns: Option<&str>) -> Option<DocumentKind> {
        let ns = ns?;
        Some(match ns {
            question_form::NAMESPACE => DocumentKind::QuestionForm,
            question_form_answers::NAMESPACE => DocumentKind::QuestionFormAnswers,
            answer_key::NAMESPACE => DocumentKind::AnswerKey,
            external_question::NAMESPACE => DocumentKind::ExternalQuestion,
            html_question::NAMESPACE => DocumentKind::HTMLQuestion,
            XHTML_NS => DocumentKind::FormattedContent,
            SOAP_ENVELOPE_NS => DocumentKind::SoapEnvelope,
            ns if ns.starts_with(REQUESTER_NS_PREFIX)
                && xml::ns_matches(Some(ns), crate::model::requester::NAMESPACE) =>
            {
                DocumentKind::RequesterMessage
            }
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            DocumentKind::QuestionForm => "QuestionForm",
            DocumentKind::QuestionFormAnswers => "QuestionFormAnswers",
            DocumentKind::AnswerKey => "AnswerKey",
            DocumentKind::ExternalQuestion => "ExternalQuestion",
            DocumentKind::HTMLQuestion => "HTMLQuestion",
            DocumentKind::FormattedContent => "FormattedContent (XHTML)",
            DocumentKind::SoapEnvelope => "SOAP envelope",
            DocumentKind::RequesterMessage => "requester message",
        }
    }
}

/// Why a document could not be checked at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unusable {
    #[error("not well-formed XML: {0}")]
    NotXml(xml::ParseError),
    #[error("no bundled schema for the root element '{name}' in {}", .ns.as_deref().map_or_else(|| "no namespace".to_string(), |n| format!("namespace '{n}'")))]
    UnknownNamespace { name: String, ns: Option<String> },
    #[error("{0}")]
    Internal(String),
}

impl Unusable {
    /// The line the problem is on, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            Unusable::NotXml(e) => e.line(),
            _ => None,
        }
    }
}

/// Validates a parsed document against the schema its root namespace names.
pub fn validate_element(root: &Element) -> Result<(DocumentKind, Vec<Issue>), Unusable> {
    let kind = DocumentKind::of_namespace(root.ns.as_deref()).ok_or_else(|| {
        Unusable::UnknownNamespace {
            name: root.name.clone(),
            ns: root.ns.clone(),
        }
    })?;
    let set = schemas().map_err(Unusable::Internal)?;
    Ok((kind, validate::Validator::run(set, root)))
}

/// Parses and validates a document.
pub fn validate_bytes(input: &[u8]) -> Result<(DocumentKind, Vec<Issue>), Unusable> {
    // Documents given to the validator may be bigger than one request's question.
    let limits = ParseLimits {
        max_depth: 256,
        max_elements: 10_000_000,
        ..ParseLimits::default()
    };
    let root = xml::parse(input, &limits).map_err(Unusable::NotXml)?;
    validate_element(&root)
}

/// For the server's guards: the first problem with an already-parsed document, as one message.
pub fn first_problem(root: &Element) -> Result<(), String> {
    match validate_element(root) {
        Ok((_, issues)) => match issues.first() {
            None => Ok(()),
            Some(i) => Err(format!(
                "{} (line {}, column {})",
                i.message, i.line, i.column
            )),
        },
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests;
