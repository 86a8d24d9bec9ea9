//! Notifications delivered for real: boto 2 sets REST, SOAP, Email and SQS specifications and
//! sends test events; a Python HTTP server inside the scenario receives the REST GETs and SOAP
//! Notify envelopes and checks their event fields and signatures; failing destinations end
//! Failed after their retries.

mod support;

use support::*;

#[test]
fn boto2_notifications_arrive_signed_over_rest_and_soap_and_failures_are_retried() {
    run_python_scenario("boto_notifications.py", &Server::start_manual_clock());
}
