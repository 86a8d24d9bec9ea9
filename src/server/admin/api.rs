//! The admin API's routes and the JSON they carry, shared by the server and `turkstand worker`.
//!
//! Each route is a unit type naming its method, its path and the one type of its request body
//! and of its answer, so the server and the command line cannot drift apart. This module knows
//! only serde and the worker views it re-exports: both sides may import it.

use std::collections::BTreeMap;

use hyper::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::handlers::worker::{
    HitView, LocaleView, QualificationRequestView, WorkerProperties,
};
pub use faults::*;

mod faults;

/// One admin route: where it is and what goes in and out.
pub trait Route {
    /// The route's name here, which fault rules match (`Accept`).
    const NAME: &'static str;
    const METHOD: Method;
    /// The path, with `{Name}` standing for each parameter (axum's pattern syntax).
    const PATH: &'static str;
    type Request: Payload;
    type Response: Serialize;

    /// The path with `params` put in, in order, percent-encoded.
    fn path<const N: usize>(params: [&str; N]) -> String {
        let mut params = params.iter();
        Self::PATH
            .split('/')
            .map(
                |part| match is_parameter(part).then(|| params.next()).flatten() {
                    Some(value) => encode_segment(value),
                    None => part.to_string(),
                },
            )
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The parameters of `path`, a path this route matched, as they were sent (not decoded).
    fn params<const N: usize>(path: &str) -> Option<[&str; N]> {
        let values: Vec<&str> = Self::PATH
            .split('/')
            .zip(path.split('/'))
            .filter(|(part, _)| is_parameter(part))
            .map(|(_, value)| value)
            .collect();
        values.try_into().ok()
    }
}

fn is_parameter(part: &str) -> bool {
    part.starts_with('{') && part.ends_with('}')
}

/// Percent-encodes one path segment.
fn encode_segment(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Where an uploaded file is served: raw bytes, not JSON, so not a [`Route`].
pub const UPLOADED_FILE_PATH: &str = "/_turkstand/files/{*token}";

/// A request body that could not be read; the server answers it with
/// `AWS.MechanicalTurk.InvalidParameterValue`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct BadBody(pub String);

/// How a request travels as an HTTP body.
pub trait Payload: Sized {
    /// The content type and bytes to send.
    fn to_body(&self) -> Result<(&'static str, Vec<u8>), serde_json::Error>;
    fn from_body(content_type: &str, body: &[u8]) -> Result<Self, BadBody>;
}

const JSON: &str = "application/json";

fn from_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, BadBody> {
    serde_json::from_slice(body).map_err(|e| BadBody(format!("Invalid JSON body: {e}")))
}

macro_rules! json_payload {
    ($($t:ty),* $(,)?) => {$(
        impl Payload for $t {
            fn to_body(&self) -> Result<(&'static str, Vec<u8>), serde_json::Error> {
                Ok((JSON, serde_json::to_vec(self)?))
            }
            fn from_body(_: &str, body: &[u8]) -> Result<Self, BadBody> {
                from_json(body)
            }
        }
    )*};
}

/// No body: whatever is sent is ignored, as it always was.
impl Payload for () {
    fn to_body(&self) -> Result<(&'static str, Vec<u8>), serde_json::Error> {
        Ok((JSON, Vec::new()))
    }
    fn from_body(_: &str, _: &[u8]) -> Result<Self, BadBody> {
        Ok(())
    }
}

/// Answers as a QuestionFormAnswers document (an XML body), or as JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Answered<T> {
    Document(String),
    Json(T),
}

impl<T: Payload> Payload for Answered<T> {
    fn to_body(&self) -> Result<(&'static str, Vec<u8>), serde_json::Error> {
        match self {
            Answered::Document(doc) => Ok(("text/xml", doc.clone().into_bytes())),
            Answered::Json(form) => form.to_body(),
        }
    }

    fn from_body(content_type: &str, body: &[u8]) -> Result<Self, BadBody> {
        if content_type.contains("xml") || body.trim_ascii_start().starts_with(b"<") {
            let doc =
                std::str::from_utf8(body).map_err(|_| BadBody("The body is not UTF-8.".into()))?;
            Ok(Answered::Document(doc.to_string()))
        } else {
            T::from_body(content_type, body).map(Answered::Json)
        }
    }
}

// Serde's refusals name the type ("expected struct Accept"), so these keep the names callers
// have always been shown.

/// Free-text answers by QuestionIdentifier (strings or numbers), and files for
/// FileUploadAnswer questions. A qualification test takes only the answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Submit {
    #[serde(default)]
    pub answers: Map<String, Value>,
    #[serde(default)]
    pub files: BTreeMap<String, FileUpload>,
}

/// `{"name": "x.txt", "content_base64": "…"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileUpload {
    pub name: String,
    pub content_base64: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accept {
    #[serde(rename = "HITId")]
    pub hit_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestQualification {
    #[serde(rename = "QualificationTypeId")]
    pub qualification_type_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advance {
    /// Negative moves the clock back.
    pub seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetClock {
    /// An xs:dateTime, e.g. `2026-01-01T00:00:00Z`.
    pub now: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Balance {
    /// Dollars, as a string or a number.
    #[serde(rename = "AvailableBalance")]
    pub available_balance: Value,
}

json_payload!(
    Submit,
    Accept,
    RequestQualification,
    Advance,
    SetClock,
    Balance,
    WorkerProperties,
    FaultRule,
);

/// A layout for CreateHIT's HITLayoutId form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HitLayout {
    #[serde(rename = "HITLayoutId", skip_serializing_if = "Option::is_none")]
    pub hit_layout_id: Option<String>,
    /// With `${name}` placeholders.
    #[serde(rename = "HTMLContent")]
    pub html_content: String,
    #[serde(rename = "FrameHeight", skip_serializing_if = "Option::is_none")]
    pub frame_height: Option<i64>,
}

impl Payload for HitLayout {
    fn to_body(&self) -> Result<(&'static str, Vec<u8>), serde_json::Error> {
        Ok((JSON, serde_json::to_vec(self)?))
    }

    /// Read field by field, so each wrong field gets its own message.
    fn from_body(_: &str, body: &[u8]) -> Result<Self, BadBody> {
        let fields: Map<String, Value> = from_json(body)?;
        let bad = |message: &str| BadBody(message.to_string());
        let html_content = match fields.get("HTMLContent") {
            Some(Value::String(s)) => s.clone(),
            _ => return Err(bad("HTMLContent (a string) is required.")),
        };
        let hit_layout_id = match fields.get("HITLayoutId") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(bad("HITLayoutId must be a string.")),
        };
        let frame_height = match fields.get("FrameHeight") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_i64()
                    .ok_or_else(|| bad("FrameHeight must be a whole number of pixels."))?,
            ),
        };
        Ok(HitLayout {
            hit_layout_id,
            html_content,
            frame_height,
        })
    }
}

/// `{"error": {"code": …, "message": …}}`, the body of every refusal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// A legacy code such as `AWS.MechanicalTurk.InvalidParameterValue`, or `NotFound`.
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthStatus {
    pub status: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClockMode {
    /// Follows real time.
    System,
    /// Stands still until moved.
    Manual,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockView {
    /// `YYYY-MM-DDThh:mm:ssZ`
    pub now: String,
    pub mode: ClockMode,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisteredLayout {
    #[serde(rename = "HITLayoutId")]
    pub hit_layout_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResetDone {
    pub reset: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAssignment {
    #[serde(rename = "AssignmentId")]
    pub assignment_id: String,
}

/// Where a worker's own action left an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkerAssignmentStatus {
    Submitted,
    Returned,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentChange {
    #[serde(rename = "AssignmentId")]
    pub assignment_id: String,
    #[serde(rename = "AssignmentStatus")]
    pub assignment_status: WorkerAssignmentStatus,
}

#[derive(Debug, Clone, Serialize)]
pub struct AcceptableHits {
    #[serde(rename = "WorkerId")]
    pub worker_id: String,
    #[serde(rename = "NumResults")]
    pub num_results: usize,
    #[serde(rename = "HITs")]
    pub hits: Vec<HitView>,
}

/// What NotifyWorkers delivered to a worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageView {
    pub requester: String,
    pub subject: Option<String>,
    pub message_text: String,
    pub sent_time: String,
}

/// A notification raised, with its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NotificationView {
    pub requester: String,
    pub event_type: String,
    pub event_time: String,
    #[serde(rename = "HITTypeId")]
    pub hit_type_id: Option<String>,
    #[serde(rename = "HITId")]
    pub hit_id: Option<String>,
    pub assignment_id: Option<String>,
    pub destination: String,
    pub transport: String,
    pub version: String,
    /// Pending, Delivered, Failed or Recorded.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub delivered_time: Option<String>,
    pub test: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalanceView {
    #[serde(rename = "AvailableBalance")]
    pub available_balance: String,
}

macro_rules! routes {
    ($($(#[$doc:meta])* $name:ident: $method:ident $path:literal, $req:ty => $resp:ty;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl Route for $name {
                const NAME: &'static str = stringify!($name);
                const METHOD: Method = Method::$method;
                const PATH: &'static str = $path;
                type Request = $req;
                type Response = $resp;
            }
        )*
        /// Every route's method and path.
        pub const ALL: &[(Method, &str)] = &[$((Method::$method, $path)),*];
        /// Every route's name, in the order of [`ALL`].
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

/// The routes, by the names the server and the command line share.
pub mod route {
    // Where a body type has a route's name, `super::` names the body.
    use super::*;

    routes! {
        Health: GET "/_turkstand/health", () => HealthStatus;
        /// The service clock.
        ReadClock: GET "/_turkstand/clock", () => ClockView;
        /// Needs `serve --clock manual`.
        AdvanceClock: POST "/_turkstand/clock/advance", Advance => ClockView;
        /// Needs `serve --clock manual`.
        SetClock: POST "/_turkstand/clock/set", super::SetClock => ClockView;
        RegisterHitLayout: POST "/_turkstand/hit-layouts", HitLayout => RegisteredLayout;
        /// Clears all data; balances return to their configured values.
        Reset: POST "/_turkstand/reset", () => ResetDone;
        Accept: POST "/_turkstand/workers/{WorkerId}/accept", super::Accept => NewAssignment;
        Submit: POST "/_turkstand/assignments/{AssignmentId}/submit",
            Answered<super::Submit> => AssignmentChange;
        Return: POST "/_turkstand/assignments/{AssignmentId}/return", () => AssignmentChange;
        /// The HITs the worker may accept now.
        ListHits: GET "/_turkstand/workers/{WorkerId}/hits", () => AcceptableHits;
        /// A HIT's question and terms, without accepting it.
        Preview: GET "/_turkstand/workers/{WorkerId}/hits/{HITId}/preview", () => HitView;
        /// What NotifyWorkers sent the worker, oldest first.
        ListMessages: GET "/_turkstand/workers/{WorkerId}/messages", () => Vec<MessageView>;
        GetProperties: GET "/_turkstand/workers/{WorkerId}", () => WorkerProperties;
        SetProperties: POST "/_turkstand/workers/{WorkerId}", WorkerProperties => WorkerProperties;
        RequestQualification: POST "/_turkstand/workers/{WorkerId}/qualification-requests",
            super::RequestQualification => QualificationRequestView;
        /// Graded by the AnswerKey and granted, or left Pending for the requester.
        AnswerTest: POST "/_turkstand/qualification-requests/{QualificationRequestId}/answers",
            Answered<super::Submit> => QualificationRequestView;
        ListNotifications: GET "/_turkstand/notifications", () => Vec<NotificationView>;
        ListRequesterNotifications: GET "/_turkstand/requesters/{Requester}/notifications",
            () => Vec<NotificationView>;
        SetBalance: POST "/_turkstand/accounts/{AWSAccessKeyId}/balance", Balance => BalanceView;
        /// The fault rules in force, with their counts.
        ListFaults: GET "/_turkstand/faults", () => Vec<FaultView>;
        AddFault: POST "/_turkstand/faults", FaultRule => FaultView;
        RemoveFault: POST "/_turkstand/faults/{FaultId}/remove", () => FaultView;
        ClearFaults: POST "/_turkstand/faults/clear", () => FaultsCleared;
        /// The journal's entries; the query string holds a [`JournalQuery`](super::JournalQuery).
        ReadJournal: GET "/_turkstand/journal", () => JournalPage;
    }

    /// The name of the route `method` and `path` (as sent) reach, preferring the route with the
    /// most fixed segments (`faults/clear` over `faults/{FaultId}`).
    pub fn name_of(method: &Method, path: &str) -> Option<&'static str> {
        let sent: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        ALL.iter()
            .zip(NAMES)
            .filter(|((m, pattern), _)| {
                let parts: Vec<&str> = pattern.split('/').collect();
                m == method
                    && parts.len() == sent.len()
                    && parts
                        .iter()
                        .zip(&sent)
                        .all(|(p, s)| is_parameter(p) || p == s)
            })
            .max_by_key(|((_, pattern), _)| pattern.split('/').filter(|p| !is_parameter(p)).count())
            .map(|(_, name)| *name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_take_their_parameters_in_order_and_encoded() {
        assert_eq!(
            route::Preview::path(["A W", "H/1"]),
            "/_turkstand/workers/A%20W/hits/H%2F1/preview"
        );
        assert_eq!(route::Reset::path([]), "/_turkstand/reset");
    }

    #[test]
    fn parameters_are_read_back_as_sent() {
        let path = "/_turkstand/workers/AW%201/hits/H1/preview";
        assert_eq!(route::Preview::params(path), Some(["AW%201", "H1"]));
        assert_eq!(route::Preview::params::<1>(path), None);
        assert_eq!(route::Health::params(route::Health::PATH), Some([]));
    }

    #[test]
    fn routes_are_named_by_method_and_path() {
        assert_eq!(
            route::name_of(&Method::POST, "/_turkstand/workers/A1/accept"),
            Some("Accept")
        );
        assert_eq!(
            route::name_of(&Method::POST, "/_turkstand/faults/clear"),
            Some("ClearFaults")
        );
        assert_eq!(
            route::name_of(&Method::POST, "/_turkstand/faults/3/remove"),
            Some("RemoveFault")
        );
        assert_eq!(
            route::name_of(&Method::GET, "/_turkstand/workers/A1/"),
            Some("GetProperties")
        );
        assert_eq!(route::name_of(&Method::GET, "/_turkstand/nope"), None);
        assert_eq!(route::Accept::NAME, "Accept");
    }

    #[test]
    fn answers_are_a_document_when_the_body_is_xml() {
        let doc = Answered::<Submit>::from_body("text/xml", b"<QuestionFormAnswers/>");
        assert_eq!(doc, Ok(Answered::Document("<QuestionFormAnswers/>".into())));
        let sniffed = Answered::<Submit>::from_body(JSON, b"  <a/>");
        assert_eq!(sniffed, Ok(Answered::Document("  <a/>".into())));
        let form = Answered::<Submit>::from_body(JSON, br#"{"answers": {"q1": 2}}"#);
        assert!(matches!(form, Ok(Answered::Json(f)) if f.answers["q1"] == 2));
    }

    #[test]
    fn a_layout_names_its_wrong_field() {
        let e = HitLayout::from_body(JSON, br#"{"HTMLContent": "x", "FrameHeight": "9"}"#);
        assert_eq!(
            e,
            Err(BadBody(
                "FrameHeight must be a whole number of pixels.".into()
            ))
        );
        let e = HitLayout::from_body(JSON, b"[]");
        assert!(matches!(e, Err(BadBody(m)) if m.starts_with("Invalid JSON body: ")));
    }
}
