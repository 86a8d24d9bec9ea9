//! The JSON of fault rules and of the request journal, shared by the server and the command
//! line (`turkstand faults …`, `turkstand journal …`).

use serde::{Deserialize, Serialize};

use super::BadBody;

/// How an exchange reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transport {
    #[serde(rename = "SOAP")]
    Soap,
    #[serde(rename = "REST")]
    Rest,
    /// The JSON admin API under `/_turkstand/`.
    #[serde(rename = "admin")]
    Admin,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Soap => "SOAP",
            Transport::Rest => "REST",
            Transport::Admin => "admin",
        }
    }
}

/// Which exchanges a rule looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// SOAP and REST calls of the requester API.
    #[default]
    Service,
    /// Every admin API call (but those managing faults and reading the journal).
    Admin,
    /// The simulated workers' admin routes: `workers/…`, `assignments/…`,
    /// `qualification-requests/…`.
    Worker,
}

/// What a rule matches: every field given must hold. `operation`, `transport`, `version` and
/// `access_key_id` are for service calls, `route` (an admin route's name such as `Accept`) for
/// admin and worker calls.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultMatch {
    #[serde(default)]
    pub scope: Scope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport: Option<Transport>,
    /// The `Version` a REST call names, or the year of a SOAP call's namespace (`2014-08-15`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
}

/// When a matching exchange is faulted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "WhenForm", into = "WhenForm")]
pub enum FaultWhen {
    #[default]
    Always,
    /// The next N matching exchanges, then never again.
    Next(u64),
    /// Every Kth matching exchange (the Kth, the 2Kth, …).
    Every(u64),
    /// Each matching exchange with probability `p`, drawn from a generator seeded with `seed`:
    /// the same exchanges in the same order are faulted on every run.
    Probability { p: f64, seed: u64 },
}

/// `{}` (always), `{"next": N}`, `{"every": K}` or `{"probability": P, "seed": S}`.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WhenForm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    every: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
}

impl TryFrom<WhenForm> for FaultWhen {
    type Error = String;

    fn try_from(f: WhenForm) -> Result<Self, Self::Error> {
        match (f.next, f.every, f.probability, f.seed) {
            (None, None, None, None) => Ok(FaultWhen::Always),
            (Some(n), None, None, None) => Ok(FaultWhen::Next(n)),
            (None, Some(0), None, None) => Err("every must be at least 1".into()),
            (None, Some(k), None, None) => Ok(FaultWhen::Every(k)),
            (None, None, Some(p), seed) if (0.0..=1.0).contains(&p) => Ok(FaultWhen::Probability {
                p,
                seed: seed.unwrap_or(0),
            }),
            (None, None, Some(_), _) => Err("probability must be between 0 and 1".into()),
            (None, None, None, Some(_)) => Err("seed goes with probability".into()),
            _ => Err("give at most one of next, every and probability".into()),
        }
    }
}

impl From<FaultWhen> for WhenForm {
    fn from(w: FaultWhen) -> Self {
        let mut f = WhenForm::default();
        match w {
            FaultWhen::Always => {}
            FaultWhen::Next(n) => f.next = Some(n),
            FaultWhen::Every(k) => f.every = Some(k),
            FaultWhen::Probability { p, seed } => {
                f.probability = Some(p);
                f.seed = Some(seed);
            }
        }
        f
    }
}

/// What a fired rule does instead of (or around) the normal answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultEffect {
    /// HTTP 503: a SOAP Fault `Server.ServiceUnavailable`, or REST `AWS.ServiceUnavailable`
    /// in `OperationRequest/Errors`.
    Throttle,
    /// HTTP 500 in the legacy form.
    InternalError,
    /// Waits this long, then answers normally.
    Delay { ms: u64 },
    /// Closes the connection without an answer; the call is not performed.
    Reset,
    /// Holds the connection, unanswered, until the server's stall limit, then closes it.
    Stall,
    /// Performs the call (and commits it), then closes the connection without the answer.
    LostAnswer,
    /// Answers this legacy error code: `AWS.MechanicalTurk.*` codes in the result's
    /// `Request/Errors`, other codes in `OperationRequest/Errors`.
    LegacyError {
        code: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// HTTP 403 with the body the service gave after its 2019 shutdown.
    Shutdown,
}

impl FaultEffect {
    /// The effect's `kind`, as the journal names it.
    pub fn kind(&self) -> &'static str {
        match self {
            FaultEffect::Throttle => "throttle",
            FaultEffect::InternalError => "internal_error",
            FaultEffect::Delay { .. } => "delay",
            FaultEffect::Reset => "reset",
            FaultEffect::Stall => "stall",
            FaultEffect::LostAnswer => "lost_answer",
            FaultEffect::LegacyError { .. } => "legacy_error",
            FaultEffect::Shutdown => "shutdown",
        }
    }
}

/// A fault rule as added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    #[serde(default, rename = "match")]
    pub matching: FaultMatch,
    #[serde(default)]
    pub when: FaultWhen,
    pub effect: FaultEffect,
}

/// A rule in force, with how many exchanges it matched and how often it fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultView {
    pub id: u64,
    pub rule: FaultRule,
    pub matched: u64,
    pub fired: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultsCleared {
    pub cleared: usize,
}

