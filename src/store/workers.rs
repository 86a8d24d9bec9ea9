//! Simulated workers' own properties (locale and flags).

use super::*;

/// Tables of this domain beyond `schema.sql` (`CREATE TABLE IF NOT EXISTS ...`).
pub(super) const SCHEMA: &str = "";

impl Tx<'_> {}
