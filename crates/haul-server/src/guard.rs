//! The gate in front of `/api`: an authenticated caller, CSRF proof for a
//! browser's state changes, and the API's rate limit.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::{Auth, Caller};
use crate::error::ApiError;
use crate::http::client::ClientAddr;
use crate::http::rate::RouteClass;
use crate::state::AppState;

pub async fn require_caller(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    // Logging in is the one API call without a caller (it has its own limits).
    if path == "/api/session" && request.method() == axum::http::Method::POST {
        return next.run(request).await;
    }
    if !path.starts_with("/api/media/")
        && path != "/api/events"
        && let Err(error) = state.rate.check(client, RouteClass::Api)
    {
        return error.into_response();
    }
    let caller = match state.auth.identify(request.headers()).await {
        Ok(Some(caller)) => caller,
        Ok(None) => return ApiError::unauthenticated().into_response(),
        Err(error) => return error.into_response(),
    };
    if let Err(error) = Auth::check_csrf(&caller, request.method(), request.headers()) {
        return error.into_response();
    }
    request.extensions_mut().insert(caller);
    next.run(request).await
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(ApiError::unauthenticated)
    }
}
