//! Tauri commands, one module per domain. Each takes the app state, calls the core
//! and returns its typed result.

pub mod accounts;
pub mod desktop;
pub mod downloads;
pub mod faces;
pub mod library;
pub mod settings;
pub mod sources;
pub mod stats;
pub mod tasks;
