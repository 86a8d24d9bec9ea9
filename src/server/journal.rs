//! The request journal: every exchange of the service and of the admin API, in a bounded ring
//! in memory and, when asked, appended to a JSONL file. Signatures and secrets are redacted
//! whenever an entry leaves the ring (a query, a file line); recording one costs a lock and a
//! push, so the journal can always be on.

use std::collections::VecDeque;
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use hyper::Method;
use regex::Regex;

use super::admin::api::{AppliedFault, JournalEntry, JournalPage, JournalQuery, Transport};
use super::faults::Call;
use crate::config::Account;

/// Entries kept in memory unless the configuration says otherwise. Each kept exchange is its
/// bodies' bytes, which every new exchange writes and an old one frees out of cache: at 1,000
/// the ring cost several percent of throughput (`cargo bench --bench faults`), at 64 it is
/// within the noise. A file (`--journal FILE`) keeps everything.
pub const DEFAULT_JOURNAL_SIZE: usize = 64;

const REDACTED: &str = "REDACTED";

/// One exchange, as it was: redaction happens on the way out.
pub(crate) struct Exchange {
    pub(crate) time: DateTime<Utc>,
    pub(crate) call: Call,
    pub(crate) method: Method,
    pub(crate) texts: Texts,
    pub(crate) status: Option<u16>,
    pub(crate) duration: Duration,
    pub(crate) fault: Option<AppliedFault>,
}

/// An exchange's path and query, request body and response body, copied into one block: one
/// allocation for all three, and none of hyper's read buffers held on to.
pub(crate) struct Texts {
    raw: Box<[u8]>,
    path_end: usize,
    request_end: usize,
    answered: bool,
}

impl Texts {
    pub(crate) fn new(path: &str, request: &[u8], response: Option<&[u8]>) -> Texts {
        let answer = response.unwrap_or_default();
        let mut raw = Vec::with_capacity(path.len() + request.len() + answer.len());
        raw.extend_from_slice(path.as_bytes());
        raw.extend_from_slice(request);
        raw.extend_from_slice(answer);
        Texts {
            raw: raw.into_boxed_slice(),
            path_end: path.len(),
            request_end: path.len() + request.len(),
            answered: response.is_some(),
        }
    }

    fn path(&self) -> String {
        String::from_utf8_lossy(&self.raw[..self.path_end]).into_owned()
    }

    fn request(&self) -> String {
        String::from_utf8_lossy(&self.raw[self.path_end..self.request_end]).into_owned()
    }

    fn response(&self) -> Option<String> {
        self.answered
            .then(|| String::from_utf8_lossy(&self.raw[self.request_end..]).into_owned())
    }
}

struct Entry {
    id: u64,
    exchange: Exchange,
}

pub struct Journal {
    ring: Mutex<VecDeque<Arc<Entry>>>,
    capacity: usize,
    last: AtomicU64,
    file: Option<Mutex<File>>,
    /// The accounts' secret keys, never to be shown.
    secrets: Vec<String>,
}

impl Journal {
    /// A journal keeping the last `capacity` exchanges, redacting the secret keys of
    /// `accounts` wherever they appear.
    pub fn new(capacity: usize, accounts: &[Account]) -> Journal {
        Journal {
            ring: Mutex::new(VecDeque::with_capacity(capacity.min(4096))),
            capacity,
            last: AtomicU64::new(0),
            file: None,
            secrets: accounts
                .iter()
                .map(|a| a.secret_access_key.clone())
                .filter(|s| !s.is_empty())
                .collect(),
        }
    }

