//! Wire formats: the SOAP envelope and the REST query form.

pub mod params;
