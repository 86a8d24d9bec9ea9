//! Notifications delivered for real: boto 2 sets REST, SOAP, Email and SQS specifications and
//! sends test events; a Python HTTP server inside the scenario receives the REST GETs and SOAP
//! Notify envelopes and checks their event fields and signatures; failing destinations end
//! Failed after their retries.

mod support;

use support::*;

scenario_tests! {
    boto2_notifications_arrive_signed_over_rest_and_soap_and_failures_are_retried: "boto_notifications.py" on start_manual_clock;
}