    /// Also appends every entry to `path`, one JSON object a line, before its answer is sent.
    pub fn append_to(mut self, path: &Path) -> std::io::Result<Journal> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        self.file = Some(Mutex::new(file));
        Ok(self)
    }

    /// Whether nothing is kept: no ring and no file.
    pub(crate) fn is_off(&self) -> bool {
        self.capacity == 0 && self.file.is_none()
    }

    pub(crate) fn record(&self, exchange: Exchange) {
        // Allocated before the lock and the oldest entry dropped after it, so that the lock is
        // held for a counter and two pointer moves.
        let mut entry = Arc::new(Entry { id: 0, exchange });
        let oldest = {
            let mut ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
            let id = self.last.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(unshared) = Arc::get_mut(&mut entry) {
                unshared.id = id;
            }
            if self.capacity == 0 {
                None
            } else {
                let oldest = (ring.len() == self.capacity)
                    .then(|| ring.pop_front())
                    .flatten();
                ring.push_back(entry.clone());
                oldest
            }
        };
        drop(oldest);
        if let Some(file) = &self.file {
            let line = serde_json::to_string(&self.view(&entry)).unwrap_or_default() + "\n";
            let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
            if let Err(e) = file.write_all(line.as_bytes()) {
                tracing::error!(error = %e, "cannot append to the journal file");
            }
        }
    }

    /// The entries `q` selects, oldest first.
    pub fn query(&self, q: &JournalQuery) -> Result<JournalPage, String> {
        let time = |t: &Option<String>| match t {
            None => Ok(None),
            Some(s) => crate::auth::parse_timestamp(s)
                .map(Some)
                .ok_or_else(|| format!("{s:?} is not an xs:dateTime.")),
        };
        let (since, until) = (time(&q.since)?, time(&q.until)?);
        let chosen: Vec<Arc<Entry>> = {
            let ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
            ring.iter()
                .filter(|e| {
                    let x = &e.exchange;
                    q.after.is_none_or(|a| e.id > a)
                        && q.operation
                            .as_deref()
                            .is_none_or(|o| x.call.operation == Some(o))
                        && q.account
                            .as_deref()
                            .is_none_or(|a| x.call.account.as_deref() == Some(a))
                        && q.status.is_none_or(|s| x.status == Some(s))
                        && since.is_none_or(|t| x.time >= t)
                        && until.is_none_or(|t| x.time < t)
                })
                .take(q.limit.unwrap_or(usize::MAX))
                .cloned()
                .collect()
        };
        Ok(JournalPage {
            entries: chosen.iter().map(|e| self.view(e)).collect(),
            last: self.last.load(Ordering::Relaxed),
        })
    }

    fn view(&self, entry: &Entry) -> JournalEntry {
        let x = &entry.exchange;
        let transport = x.call.transport.unwrap_or(Transport::Rest);
        let request = match transport {
            Transport::Rest => redact_form(&x.texts.request()),
            _ => redact_markup(&x.texts.request()),
        };
        let path = x.texts.path();
        let path = match path.split_once('?') {
            Some((path, query)) => format!("{path}?{}", redact_form(query)),
            None => path,
        };
        JournalEntry {
            id: entry.id,
            time: x.time.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            transport,
            version: x.call.version().map(str::to_string),
            operation: x.call.operation.map(str::to_string),
            account: x.call.account.clone(),
            method: x.method.to_string(),
            path: self.without_secrets(path),
            request: self.without_secrets(request),
            response: x
                .texts
                .response()
                .map(|b| self.without_secrets(redact_markup(&b))),
            status: x.status,
            duration_ms: x.duration.as_secs_f64() * 1000.0,
            fault: x.fault.clone(),
        }
    }

    fn without_secrets(&self, mut text: String) -> String {
        for secret in &self.secrets {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), REDACTED);
            }
        }
        text
    }
}

/// A parameter whose value is never shown: the signature, and anything named a secret.
fn sensitive(name: &str) -> bool {
    name.eq_ignore_ascii_case("Signature") || name.to_ascii_lowercase().contains("secret")
}

