//! The clock: time rules at their exact second (through boto 2), and the manual clock kept
//! across restarts.

mod support;

use support::*;

scenario_tests! {
    boto2_sees_every_time_rule_take_effect_at_its_second: "boto_clock.py" on start_manual_clock;
}

fn clock(server: &Server) -> serde_json::Value {
    let (status, body) = server.request("GET", "/_turkstand/clock", &[], "");
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("clock JSON")
}

#[test]
fn a_manual_clock_keeps_its_time_across_a_restart() {
    let dir = Scratch::new("clock-restart");
    let data = dir.0.join("turkstand.db");
    let manual = ["--clock", "manual"];
    let first = Server::launch(1024 * 1024, Some(data.clone()), &manual);
    let (status, body) = first.admin("clock/set", r#"{"now": "2031-02-03T04:05:06Z"}"#);
    assert_eq!(status, 200, "{body}");
    let (status, body) = first.admin("clock/advance", r#"{"seconds": 3600}"#);
    assert_eq!(status, 200, "{body}");
    assert_eq!(clock(&first)["now"], "2031-02-03T05:05:06Z");
    drop(first);

    let second = Server::launch(1024 * 1024, Some(data.clone()), &manual);
    let now = clock(&second);
    assert_eq!(now["now"], "2031-02-03T05:05:06Z", "{now}");
    assert_eq!(now["mode"], "manual");
    // A restart may also be killed without warning: the time was committed when it was set.
    let mut second = second;
    let (status, _) = second.admin("clock/advance", r#"{"seconds": 1}"#);
    assert_eq!(status, 200);
    second.kill();
    let third = Server::launch(1024 * 1024, Some(data), &manual);
    assert_eq!(clock(&third)["now"], "2031-02-03T05:05:07Z");
}

#[test]
fn the_system_clock_follows_real_time_and_cannot_be_moved() {
    let server = Server::start();
    let now = clock(&server);
    assert_eq!(now["mode"], "system");
    let shown = chrono::DateTime::parse_from_rfc3339(now["now"].as_str().expect("now"))
        .expect("an xs:dateTime");
    assert!((chrono::Utc::now() - shown.to_utc()).num_seconds().abs() <= 2);
    for (path, body) in [
        ("clock/advance", r#"{"seconds": 60}"#),
        ("clock/set", r#"{"now": "2031-01-01T00:00:00Z"}"#),
    ] {
        let (status, body) = server.admin(path, body);
        assert!((400..500).contains(&status), "{path}: {status} {body}");
        assert!(body.contains("--clock manual"), "{body}");
    }
}

#[test]
fn the_clock_refuses_malformed_moves() {
    let server = Server::start_manual_clock();
    for (path, body) in [
        ("clock/advance", r#"{"seconds": "soon"}"#),
        ("clock/advance", r#"{"seconds": 9223372036854775807}"#),
        ("clock/set", r#"{"now": "tomorrow"}"#),
        ("clock/set", r#"{}"#),
    ] {
        let (status, body) = server.admin(path, body);
        assert!((400..500).contains(&status), "{path}: {status} {body}");
        assert!(body.contains("InvalidParameterValue"), "{body}");
    }
}
