//! `/api/downloads`: the REST face of the most common script calls.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use haul_core::{DownloadView, ErrorCode};
use serde::Deserialize;

use crate::error::{ApiError, ApiResult};
use crate::rpc::add_download;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDownload {
    url: String,
    #[serde(default)]
    dir: Option<String>,
}

pub async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<DownloadView>>> {
    Ok(Json(state.core.downloads().list().await?))
}

pub async fn add(
    State(state): State<AppState>,
    body: Result<Json<NewDownload>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<(StatusCode, Json<DownloadView>)> {
    let Json(new) = body.map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("The body must be {{\"url\", \"dir\"?}}: {}", e.body_text()),
        )
    })?;
    let view = add_download(&state, &new.url, new.dir).await?;
    Ok((StatusCode::CREATED, Json(view)))
}
