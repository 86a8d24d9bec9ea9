//! A service on an in-memory store and a manual clock, for handler tests.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::service::{Context, Service};
use crate::clock::Clock;
use crate::config::Account;
use crate::model::requester::{self as api, Requester};
use crate::money::Cents;
use crate::store::Store;

pub(crate) const REQUESTER: &str = "AKIALIFECYCLE";

pub(crate) const FORM: &str = r#"<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd"><Question><QuestionIdentifier>q1</QuestionIdentifier><QuestionContent><Text>Why?</Text></QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>"#;

pub(crate) fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// A service whose clock stands at `start`, with one requester holding $10.00.
pub(crate) fn service(start: DateTime<Utc>) -> Service {
    let store = Store::open(":memory:").unwrap();
    let account = Account {
        access_key_id: REQUESTER.into(),
        secret_access_key: "secret".into(),
        balance: Cents(1000),
    };
    Service::new(store, Clock::manual(start), vec![account]).unwrap()
}

/// The requester's context for a call made now, as the wire layer opens one.
pub(crate) fn call(svc: &Service) -> Context {
    Context {
        requester: REQUESTER.into(),
        request_id: "test".into(),
        now: svc.settle_due_changes().unwrap(),
    }
}

/// A HIT of two assignments at $0.25, live for a day, as `change` leaves it.
pub(crate) fn create_hit(
    svc: &Service,
    change: impl FnOnce(&mut api::CreateHITRequest),
) -> Result<api::HIT, crate::error::OpError> {
    let mut req = api::CreateHITRequest {
        title: Some("Lifecycle".into()),
        description: Some("Time-driven changes".into()),
        reward: Some(api::Price {
            amount: Decimal::new(25, 2),
            currency_code: "USD".into(),
            formatted_price: None,
        }),
        assignment_duration_in_seconds: Some(600),
        auto_approval_delay_in_seconds: Some(3600),
        lifetime_in_seconds: 86400,
        max_assignments: Some(2),
        question: Some(FORM.into()),
        ..Default::default()
    };
    change(&mut req);
    svc.create_hit(&call(svc), req)
}
