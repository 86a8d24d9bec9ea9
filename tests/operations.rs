//! Every operation of the interface, walked from the served WSDL and called through zeep.

mod support;

use support::*;

#[test]
fn every_wsdl_operation_answers_through_soap_and_none_is_unimplemented() {
    run_python_scenario("zeep_all_operations.py", &Server::start());
}
