//! CSRF protection by a double-submitted token: each visit holds a random token in a cookie
//! (HttpOnly, SameSite=Lax), every form of these pages carries it in a hidden field, and a
//! state-changing POST whose field does not match its cookie does nothing. Another site can
//! neither read the cookie nor set it, so it cannot forge the field.

use super::Refused;
use crate::handlers::ids;

pub(super) const COOKIE: &str = "turkstand_csrf";
/// The hidden field every form carries.
pub(super) const FIELD: &str = "csrf";

#[derive(Debug, Clone)]
pub(crate) struct Token {
    value: String,
    /// Made for this visit, so the cookie still has to be set (and no POST can match yet).
    new: bool,
}

impl Token {
    /// The visit's token from its cookie, or a fresh one.
    pub(super) fn of(cookie: Option<String>) -> Token {
        match cookie
            .filter(|c| c.len() == ids::ID_LEN && c.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            Some(value) => Token { value, new: false },
            None => Token {
                value: ids::random(),
                new: true,
            },
        }
    }

    /// The token, never to be set as the visit's cookie: for answers to requests that may come
    /// from a sandboxed frame, which sends no cookies and must not replace the worker's.
    pub(super) fn kept(self) -> Token {
        Token { new: false, ..self }
    }

    pub(super) fn value(&self) -> &str {
        &self.value
    }

    pub(super) fn is_new(&self) -> bool {
        self.new
    }

    /// Refuses a POST whose form did not carry this visit's token.
    pub(super) fn check(&self, submitted: Option<&str>) -> Result<(), Refused> {
        let matches = submitted.is_some_and(|s| {
            // Compared in full whatever the first difference, so timing tells nothing.
            s.len() == self.value.len()
                && s.bytes()
                    .zip(self.value.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        });
        if self.new || !matches {
            return Err(Refused::new(
                403,
                "AWS.BadClaimsSupplied",
                "This form's CSRF token is missing or does not match this browser's; \
                 reload the page and try again.",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_visits_own_token_passes() {
        let t = Token::of(None);
        assert!(t.is_new());
        assert!(
            t.check(Some(t.value())).is_err(),
            "no cookie yet, nothing matches"
        );
        let t = Token::of(Some(t.value().to_string()));
        assert!(!t.is_new());
        assert!(t.check(Some(t.value())).is_ok());
        assert!(t.check(None).is_err());
        assert!(t.check(Some("X")).is_err());
        assert!(t.check(Some(&ids::random())).is_err());
        assert!(Token::of(Some("short".into())).is_new());
    }
}
