//! `GET /health` (alive; no login) and `GET /ready` (ready to work: without a
//! login only the verdict, with one every check and its detail).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::state::AppState;

pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

pub async fn ready(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let readiness = state.core.diagnostics().readiness().await;
    let status = if readiness.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let known = state.auth.identify(&headers).await?.is_some();
    let body = if known {
        serde_json::to_value(&readiness).unwrap_or(Value::Null)
    } else {
        json!({ "ready": readiness.ready })
    };
    Ok((status, Json(body)))
}
