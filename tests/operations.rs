//! Every operation of the interface, walked from the served WSDL and called through zeep.

mod support;

use support::*;

scenario_tests! {
    every_wsdl_operation_answers_through_soap_and_none_is_unimplemented: "zeep_all_operations.py" on start;
}
