//! Simulated workers: they look for work, preview and accept HITs, submit (answers and uploaded
//! files) or return their assignments, and ask for qualifications, so that a requester client
//! has something real to review. Used by the admin API, the CLI and the worker site.
//!
//! A worker may accept a HIT only if it meets every QualificationRequirement of the HIT and the
//! HIT's requester has not blocked it; requirements marked RequiredToPreview also guard preview.

mod dashboard;
mod eligibility;
mod error;
mod grading;
mod marketplace;
mod properties;
mod qualification_requests;
#[cfg(test)]
mod tests;
mod work;

pub(crate) use crate::handlers::rules::valid_worker_id;
pub use dashboard::{bonuses_received, qualifications_held, test_to_take, worker_assignments};
pub use eligibility::{meets, Held};
pub use error::WorkerError;
pub use marketplace::{
    acceptable_hits, marketplace, preview, HitView, Listing, LocaleView, PriceView, RequirementView,
};
pub use properties::{properties, set_properties, WorkerProperties};
pub use qualification_requests::{
    request_qualification, submit_qualification_answers, QualificationRequestView,
};
pub use work::{
    accept, own_assignment, return_assignment, submit, submit_with_files, uploaded_file_at,
    Answers, FileAnswer, FileUpload,
};
