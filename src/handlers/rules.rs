//! The checks many operations share: ranges, character limits, rewards in cents, paging and
//! worker ids, each phrased the way the legacy service phrased its refusal.

use crate::error::OpError;
use crate::model::requester as api;
use crate::money::Cents;

pub(crate) fn in_range(name: &str, value: i64, min: i64, max: i64) -> Result<i64, OpError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(OpError::ParameterOutOfRange(format!(
            "The value {value} for {name} is invalid; it must be between {min} and {max}."
        )))
    }
}

pub(crate) fn max_chars(name: &str, value: &str, max: usize) -> Result<(), OpError> {
    if value.chars().count() > max {
        Err(OpError::InvalidParameterValue(format!(
            "{name} can be at most {max} characters long."
        )))
    } else {
        Ok(())
    }
}

pub(crate) fn reward_cents(p: &api::Price, name: &str) -> Result<Cents, OpError> {
    if !p.currency_code.trim().eq_ignore_ascii_case("USD") {
        return Err(OpError::InvalidParameterValue(format!(
            "{name} CurrencyCode {} is not supported; only USD is.",
            p.currency_code
        )));
    }
    Cents::from_decimal_rounded(p.amount).ok_or_else(|| {
        OpError::InvalidParameterValue(format!("{name} Amount {} must be zero or more.", p.amount))
    })
}

pub(crate) fn required<'a>(name: &str, value: Option<&'a str>) -> Result<&'a str, OpError> {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(OpError::InvalidParameterValue(format!(
            "The {name} parameter is required."
        ))),
    }
}

/// Checks PageSize (10 unless given, within `sizes`) and PageNumber the legacy way, returning
/// (size, number).
pub(crate) fn paging(
    size: Option<i32>,
    number: Option<i32>,
    sizes: std::ops::RangeInclusive<i32>,
) -> Result<(i64, i64), OpError> {
    let size = size.unwrap_or(10);
    if !sizes.contains(&size) {
        return Err(OpError::ParameterOutOfRange(format!(
            "The value {size} for PageSize is invalid; it must be between {} and {}.",
            sizes.start(),
            sizes.end()
        )));
    }
    let number = number.unwrap_or(1);
    if number < 1 {
        return Err(OpError::ParameterOutOfRange(format!(
            "The value {number} for PageNumber is invalid; it must be 1 or more."
        )));
    }
    Ok((size.into(), number.into()))
}

/// A WorkerId as the legacy service issued them: letters, digits (and the `_`/`-` simulated
/// workers may use), at most 64 characters.
pub(crate) fn valid_worker_id(worker_id: &str) -> Option<&str> {
    let w = worker_id.trim();
    let valid = !w.is_empty()
        && w.len() <= 64
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    valid.then_some(w)
}

/// A WorkerId parameter, refused the legacy way when it is not one.
pub(crate) fn check_worker_id(worker_id: &str) -> Result<&str, OpError> {
    valid_worker_id(worker_id)
        .ok_or_else(|| OpError::InvalidParameterValue("WorkerId is invalid.".into()))
}

pub(crate) const MAX_FEEDBACK_CHARS: usize = 1024;

/// RequesterFeedback: at most 1024 characters (a multi-byte character counts once), and none of
/// the control characters ASCII 0–8, 11, 12 and 14–31.
pub(crate) fn check_feedback(feedback: Option<&str>) -> Result<(), OpError> {
    let Some(text) = feedback else { return Ok(()) };
    if text.chars().count() > MAX_FEEDBACK_CHARS {
        return Err(OpError::InvalidParameterValue(format!(
            "RequesterFeedback can be at most {MAX_FEEDBACK_CHARS} characters long."
        )));
    }
    if let Some(bad) = text
        .chars()
        .find(|c| matches!(*c as u32, 0..=8 | 11 | 12 | 14..=31))
    {
        return Err(OpError::InvalidParameterValue(format!(
            "RequesterFeedback cannot contain the control character {:#04x}.",
            bad as u32
        )));
    }
    Ok(())
}

/// The text of an optional string parameter, `None` when absent or blank.
pub(crate) fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}
