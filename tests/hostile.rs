//! A shared network and exhausted resources, over real sockets: more idle connections than the
//! process has descriptors, slow and idle clients, a listener beyond loopback, and request
//! heads too large for the service.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::*;

/// A server started for one test, with `connections` as its `[connections]` table.
struct Started {
    child: Child,
    /// `127.0.0.1:PORT`, whatever address it listens on.
    addr: String,
    /// Everything it printed before it was listening, standard output and error together.
    printed: String,
    _scratch: Scratch,
}

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `turkstand serve`; `fd_limit` sets `ulimit -n` for it (through a shell, which then
/// becomes the server).
fn start(listen: &str, connections: &str, fd_limit: Option<u32>) -> Started {
    let scratch = Scratch::new("hostile");
    let config = scratch.0.join("turkstand.toml");
    let text = format!("{}\n[connections]\n{connections}\n", config_text(1 << 20));
    std::fs::write(&config, text).expect("write config");
    let limit = fd_limit.map_or(String::new(), |n| format!("ulimit -n {n} && "));
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("{limit}exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_turkstand"))
        .args([
            "serve", "--listen", listen, "--data", ":memory:", "--config",
        ])
        .arg(&config)
        .env_remove("TURKSTAND_ACCESS_KEY_ID")
        .env_remove("TURKSTAND_SECRET_ACCESS_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start turkstand");
    let (tx, rx) = mpsc::channel::<String>();
    for stream in [
        Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().expect("stderr")),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let mut printed = String::new();
    let addr = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("turkstand did not start:\n{printed}"));
        printed.push_str(&line);
        printed.push('\n');
        if let Some(url) = line.strip_prefix("turkstand listening on http://") {
            let port = url.trim().rsplit(':').next().expect("port").to_string();
            break format!("127.0.0.1:{port}");
        }
    };
    // A moment for the warning, written to the other stream, to arrive too.
    while let Ok(line) = rx.recv_timeout(Duration::from_millis(300)) {
        printed.push_str(&line);
        printed.push('\n');
    }
    Started {
        child,
        addr,
        printed,
        _scratch: scratch,
    }
}

/// One request on a fresh connection: status and body.
fn http(
    addr: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).expect("send head");
    s.write_all(body.as_bytes()).expect("send body");
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    status_and_body(&answer)
}

/// The status and body of a whole HTTP answer.
fn status_and_body(answer: &[u8]) -> (u16, String) {
    let answer = String::from_utf8_lossy(answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {answer:?}"));
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn balance_call(addr: &str) -> (u16, String) {
    let params = rest_call("GetAccountBalance", REQUESTER, &now_timestamp());
    let body = form(&params);
    http(
        addr,
        "POST",
        "/",
        &[("content-type", "application/x-www-form-urlencoded")],
        &body,
    )
}

/// Whether the server closed `s` within `within`: a read that ends (or is reset) rather than
/// timing out.
fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).expect("timeout");
    let mut buf = [0u8; 512];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                return false
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn more_idle_connections_than_descriptors_leave_the_server_up_and_answering() {
    let server = start(
        "127.0.0.1:0",
        "idle_timeout_secs = 2\nheader_read_timeout_secs = 1",
        Some(64),
    );
    // Three times the descriptor limit, all silent.
    let idle: Vec<TcpStream> = (0..192)
        .map(|_| TcpStream::connect(&server.addr).expect("connect"))
        .collect();
    let (status, body) = balance_call(&server.addr);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<IsValid>True</IsValid>"), "{body}");
    drop(idle);
    let mut server = server;
    assert!(
        server.child.try_wait().expect("status").is_none(),
        "the server exited"
    );

    // Idle connections are closed after the idle timeout, and only then.
    let mut quiet: Vec<TcpStream> = (0..5)
        .map(|_| TcpStream::connect(&server.addr).expect("connect"))
        .collect();
    let opened = Instant::now();
    for s in &mut quiet {
        assert!(
            closed_within(s, Duration::from_secs(10)),
            "an idle connection stayed open"
        );
    }
    assert!(
        opened.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        opened.elapsed()
    );

    // A head begun and never finished is closed after the header-read timeout.
    let mut slow = TcpStream::connect(&server.addr).expect("connect");
    slow.write_all(b"GET /?Service=AWSMechanicalTurkRequester HTTP/1.1\r\nhost: x\r\n")
        .expect("send part of a head");
    assert!(closed_within(&mut slow, Duration::from_secs(10)));

    let (status, body) = balance_call(&server.addr);
    assert_eq!(status, 200, "{body}");
    assert!(server.child.try_wait().expect("status").is_none());
}

#[test]
fn a_head_that_is_slower_than_the_header_timeout_is_closed_before_the_idle_one() {
    let server = start(
        "127.0.0.1:0",
        "idle_timeout_secs = 30\nheader_read_timeout_secs = 1",
        None,
    );
    let mut slow = TcpStream::connect(&server.addr).expect("connect");
    slow.write_all(b"POST / HTTP/1.1\r\nhost: x\r\n")
        .expect("send");
    assert!(closed_within(&mut slow, Duration::from_secs(20)));
    let mut idle = TcpStream::connect(&server.addr).expect("connect");
    assert!(
        !closed_within(&mut idle, Duration::from_secs(2)),
        "closed before its idle timeout"
    );
}

/// Sends a head announcing 100 bytes of body, then 10 of them and nothing more: the status
/// and body of the answer, and how long after the head it came.
fn slow_body(addr: &str, target: &str, content_type: &str) -> (u16, String, Duration) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let head = format!(
        "POST {target} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: {content_type}\r\n\
         content-length: 100\r\n\r\n"
    );
    s.write_all(head.as_bytes()).expect("send head");
    let sent = Instant::now();
    s.write_all(&[b'<'; 10]).expect("send part of the body");
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let waited = sent.elapsed();
    let (status, body) = status_and_body(&answer);
    (status, body, waited)
}

