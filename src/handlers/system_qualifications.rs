//! The system qualification types every requester may require. Their values are not granted by
//! anyone: they are computed from each simulated worker's real history and properties.

use chrono::{DateTime, Utc};

use crate::store::{self, AssignmentCounts, StoreError, Tx};

/// A system qualification type: its id, name and what it measures.
pub(super) struct SystemType {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    kind: Kind,
}

#[derive(Clone, Copy)]
enum Kind {
    NumberHITsApproved,
    PercentApproved,
    PercentSubmitted,
    PercentAbandoned,
    PercentReturned,
    PercentRejected,
    Locale,
    /// A property the admin API sets on the worker (adult content, Masters).
    Flag(&'static str),
}

/// The system type whose value is the worker's locale: the only one compared with LocaleValues.
pub(crate) const WORKER_LOCALE: &str = "00000000000000000071";

pub(super) const SYSTEM_TYPES: &[SystemType] = &[
    SystemType { id: "00000000000000000040", name: "Worker_NumberHITsApproved", description: "The number of HITs the worker has had approved.", kind: Kind::NumberHITsApproved },
    SystemType { id: "000000000000000000L0", name: "Worker_PercentAssignmentsApproved", description: "The percentage of the worker's submitted assignments that were approved (100 until 100 are submitted).", kind: Kind::PercentApproved },
    SystemType { id: "00000000000000000000", name: "Worker_PercentAssignmentsSubmitted", description: "The percentage of accepted assignments the worker submitted.", kind: Kind::PercentSubmitted },
    SystemType { id: "00000000000000000070", name: "Worker_PercentAssignmentsAbandoned", description: "The percentage of accepted assignments the worker abandoned.", kind: Kind::PercentAbandoned },
    SystemType { id: "000000000000000000E0", name: "Worker_PercentAssignmentsReturned", description: "The percentage of accepted assignments the worker returned.", kind: Kind::PercentReturned },
    SystemType { id: "000000000000000000S0", name: "Worker_PercentAssignmentsRejected", description: "The percentage of the worker's submitted assignments that were rejected.", kind: Kind::PercentRejected },
    SystemType { id: WORKER_LOCALE, name: "Worker_Locale", description: "The worker's location.", kind: Kind::Locale },
    SystemType { id: "00000000000000000060", name: "Worker_Adult", description: "The worker has agreed to see adult content.", kind: Kind::Flag("Adult") },
    SystemType { id: "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6", name: "Masters", description: "Masters (sandbox).", kind: Kind::Flag("Masters") },
    SystemType { id: "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH", name: "Masters", description: "Masters.", kind: Kind::Flag("Masters") },
];

pub(super) fn system_type(id: &str) -> Option<&'static SystemType> {
    SYSTEM_TYPES.iter().find(|t| t.id == id)
}

/// Until a worker has submitted this many assignments, its approval percentage reads 100.
const APPROVAL_RATE_THRESHOLD: i64 = 100;

/// What a worker holds for a qualification type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum WorkerValue {
    Integer(i32),
    Locale {
        country: String,
        subdivision: Option<String>,
    },
}

fn percent(part: i64, whole: i64) -> i32 {
    if whole <= 0 {
        return 0;
    }
    i32::try_from(part * 100 / whole).unwrap_or(100)
}

impl SystemType {
    /// The worker's value for this type (`None`: the worker does not hold it).
    fn value_for(
        &self,
        tx: &Tx<'_>,
        worker_id: &str,
        flags: &dyn Fn(&str) -> Result<Option<WorkerValue>, StoreError>,
    ) -> Result<Option<WorkerValue>, StoreError> {
        let t = self;
        let counts = || tx.worker_assignment_counts(worker_id);
        let accepted = |c: &AssignmentCounts| {
            c.accepted + c.submitted + c.approved + c.rejected + c.returned + c.abandoned
        };
        let submitted = |c: &AssignmentCounts| c.submitted + c.approved + c.rejected;
        Ok(match t.kind {
            Kind::NumberHITsApproved => Some(WorkerValue::Integer(
                i32::try_from(counts()?.approved).unwrap_or(i32::MAX),
            )),
            Kind::PercentApproved => {
                let c = counts()?;
                let decided = c.approved + c.rejected;
                Some(WorkerValue::Integer(
                    if submitted(&c) < APPROVAL_RATE_THRESHOLD || decided == 0 {
                        100
                    } else {
                        percent(c.approved, decided)
                    },
                ))
            }
            Kind::PercentRejected => {
                let c = counts()?;
                Some(WorkerValue::Integer(percent(
                    c.rejected,
                    c.approved + c.rejected,
                )))
            }
            Kind::PercentSubmitted => {
                let c = counts()?;
                Some(WorkerValue::Integer(percent(submitted(&c), accepted(&c))))
            }
            Kind::PercentAbandoned => {
                let c = counts()?;
                Some(WorkerValue::Integer(percent(c.abandoned, accepted(&c))))
            }
            Kind::PercentReturned => {
                let c = counts()?;
                Some(WorkerValue::Integer(percent(c.returned, accepted(&c))))
            }
            Kind::Locale => flags("Locale")?,
            Kind::Flag(name) => flags(name)?,
        })
    }
}

/// The worker's value for any qualification type: computed for system types, granted (and not
/// revoked) for requesters' types.
pub(super) fn worker_value(
    tx: &Tx<'_>,
    qualification_type_id: &str,
    worker_id: &str,
    flags: &dyn Fn(&str) -> Result<Option<WorkerValue>, StoreError>,
) -> Result<Option<WorkerValue>, StoreError> {
    if let Some(t) = system_type(qualification_type_id) {
        return t.value_for(tx, worker_id, flags);
    }
    Ok(tx
        .qualification(qualification_type_id, worker_id)?
        .filter(|q| q.status == store::QualificationState::Granted)
        .map(|q| match (q.locale_country, q.integer_value) {
            (Some(country), _) => WorkerValue::Locale {
                country,
                subdivision: q.locale_subdivision,
            },
            (None, v) => WorkerValue::Integer(v.unwrap_or(1)),
        }))
}

/// The QualificationType record shown for a system type.
pub(super) fn as_record(t: &SystemType, epoch: DateTime<Utc>) -> store::QualificationType {
    store::QualificationType {
        qualification_type_id: t.id.to_string(),
        requester: String::new(),
        creation_time: epoch,
        name: t.name.to_string(),
        description: t.description.to_string(),
        keywords: None,
        status: store::QualificationTypeState::Active,
        retry_delay: None,
        test: None,
        test_duration: None,
        answer_key: None,
        auto_granted: false,
        auto_granted_value: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_ids_are_the_legacy_ones() {
        assert_eq!(
            system_type("000000000000000000L0").map(|t| t.name),
            Some("Worker_PercentAssignmentsApproved")
        );
        assert_eq!(
            system_type("00000000000000000071").map(|t| t.name),
            Some("Worker_Locale")
        );
        assert!(system_type("NOPE").is_none());
    }

    #[test]
    fn percentages_round_down_and_survive_empty_histories() {
        assert_eq!(percent(2, 3), 66);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(5, 5), 100);
    }
}
