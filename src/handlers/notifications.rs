//! Notifications: SetHITTypeNotification, SendTestEventNotification, and raising events at the
//! moments the legacy service raised them. Raising only records the notification in the same
//! transaction as the change that caused it; `crate::notify` delivers it afterwards, so delivery
//! never blocks or fails the request.

use chrono::{DateTime, Utc};

use super::service::{Context, Service};
use crate::error::OpError;
use crate::model::requester as api;
use crate::store::{self, Notification, NotificationState, StoreError, Tx};

/// The notification message version the legacy service sent.
pub(super) const NOTIFICATION_VERSION: &str = "2006-05-05";

/// Something that happened to a HIT or an assignment.
#[derive(Debug, Clone)]
pub(super) struct Event<'a> {
    pub event_type: api::EventType,
    pub time: DateTime<Utc>,
    pub requester: &'a str,
    pub hit_type_id: &'a str,
    pub hit_id: &'a str,
    pub assignment_id: Option<&'a str>,
}

fn initial_state(transport: store::NotificationTransport) -> NotificationState {
    use store::NotificationTransport as T;
    match transport {
        T::Rest | T::Soap => NotificationState::Pending,
        T::Email | T::Sqs => NotificationState::Recorded,
    }
}

/// Records the notifications an event causes under its HIT type's active specification.
pub(super) fn raise(tx: &Tx<'_>, e: &Event<'_>) -> Result<(), StoreError> {
    let Some(spec) = tx.notification_spec(e.hit_type_id)? else {
        return Ok(());
    };
    if !spec.active || !spec.event_types.contains(&e.event_type.into()) {
        return Ok(());
    }
    tx.insert_notification(&Notification {
        seq: 0,
        requester: e.requester.to_string(),
        event_type: e.event_type.into(),
        event_time: e.time,
        hit_type_id: Some(e.hit_type_id.to_string()),
        hit_id: Some(e.hit_id.to_string()),
        assignment_id: e.assignment_id.map(str::to_string),
        destination: spec.destination.clone(),
        transport: spec.transport,
        version: spec.version.clone(),
        state: initial_state(spec.transport),
        attempts: 0,
        last_error: None,
        delivered_time: None,
        test: false,
    })?;
    Ok(())
}

/// Checks a destination for its transport. Any port is allowed (the legacy limit to 80 and 443
/// is lifted so that tests can listen on ephemeral ports).
fn check_destination(spec: &api::NotificationSpecification) -> Result<(), OpError> {
    let d = spec.destination.trim();
    let ok = match spec.transport {
        api::NotificationTransport::Rest | api::NotificationTransport::Soap => {
            (d.starts_with("http://") || d.starts_with("https://")) && d.len() > "https://".len()
        }
        api::NotificationTransport::Email => d
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.')),
        api::NotificationTransport::Sqs => d.starts_with("https://") || d.starts_with("http://"),
    };
    if ok {
        Ok(())
    } else {
        Err(OpError::InvalidTransportEndpoint(format!(
            "The destination {d:?} is not valid for the {} transport.",
            spec.transport.as_str()
        )))
    }
}

fn check_version(spec: &api::NotificationSpecification) -> Result<(), OpError> {
    if spec.version.trim() == NOTIFICATION_VERSION {
        Ok(())
    } else {
        Err(OpError::InvalidParameterValue(format!(
            "Notification Version {} is not supported; use {NOTIFICATION_VERSION}.",
            spec.version
        )))
    }
}

pub(super) fn set_hit_type_notification(
    svc: &Service,
    ctx: &Context,
    req: api::SetHITTypeNotificationRequest,
) -> Result<api::SetHITTypeNotificationResult, OpError> {
    if req.notification.is_none() && req.active.is_none() {
        return Err(OpError::InvalidParameterValue(
            "Give a Notification, an Active flag, or both.".into(),
        ));
    }
    if let Some(n) = &req.notification {
        check_destination(n)?;
        check_version(n)?;
        if n.event_type.contains(&api::EventType::Ping) {
            return Err(OpError::InvalidParameterValue(
                "The Ping event type is only for SendTestEventNotification.".into(),
            ));
        }
    }
    let hit_type_id = req.hit_type_id.trim();
    svc.store.write(|tx| {
        match tx.hit_type(hit_type_id)? {
            Some(t) if t.requester == ctx.requester => {}
            _ => {
                return Err(OpError::InvalidParameterValue(format!(
                    "HITTypeId {hit_type_id} does not exist."
                )))
            }
        }
        let existing = tx.notification_spec(hit_type_id)?;
        let spec = match (&req.notification, existing) {
            (Some(n), old) => store::NotificationSpec {
                hit_type_id: hit_type_id.to_string(),
                requester: ctx.requester.clone(),
                destination: n.destination.trim().to_string(),
                transport: n.transport.into(),
                version: n.version.trim().to_string(),
                event_types: n.event_type.iter().map(|&e| e.into()).collect(),
                // A new specification is active unless told otherwise; Active omitted leaves the
                // current state.
                active: req.active.unwrap_or(old.is_none_or(|o| o.active)),
            },
            (None, Some(mut old)) => {
                old.active = req.active.unwrap_or(old.active);
                old
            }
            (None, None) => {
                return Err(OpError::InvalidParameterValue(format!(
                    "HIT type {hit_type_id} has no notification specification to activate."
                )))
            }
        };
        tx.put_notification_spec(&spec)?;
        Ok(())
    })?;
    Ok(api::SetHITTypeNotificationResult::default())
}

pub(super) fn send_test_event_notification(
    svc: &Service,
    ctx: &Context,
    req: api::SendTestEventNotificationRequest,
) -> Result<api::SendTestEventNotificationResult, OpError> {
    let now = ctx.now;
    let n = &req.notification;
    check_destination(n)?;
    check_version(n)?;
    let event_type = req.test_event_type.unwrap_or(api::EventType::Ping);
    svc.store.write(|tx| {
        tx.insert_notification(&Notification {
            seq: 0,
            requester: ctx.requester.clone(),
            event_type: event_type.into(),
            event_time: now,
            hit_type_id: None,
            hit_id: None,
            assignment_id: None,
            destination: n.destination.trim().to_string(),
            transport: n.transport.into(),
            version: n.version.trim().to_string(),
            state: initial_state(n.transport.into()),
            attempts: 0,
            last_error: None,
            delivered_time: None,
            test: true,
        })?;
        Ok::<_, OpError>(())
    })?;
    Ok(api::SendTestEventNotificationResult::default())
}
