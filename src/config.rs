//! Configuration: requester accounts from a TOML file and from the environment.

use std::path::Path;
use std::time::Duration;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::money::Cents;
use crate::xml::ParseLimits;

/// Balance given to accounts that do not state one: the legacy sandbox's $10,000.
pub const DEFAULT_BALANCE: Cents = Cents(1_000_000);
/// Requests whose body is larger than this are refused unless the config says otherwise.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid config file {path}: {source}")]
    Parse {
        path: String,
        source: toml::de::Error,
    },
    #[error("invalid config: {0}")]
    Invalid(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub balance: Cents,
}

/// The connection limits (`[connections]` in the config file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// How long a client may take to send a request head once it has started one.
    pub header_read_timeout: Duration,
    /// How long a client may take to send a request body once its head is in; a slower one
    /// is refused in the legacy form with `408`.
    pub body_read_timeout: Duration,
    /// How long a connection may wait for its next request.
    pub idle_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// Longest request target (path and query) answered; a longer one is refused in the legacy
    /// form with `414`.
    pub max_uri_bytes: usize,
    /// Largest header block (names and values) answered; a larger one is refused in the legacy
    /// form with `431`.
    pub max_header_bytes: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1000,
            max_uri_bytes: 32 * 1024,
            max_header_bytes: 64 * 1024,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    pub accounts: Vec<Account>,
    pub max_body_bytes: Option<usize>,
    pub listen: Option<String>,
    pub data: Option<String>,
    /// The admin token; when set it is required even on loopback.
    pub admin_token: Option<String>,
    pub connections: ConnectionLimits,
    /// Bounds on every XML request and embedded document (`[xml]`).
    pub xml: ParseLimits,
    pub journal: JournalConfig,
    pub faults: FaultsConfig,
}

/// `[journal]`: how many exchanges the journal keeps in memory, and a JSONL file to append
/// every one to.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalConfig {
    pub size: Option<usize>,
    pub file: Option<String>,
}

/// `[faults]`: the longest a stall holds a connection, and the rules in force at start-up
/// (`[[faults.rules]]`, the JSON of `POST /_turkstand/faults` written as TOML), read by the
/// server, which knows their form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultsConfig {
    pub stall_max_ms: Option<u64>,
    #[serde(default)]
    pub rules: Vec<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data: Option<String>,
    max_body_bytes: Option<usize>,
    admin_token: Option<String>,
    #[serde(default)]
    connections: FileConnections,
    #[serde(default)]
    xml: FileXml,
    #[serde(default)]
    accounts: Vec<FileAccount>,
    #[serde(default)]
    journal: JournalConfig,
    #[serde(default)]
    faults: FaultsConfig,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileConnections {
    header_read_timeout_secs: Option<f64>,
    body_read_timeout_secs: Option<f64>,
    idle_timeout_secs: Option<f64>,
    max_connections: Option<usize>,
    max_uri_bytes: Option<usize>,
    max_header_bytes: Option<usize>,
}

