//! Every failure an HTTP client sees: the core's `CoreError` JSON (`code`,
//! `message`) with the status its code calls for. Nothing else leaves the
//! server as an error body, and no internal detail beyond the core's message.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use haul_core::{Error, ErrorCode};

/// A refused or failed request.
#[derive(Debug)]
pub struct ApiError {
    pub error: Error,
    /// Seconds to wait, sent as `Retry-After` (lockouts, rate limits).
    pub retry_after: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: Error::new(code, message),
            retry_after: None,
        }
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            ErrorCode::NotAuthenticated,
            "Log in first: no valid session or API token came with the request.",
        )
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        Self {
            error,
            retry_after: None,
        }
    }
}

impl From<haul_store::StoreError> for ApiError {
    fn from(error: haul_store::StoreError) -> Self {
        Error::from(error).into()
    }
}

/// The HTTP status for a code: the client's fault (4xx) or the server's (5xx).
pub fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode as C;
    match code {
        C::NotAuthenticated | C::TotpRequired => StatusCode::UNAUTHORIZED,
        C::CsrfRejected | C::DirNotAllowed => StatusCode::FORBIDDEN,
        C::LockedOut | C::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        C::NotFound => StatusCode::NOT_FOUND,
        C::InvalidState | C::DataDirInUse => StatusCode::CONFLICT,
        C::InvalidUrl
        | C::InvalidInput
        | C::InvalidSetting
        | C::InvalidMagnet
        | C::InvalidTorrent
        | C::UnsupportedUrl => StatusCode::BAD_REQUEST,
        C::MediaUnsupported => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        C::MediaLimit | C::MediaCorrupt => StatusCode::UNPROCESSABLE_ENTITY,
        C::DiskFull => StatusCode::INSUFFICIENT_STORAGE,
        C::Network
        | C::HttpStatus
        | C::LinkRefused
        | C::ProviderUnavailable
        | C::ProviderProtocol
        | C::SourceRateLimited
        | C::SourceBlocked
        | C::SourceLayout
        | C::SourceGone
        | C::UpdateUnavailable
        | C::MalformedOutput => StatusCode::BAD_GATEWAY,
        C::ToolTimeout => StatusCode::GATEWAY_TIMEOUT,
        C::AuthRequired
        | C::AccountRestricted
        | C::ProviderLimit
        | C::ProviderFailed
        | C::SourceLoginRequired
        | C::RangeMismatch
        | C::ChecksumMismatch
        | C::RemoteFileChanged
        | C::UpdateRefused
        | C::ModelRefused
        | C::ToolFailed => StatusCode::UNPROCESSABLE_ENTITY,
        C::ToolMissing | C::ModelUnavailable | C::Keyring | C::SystemIntegration => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        C::PermissionDenied | C::Io | C::Database | C::Internal => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(self.error.code);
        if status.is_server_error() {
            tracing::warn!(code = ?self.error.code, message = %self.error.message, "request failed");
        }
        let mut response = (status, Json(self.error)).into_response();
        if let Some(seconds) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}
