//! A worker's own properties (locale, adult content, Masters), which the system
//! qualifications read.

use serde::{Deserialize, Serialize};

use super::error::WorkerError;
use super::marketplace::LocaleView;
use super::work::check_worker_id;
use crate::handlers::service::Service;
use crate::store::{self, StoreError};

/// A worker's own properties, as the admin API reads and writes them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkerProperties {
    #[serde(rename = "Locale", default)]
    pub locale: Option<LocaleView>,
    /// Agreed to see adult content (the Worker_Adult system qualification). Omitted: unchanged.
    #[serde(rename = "Adult", default, skip_serializing_if = "Option::is_none")]
    pub adult: Option<bool>,
    /// Holds the Masters qualification (sandbox and production ids). Omitted: unchanged.
    #[serde(rename = "Masters", default, skip_serializing_if = "Option::is_none")]
    pub masters: Option<bool>,
}

pub(super) fn check_locale(l: &LocaleView) -> Result<store::Locale, WorkerError> {
    let country = l.country.trim().to_ascii_uppercase();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(WorkerError::BadInput(format!(
            "Country {:?} is not an ISO 3166-1 alpha-2 code such as US.",
            l.country
        )));
    }
    let subdivision = match l.subdivision.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) if (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Some(s.to_ascii_uppercase())
        }
        Some(s) => {
            return Err(WorkerError::BadInput(format!(
                "Subdivision {s:?} is not an ISO 3166-2 subdivision code such as WA."
            )))
        }
    };
    Ok(store::Locale {
        country: Some(country),
        subdivision,
    })
}

pub(super) fn properties_view(
    locale: Option<store::Locale>,
    flags: &[store::WorkerFlag],
) -> WorkerProperties {
    WorkerProperties {
        locale: locale.and_then(|l| {
            Some(LocaleView {
                country: l.country?,
                subdivision: l.subdivision,
            })
        }),
        // Shown only when set, so a plain worker reads as just its locale.
        adult: flags.contains(&store::WorkerFlag::Adult).then_some(true),
        masters: flags.contains(&store::WorkerFlag::Masters).then_some(true),
    }
}

/// A worker's properties.
pub fn properties(svc: &Service, worker: &str) -> Result<WorkerProperties, WorkerError> {
    let worker = check_worker_id(worker)?;
    let (locale, flags) = svc
        .store
        .read(|tx| Ok::<_, StoreError>((tx.worker_locale(worker)?, tx.worker_flags(worker)?)))?;
    Ok(properties_view(locale, &flags))
}

/// Sets a worker's properties; a missing or null Locale clears it.
pub fn set_properties(
    svc: &Service,
    worker: &str,
    props: WorkerProperties,
) -> Result<WorkerProperties, WorkerError> {
    let worker = check_worker_id(worker)?;
    let locale = props.locale.as_ref().map(check_locale).transpose()?;
    let flags = svc.store.write(|tx| {
        tx.set_worker_locale(worker, locale.as_ref())?;
        for (flag, on) in [
            (store::WorkerFlag::Adult, props.adult),
            (store::WorkerFlag::Masters, props.masters),
        ] {
            if let Some(on) = on {
                tx.set_worker_flag(worker, flag, on)?;
            }
        }
        tx.worker_flags(worker)
    })?;
    Ok(properties_view(locale, &flags))
}
