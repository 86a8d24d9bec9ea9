//! Reading what a page posts: urlencoded or multipart forms (within the server's body limit),
//! and query strings.

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request};
use hyper::header::CONTENT_TYPE;

use super::{csrf, Refused, Site, Visit};

/// A file sent in a multipart form.
#[derive(Debug, Clone)]
pub(crate) struct PostedFile {
    pub(crate) field: String,
    pub(crate) file_name: String,
    pub(crate) content: Vec<u8>,
}

/// The fields of a form (or a query string), in the order sent, and its files.
#[derive(Debug, Clone, Default)]
pub(crate) struct Posted {
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) files: Vec<PostedFile>,
}

impl Posted {
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The field's text, trimmed; "" when it is missing.
    pub(crate) fn text(&self, name: &str) -> &str {
        self.get(name).map(str::trim).unwrap_or("")
    }

    /// Every value sent under `name` (a group of checkboxes).
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A query string's parameters.
pub(crate) fn query(req: &Request) -> Posted {
    Posted {
        fields: form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
            .into_owned()
            .collect(),
        files: Vec::new(),
    }
}

/// The posted form, of any origin (for `externalSubmit`).
pub(crate) async fn read_any(site: &Site, req: Request) -> Result<Posted, Refused> {
    let (parts, body) = req.into_parts();
    let limit = site.max_body_bytes;
    let within = site.body_read_timeout;
    let read = tokio::time::timeout(within, axum::body::to_bytes(body, limit));
    let bytes = read
        .await
        .map_err(|_| {
            Refused::new(
                408,
                "AWS.MechanicalTurk.InvalidParameterValue",
                format!("The request body did not arrive within {within:?} of its head."),
            )
        })?
        .map_err(|_| {
            Refused::new(
                413,
                "AWS.MechanicalTurk.InvalidParameterValue",
                format!(
                    "The form is larger than the limit of {limit} bytes, or could not be read."
                ),
            )
        })?;
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !content_type.starts_with("multipart/form-data") {
        return Ok(Posted {
            fields: form_urlencoded::parse(&bytes).into_owned().collect(),
            files: Vec::new(),
        });
    }
    let req = Request::from_parts(parts, Body::from(bytes));
    let bad = |e: axum::extract::multipart::MultipartError| {
        Refused::bad_input(format!("The multipart form could not be read: {e}"))
    };
    let mut multipart = Multipart::from_request(req, &())
        .await
        .map_err(|e| Refused::bad_input(format!("The multipart form could not be read: {e}")))?;
    let mut posted = Posted::default();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let content = field.bytes().await.map_err(bad)?.to_vec();
                // A file input left empty still sends a part, with no name and no bytes.
                if !file_name.is_empty() || !content.is_empty() {
                    posted.files.push(PostedFile {
                        field: name,
                        file_name,
                        content,
                    });
                }
            }
            None => {
                let text = field.text().await.map_err(bad)?;
                posted.fields.push((name, text));
            }
        }
    }
    Ok(posted)
}

/// The posted form of one of these pages, refused unless it carries the visit's CSRF token.
pub(crate) async fn read(site: &Site, visit: &Visit, req: Request) -> Result<Posted, Refused> {
    let posted = read_any(site, req).await?;
    visit.csrf.check(posted.get(csrf::FIELD))?;
    Ok(posted)
}
