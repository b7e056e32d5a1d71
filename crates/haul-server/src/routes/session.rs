//! `/api/session`: log in (204 and the session cookie), who is logged in (with
//! the CSRF token), log out.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use haul_core::ErrorCode;
use serde::{Deserialize, Serialize};

use crate::auth::{ACCOUNT, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::client::ClientAddr;
use crate::http::rate::RouteClass;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    password: String,
    #[serde(default)]
    totp: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    user: &'static str,
    /// Send back as `X-CSRF-Token` with every request that changes state.
    csrf: Option<String>,
    /// When the session ends unless used (ms); none for an API token.
    expires_at: Option<i64>,
    totp_enabled: bool,
    /// How this request was authenticated: "session" or "token".
    via: &'static str,
}

pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    body: Result<Json<Login>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Response> {
    state.rate.check(client, RouteClass::Login)?;
    let Json(login) = body.map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!(
                "The body must be {{\"password\", \"totp\"?}}: {}",
                e.body_text()
            ),
        )
    })?;
    let token = state
        .auth
        .login(&login.password, login.totp.as_deref(), client)
        .await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    let cookie = HeaderValue::from_str(&state.auth.session_cookie(&token))
        .map_err(|_| ApiError::new(ErrorCode::Internal, "Cannot set the session cookie."))?;
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

pub async fn whoami(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<SessionInfo>> {
    let totp_enabled = state
        .auth
        .store
        .server_auth()
        .account()
        .await?
        .is_some_and(|a| a.totp_secret.is_some());
    Ok(Json(match caller {
        Caller::Session {
            csrf, expires_at, ..
        } => SessionInfo {
            user: ACCOUNT,
            csrf: Some(csrf),
            expires_at: Some(expires_at),
            totp_enabled,
            via: "session",
        },
        Caller::Token { .. } => SessionInfo {
            user: ACCOUNT,
            csrf: None,
            expires_at: None,
            totp_enabled,
            via: "token",
        },
    }))
}

pub async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    if let Caller::Session { token_hash, .. } = &caller {
        state
            .auth
            .store
            .server_auth()
            .delete_session(token_hash)
            .await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Ok(value) = HeaderValue::from_str(&state.auth.cleared_cookie()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}
