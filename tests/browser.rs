//! The worker site and the requester console in a real browser: headless Chromium (Debian's
//! `chromium` and `chromium-driver`, installed here as root when missing) driven by Python
//! Selenium (from the test virtualenv), with boto 2 as the requester's script. See
//! tests/clients/browser_flows.py for the flows; screenshots land in target/screenshots/.

mod support;

use support::*;

#[test]
fn worker_site_and_console_in_chromium() {
    ensure_debian(&[
        (Probe::Program("chromium"), "chromium"),
        (Probe::Program("chromedriver"), "chromium-driver"),
    ]);
    let server = Server::start();
    run_python_scenario("browser_flows.py", &server);
}