impl FileConnections {
    fn limits(self) -> Result<ConnectionLimits, ConfigError> {
        let d = ConnectionLimits::default();
        let secs = |v: Option<f64>, name: &str, default: Duration| match v {
            None => Ok(default),
            Some(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(Duration::from_secs_f64(s)),
            Some(_) => Err(ConfigError::Invalid(format!(
                "connections.{name} must be a positive number of seconds"
            ))),
        };
        let positive = |v: Option<usize>, name: &str, default: usize| match v {
            Some(0) => Err(ConfigError::Invalid(format!(
                "connections.{name} must be at least 1"
            ))),
            v => Ok(v.unwrap_or(default)),
        };
        Ok(ConnectionLimits {
            header_read_timeout: secs(
                self.header_read_timeout_secs,
                "header_read_timeout_secs",
                d.header_read_timeout,
            )?,
            body_read_timeout: secs(
                self.body_read_timeout_secs,
                "body_read_timeout_secs",
                d.body_read_timeout,
            )?,
            idle_timeout: secs(self.idle_timeout_secs, "idle_timeout_secs", d.idle_timeout)?,
            max_connections: positive(self.max_connections, "max_connections", d.max_connections)?,
            max_uri_bytes: positive(self.max_uri_bytes, "max_uri_bytes", d.max_uri_bytes)?,
            max_header_bytes: positive(
                self.max_header_bytes,
                "max_header_bytes",
                d.max_header_bytes,
            )?,
        })
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileXml {
    max_depth: Option<usize>,
    max_elements: Option<usize>,
    max_attributes: Option<usize>,
    max_namespace_declarations: Option<usize>,
    max_text_bytes: Option<usize>,
}

impl FileXml {
    fn limits(self) -> ParseLimits {
        let d = ParseLimits::default();
        ParseLimits {
            max_depth: self.max_depth.unwrap_or(d.max_depth),
            max_elements: self.max_elements.unwrap_or(d.max_elements),
            max_attributes: self.max_attributes.unwrap_or(d.max_attributes),
            max_namespace_declarations: self
                .max_namespace_declarations
                .unwrap_or(d.max_namespace_declarations),
            max_text_bytes: self.max_text_bytes.unwrap_or(d.max_text_bytes),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAccount {
    access_key_id: String,
    secret_access_key: String,
    balance: Option<toml::Value>,
}

impl Config {
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        Config::from_toml(&text).map_err(|e| match e {
            ConfigError::Parse { source, .. } => ConfigError::Parse {
                path: shown,
                source,
            },
            other => other,
        })
    }

    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let file: FileConfig = toml::from_str(text).map_err(|source| ConfigError::Parse {
            path: String::new(),
            source,
        })?;
        let mut accounts = Vec::new();
        for a in file.accounts {
            let balance = match a.balance {
                None => DEFAULT_BALANCE,
                Some(v) => parse_balance(&v).ok_or_else(|| {
                    ConfigError::Invalid(format!(
                        "account {}: balance must be a non-negative amount in dollars with at most two decimals",
                        a.access_key_id
                    ))
                })?,
            };
            if a.access_key_id.is_empty() || a.secret_access_key.is_empty() {
                return Err(ConfigError::Invalid(
                    "accounts need access_key_id and secret_access_key".into(),
                ));
            }
            if accounts
                .iter()
                .any(|x: &Account| x.access_key_id == a.access_key_id)
            {
                return Err(ConfigError::Invalid(format!(
                    "account {} is listed twice",
                    a.access_key_id
                )));
            }
            accounts.push(Account {
                access_key_id: a.access_key_id,
                secret_access_key: a.secret_access_key,
                balance,
            });
        }
        if file
            .admin_token
            .as_deref()
            .is_some_and(|t| t.is_empty() || !t.bytes().all(|b| b.is_ascii_graphic() && b != b';'))
        {
            return Err(ConfigError::Invalid(
                "admin_token must be printable ASCII without spaces or ';'".into(),
            ));
        }
        Ok(Config {
            accounts,
            max_body_bytes: file.max_body_bytes,
            listen: file.listen,
            data: file.data,
            admin_token: file.admin_token,
            connections: file.connections.limits()?,
            xml: file.xml.limits(),
            journal: file.journal,
            faults: file.faults,
        })
    }

    /// Adds the account named by `TURKSTAND_ACCESS_KEY_ID` / `TURKSTAND_SECRET_ACCESS_KEY`
    /// (and optionally `TURKSTAND_BALANCE`), if both keys are set.
    pub fn add_env_account(
        &mut self,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        let (Some(id), Some(secret)) = (
            get("TURKSTAND_ACCESS_KEY_ID"),
            get("TURKSTAND_SECRET_ACCESS_KEY"),
        ) else {
            return Ok(());
        };
        let balance = match get("TURKSTAND_BALANCE") {
            None => DEFAULT_BALANCE,
            Some(b) => Cents::parse_dollars(&b).ok_or_else(|| {
                ConfigError::Invalid(format!("TURKSTAND_BALANCE {b:?} is not an amount"))
            })?,
        };
        self.accounts.retain(|a| a.access_key_id != id);
        self.accounts.push(Account {
            access_key_id: id,
            secret_access_key: secret,
            balance,
        });
        Ok(())
    }
}

fn parse_balance(v: &toml::Value) -> Option<Cents> {
    match v {
        toml::Value::String(s) => Cents::parse_dollars(s),
        toml::Value::Integer(i) => i.checked_mul(100).filter(|c| *c >= 0).map(Cents),
        toml::Value::Float(f) => Cents::from_decimal(Decimal::try_from(*f).ok()?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_accounts_with_balances_in_any_form() {
        let c = Config::from_toml(
            r#"
            max_body_bytes = 2048
            [[accounts]]
            access_key_id = "A"
            secret_access_key = "s"
            balance = "12.34"
            [[accounts]]
            access_key_id = "B"
            secret_access_key = "t"
            balance = 5
            [[accounts]]
            access_key_id = "C"
            secret_access_key = "u"
            "#,
        )
        .unwrap();
        assert_eq!(c.max_body_bytes, Some(2048));
        let balances: Vec<_> = c.accounts.iter().map(|a| a.balance).collect();
        assert_eq!(balances, vec![Cents(1234), Cents(500), DEFAULT_BALANCE]);
    }

    #[test]
    fn reads_the_journal_and_fault_sections() {
        let c = Config::from_toml(
            r#"
            [journal]
            size = 50
            file = "j.jsonl"
            [faults]
            stall_max_ms = 1500
            [[faults.rules]]
            match = { operation = "GetAccountBalance" }
            when = { next = 2 }
            effect = { kind = "throttle" }
            "#,
        )
        .unwrap();
        assert_eq!(c.journal.size, Some(50));
        assert_eq!(c.journal.file.as_deref(), Some("j.jsonl"));
        assert_eq!(c.faults.stall_max_ms, Some(1500));
        assert_eq!(c.faults.rules.len(), 1);
        assert!(Config::from_toml("[journal]\ncolour = 1\n").is_err());
    }

    #[test]
    fn refuses_bad_balances_and_duplicates() {
        let bad =
            "[[accounts]]\naccess_key_id = \"A\"\nsecret_access_key = \"s\"\nbalance = \"1.234\"\n";
        assert!(matches!(
            Config::from_toml(bad),
            Err(ConfigError::Invalid(_))
        ));
        let dup = "[[accounts]]\naccess_key_id = \"A\"\nsecret_access_key = \"s\"\n[[accounts]]\naccess_key_id = \"A\"\nsecret_access_key = \"t\"\n";
        assert!(matches!(
            Config::from_toml(dup),
            Err(ConfigError::Invalid(_))
        ));
        assert!(matches!(
            Config::from_toml("nonsense = 1"),
            Err(ConfigError::Parse { .. })
        ));
    }

    #[test]
    fn reads_connection_and_xml_limits_and_the_admin_token() {
        let c = Config::from_toml(
            "admin_token = \"t0k\"\n[connections]\nidle_timeout_secs = 1.5\nmax_connections = 9\n\
             body_read_timeout_secs = 2\n\
             [xml]\nmax_attributes = 3\n",
        )
        .unwrap();
        assert_eq!(c.admin_token.as_deref(), Some("t0k"));
        assert_eq!(c.connections.idle_timeout, Duration::from_millis(1500));
        assert_eq!(c.connections.max_connections, 9);
        assert_eq!(c.connections.body_read_timeout, Duration::from_secs(2));
        assert_eq!(
            c.connections.header_read_timeout,
            ConnectionLimits::default().header_read_timeout
        );
        assert_eq!(c.xml.max_attributes, 3);
        assert_eq!(c.xml.max_depth, ParseLimits::default().max_depth);
        for bad in [
            "[connections]\nidle_timeout_secs = 0\n",
            "[connections]\nbody_read_timeout_secs = -1\n",
            "[connections]\nmax_connections = 0\n",
            "admin_token = \"a b\"\n",
        ] {
            assert!(
                matches!(Config::from_toml(bad), Err(ConfigError::Invalid(_))),
                "{bad}"
            );
        }
        assert!(Config::from_toml("[xml]\nmax_cats = 1\n").is_err());
    }

    #[test]
    fn environment_account_replaces_a_file_account_of_the_same_id() {
        let mut c =
            Config::from_toml("[[accounts]]\naccess_key_id = \"A\"\nsecret_access_key = \"s\"\n")
                .unwrap();
        c.add_env_account(|k| match k {
            "TURKSTAND_ACCESS_KEY_ID" => Some("A".into()),
            "TURKSTAND_SECRET_ACCESS_KEY" => Some("new".into()),
            "TURKSTAND_BALANCE" => Some("1.50".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.accounts.len(), 1);
        assert_eq!(c.accounts[0].secret_access_key, "new");
        assert_eq!(c.accounts[0].balance, Cents(150));
    }
}
