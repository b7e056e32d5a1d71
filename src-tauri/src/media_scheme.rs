//! The `haul-media` URI scheme: the window reads library thumbnails and files
//! by item id (`haul-media://localhost/thumb/42`, `…/file/42`) and face crops by
//! face id (`…/face/7`). Nothing else is
//! served: no path, no token is ever part of a URL.

use tauri::http::{Request, Response, StatusCode, header};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::AppState;

pub const SCHEME: &str = "haul-media";

/// Largest slice of a file one response carries: a video plays through ranges.
const MAX_CHUNK: u64 = 8 << 20;

enum Route {
    Thumbnail(i64),
    File(i64),
    /// A face's square crop, by face id.
    Face(i64),
}

fn route(path: &str) -> Option<Route> {
    let mut parts = path.trim_start_matches('/').split('/');
    let (kind, id, rest) = (parts.next()?, parts.next()?, parts.next());
    if rest.is_some() || id.is_empty() || id.len() > 15 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id: i64 = id.parse().ok()?;
    match kind {
        "thumb" => Some(Route::Thumbnail(id)),
        "file" => Some(Route::File(id)),
        "face" => Some(Route::Face(id)),
        _ => None,
    }
}

fn plain(status: StatusCode, text: &str) -> Response<Vec<u8>> {
    let mut response = Response::new(text.as_bytes().to_vec());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain"),
    );
    response
}

fn status_of(error: &haul_core::Error) -> StatusCode {
    match error.code {
        haul_core::ErrorCode::NotFound => StatusCode::NOT_FOUND,
        haul_core::ErrorCode::MediaUnsupported | haul_core::ErrorCode::ToolMissing => {
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// `bytes=START-END` or `bytes=START-` within `len`.
fn byte_range(value: &str, len: u64) -> Option<(u64, u64)> {
    let spec = value.strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    let start: u64 = start.parse().ok()?;
    let end: u64 = if end.is_empty() {
        len.checked_sub(1)?
    } else {
        end.parse().ok()?
    };
    (start <= end && end < len).then_some((start, end.min(start + MAX_CHUNK - 1)))
}

fn jpeg(bytes: Vec<u8>) -> Response<Vec<u8>> {
    let mut response = Response::new(bytes);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("image/jpeg"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, max-age=600"),
    );
    response
}

async fn serve(core: &haul_core::Core, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    if request.method() != tauri::http::Method::GET {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET");
    }
    let Some(route) = route(request.uri().path()) else {
        return plain(StatusCode::NOT_FOUND, "no such media");
    };
    match route {
        Route::Face(id) => match core.faces().face_crop(id).await {
            Ok(bytes) => jpeg(bytes),
            Err(error) => plain(status_of(&error), &error.message),
        },
        Route::Thumbnail(id) => match core.library().thumbnail(id).await {
            Ok(bytes) => jpeg(bytes),
            Err(error) => plain(status_of(&error), &error.message),
        },
        Route::File(id) => match core.library().original(id).await {
            Ok((path, mime)) => read_file(&path, mime, request).await,
            Err(error) => plain(status_of(&error), &error.message),
        },
    }
}

async fn read_file(
    path: &std::path::Path,
    mime: Option<String>,
    request: &Request<Vec<u8>>,
) -> Response<Vec<u8>> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    let Ok(mut file) = tokio::fs::File::open(path).await else {
        return plain(StatusCode::NOT_FOUND, "the file is not there any more");
    };
    let Ok(len) = file.metadata().await.map(|m| m.len()) else {
        return plain(StatusCode::NOT_FOUND, "the file is not there any more");
    };
    let range = request
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| byte_range(v, len));
    let (start, end, status) = match range {
        Some((start, end)) => (start, end, StatusCode::PARTIAL_CONTENT),
        None if len <= MAX_CHUNK => (0, len.saturating_sub(1), StatusCode::OK),
        None => (0, MAX_CHUNK - 1, StatusCode::PARTIAL_CONTENT),
    };
    let mut body = vec![
        0;
        usize::try_from(end + 1 - start)
            .unwrap_or(0)
            .min(len as usize)
    ];
    if file.seek(std::io::SeekFrom::Start(start)).await.is_err()
        || file.read_exact(&mut body).await.is_err()
    {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "cannot read the file");
    }
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    let content_type = mime.unwrap_or_else(|| "application/octet-stream".into());
    if let Ok(value) = header::HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(
        header::ACCEPT_RANGES,
        header::HeaderValue::from_static("bytes"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(value) = header::HeaderValue::from_str(&format!("bytes {start}-{end}/{len}"))
    {
        headers.insert(header::CONTENT_RANGE, value);
    }
    response
}

pub fn handle<R: Runtime>(
    context: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = context.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        let response = match app.try_state::<AppState>() {
            Some(state) => serve(&state.core, &request).await,
            None => plain(StatusCode::SERVICE_UNAVAILABLE, "Haul is starting"),
        };
        responder.respond(response);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ids_route() {
        assert!(matches!(route("/thumb/42"), Some(Route::Thumbnail(42))));
        assert!(matches!(route("/file/7"), Some(Route::File(7))));
        for bad in [
            "/thumb/../etc/passwd",
            "/file/-1",
            "/file/1/2",
            "/thumb/",
            "/x/1",
            "/file/%2e",
        ] {
            assert!(route(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn ranges_stay_inside_the_file() {
        assert_eq!(byte_range("bytes=0-99", 1000), Some((0, 99)));
        assert_eq!(byte_range("bytes=900-", 1000), Some((900, 999)));
        assert_eq!(byte_range("bytes=900-2000", 1000), None);
        assert_eq!(byte_range("bytes=5-1", 1000), None);
    }
}
