//! Qualifications through real clients: types, tests graded by answer keys, requests that wait,
//! retries on the clock, AutoGranted, scores and revocation (boto 2 over REST, zeep over SOAP),
//! and requirements on system qualifications computed from simulated workers' real history.

mod support;

use support::*;

scenario_tests! {
    boto2_covers_qualification_types_requests_tests_and_scores: "boto_qualifications.py" on start_manual_clock;
    boto2_sees_requirements_on_system_and_own_qualifications_decide_who_may_accept: "boto_qualification_requirements.py" on start;
    zeep_calls_every_qualification_operation_over_soap: "zeep_qualifications.py" on start;
}
