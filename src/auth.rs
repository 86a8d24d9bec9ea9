//! Request authentication: the legacy `Service+Operation+Timestamp` HMAC-SHA1 signature, and
//! boto 2's SignatureVersion 1 over the sorted parameters.

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::config::Account;

pub const SERVICE: &str = "AWSMechanicalTurkRequester";
/// How far a request's Timestamp may be from the server clock.
pub const MAX_SKEW: Duration = Duration::minutes(15);

type HmacSha1 = Hmac<Sha1>;

/// Why a request was not authenticated. Each maps to one legacy code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AuthError {
    #[error("The identity contained in the request is not authorized to use this AWSAccessKeyId")]
    NotAuthorized,
    #[error("{0}")]
    BadClaims(String),
}

impl AuthError {
    pub fn code(&self) -> &'static str {
        match self {
            AuthError::NotAuthorized => "AWS.NotAuthorized",
            AuthError::BadClaims(_) => "AWS.BadClaimsSupplied",
        }
    }
}

/// What the signature covers.
pub enum Signed<'a> {
    /// `"AWSMechanicalTurkRequester" + Operation + Timestamp`, as SOAP clients and most REST clients sign.
    Legacy { operation: &'a str },
    /// boto 2: every parameter but `Signature`, keys sorted case-insensitively, `k1 v1 k2 v2 …`.
    QueryV1 { params: &'a [(String, String)] },
}

pub struct Claims<'a> {
    pub access_key_id: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub signed: Signed<'a>,
}

/// A claim the request must carry (`Timestamp`, `Signature`), not blank.
fn claimed<'a>(value: Option<&'a str>, name: &str) -> Result<&'a str, AuthError> {
    value
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| AuthError::BadClaims(format!("The request is missing the {name} parameter")))
}

/// Checks the claims against the configured accounts and the clock, returning the caller's account.
pub fn authenticate<'a>(
    accounts: &'a [Account],
    claims: &Claims<'_>,
    now: DateTime<Utc>,
) -> Result<&'a Account, AuthError> {
    let key = claims
        .access_key_id
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or(AuthError::NotAuthorized)?;
    let account = accounts
        .iter()
        .find(|a| a.access_key_id == key)
        .ok_or(AuthError::NotAuthorized)?;
    let timestamp = claimed(claims.timestamp, "Timestamp")?;
    let when = parse_timestamp(timestamp).ok_or_else(|| {
        AuthError::BadClaims(format!("Timestamp {timestamp} is not a valid xs:dateTime"))
    })?;
    if (now - when).abs() > MAX_SKEW {
        return Err(AuthError::BadClaims(format!(
            "Timestamp {timestamp} is more than 15 minutes away from the server time {}",
            now.format("%Y-%m-%dT%H:%M:%SZ")
        )));
    }
    let signature = claimed(claims.signature, "Signature")?;
    let given = base64::engine::general_purpose::STANDARD
        .decode(signature.trim())
        .map_err(|_| bad_signature())?;
    let mut mac = HmacSha1::new_from_slice(account.secret_access_key.as_bytes())
        .map_err(|_| bad_signature())?;
    match &claims.signed {
        Signed::Legacy { operation } => {
            mac.update(SERVICE.as_bytes());
            mac.update(operation.as_bytes());
            mac.update(timestamp.as_bytes());
        }
        Signed::QueryV1 { params } => {
            let mut sorted: Vec<&(String, String)> =
                params.iter().filter(|(k, _)| k != "Signature").collect();
            sorted.sort_by_cached_key(|(k, _)| k.to_lowercase());
            for (k, v) in sorted {
                mac.update(k.as_bytes());
                mac.update(v.as_bytes());
            }
        }
    }
    // verify_slice compares in constant time.
    mac.verify_slice(&given).map_err(|_| bad_signature())?;
    Ok(account)
}

fn bad_signature() -> AuthError {
    AuthError::BadClaims(
        "The request signature does not match the signature computed for this request".into(),
    )
}

