//! `GET /health` (alive; no login) and `GET /ready` (ready to work: without a
//! login only the verdict, with one every check and its detail).

use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use crate::state::AppState;

/// How long one set of readiness checks answers `/ready` (they call the providers).
const READINESS_FRESH: Duration = Duration::from_secs(10);

pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

pub async fn ready(State(state): State<AppState>, headers: HeaderMap) -> (StatusCode, Json<Value>) {
    let readiness = {
        let mut cached = state.readiness.lock().await;
        match &*cached {
            Some((at, readiness)) if at.elapsed() < READINESS_FRESH => readiness.clone(),
            _ => {
                let readiness = state.core.diagnostics().readiness().await;
                *cached = Some((Instant::now(), readiness.clone()));
                readiness
            }
        }
    };
    let status = if readiness.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    // A health checker sends no credentials; a bad one only hides the details.
    let known = matches!(state.auth.identify(&headers).await, Ok(Some(_)));
    let body = if known {
        serde_json::to_value(&readiness).unwrap_or(Value::Null)
    } else {
        json!({ "ready": readiness.ready })
    };
    (status, Json(body))
}
