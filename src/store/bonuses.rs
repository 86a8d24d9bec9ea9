//! Bonus payments.

use super::*;

/// Tables of this domain beyond `schema.sql` (`CREATE TABLE IF NOT EXISTS ...`).
pub(super) const SCHEMA: &str = "";

impl Tx<'_> {}