/// Parses an xs:dateTime timestamp, with or without fractional seconds or an offset.
pub fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .or_else(|| {
            // xs:dateTime without a zone: taken as UTC.
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}

/// The legacy signature of `operation` at `timestamp` (used by tests and the notification sender).
pub fn legacy_signature(secret: &str, service: &str, operation: &str, timestamp: &str) -> String {
    let mut mac =
        HmacSha1::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(service.as_bytes());
    mac.update(operation.as_bytes());
    mac.update(timestamp.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Cents;

    fn accounts() -> Vec<Account> {
        vec![Account {
            access_key_id: "AKID".into(),
            secret_access_key: "secret".into(),
            balance: Cents(0),
        }]
    }

    fn now() -> DateTime<Utc> {
        parse_timestamp("2026-11-22T09:45:43Z").unwrap()
    }

    fn legacy<'a>(ts: &'a str, sig: &'a str) -> Claims<'a> {
        Claims {
            access_key_id: Some("AKID"),
            timestamp: Some(ts),
            signature: Some(sig),
            signed: Signed::Legacy {
                operation: "GetAccountBalance",
            },
        }
    }

    #[test]
    fn legacy_signatures_verify_over_the_timestamp_as_sent() {
        let accounts = accounts();
        for ts in [
            "2026-11-22T09:45:43Z",
            "2026-11-22T09:45:43.419Z",
            "2026-11-22T09:45:43.000Z",
        ] {
            let sig = legacy_signature("secret", SERVICE, "GetAccountBalance", ts);
            assert!(
                authenticate(&accounts, &legacy(ts, &sig), now()).is_ok(),
                "{ts}"
            );
        }
        // Signed over the short form but sent re-serialised: the signed text differs.
        let sig = legacy_signature(
            "secret",
            SERVICE,
            "GetAccountBalance",
            "2026-11-22T09:45:43Z",
        );
        assert!(matches!(
            authenticate(&accounts, &legacy("2026-11-22T09:45:43.000Z", &sig), now()),
            Err(AuthError::BadClaims(_))
        ));
    }

    #[test]
    fn refuses_unknown_keys_bad_signatures_and_stale_timestamps() {
        let accounts = accounts();
        let ts = "2026-11-22T09:45:43Z";
        let good = legacy_signature("secret", SERVICE, "GetAccountBalance", ts);
        let mut c = legacy(ts, &good);
        c.access_key_id = Some("OTHER");
        assert_eq!(
            authenticate(&accounts, &c, now()),
            Err(AuthError::NotAuthorized)
        );
        let wrong = legacy_signature("nope", SERVICE, "GetAccountBalance", ts);
        assert_eq!(
            authenticate(&accounts, &legacy(ts, &wrong), now())
                .unwrap_err()
                .code(),
            "AWS.BadClaimsSupplied"
        );
        assert!(authenticate(&accounts, &legacy(ts, "!!notbase64"), now()).is_err());
        let stale = "2026-11-22T09:29:43Z";
        let sig = legacy_signature("secret", SERVICE, "GetAccountBalance", stale);
        assert!(matches!(
            authenticate(&accounts, &legacy(stale, &sig), now()),
            Err(AuthError::BadClaims(_))
        ));
        let edge = "2026-11-22T09:30:43Z";
        let sig = legacy_signature("secret", SERVICE, "GetAccountBalance", edge);
        assert!(authenticate(&accounts, &legacy(edge, &sig), now()).is_ok());
    }

    #[test]
    fn boto_signature_version_1_sorts_keys_case_insensitively() {
        let accounts = accounts();
        let mut params = vec![
            ("Operation".to_string(), "GetAccountBalance".to_string()),
            ("AWSAccessKeyId".to_string(), "AKID".to_string()),
            ("SignatureVersion".to_string(), "1".to_string()),
            ("Timestamp".to_string(), "2026-11-22T09:45:43Z".to_string()),
            ("Version".to_string(), "2014-08-15".to_string()),
            ("Title".to_string(), "caf\u{e9} time".to_string()),
        ];
        let text = "AWSAccessKeyIdAKIDOperationGetAccountBalanceSignatureVersion1Timestamp2026-11-22T09:45:43ZTitlecaf\u{e9} timeVersion2014-08-15";
        let mut mac = HmacSha1::new_from_slice(b"secret").unwrap();
        mac.update(text.as_bytes());
        let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        params.push(("Signature".to_string(), sig.clone()));
        let claims = Claims {
            access_key_id: Some("AKID"),
            timestamp: Some("2026-11-22T09:45:43Z"),
            signature: Some(&sig),
            signed: Signed::QueryV1 { params: &params },
        };
        assert!(authenticate(&accounts, &claims, now()).is_ok());
        let mut tampered = params.clone();
        tampered[5].1 = "tampered".into();
        let claims = Claims {
            signed: Signed::QueryV1 { params: &tampered },
            ..claims
        };
        assert!(authenticate(&accounts, &claims, now()).is_err());
    }
}
