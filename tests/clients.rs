//! Real third-party clients against the real server: boto 2.49 over REST (SignatureVersion 1)
//! and zeep over SOAP (stubs from the served WSDL), each running the full seed scenario, and
//! zeep on the served 2007-06-21 WSDL running that version's seed operations and a HIT
//! lifecycle, signed as Amazon's Java SDK 1.x signed.
//!
//! The Python environment is built on first use under `target/pyenv` by
//! `tests/clients/setup_venv.sh` (Python 3.11 with the pinned packages).

mod support;

use support::*;

scenario_tests! {
    boto2_runs_the_seed_scenario_over_rest: "boto_seed.py" on start;
    zeep_runs_the_seed_scenario_over_soap: "zeep_seed.py" on start;
    zeep_2007_runs_the_seed_operations_and_a_hit_lifecycle_in_2007_06_21: "zeep_2007.py" on start;
}
