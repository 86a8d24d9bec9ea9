//! Configuration: requester accounts from a TOML file and from the environment.

use std::path::Path;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::money::Cents;

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

#[derive(Debug, Clone, Default)]
pub struct Config {
    pub accounts: Vec<Account>,
    pub max_body_bytes: Option<usize>,
    pub listen: Option<String>,
    pub data: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data: Option<String>,
    max_body_bytes: Option<usize>,
    #[serde(default)]
    accounts: Vec<FileAccount>,
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
        Ok(Config {
            accounts,
            max_body_bytes: file.max_body_bytes,
            listen: file.listen,
            data: file.data,
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
