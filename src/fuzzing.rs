//! The fuzz targets' bodies, shared by `fuzz/` (cargo-fuzz, nightly) and by
//! `tests/fuzz_corpus.rs`, which runs every committed seed through them on stable. Each takes
//! arbitrary bytes and panics only when an invariant breaks: an answer that is not well-formed
//! XML, a server error, or a panic inside turkstand.
//!
//! Seeds are real requests journaled by the tests (`serve --journal`), which carry stale
//! timestamps and redacted signatures: the SOAP and REST targets stamp and sign each input
//! afresh for the test account, so that fuzzed input gets past authentication into the decoders
//! and handlers.

use std::sync::OnceLock;

use rand::Rng;

use crate::auth::{self, legacy_signature, Claims, Signed, SERVICE};
use crate::clock::Clock;
use crate::config::Account;
use crate::handlers::Service;
use crate::money::Cents;
use crate::store::Store;
use crate::wire::params::Params;
use crate::wire::{rest, soap, Reply};
use crate::xml::{self, ParseLimits};

/// The account the seeds were journaled with (tests/support's first requester).
pub const ACCOUNT: (&str, &str) = ("AKIATESTREQUESTER0001", "requester-one-secret");

fn accounts() -> Vec<Account> {
    vec![Account {
        access_key_id: ACCOUNT.0.to_string(),
        secret_access_key: ACCOUNT.1.to_string(),
        balance: Cents(1_000_000_000),
    }]
}

/// One in-memory service for every input of a run.
fn service() -> &'static Service {
    static SERVICE_ONCE: OnceLock<Service> = OnceLock::new();
    SERVICE_ONCE.get_or_init(|| {
        let store = Store::open(":memory:").expect("in-memory store");
        Service::new(store, Clock::system(), accounts()).expect("service")
    })
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The invariants of every service answer.
fn check_reply(reply: &Reply, input: &[u8]) {
    assert!(
        reply.status < 500,
        "status {} for {:?}: {}",
        reply.status,
        String::from_utf8_lossy(input),
        reply.body
    );
    if let Err(e) = xml::parse(reply.body.as_bytes(), &ParseLimits::default()) {
        panic!(
            "answer not well-formed ({e}) for {:?}: {}",
            String::from_utf8_lossy(input),
            reply.body
        );
    }
}

/// Replaces the text of the first `<…Name>` element (any prefix) with `value`.
fn replace_element_text(doc: &mut Vec<u8>, name: &[u8], value: &str) {
    let mut open = Vec::with_capacity(name.len() + 1);
    open.extend_from_slice(name);
    open.push(b'>');
    let Some(start) = doc
        .windows(open.len())
        .position(|w| w == open.as_slice())
        .map(|at| at + open.len())
    else {
        return;
    };
    let Some(len) = doc[start..].iter().position(|&b| b == b'<') else {
        return;
    };
    doc.splice(start..start + len, value.bytes());
}

/// A SOAP request body, stamped and signed afresh, through the whole SOAP path.
pub fn soap_envelope(input: &[u8]) {
    let limits = ParseLimits::default();
    let mut body = input.to_vec();
    let operation = xml::parse(input, &limits).ok().and_then(|envelope| {
        soap::operation_element(&envelope)
            .ok()
            .map(|(_, op)| op.name())
    });
    if let Some(op) = operation {
        let ts = now();
        replace_element_text(&mut body, b"Timestamp", &ts);
        replace_element_text(
            &mut body,
            b"Signature",
            &legacy_signature(ACCOUNT.1, SERVICE, op, &ts),
        );
    }
    check_reply(&soap::handle(service(), &body, &limits), input);
}

