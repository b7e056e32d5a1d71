//! `haul serve`: the same core and the same UI as the desktop app, over HTTP.
//! Every `/api` route needs a session (browsers, with CSRF proof for changes)
//! or an API token (scripts); `/health` and the UI's files do not. See
//! docs/server.md.

pub mod admin;
pub mod auth;
mod dirs;
pub mod error;
mod events;
mod guard;
mod http;
mod listen;
mod routes;
mod rpc;
mod state;

pub use listen::Server;
pub use routes::openapi::document as openapi_document;
pub use rpc::COMMANDS;
pub use state::ServeOptions;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{any, get, post};
use tower_http::timeout::TimeoutLayer;

use crate::error::ApiError;
use crate::routes::{
    downloads, events as event_routes, health, media, openapi, rpc as rpc_route, session, ui,
};
use crate::state::AppState;

/// Commands may carry a .torrent's bytes (as a JSON array of numbers).
const RPC_BODY_LIMIT: usize = 32 << 20;
const BODY_LIMIT: usize = 64 << 10;
/// Long commands (a face scan, installing the extractors) may take minutes.
const RPC_TIMEOUT: Duration = Duration::from_secs(15 * 60);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

async fn unknown_api() -> ApiError {
    ApiError::new(
        haul_core::ErrorCode::NotFound,
        "There is no such API route.",
    )
}

pub(crate) fn router(state: AppState) -> Router {
    let commands = Router::new()
        .route("/api/rpc/{command}", post(rpc_route::call))
        .layer(DefaultBodyLimit::max(RPC_BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            RPC_TIMEOUT,
        ));
    let quick = Router::new()
        .route(
            "/api/session",
            get(session::whoami)
                .post(session::login)
                .delete(session::logout),
        )
        .route("/api/downloads", get(downloads::list).post(downloads::add))
        .route("/api/openapi.json", get(openapi::get))
        .route("/api/{*rest}", any(unknown_api))
        .route("/api", any(unknown_api))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ));
    // Streams: no timeout (an event stream stays open; a video is long).
    let streams = Router::new()
        .route("/api/events", get(event_routes::stream))
        .route("/api/media/{kind}/{id}", get(media::get))
        .layer(DefaultBodyLimit::max(0));
    let api = commands
        .merge(quick)
        .merge(streams)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::require_caller,
        ));
    Router::new()
        .route("/health", get(health::health))
        .route("/ready", get(health::ready))
        .merge(api)
        .fallback(get(ui::get))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(http::headers::security_headers))
        .with_state(state)
}
