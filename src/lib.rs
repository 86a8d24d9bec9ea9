//! turkstand: a local stand-in for the legacy Amazon Mechanical Turk Requester API.

// Every exchange allocates and frees small objects on whichever worker thread runs it, and the
// journal frees them on another, long after; glibc's malloc made that a tenth of the profile.
// Set here, in the library, so that the server, the tests and the benchmarks all run on it;
// fuzzing builds keep the system allocator that the sanitizers watch.
#[cfg(not(fuzzing))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
