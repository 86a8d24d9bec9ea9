//! Delivers recorded notifications over HTTP, in the legacy notification formats: REST (a GET
//! with the event as query parameters) and SOAP (a `Notify` envelope), both signed with the
//! requester's secret as `AWSMechanicalTurkRequesterNotification` + `Notify` + Timestamp.
//!
//! Runs beside the server; a failed delivery is retried a bounded number of times with backoff.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::auth::legacy_signature;
use crate::client::Connection;
use crate::handlers::Service;
use crate::store::{Notification, NotificationState, NotificationTransport};
use crate::xml::Writer;

pub const NOTIFICATION_SERVICE: &str = "AWSMechanicalTurkRequesterNotification";
use crate::xml::REQUESTER_NS_PREFIX as NOTIFY_NS_PREFIX;
/// Attempts per notification before it is marked Failed.
pub const MAX_ATTEMPTS: i64 = 5;
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a delivery in flight is kept from being picked up again (longer than an attempt).
const LEASE_MILLIS: i64 = 30_000;

fn format_time(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `host:port` and path (with query) of an `http://` destination.
fn split_destination(url: &str) -> Result<(String, String), String> {
    let rest = if let Some(r) = url.strip_prefix("http://") {
        r
    } else if url.starts_with("https://") {
        return Err("turkstand delivers notifications over plain http only".into());
    } else {
        return Err(format!("{url} is not an http URL"));
    };
    let (host, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() {
        return Err(format!("{url} has no host"));
    }
    let host = if host.contains(':') {
        host.to_string()
    } else {
        format!("{host}:80")
    };
    let path = if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_string()
    };
    Ok((host, path))
}

/// The REST form: GET Destination?method=Notify&Signature=…&Timestamp=…&Version=…&Event.1.….
pub fn rest_query(n: &Notification, secret: &str, timestamp: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("method", "Notify");
    q.append_pair(
        "Signature",
        &legacy_signature(secret, NOTIFICATION_SERVICE, "Notify", timestamp),
    );
    q.append_pair("Timestamp", timestamp);
    q.append_pair("Version", &n.version);
    q.append_pair("Event.1.EventType", n.event_type.as_str());
    q.append_pair("Event.1.EventTime", &format_time(n.event_time));
    for (k, v) in [
        ("HITTypeId", &n.hit_type_id),
        ("HITId", &n.hit_id),
        ("AssignmentId", &n.assignment_id),
    ] {
        if let Some(v) = v {
            q.append_pair(&format!("Event.1.{k}"), v);
        }
    }
    q.finish()
}

/// The SOAP form: a `Notify` element in the notification version's namespace.
pub fn soap_envelope(n: &Notification, secret: &str, timestamp: &str) -> String {
    let ns = format!("{NOTIFY_NS_PREFIX}{}", n.version);
    let mut w = Writer::with_declaration();
    w.start(
        "soapenv:Envelope",
        &[("xmlns:soapenv", turkstand_documents::SOAP_ENVELOPE_NS)],
    );
    w.start("soapenv:Body", &[]);
    w.start("Notify", &[("xmlns", &ns)]);
    w.text_element(
        "Signature",
        &legacy_signature(secret, NOTIFICATION_SERVICE, "Notify", timestamp),
    );
    w.text_element("Timestamp", timestamp);
    w.start("Event", &[]);
    w.text_element("EventType", n.event_type.as_str());
    w.text_element("EventTime", &format_time(n.event_time));
    for (k, v) in [
        ("HITTypeId", &n.hit_type_id),
        ("HITId", &n.hit_id),
        ("AssignmentId", &n.assignment_id),
    ] {
        if let Some(v) = v {
            w.text_element(k, v);
        }
    }
    w.end("Event");
    w.end("Notify");
    w.end("soapenv:Body");
    w.end("soapenv:Envelope");
    w.into_string()
}

async fn deliver(n: &Notification, secret: &str) -> Result<(), String> {
    let timestamp = format_time(Utc::now());
    let (addr, path) = split_destination(&n.destination)?;
    let mut conn = Connection::open(&addr).await.map_err(|e| e.to_string())?;
    let (status, _) = if n.transport == NotificationTransport::Soap {
        let body = soap_envelope(n, secret, &timestamp);
        conn.send(
            "POST",
            &path,
            &[
                ("content-type", "text/xml; charset=utf-8"),
                ("soapaction", "\"http://soap.amazon.com\""),
            ],
            body,
        )
        .await
    } else {
        let sep = if path.contains('?') { '&' } else { '?' };
        conn.send(
            "GET",
            &format!("{path}{sep}{}", rest_query(n, secret, &timestamp)),
            &[],
            "",
        )
        .await
    }
    .map_err(|e| e.to_string())?;
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(format!("the destination answered HTTP {status}"))
    }
}

