//! `GET /api/media/{thumb|file|face}/{id}`: library thumbnails and files by
//! item id, face crops by face id. The id is all a client gives: the file's
//! path comes from the library, so nothing outside it can be read, and an id
//! that is not in the library is a 404.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use haul_core::ErrorCode;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::error::{ApiError, ApiResult};
use crate::http::client::ClientAddr;
use crate::http::rate::RouteClass;
use crate::state::AppState;

fn parse_id(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 15 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn jpeg(bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=600"),
    );
    response
}

pub async fn get(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Path((kind, id)): Path<(String, String)>,
    request: Request,
) -> ApiResult<Response> {
    state.rate.check(client, RouteClass::Media)?;
    let not_found = || ApiError::new(ErrorCode::NotFound, "No such media.");
    let id = parse_id(&id).ok_or_else(not_found)?;
    match kind.as_str() {
        "thumb" => Ok(jpeg(state.core.library().thumbnail(id).await?)),
        "face" => Ok(jpeg(state.core.faces().face_crop(id).await?)),
        "file" => {
            let (path, mime) = state.core.library().original(id).await?;
            let service = ServeFile::new(&path);
            // Ranges (video seeking), conditional requests and HEAD come from
            // tower-http; only the headers of the request are passed on.
            let (parts, _) = request.into_parts();
            let request = axum::http::Request::from_parts(parts, Body::empty());
            let response = service
                .oneshot(request)
                .await
                .map_err(|_| ApiError::new(ErrorCode::Io, "Cannot read the file."))?;
            if response.status() == StatusCode::NOT_FOUND {
                return Err(ApiError::new(
                    ErrorCode::NotFound,
                    "The file is not there any more.",
                ));
            }
            let mut response = response.map(Body::new);
            // The library knows the real type (sniffed), not just the name's.
            if let Some(value) = mime.as_deref().and_then(|m| HeaderValue::from_str(m).ok())
                && response.status().is_success()
            {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            );
            Ok(response)
        }
        _ => Err(not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_only() {
        assert_eq!(parse_id("42"), Some(42));
        for bad in ["", "-1", "1.0", "..", "%2e", "1/2", "9999999999999999"] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
    }
}
