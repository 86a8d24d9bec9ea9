//! Who may use turkstand's own surfaces (the admin API, the worker site, the requester console),
//! as one layer that wraps any [`Router`]: [`protect`]. The SOAP and REST service paths are not
//! wrapped; they authenticate each call as the legacy service did.
//!
//! A browser page from another site must not drive these surfaces through the user's browser,
//! so a request is refused when its `Origin` is not the server it is sent to, when the browser
//! says it comes from another site (`Sec-Fetch-Site`), and, while no token is needed, when its
//! `Host` is not a loopback name (a DNS name rebound to 127.0.0.1 would otherwise pass). API
//! writes must carry a JSON (or, for answer documents, XML) content type, which no page can send
//! to another origin without a CORS preflight, and no answer carries CORS headers. When the
//! server listens beyond loopback every request needs the token too.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use hyper::header::HeaderName;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, COOKIE, HOST, ORIGIN, SET_COOKIE};
use hyper::{HeaderMap, Method};

use super::header;
use super::refusal::Reader;

/// The header that carries the token.
pub const TOKEN_HEADER: &str = "x-turkstand-token";
/// The cookie that carries the token, for browsers.
pub const TOKEN_COOKIE: &str = "turkstand_token";
/// The query parameter a browser may open a page with once; the answer sets the cookie.
const TOKEN_QUERY: &str = "token";

/// What the guard asks of every request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// When set, every request must carry it (header, `Authorization: Bearer`, or cookie).
    pub token: Option<String>,
}

impl Access {
    /// A fresh random token: 32 hex digits.
    pub fn generate_token() -> String {
        use rand::Rng;
        let bytes: [u8; 16] = rand::thread_rng().gen();
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Which surface a router is: how its refusals are written and what its writes must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// JSON in and out; writes need a JSON or XML content type.
    Api,
    /// HTML pages and their forms; a GET may bring the token as `?token=`, which sets the
    /// cookie.
    Pages,
}

/// `router` with every request checked by [`Access`] first.
pub fn protect<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    access: &Access,
    surface: Surface,
) -> Router<S> {
    let state = Arc::new((access.clone(), surface));
    router.layer(middleware::from_fn_with_state(state, check))
}

/// Why a request was turned away.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refused {
    CrossSite(String),
    ContentType,
    Token,
}

impl Refused {
    fn render(&self, surface: Surface) -> Response {
        let (status, code, message) = match self {
            Refused::CrossSite(why) => (403, "Forbidden", why.clone()),
            Refused::ContentType => (
                415,
                "Forbidden",
                "Requests that change anything must be sent as application/json \
                 (or an XML answer document as text/xml)."
                    .to_string(),
            ),
            Refused::Token => (
                401,
                "NotAuthorized",
                format!(
                    "This server listens beyond loopback: send the admin token it printed \
                     at start-up in the {TOKEN_HEADER} header or the {TOKEN_COOKIE} cookie."
                ),
            ),
        };
        let reader = match surface {
            Surface::Api => Reader::Admin,
            Surface::Pages => Reader::Other,
        };
        reader.refuse(status, code, message)
    }
}

async fn check(State(state): State<Arc<(Access, Surface)>>, req: Request, next: Next) -> Response {
    let (access, surface) = (&state.0, state.1);
    let from_query = match verdict(access, surface, req.method(), req.headers(), req.uri()) {
        Ok(from_query) => from_query,
        Err(refused) => return refused.render(surface),
    };
    let mut answer = next.run(req).await;
    if let (true, Some(token)) = (from_query, &access.token) {
        let cookie = format!("{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            answer.headers_mut().append(SET_COOKIE, v);
        }
    }
    answer
}

/// Whether the request may pass, and whether it brought the token in its query.
fn verdict(
    access: &Access,
    surface: Surface,
    method: &Method,
    headers: &HeaderMap,
    uri: &hyper::Uri,
) -> Result<bool, Refused> {
    let host = header(headers, HOST);
    let origin = header(headers, ORIGIN);
    if !origin.is_empty() {
        let authority = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        if authority.is_none_or(|a| !a.eq_ignore_ascii_case(host)) {
            return Err(Refused::CrossSite(format!(
                "Requests from another origin ({origin}) are refused."
            )));
        }
    }
    let fetch_site = header(headers, HeaderName::from_static("sec-fetch-site"));
    if !matches!(fetch_site, "" | "same-origin" | "none") {
        return Err(Refused::CrossSite(format!(
            "Requests from another site (Sec-Fetch-Site: {fetch_site}) are refused."
        )));
    }
    if access.token.is_none() && !host.is_empty() && !is_loopback_host(host) {
        return Err(Refused::CrossSite(format!(
            "Host {host} is not this server's loopback address."
        )));
    }
    let writes = !matches!(*method, Method::GET | Method::HEAD);
    if surface == Surface::Api && writes && !is_api_content_type(header(headers, CONTENT_TYPE)) {
        return Err(Refused::ContentType);
    }
    let Some(token) = &access.token else {
        return Ok(false);
    };
    if presented(headers).any(|t| same(t, token)) {
        return Ok(false);
    }
    let in_query = surface == Surface::Pages
        && !writes
        && uri.query().is_some_and(|q| {
            form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == TOKEN_QUERY && same(&v, token))
        });
    if in_query {
        Ok(true)
    } else {
        Err(Refused::Token)
    }
}