/// One pass: sends every due notification once. Returns how many were attempted.
/// Each delivery runs on its own, so a slow destination holds up no other; the lease keeps a
/// delivery in flight from being picked up twice. Times are wall-clock milliseconds.
pub async fn deliver_due(svc: &Arc<Service>) -> usize {
    let wall = Utc::now().timestamp_millis();
    let due = svc.store.write(|tx| {
        let due = tx.due_notifications(wall, 32)?;
        for n in &due {
            tx.record_delivery(
                n.seq,
                NotificationState::Pending,
                n.attempts,
                wall + LEASE_MILLIS,
                n.last_error.as_deref(),
                None,
            )?;
        }
        Ok::<_, crate::store::StoreError>(due)
    });
    let due = match due {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(error = %e, "reading due notifications failed");
            return 0;
        }
    };
    let count = due.len();
    for n in due {
        let svc = svc.clone();
        tokio::spawn(async move {
            let secret = svc
                .accounts
                .iter()
                .find(|a| a.access_key_id == n.requester)
                .map(|a| a.secret_access_key.clone())
                .unwrap_or_default();
            let outcome = match tokio::time::timeout(ATTEMPT_TIMEOUT, deliver(&n, &secret)).await {
                Ok(r) => r,
                Err(_) => Err("the destination did not answer in time".into()),
            };
            let attempts = n.attempts + 1;
            let now = Utc::now();
            let (state, next, error, delivered) = match &outcome {
                Ok(()) => (NotificationState::Delivered, 0, None, Some(now)),
                Err(e) if attempts >= MAX_ATTEMPTS => {
                    (NotificationState::Failed, 0, Some(e.as_str()), None)
                }
                // Back off 1, 2, 4, 8 seconds between attempts.
                Err(e) => (
                    NotificationState::Pending,
                    now.timestamp_millis() + (1000 << (attempts - 1)),
                    Some(e.as_str()),
                    None,
                ),
            };
            if let Err(e) = svc
                .store
                .write(|tx| tx.record_delivery(n.seq, state, attempts, next, error, delivered))
            {
                tracing::warn!(error = %e, "recording a delivery failed");
            }
        });
    }
    count
}

/// Delivers notifications for as long as the server runs.
pub async fn run(svc: Arc<Service>) {
    loop {
        if deliver_due(&svc).await == 0 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notification() -> Notification {
        Notification {
            seq: 1,
            requester: "R".into(),
            event_type: crate::store::EventType::AssignmentSubmitted,
            event_time: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            hit_type_id: Some("T".into()),
            hit_id: Some("H".into()),
            assignment_id: Some("A".into()),
            destination: "http://127.0.0.1:9/n".into(),
            transport: NotificationTransport::Rest,
            version: "2006-05-05".into(),
            state: NotificationState::Pending,
            attempts: 0,
            last_error: None,
            delivered_time: None,
            test: false,
        }
    }

    #[test]
    fn destinations_split_into_address_and_path() {
        assert_eq!(
            split_destination("http://h:81/a?b=1").unwrap(),
            ("h:81".into(), "/a?b=1".into())
        );
        assert_eq!(
            split_destination("http://h").unwrap(),
            ("h:80".into(), "/".into())
        );
        assert_eq!(
            split_destination("http://h?x").unwrap(),
            ("h:80".into(), "/?x".into())
        );
        assert!(split_destination("https://h/").is_err());
        assert!(split_destination("ftp://h/").is_err());
    }

    #[test]
    fn the_rest_form_carries_the_event_and_a_verifiable_signature() {
        let q = rest_query(&notification(), "secret", "2023-11-14T22:13:20Z");
        let params: Vec<(String, String)> =
            form_urlencoded::parse(q.as_bytes()).into_owned().collect();
        let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("method"), Some("Notify"));
        assert_eq!(get("Event.1.EventType"), Some("AssignmentSubmitted"));
        assert_eq!(get("Event.1.EventTime"), Some("2023-11-14T22:13:20Z"));
        assert_eq!(get("Event.1.AssignmentId"), Some("A"));
        let expected = legacy_signature(
            "secret",
            NOTIFICATION_SERVICE,
            "Notify",
            "2023-11-14T22:13:20Z",
        );
        assert_eq!(get("Signature"), Some(expected.as_str()));
    }

    #[test]
    fn the_soap_form_is_a_notify_envelope() {
        let body = soap_envelope(&notification(), "secret", "2023-11-14T22:13:20Z");
        let doc = crate::xml::parse(body.as_bytes(), &Default::default()).unwrap();
        let notify = &doc.children[0].children[0];
        assert_eq!(notify.name, "Notify");
        assert_eq!(
            notify.ns.as_deref(),
            Some("http://requester.mturk.amazonaws.com/doc/2006-05-05")
        );
        assert!(body.contains("<EventType>AssignmentSubmitted</EventType>"));
    }
}