#[test]
fn a_body_slower_than_the_body_timeout_is_refused_in_the_legacy_form() {
    let server = start(
        "127.0.0.1:0",
        "idle_timeout_secs = 30\nheader_read_timeout_secs = 30\nbody_read_timeout_secs = 1",
        None,
    );
    let cases = [
        ("/onca/soap", "text/xml", "<soapenv:Fault>"),
        (
            "/",
            "application/x-www-form-urlencoded",
            "<Response><OperationRequest>",
        ),
        ("/_turkstand/reset", "application/json", "{\"error\":"),
        (
            "/mturk/externalSubmit",
            "application/x-www-form-urlencoded",
            "Request refused",
        ),
    ];
    // All at once: each is answered on its own deadline.
    let answers: Vec<_> = std::thread::scope(|scope| {
        let started: Vec<_> = cases
            .iter()
            .map(|(target, content_type, _)| {
                scope.spawn(|| slow_body(&server.addr, target, content_type))
            })
            .collect();
        started
            .into_iter()
            .map(|t| t.join().expect("client"))
            .collect()
    });
    for ((target, _, form), (status, body, waited)) in cases.iter().zip(answers) {
        assert_eq!(status, 408, "{target}: {body}");
        assert!(body.contains(form), "{target}: {body}");
        assert!(
            body.contains("The request body did not arrive within 1s of its head."),
            "{target}: {body}"
        );
        assert!(
            waited >= Duration::from_millis(900) && waited < Duration::from_secs(10),
            "{target}: answered after {waited:?}"
        );
    }
    let (status, body) = balance_call(&server.addr);
    assert_eq!(status, 200, "{body}");
}

#[test]
fn listening_beyond_loopback_warns_and_the_admin_api_needs_the_token() {
    let server = start("0.0.0.0:0", "", None);
    assert!(
        server
            .printed
            .contains("WARNING: turkstand is listening on 0.0.0.0:"),
        "{}",
        server.printed
    );
    let token = server
        .printed
        .lines()
        .find_map(|l| l.strip_prefix("admin token: "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no token printed:\n{}", server.printed))
        .to_string();
    let (status, body) = http(&server.addr, "GET", "/_turkstand/clock", &[], "");
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("NotAuthorized"), "{body}");
    let (status, body) = http(
        &server.addr,
        "POST",
        "/_turkstand/reset",
        &[("content-type", "application/json")],
        "",
    );
    assert_eq!(status, 401, "{body}");
    let (status, body) = http(
        &server.addr,
        "GET",
        "/_turkstand/clock",
        &[("x-turkstand-token", &token)],
        "",
    );
    assert_eq!(status, 200, "{body}");
    let cookie = format!("turkstand_token={token}");
    let (status, _) = http(
        &server.addr,
        "GET",
        "/_turkstand/clock",
        &[("cookie", &cookie)],
        "",
    );
    assert_eq!(status, 200);
    // The service API asks for what the legacy service asked: a signed call.
    let (status, body) = balance_call(&server.addr);
    assert_eq!(status, 200, "{body}");
    // `turkstand worker` sends the token from the environment.
    let url = format!("http://{}", server.addr);
    let cli = |token: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_turkstand"));
        c.args(["clock", "--server", &url]);
        match token {
            Some(t) => c.env("TURKSTAND_ADMIN_TOKEN", t),
            None => c.env_remove("TURKSTAND_ADMIN_TOKEN"),
        };
        c.output().expect("run turkstand clock")
    };
    assert!(!cli(None).status.success());
    let out = cli(Some(&token));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn loopback_prints_no_warning_and_needs_no_token() {
    let server = start("127.0.0.1:0", "", None);
    assert!(!server.printed.contains("WARNING"), "{}", server.printed);
    assert!(
        !server.printed.contains("admin token"),
        "{}",
        server.printed
    );
    let (status, body) = http(&server.addr, "GET", "/_turkstand/clock", &[], "");
    assert_eq!(status, 200, "{body}");
}

#[test]
fn oversized_heads_are_answered_in_the_legacy_form_over_http() {
    let server = start(
        "127.0.0.1:0",
        "max_uri_bytes = 4096\nmax_header_bytes = 8192",
        None,
    );
    let query = form(&rest_call("GetAccountBalance", REQUESTER, &now_timestamp()));
    let long = format!("/?{query}&Pad={}", "x".repeat(5000));
    let (status, body) = http(&server.addr, "GET", &long, &[], "");
    assert_eq!(status, 414, "{body}");
    assert!(body.contains("<Response><OperationRequest>"), "{body}");
    assert!(
        body.contains("URI is longer than the limit of 4096 bytes"),
        "{body}"
    );
    let big = "y".repeat(9000);
    let (status, body) = http(
        &server.addr,
        "POST",
        "/onca/soap",
        &[("content-type", "text/xml"), ("x-pad", &big)],
        "<x/>",
    );
    assert_eq!(status, 431, "{body}");
    assert!(body.contains("<soapenv:Fault>"), "{body}");
    assert!(
        body.contains("headers are larger than the limit of 8192 bytes"),
        "{body}"
    );
    let (status, body) = http(
        &server.addr,
        "POST",
        "/",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("x-pad", &big),
        ],
        &query,
    );
    assert_eq!(status, 431, "{body}");
    assert!(body.contains("<Response><OperationRequest>"), "{body}");
}
