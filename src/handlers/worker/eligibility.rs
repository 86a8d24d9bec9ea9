//! Who may see and do what: a worker's qualifications (system ones computed from its history),
//! how they meet a HIT's requirements, and the requester's blocks.

use super::error::WorkerError;
use crate::error::OpError;
use crate::handlers::system_qualifications::{self, WorkerValue};
use crate::model::requester::Comparator;
use crate::store::{self, HitState, StoreError, Tx};

/// What a worker holds of one qualification type: its score and/or its locale.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Held {
    pub integer: Option<i32>,
    pub locale: Option<store::Locale>,
}

/// The value a worker holds for a qualification type, or `None` when it has none (a revoked
/// qualification counts as none). System types are computed from the worker's history and
/// properties.
pub(super) fn held(
    tx: &Tx<'_>,
    worker: &str,
    qualification_type: &str,
) -> Result<Option<Held>, StoreError> {
    let properties = |name: &str| -> Result<Option<WorkerValue>, StoreError> {
        if name == "Locale" {
            return Ok(tx.worker_locale(worker)?.and_then(|l| {
                Some(WorkerValue::Locale {
                    country: l.country?,
                    subdivision: l.subdivision,
                })
            }));
        }
        Ok(tx
            .worker_flags(worker)?
            .iter()
            .any(|f| f.as_str() == name)
            .then_some(WorkerValue::Integer(1)))
    };
    Ok(
        system_qualifications::worker_value(tx, qualification_type, worker, &properties)?.map(
            |v| match v {
                WorkerValue::Integer(i) => Held {
                    integer: Some(i),
                    locale: None,
                },
                WorkerValue::Locale {
                    country,
                    subdivision,
                } => Held {
                    integer: None,
                    locale: Some(store::Locale {
                        country: Some(country),
                        subdivision,
                    }),
                },
            },
        ),
    )
}

/// Whether a worker's locale falls within a required one: the same country and, when the
/// requirement names a subdivision, the same subdivision.
pub(super) fn locale_within(required: &store::Locale, worker: &store::Locale) -> bool {
    let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        _ => false,
    };
    same(&required.country, &worker.country)
        && (required.subdivision.is_none() || same(&required.subdivision, &worker.subdivision))
}

/// Whether a worker holding `held` meets a QualificationRequirement. Without the qualification
/// a worker meets only DoesNotExist, whatever the comparator.
pub fn meets(req: &store::QualificationRequirement, held: Option<&Held>) -> bool {
    let comparator = Comparator::from(req.comparator);
    let held = match (comparator, held) {
        (Comparator::Exists, h) => return h.is_some(),
        (Comparator::DoesNotExist, h) => return h.is_none(),
        (_, None) => return false,
        (_, Some(h)) => h,
    };
    if !req.locale_values.is_empty() {
        let Some(mine) = &held.locale else {
            return false;
        };
        let any = req.locale_values.iter().any(|l| locale_within(l, mine));
        return match comparator {
            Comparator::EqualTo | Comparator::In => any,
            Comparator::NotEqualTo | Comparator::NotIn => !any,
            // Order comparisons mean nothing for places.
            _ => false,
        };
    }
    let Some(v) = held.integer else {
        return false;
    };
    let values = &req.integer_values;
    let first = values.first().copied();
    match comparator {
        Comparator::LessThan => first.is_some_and(|x| v < x),
        Comparator::LessThanOrEqualTo => first.is_some_and(|x| v <= x),
        Comparator::GreaterThan => first.is_some_and(|x| v > x),
        Comparator::GreaterThanOrEqualTo => first.is_some_and(|x| v >= x),
        Comparator::EqualTo => first.is_some_and(|x| v == x),
        Comparator::NotEqualTo => first.is_some_and(|x| v != x),
        Comparator::In => values.contains(&v),
        Comparator::NotIn => !values.is_empty() && !values.contains(&v),
        Comparator::Exists | Comparator::DoesNotExist => true,
    }
}

/// What guards a HIT: who may see it (preview) and who may work on it (accept).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Preview,
    Accept,
}

/// Refuses a worker the HIT's requester has blocked, or one that misses a requirement guarding
/// `action`.
pub(super) fn check_access(
    tx: &Tx<'_>,
    worker: &str,
    hit: &store::Hit,
    action: Action,
) -> Result<(), WorkerError> {
    if tx.is_blocked(&hit.requester, worker)? {
        return Err(WorkerError::Blocked {
            worker: worker.into(),
            hit: hit.hit_id.clone(),
        });
    }
    for req in &hit.hit_type.qualification_requirements {
        if action == Action::Preview && req.required_to_preview != Some(true) {
            continue;
        }
        let value = held(tx, worker, &req.qualification_type_id)?;
        if !meets(req, value.as_ref()) {
            return Err(WorkerError::DoesNotMeetRequirements {
                worker: worker.into(),
                hit: hit.hit_id.clone(),
                qualification_type: req.qualification_type_id.clone(),
            });
        }
    }
    Ok(())
}

/// A HIT as it exists for workers: disposed ones are gone.
pub(super) fn visible_hit(tx: &Tx<'_>, hit_id: &str) -> Result<store::Hit, WorkerError> {
    match tx.hit(hit_id.trim())? {
        Some(h) if h.state != HitState::Disposed => Ok(h),
        _ => Err(OpError::HITDoesNotExist(hit_id.trim().to_uppercase()).into()),
    }
}
