//! `POST /api/rpc/{command}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use haul_core::ErrorCode;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::rpc;
use crate::state::AppState;

pub async fn call(
    State(state): State<AppState>,
    Path(command): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    if !rpc::valid_name(&command) {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            "There is no such command.",
        ));
    }
    let args: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!("The body is not JSON: {e}"),
            )
        })?
    };
    Ok(Json(rpc::dispatch(&state, &command, args).await?))
}