/// A form or query string with the values of sensitive parameters replaced.
fn redact_form(form: &str) -> String {
    form.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if form_urlencoded::parse(k.as_bytes()).any(|(k, _)| sensitive(&k)) => {
                format!("{k}={REDACTED}")
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// XML elements and JSON members named Signature or …Secret…, with their text replaced.
fn redact_markup(text: &str) -> String {
    static XML: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(<(?:[\w.-]+:)?(?:signature|[\w.-]*secret[\w.-]*)(?:\s[^>]*)?>)[^<]*(</)")
            .expect("a valid pattern")
    });
    static JSON: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)("(?:signature|[\w.-]*secret[\w.-]*)"\s*:\s*)"(?:[^"\\]|\\.)*""#)
            .expect("a valid pattern")
    });
    let text = XML.replace_all(text, format!("${{1}}{REDACTED}${{2}}"));
    JSON.replace_all(&text, format!("${{1}}\"{REDACTED}\""))
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(transport: Transport, path: &str, request: &str) -> Exchange {
        Exchange {
            time: Utc::now(),
            call: Call {
                transport: Some(transport),
                operation: Some("GetAccountBalance"),
                account: Some("AKIA1".into()),
                ..Call::default()
            },
            method: Method::POST,
            texts: Texts::new(
                path,
                request.as_bytes(),
                Some(b"<GetAccountBalanceResponse/>"),
            ),
            status: Some(200),
            duration: Duration::from_millis(2),
            fault: None,
        }
    }

    fn all(j: &Journal) -> Vec<JournalEntry> {
        j.query(&JournalQuery::default()).expect("query").entries
    }

    #[test]
    fn signatures_and_secrets_are_redacted() {
        let account = Account {
            access_key_id: "AKIA1".into(),
            secret_access_key: "sekrit-key".into(),
            balance: crate::money::Cents(0),
        };
        let j = Journal::new(10, &[account]);
        j.record(exchange(
            Transport::Rest,
            "/?Signature=abc%3D&Operation=GetHIT",
            "Operation=GetHIT&Signature=c2lnbmVk%2B&AWSSecretAccessKey=x&Note=sekrit-key",
        ));
        j.record(exchange(
            Transport::Soap,
            "/",
            "<mt:GetHIT><mt:Signature>c2lnbmVk</mt:Signature><Signature xsi:type=\"x\">s</Signature></mt:GetHIT>",
        ));
        j.record(exchange(
            Transport::Admin,
            "/_turkstand/x",
            r#"{"secret_access_key": "a\"b", "Signature":"s", "q": "sekrit-key"}"#,
        ));
        let e = all(&j);
        assert_eq!(e[0].path, "/?Signature=REDACTED&Operation=GetHIT");
        assert_eq!(
            e[0].request,
            "Operation=GetHIT&Signature=REDACTED&AWSSecretAccessKey=REDACTED&Note=REDACTED"
        );
        assert_eq!(
            e[1].request,
            "<mt:GetHIT><mt:Signature>REDACTED</mt:Signature><Signature xsi:type=\"x\">REDACTED</Signature></mt:GetHIT>"
        );
        assert_eq!(
            e[2].request,
            r#"{"secret_access_key": "REDACTED", "Signature":"REDACTED", "q": "REDACTED"}"#
        );
    }

    #[test]
    fn the_ring_keeps_the_newest_entries() {
        let j = Journal::new(3, &[]);
        for _ in 0..5 {
            j.record(exchange(Transport::Rest, "/", ""));
        }
        let ids: Vec<u64> = all(&j).iter().map(|e| e.id).collect();
        assert_eq!(ids, [3, 4, 5]);
        let page = j
            .query(&JournalQuery {
                after: Some(3),
                limit: Some(1),
                ..JournalQuery::default()
            })
            .expect("query");
        assert_eq!(page.entries.len(), 1);
        assert_eq!((page.entries[0].id, page.last), (4, 5));
        assert!(j
            .query(&JournalQuery {
                since: Some("yesterday".into()),
                ..JournalQuery::default()
            })
            .is_err());
    }

    #[test]
    fn filters_select_by_operation_account_status_and_time() {
        let j = Journal::new(10, &[]);
        j.record(exchange(Transport::Rest, "/", ""));
        let mut other = exchange(Transport::Rest, "/", "");
        other.status = Some(503);
        other.call.operation = Some("GetHIT");
        other.call.account = Some("AKIA2".into());
        j.record(other);
        let count = |q: JournalQuery| j.query(&q).expect("query").entries.len();
        let q = JournalQuery::default;
        assert_eq!(
            count(JournalQuery {
                status: Some(503),
                ..q()
            }),
            1
        );
        assert_eq!(
            count(JournalQuery {
                operation: Some("GetHIT".into()),
                ..q()
            }),
            1
        );
        assert_eq!(
            count(JournalQuery {
                account: Some("AKIA1".into()),
                ..q()
            }),
            1
        );
        let later = (Utc::now() + chrono::Duration::hours(1))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        assert_eq!(
            count(JournalQuery {
                since: Some(later.clone()),
                ..q()
            }),
            0
        );
        assert_eq!(
            count(JournalQuery {
                until: Some(later),
                ..q()
            }),
            2
        );
    }

    #[test]
    fn the_file_gets_one_json_object_a_line() {
        let dir = std::env::temp_dir().join(format!("journal-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("journal.jsonl");
        let _ = std::fs::remove_file(&path);
        // Nothing kept in memory: the file still gets everything.
        let j = Journal::new(0, &[]).append_to(&path).expect("file");
        j.record(exchange(Transport::Rest, "/", "Signature=s"));
        j.record(exchange(Transport::Soap, "/", "<a>\n</a>"));
        assert!(all(&j).is_empty());
        let text = std::fs::read_to_string(&path).expect("read");
        let lines: Vec<JournalEntry> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON entry"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].request, "Signature=REDACTED");
        assert_eq!(lines[1].request, "<a>\n</a>");
        let _ = std::fs::remove_dir_all(dir);
    }
}