/// A REST form (query string or body), signed afresh, through the REST decoder and handlers.
pub fn rest_form(input: &[u8]) {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    // The lenient reader must never fail; the strict one is what the server uses.
    let _ = Params::parse(text);
    let Ok(params) = Params::parse_text(text) else {
        return;
    };
    let op = params.get("Operation").unwrap_or("").trim().to_string();
    let ts = now();
    let mut pairs: Vec<(String, String)> = params
        .pairs()
        .iter()
        .filter(|(k, _)| !["Timestamp", "Signature", "SignatureVersion"].contains(&k.as_str()))
        .cloned()
        .collect();
    pairs.push(("Timestamp".into(), ts.clone()));
    pairs.push((
        "Signature".into(),
        legacy_signature(ACCOUNT.1, SERVICE, &op, &ts),
    ));
    check_reply(&rest::handle(service(), &Params::from_pairs(pairs)), input);
}

/// The claims of a form, checked by both signature schemes: refused or accepted, never a
/// panic, and accepted only for the one account.
pub fn signature(input: &[u8]) {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let params = Params::parse(text);
    let accounts = accounts();
    let operation = params.get("Operation").unwrap_or("");
    for signed in [
        Signed::Legacy { operation },
        Signed::QueryV1 {
            params: params.pairs(),
        },
    ] {
        let claims = Claims {
            access_key_id: params.get("AWSAccessKeyId"),
            timestamp: params.get("Timestamp"),
            signature: params.get("Signature"),
            signed,
        };
        if let Ok(account) = auth::authenticate(&accounts, &claims, Clock::wall()) {
            assert_eq!(account.access_key_id, ACCOUNT.0);
        }
    }
}

/// An embedded document (Question, Test, AnswerKey, answers) through the validator; one that
/// parses is written back out and must parse again to the same tree.
pub fn document(input: &[u8]) {
    let _ = crate::schema::validate_bytes(input);
    if let Ok(root) = xml::parse(input, &ParseLimits::default()) {
        let again = xml::parse(root.to_xml_string().as_bytes(), &ParseLimits::UNLIMITED)
            .unwrap_or_else(|e| panic!("a parsed document written back does not parse: {e}"));
        assert_eq!(again.to_xml_string(), root.to_xml_string());
    }
}

/// `seed` spoiled in one to three ways: bytes XML or forms cannot carry spliced in, random
/// bytes inserted or overwritten, a run deleted, or the rest cut off. For tests on stable that
/// want a short fuzz run without libFuzzer.
pub fn mutate(rng: &mut impl Rng, seed: &[u8]) -> Vec<u8> {
    const NASTY: [&[u8]; 14] = [
        b"\x00",
        b"\x01",
        b"\x0b",
        "\u{FFFE}".as_bytes(),
        "\u{FFFF}".as_bytes(),
        b"\xff",
        b"\xed\xa0\x80",
        b"&#x1;",
        b"&#xFFFE;",
        b"&#0;",
        b"%00",
        b"%EF%BF%BF",
        b"%FF",
        b"<",
    ];
    let mut out = seed.to_vec();
    for _ in 0..rng.gen_range(1..4) {
        let at = rng.gen_range(0..=out.len());
        match rng.gen_range(0..5) {
            0 => {
                let nasty = NASTY[rng.gen_range(0..NASTY.len())];
                out.splice(at..at, nasty.iter().copied());
            }
            1 => {
                let n = rng.gen_range(1..8);
                let bytes: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
                out.splice(at..at, bytes);
            }
            2 if at < out.len() => {
                let end = (at + rng.gen_range(1..16)).min(out.len());
                out.drain(at..end);
            }
            3 if at < out.len() => out[at] = rng.gen(),
            _ => out.truncate(at),
        }
    }
    out
}

/// One fuzz target: arbitrary bytes in, a panic when an invariant breaks.
pub type Target = fn(&[u8]);

/// The targets by name, as `fuzz/fuzz_targets/` and `fuzz/corpus/` name them.
pub const TARGETS: [(&str, Target); 4] = [
    ("soap_envelope", soap_envelope),
    ("rest_form", rest_form),
    ("signature", signature),
    ("document", document),
];
