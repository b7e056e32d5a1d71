//! What every request and response goes through: security headers, the
//! client's address, per-route rate limits.

pub mod client;
pub mod headers;
pub mod rate;