/// The fault a journal entry met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedFault {
    pub rule: u64,
    /// The effect's kind: `throttle`, `lost_answer`, …
    pub effect: String,
}

/// One exchange as the journal recorded it, with signatures and secrets redacted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Numbers every exchange since the server started, from 1.
    pub id: u64,
    /// When the request arrived (wall time, milliseconds), `2026-01-01T00:00:00.000Z`.
    pub time: String,
    pub transport: Transport,
    pub version: Option<String>,
    /// The operation, or for the admin API the route's name (`Accept`).
    pub operation: Option<String>,
    /// The AWSAccessKeyId the call names.
    pub account: Option<String>,
    pub method: String,
    /// Path and query string.
    pub path: String,
    pub request: String,
    /// The answer, also when the connection was closed before it was sent (a lost answer).
    pub response: Option<String>,
    /// The HTTP status sent; none when the connection was closed without an answer.
    pub status: Option<u16>,
    pub duration_ms: f64,
    pub fault: Option<AppliedFault>,
}

/// Filters of `GET /_turkstand/journal`, as query parameters; each given one must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JournalQuery {
    pub operation: Option<String>,
    pub account: Option<String>,
    pub status: Option<u16>,
    /// Entries that arrived at or after this xs:dateTime.
    pub since: Option<String>,
    /// Entries that arrived before this xs:dateTime.
    pub until: Option<String>,
    /// Entries numbered above this id (what `turkstand journal tail` follows with).
    pub after: Option<u64>,
    /// At most this many of the oldest matching entries.
    pub limit: Option<usize>,
}

impl JournalQuery {
    /// The query string, without `?`.
    pub fn to_query(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        let numbers = [
            ("status", self.status.map(u64::from)),
            ("after", self.after),
            ("limit", self.limit.map(|n| n as u64)),
        ];
        for (k, v) in [
            ("operation", &self.operation),
            ("account", &self.account),
            ("since", &self.since),
            ("until", &self.until),
        ] {
            if let Some(v) = v {
                s.append_pair(k, v);
            }
        }
        for (k, v) in numbers {
            if let Some(v) = v {
                s.append_pair(k, &v.to_string());
            }
        }
        s.finish()
    }

    pub fn from_query(query: &str) -> Result<JournalQuery, BadBody> {
        fn number<T: std::str::FromStr>(k: &str, v: &str) -> Result<Option<T>, BadBody> {
            v.parse()
                .map(Some)
                .map_err(|_| BadBody(format!("{k} must be a whole number, not {v:?}.")))
        }
        let mut q = JournalQuery::default();
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            let v = v.into_owned();
            match &*k {
                "operation" => q.operation = Some(v),
                "account" => q.account = Some(v),
                "since" => q.since = Some(v),
                "until" => q.until = Some(v),
                "status" => q.status = number(&k, &v)?,
                "after" => q.after = number(&k, &v)?,
                "limit" => q.limit = number(&k, &v)?,
                other => return Err(BadBody(format!("The journal has no filter {other}."))),
            }
        }
        Ok(q)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalPage {
    pub entries: Vec<JournalEntry>,
    /// The id of the newest exchange recorded so far, matching or not.
    pub last: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_reads_its_four_forms_and_refuses_mixtures() {
        let read = |s: &str| serde_json::from_str::<FaultWhen>(s).map_err(|e| e.to_string());
        assert_eq!(read("{}"), Ok(FaultWhen::Always));
        assert_eq!(read(r#"{"next": 2}"#), Ok(FaultWhen::Next(2)));
        assert_eq!(read(r#"{"every": 3}"#), Ok(FaultWhen::Every(3)));
        assert_eq!(
            read(r#"{"probability": 0.5, "seed": 7}"#),
            Ok(FaultWhen::Probability { p: 0.5, seed: 7 })
        );
        assert!(read(r#"{"next": 2, "every": 3}"#).is_err());
        assert!(read(r#"{"every": 0}"#).is_err());
        assert!(read(r#"{"probability": 1.5}"#).is_err());
        let back = serde_json::to_string(&FaultWhen::Next(2)).expect("json");
        assert_eq!(back, r#"{"next":2}"#);
    }

    #[test]
    fn a_rule_reads_from_json() {
        let rule: FaultRule = serde_json::from_str(
            r#"{"match": {"operation": "CreateHIT", "transport": "SOAP"},
                "effect": {"kind": "legacy_error", "code": "AWS.MechanicalTurk.InsufficientFunds"}}"#,
        )
        .expect("rule");
        assert_eq!(rule.matching.transport, Some(Transport::Soap));
        assert_eq!(rule.when, FaultWhen::Always);
        assert_eq!(rule.effect.kind(), "legacy_error");
    }

    #[test]
    fn journal_queries_round_trip() {
        let q = JournalQuery {
            operation: Some("GetHIT".into()),
            status: Some(503),
            since: Some("2026-01-01T00:00:00Z".into()),
            after: Some(4),
            ..JournalQuery::default()
        };
        assert_eq!(JournalQuery::from_query(&q.to_query()), Ok(q));
        assert!(JournalQuery::from_query("colour=blue").is_err());
        assert!(JournalQuery::from_query("status=abc").is_err());
    }
}
