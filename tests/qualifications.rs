//! Qualifications through real clients: types, tests graded by answer keys, requests that wait,
//! retries on the clock, AutoGranted, scores and revocation (boto 2 over REST, zeep over SOAP),
//! and requirements on system qualifications computed from simulated workers' real history.

mod support;

use support::*;

#[test]
fn boto2_covers_qualification_types_requests_tests_and_scores() {
    run_python_scenario("boto_qualifications.py", &Server::start_manual_clock());
}

#[test]
fn boto2_sees_requirements_on_system_and_own_qualifications_decide_who_may_accept() {
    run_python_scenario("boto_qualification_requirements.py", &Server::start());
}

#[test]
fn zeep_calls_every_qualification_operation_over_soap() {
    run_python_scenario("zeep_qualifications.py", &Server::start());
}