/// Every token the request presents: the header, a bearer credential, the cookie.
fn presented(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    let direct = headers
        .get_all(TOKEN_HEADER)
        .iter()
        .filter_map(|v| v.to_str().ok());
    let bearer = headers
        .get_all(AUTHORIZATION)
        .iter()
        .filter_map(|v| v.to_str().ok()?.strip_prefix("Bearer "));
    let cookies = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|c| c.split(';'))
        .filter_map(|c| c.trim().strip_prefix(TOKEN_COOKIE)?.strip_prefix('='));
    direct.chain(bearer).chain(cookies).map(str::trim)
}

/// Compares in time independent of where the two first differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

fn is_api_content_type(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        mime.as_str(),
        "application/json" | "text/xml" | "application/xml"
    )
}

/// `localhost`, `127.x.x.x` or `[::1]`, with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    fn judge(
        token: Option<&str>,
        surface: Surface,
        method: Method,
        uri: &str,
        pairs: &[(&'static str, &str)],
    ) -> Result<bool, Refused> {
        let access = Access {
            token: token.map(str::to_string),
        };
        let uri: hyper::Uri = uri.parse().expect("uri");
        verdict(&access, surface, &method, &headers(pairs), &uri)
    }

    const JSON: (&str, &str) = ("content-type", "application/json");

    #[test]
    fn cross_site_requests_are_refused() {
        let post = |pairs: &[(&'static str, &str)]| {
            judge(None, Surface::Api, Method::POST, "/_turkstand/reset", pairs)
        };
        assert_eq!(post(&[JSON, ("host", "127.0.0.1:8080")]), Ok(false));
        assert_eq!(
            post(&[
                JSON,
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080")
            ]),
            Ok(false)
        );
        for pairs in [
            &[
                JSON,
                ("host", "127.0.0.1:8080"),
                ("origin", "http://evil.example"),
            ][..],
            &[JSON, ("host", "127.0.0.1:8080"), ("origin", "null")],
            &[
                JSON,
                ("host", "localhost:8080"),
                ("origin", "http://localhost:3000"),
            ],
            &[JSON, ("host", "evil.example:8080")],
            &[
                JSON,
                ("host", "127.0.0.1:8080"),
                ("sec-fetch-site", "same-site"),
            ],
            &[
                JSON,
                ("host", "127.0.0.1:8080"),
                ("sec-fetch-site", "cross-site"),
            ],
        ] {
            assert!(
                matches!(post(pairs), Err(Refused::CrossSite(_))),
                "{pairs:?}"
            );
        }
        for ct in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "",
        ] {
            assert_eq!(
                post(&[("content-type", ct), ("host", "[::1]:8080")]),
                Err(Refused::ContentType),
                "{ct}"
            );
        }
        assert_eq!(
            post(&[
                ("content-type", "text/xml; charset=utf-8"),
                ("host", "localhost")
            ]),
            Ok(false)
        );
        // Pages post forms; their protection is the origin check.
        let form = [("content-type", "application/x-www-form-urlencoded")];
        assert_eq!(
            judge(None, Surface::Pages, Method::POST, "/w", &form),
            Ok(false)
        );
    }

    #[test]
    fn the_token_is_required_when_set_wherever_it_is_carried() {
        let get = |surface, uri: &str, pairs: &[(&'static str, &str)]| {
            judge(Some("s3cret"), surface, Method::GET, uri, pairs)
        };
        let far = ("host", "203.0.113.5:8080");
        assert_eq!(
            get(Surface::Api, "/_turkstand/clock", &[far]),
            Err(Refused::Token)
        );
        for carried in [
            ("x-turkstand-token", "s3cret"),
            ("authorization", "Bearer s3cret"),
            ("cookie", "a=b; turkstand_token=s3cret"),
        ] {
            assert_eq!(
                get(Surface::Api, "/_turkstand/clock", &[far, carried]),
                Ok(false)
            );
        }
        assert_eq!(
            get(
                Surface::Api,
                "/_turkstand/clock",
                &[far, ("x-turkstand-token", "s3cres")]
            ),
            Err(Refused::Token)
        );
        // Only pages take it from the query, and then set the cookie.
        assert_eq!(
            get(Surface::Api, "/_turkstand/clock?token=s3cret", &[far]),
            Err(Refused::Token)
        );
        assert_eq!(
            get(Surface::Pages, "/worker?token=s3cret", &[far]),
            Ok(true)
        );
        assert_eq!(
            get(Surface::Pages, "/worker?token=nope", &[far]),
            Err(Refused::Token)
        );
    }

    #[test]
    fn loopback_names() {
        for host in [
            "localhost",
            "LOCALHOST:1",
            "127.0.0.1",
            "127.8.9.10:80",
            "[::1]:8080",
            "[::1]",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "example.com",
            "10.0.0.1:80",
            "[2001:db8::1]:80",
            "localhost.evil.example",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
