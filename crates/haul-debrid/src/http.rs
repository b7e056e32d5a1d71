//! What every provider client shares: sending with the rate limit, and turning
//! transport failures and HTTP statuses into [`DebridError`]s.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::limits::RequestLimiter;
use crate::provider::{DebridError, DebridErrorKind, ProviderKind, Result};

/// Longest a reply may take; status calls are small, uploads are at most 16 MiB.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

pub(crate) fn client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .user_agent(concat!("Haul/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(20))
        .timeout(REQUEST_TIMEOUT)
        .build()
}

/// A reply read in full.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub retry_after: Option<Duration>,
    pub body: bytes::Bytes,
}

/// Sends after the limiter allows it and reads the whole body.
pub(crate) async fn send(
    provider: ProviderKind,
    limiter: &RequestLimiter,
    request: reqwest::RequestBuilder,
) -> Result<Reply> {
    limiter.acquire().await;
    let response = request.send().await.map_err(|e| network(provider, &e))?;
    let status = response.status();
    let retry_after = retry_after(response.headers());
    let body = response.bytes().await.map_err(|e| network(provider, &e))?;
    Ok(Reply {
        status,
        retry_after,
        body,
    })
}

fn network(provider: ProviderKind, error: &reqwest::Error) -> DebridError {
    DebridError::new(
        provider,
        DebridErrorKind::Network,
        format!("cannot reach the service: {}", describe(error)),
    )
}

/// The failure and its causes, without the URL: some URLs carry credentials in
/// their query (TorBox's requestdl).
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_string()
    } else if error.is_connect() {
        "connection failed".to_string()
    } else {
        "the connection broke".to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The error for an HTTP status that the service's JSON did not explain.
pub(crate) fn status_error(provider: ProviderKind, reply: &Reply) -> DebridError {
    let status = reply.status;
    let kind = match status.as_u16() {
        401 | 403 => DebridErrorKind::AuthInvalid,
        404 => DebridErrorKind::NotFound,
        429 => DebridErrorKind::RateLimited,
        503 => DebridErrorKind::Maintenance,
        500..=599 => DebridErrorKind::ServerError,
        _ => DebridErrorKind::Protocol,
    };
    let message = match kind {
        DebridErrorKind::RateLimited => {
            "the service is refusing requests for a moment (HTTP 429); Haul will try again"
                .to_string()
        }
        _ => format!("the service answered HTTP {status} without an explanation"),
    };
    DebridError::new(provider, kind, message)
        .with_code(status.as_u16().to_string())
        .with_retry_after(reply.retry_after)
}

/// A body that is not the documented JSON.
pub(crate) fn protocol_error(
    provider: ProviderKind,
    what: &str,
    error: &serde_json::Error,
) -> DebridError {
    DebridError::new(
        provider,
        DebridErrorKind::Protocol,
        format!("the service's reply to {what} was not in the documented format ({error})"),
    )
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    // Seconds only; services here never send HTTP dates.
    value
        .trim()
        .parse::<u64>()
        .ok()
        .map(|s| Duration::from_secs(s.min(3600)))
}

/// Joins a base URL given without a version path and an API path, keeping any
/// path prefix of the base (a self-hosted proxy may live under one).
pub(crate) fn endpoint(base: &url::Url, path: &str) -> url::Url {
    let mut url = base.clone();
    let joined = format!(
        "{}/{}",
        base.path().trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    url.set_path(&joined);
    url.set_query(None);
    url
}

/// Accepts a base URL for a service: http(s) with a host.
pub fn parse_base_url(provider: ProviderKind, text: &str) -> Result<url::Url> {
    let invalid = |why: &str| {
        DebridError::new(
            provider,
            DebridErrorKind::Unsupported,
            format!("the API address {text:?} cannot be used: {why}"),
        )
    };
    let url = url::Url::parse(text.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it must be an http or https address"));
    }
    if url.query().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it must not carry a query or credentials"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn endpoint_keeps_a_path_prefix() {
        let base = url::Url::parse("http://127.0.0.1:8080/proxy/").unwrap();
        assert_eq!(
            endpoint(&base, "/v4/user").as_str(),
            "http://127.0.0.1:8080/proxy/v4/user"
        );
        let base = url::Url::parse("https://api.alldebrid.com").unwrap();
        assert_eq!(
            endpoint(&base, "v4.1/magnet/status").as_str(),
            "https://api.alldebrid.com/v4.1/magnet/status"
        );
    }

    #[test]
    fn base_urls_are_checked() {
        assert!(parse_base_url(ProviderKind::AllDebrid, "https://api.alldebrid.com").is_ok());
        assert!(parse_base_url(ProviderKind::AllDebrid, "ftp://x").is_err());
        assert!(parse_base_url(ProviderKind::AllDebrid, "https://x/?apikey=1").is_err());
        assert!(parse_base_url(ProviderKind::AllDebrid, "https://u:p@x/").is_err());
    }
}
