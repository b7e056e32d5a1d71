//! The routes: the session, downloads, the command API, events, media by id,
//! health and readiness, the OpenAPI document, and the UI's files.

pub mod downloads;
pub mod events;
pub mod health;
pub mod media;
pub mod openapi;
pub mod rpc;
pub mod session;
pub mod ui;
