//! Operation handlers, grouped by domain. Handlers know nothing of SOAP, HTTP or interface
//! versions: they take the generated request types, apply the legacy rules through the store,
//! and return result types. `router` answers the generated `Requester` trait with them, and
//! `worker` holds what simulated workers do.

mod access;
mod account;
mod assignments;
mod bonuses;
pub mod controls;
mod events;
mod funds;
mod help;
mod hits;
pub mod ids;
mod notifications;
mod qualifications;
pub mod questions;
mod relations;
mod render;
mod review;
mod router;
mod rules;
mod service;
mod settle;
mod statistics;
mod stored;
mod system_qualifications;
#[cfg(test)]
pub(crate) mod test_support;
pub mod worker;

pub use crate::binding::Context;
pub use router::only_reads;
pub use service::Service;
pub use settle::CLOCK_KEY;
