//! The documents turkstand bundles — the requester WSDL, the data schemas and the SOAP envelope
//! schema — in one list, with where each lives in the repository, the name it is served under,
//! the module generated from it and its text.
//!
//! `build.rs` generates the bindings from this list, the server serves it, the validator compiles
//! it; adding an interface version is adding its WSDL here.

/// The SOAP 1.1 envelope namespace.
pub const SOAP_ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// The interface version served when a call names none.
pub const DEFAULT_VERSION: &str = "2014-08-15";

/// What a bundled document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A requester interface description, with its schema embedded.
    Wsdl,
    /// A requester interface's schema on its own, as the legacy service also served it.
    InterfaceSchema,
    /// A schema of the data that requests and answers carry (QuestionForm, AnswerKey, …).
    DataSchema,
    /// The SOAP 1.1 envelope schema, as the validator checks envelopes.
    Envelope,
}

/// The Rust module generated from a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Module {
    /// The module's name under `crate::model`.
    pub name: &'static str,
    /// Whether its structures also decode from REST form parameters (`FromParams`).
    pub from_params: bool,
    /// Elements, as (type, element), that the legacy service took more than once although the
    /// schema allows one: they decode as lists.
    pub repeatable: &'static [(&'static str, &'static str)],
}

/// One bundled document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Document {
    pub kind: Kind,
    /// Its path from the workspace root.
    pub path: &'static str,
    /// The requester interface version it describes; `None` for documents every version shares.
    pub version: Option<&'static str>,
    /// The file name it is served under (the WSDL at `/?wsdl`, the data schemas under `/xsd/`);
    /// `None` if it is not served.
    pub served_as: Option<&'static str>,
    /// The module generated from it, if it is a generator input.
    pub module: Option<Module>,
    pub text: &'static str,
}

impl Document {
    /// The file name, for messages and generated doc comments.
    pub fn file_name(&self) -> &'static str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }
}

/// A document whose text is the file at `$path` (from the workspace root).
macro_rules! document {
    ($kind:ident, $path:literal, $version:expr, $served:expr, $module:expr) => {
        Document {
            kind: Kind::$kind,
            path: $path,
            version: $version,
            served_as: $served,
            module: $module,
            text: include_str!(concat!("../../", $path)),
        }
    };
}

const fn data(name: &'static str) -> Option<Module> {
    Some(Module {
        name,
        from_params: false,
        repeatable: &[],
    })
}

pub const REQUESTER_2014_08_15: Document = document!(
    Wsdl,
    "wsdl/AWSMechanicalTurkRequester.wsdl",
    Some("2014-08-15"),
    Some("AWSMechanicalTurkRequester.wsdl"),
    Some(Module {
        name: "requester",
        from_params: true,
        // GetReviewableHITs took `Status=Reviewable&Status=Reviewing` for both lists at once.
        repeatable: &[("GetReviewableHITsRequest", "Status")],
    })
);

/// The interface between 2007-06-21 and 2014-08-15: what calls naming a version in between are
/// answered in. Compared with the newest by the generator, not generated on its own.
pub const REQUESTER_2012_03_25: Document = document!(
    Wsdl,
    "wsdl/2012-03-25/AWSMechanicalTurkRequester.wsdl",
    Some("2012-03-25"),
    Some("AWSMechanicalTurkRequester.wsdl"),
    None
);

/// The interface Amazon's Java SDK 1.x was generated from, and what calls naming a version up
/// to it are answered in. Compared with the newest by the generator, not generated on its own.
pub const REQUESTER_2007_06_21: Document = document!(
    Wsdl,
    "wsdl/2007-06-21/AWSMechanicalTurkRequester.wsdl",
    Some("2007-06-21"),
    Some("AWSMechanicalTurkRequester.wsdl"),
    None
);

pub const SOAP_ENVELOPE: Document = document!(Envelope, "xsd/soap-envelope.xsd", None, None, None);

/// Every bundled document: generator inputs in the order their modules are generated.
pub const ALL: &[Document] = &[
    REQUESTER_2014_08_15,
    document!(
        DataSchema,
        "xsd/QuestionForm.xsd",
        None,
        Some("QuestionForm.xsd"),
        data("question_form")
    ),
    document!(
        DataSchema,
        "xsd/QuestionFormAnswers.xsd",
        None,
        Some("QuestionFormAnswers.xsd"),
        data("question_form_answers")
    ),
    document!(
        DataSchema,
        "xsd/AnswerKey.xsd",
        None,
        Some("AnswerKey.xsd"),
        data("answer_key")
    ),
    document!(
        DataSchema,
        "xsd/ExternalQuestion.xsd",
        None,
        Some("ExternalQuestion.xsd"),
        data("external_question")
    ),
    document!(
        DataSchema,
        "xsd/HTMLQuestion.xsd",
        None,
        Some("HTMLQuestion.xsd"),
        data("html_question")
    ),
    // Imported by the others for FormattedContent; only the validator reads it.
    document!(
        DataSchema,
        "xsd/FormattedContentXHTMLSubset.xsd",
        None,
        Some("FormattedContentXHTMLSubset.xsd"),
        None
    ),
    SOAP_ENVELOPE,
    REQUESTER_2012_03_25,
    REQUESTER_2007_06_21,
    document!(
        InterfaceSchema,
        "wsdl/2007-06-21/AWSMechanicalTurkRequester.xsd",
        Some("2007-06-21"),
        Some("AWSMechanicalTurkRequester.xsd"),
        None
    ),
];

