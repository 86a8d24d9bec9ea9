//! turkstand: a local stand-in for the legacy Amazon Mechanical Turk Requester API.

pub mod error;
pub mod model;
pub mod ops;
pub mod wire;
pub mod xml;
