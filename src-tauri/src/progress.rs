//! One ticker per app publishes every active transfer as one batched snapshot,
//! about every 250 ms; workers only bump counters.

use std::time::Duration;

use haul_core::ProgressSnapshot;
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::AppState;

const TICK: Duration = Duration::from_millis(250);

/// The `progress-snapshot` event: all active transfers and the list revision.
#[derive(Clone, Debug, Serialize, specta::Type, Event)]
pub struct ProgressSnapshotEvent(pub ProgressSnapshot);

pub fn spawn_ticker(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut ticker = tokio::time::interval(TICK);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut last_revision = None;
        loop {
            ticker.tick().await;
            let snapshot = app.state::<AppState>().core.downloads().snapshot();
            // Idle and unchanged: nothing to say.
            if snapshot.transfers.is_empty() && last_revision == Some(snapshot.revision) {
                continue;
            }
            last_revision = Some(snapshot.revision);
            if let Err(error) = ProgressSnapshotEvent(snapshot).emit(&app) {
                tracing::warn!(%error, "cannot send progress to the window");
            }
        }
    });
}