/// Every version of the interface generated from `d`, newest first, as (version, text): the
/// WSDLs the generator compares so that each version is answered in its own shape. Empty when
/// `d` is not a generated interface.
pub fn shapes_of(d: &Document) -> Vec<(&'static str, &'static str)> {
    if d.kind != Kind::Wsdl || d.module.is_none() {
        return Vec::new();
    }
    let mut list: Vec<(&'static str, &'static str)> = ALL
        .iter()
        .filter(|w| w.kind == Kind::Wsdl)
        .filter_map(|w| Some((w.version?, w.text)))
        .collect();
    // Dates sort as text; the generated one is the newest.
    list.sort_by(|a, b| b.0.cmp(a.0));
    list
}

/// The bundled interface version a call naming version `requested` (a date, from the SOAP
/// namespace or the REST `Version` parameter) is answered in. A bundled version answers the
/// versions after the previous bundled one up to itself, except that the newest answers only
/// itself and what comes later: everything between 2007-06-21 and 2014-08-15 is answered in the
/// 2012-03-25 shape. A call naming no version, or no readable one, gets the newest.
pub fn answering_version(requested: Option<&str>) -> &'static str {
    // Called for every request: walks the short list without allocating.
    let bundled = || {
        ALL.iter()
            .filter(|d| d.kind == Kind::Wsdl)
            .filter_map(|d| d.version)
    };
    let newest = bundled().max().unwrap_or(DEFAULT_VERSION);
    let Some(requested) = requested.map(str::trim).filter(|r| is_date(r)) else {
        return newest;
    };
    match bundled().filter(|v| requested <= *v).min() {
        None => newest,
        Some(v) if v == newest && requested != newest => {
            bundled().filter(|v| *v < newest).max().unwrap_or(newest)
        }
        Some(v) => v,
    }
}

fn is_date(s: &str) -> bool {
    s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// The WSDL of interface `version`.
pub fn wsdl(version: &str) -> Option<&'static Document> {
    ALL.iter()
        .find(|d| d.kind == Kind::Wsdl && d.version == Some(version))
}

/// The interface document of `version` served as `name` under `/AWSMechanicalTurk/{version}/`.
pub fn interface_document(version: &str, name: &str) -> Option<&'static Document> {
    ALL.iter().find(|d| {
        matches!(d.kind, Kind::Wsdl | Kind::InterfaceSchema)
            && d.version == Some(version)
            && d.served_as == Some(name)
    })
}

/// The data schema served as `/xsd/{name}`.
pub fn served_schema(name: &str) -> Option<&'static Document> {
    ALL.iter()
        .find(|d| d.kind == Kind::DataSchema && d.served_as == Some(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_requested_version_is_answered_by_its_bundled_shape() {
        for (requested, answered) in [
            (None, "2014-08-15"),
            (Some("2005-10-01"), "2007-06-21"),
            (Some("2006-10-31"), "2007-06-21"),
            (Some("2007-06-21"), "2007-06-21"),
            (Some("2008-08-02"), "2012-03-25"),
            (Some("2011-10-01"), "2012-03-25"),
            (Some("2012-03-25"), "2012-03-25"),
            (Some("2013-11-15"), "2012-03-25"),
            (Some("2014-08-15"), "2014-08-15"),
            (Some("2017-01-17"), "2014-08-15"),
            (Some("latest"), "2014-08-15"),
            (Some(" 2007-06-21 "), "2007-06-21"),
        ] {
            assert_eq!(answering_version(requested), answered, "{requested:?}");
        }
    }

    #[test]
    fn names_are_unique_and_texts_present() {
        for (i, d) in ALL.iter().enumerate() {
            assert!(!d.text.is_empty(), "{} is empty", d.path);
            for e in &ALL[i + 1..] {
                assert_ne!(d.path, e.path);
                if d.served_as.is_some() && d.kind == e.kind && d.version == e.version {
                    assert_ne!(d.served_as, e.served_as, "{} and {}", d.path, e.path);
                }
                if let (Some(a), Some(b)) = (d.module, e.module) {
                    assert_ne!(a.name, b.name, "{} and {}", d.path, e.path);
                }
            }
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(wsdl(DEFAULT_VERSION), Some(&REQUESTER_2014_08_15));
        assert_eq!(wsdl("2000-01-01"), None);
        assert_eq!(
            served_schema("AnswerKey.xsd").map(Document::file_name),
            Some("AnswerKey.xsd")
        );
        assert_eq!(served_schema("soap-envelope.xsd"), None);
        assert!(SOAP_ENVELOPE.text.contains(SOAP_ENVELOPE_NS));
        let name = "AWSMechanicalTurkRequester.wsdl";
        assert_eq!(
            interface_document("2012-03-25", name),
            Some(&REQUESTER_2012_03_25)
        );
        assert_eq!(
            interface_document("2007-06-21", name),
            Some(&REQUESTER_2007_06_21)
        );
        assert_eq!(
            interface_document(DEFAULT_VERSION, name),
            Some(&REQUESTER_2014_08_15)
        );
        assert!(interface_document("2007-06-21", "AWSMechanicalTurkRequester.xsd").is_some());
        assert!(interface_document(DEFAULT_VERSION, "AWSMechanicalTurkRequester.xsd").is_none());
    }
}
