//! turkstand: a local stand-in for the legacy Amazon Mechanical Turk Requester API.

pub mod auth;
pub mod binding;
pub mod client;
pub mod clock;
pub mod config;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod handlers;
pub mod model;
pub mod money;
pub mod notify;
pub mod schema;
pub mod server;
pub mod store;
pub mod web;
pub mod wire;
pub mod xml;
