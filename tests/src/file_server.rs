//! An HTTP file server with scripted behaviour: honour or ignore ranges, If-Range
//! with a strong ETag, a hold point where the body stops until released, a rate
//! limit, and a log of every request.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use tokio::sync::watch;

/// How the server answers; change it between requests with [`FileServer::configure`].
#[derive(Clone, Debug)]
pub struct Behaviour {
    /// Answer `Range` requests with 206; when false, always 200 with the whole body.
    pub honour_ranges: bool,
    pub content_disposition: Option<String>,
    /// A response that starts at `hold_from` stops after this many bytes until
    /// [`FileServer::release`] is called.
    pub hold_after: Option<u64>,
    pub hold_from: u64,
    /// Bytes per second, per response.
    pub rate: Option<u64>,
    /// Answer every request with this status and no body.
    pub status: Option<u16>,
    /// The first `count` requests get `status` with this `Retry-After` (seconds).
    pub fail_first: Option<Failure>,
    /// The first `count` responses break off after this many body bytes.
    pub drop_after: Option<(u64, u32)>,
    /// 206 responses name a range one byte later than the bytes they carry.
    pub wrong_content_range: bool,
    /// The byte at this offset is served inverted.
    pub flip_byte: Option<u64>,
    /// 206 responses do not tell the file's length (`bytes 0-99/*`).
    pub unknown_length: bool,
}

/// A scripted error answer.
#[derive(Clone, Copy, Debug)]
pub struct Failure {
    pub status: u16,
    pub count: u32,
    pub retry_after: Option<u64>,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            honour_ranges: true,
            content_disposition: None,
            hold_after: None,
            hold_from: 0,
            rate: None,
            status: None,
            fail_first: None,
            drop_after: None,
            wrong_content_range: false,
            unknown_length: false,
            flip_byte: None,
        }
    }
}

/// What a request asked for and how it was answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    pub range: Option<String>,
    pub if_range: Option<String>,
    pub status: u16,
    /// When it arrived.
    pub at: std::time::Instant,
}

struct ServerState {
    body: Mutex<(Bytes, String)>,
    behaviour: Mutex<Behaviour>,
    requests: Mutex<Vec<RequestRecord>>,
    released: watch::Sender<bool>,
    bytes_sent: AtomicU64,
    failed: std::sync::atomic::AtomicU32,
    dropped: std::sync::atomic::AtomicU32,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running server; it stops when dropped.
pub struct FileServer {
    addr: SocketAddr,
    state: Arc<ServerState>,
    task: tokio::task::JoinHandle<()>,
}

const CHUNK: usize = 64 * 1024;

impl FileServer {
    pub async fn start(body: Vec<u8>, behaviour: Behaviour) -> std::io::Result<Self> {
        let state = Arc::new(ServerState {
            body: Mutex::new((Bytes::from(body), "\"v1\"".to_string())),
            behaviour: Mutex::new(behaviour),
            requests: Mutex::new(Vec::new()),
            released: watch::channel(false).0,
            bytes_sent: AtomicU64::new(0),
            failed: std::sync::atomic::AtomicU32::new(0),
            dropped: std::sync::atomic::AtomicU32::new(0),
        });
        let app = Router::new().fallback(serve).with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                eprintln!("test file server stopped: {error}");
            }
        });
        Ok(Self { addr, state, task })
    }

    /// The URL of the file at `path` (any path serves the same body).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.addr, path.trim_start_matches('/'))
    }

    pub fn configure(&self, change: impl FnOnce(&mut Behaviour)) {
        change(&mut lock(&self.state.behaviour));
    }

    /// Replaces the file with a new version and a new ETag.
    pub fn replace_body(&self, body: Vec<u8>, etag: &str) {
        *lock(&self.state.body) = (Bytes::from(body), etag.to_string());
    }

    /// Lets held responses continue (and future ones pass the hold point).
    pub fn release(&self) {
        self.state.released.send_replace(true);
    }

    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.state.requests).clone()
    }

    /// Body bytes handed to connections so far.
    pub fn bytes_sent(&self) -> u64 {
        self.state.bytes_sent.load(Ordering::SeqCst)
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(State(state): State<Arc<ServerState>>, headers: HeaderMap) -> Response {
    let behaviour = lock(&state.behaviour).clone();
    let (body, etag) = lock(&state.body).clone();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let range = text(header::RANGE);
    let if_range = text(header::IF_RANGE);
    let total = body.len() as u64;

    let record = |status: StatusCode| {
        lock(&state.requests).push(RequestRecord {
            range: range.clone(),
            if_range: if_range.clone(),
            status: status.as_u16(),
            at: std::time::Instant::now(),
        });
    };

    if let Some(failure) = behaviour.fail_first
        && state.failed.fetch_add(1, Ordering::SeqCst) < failure.count
    {
        let status =
            StatusCode::from_u16(failure.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        record(status);
        let mut response = status.into_response();
        if let Some(seconds) = failure.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        return response;
    }

    if let Some(code) = behaviour.status {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        record(status);
        return status.into_response();
    }

    // If-Range that does not match the current ETag means "send it all".
    let validator_ok = if_range.as_deref().is_none_or(|value| value == etag);
    let start = match range.as_deref().and_then(parse_range) {
        Some((start, _)) if behaviour.honour_ranges && validator_ok => {
            if start >= total {
                record(StatusCode::RANGE_NOT_SATISFIABLE);
                return (
                    StatusCode::RANGE_NOT_SATISFIABLE,
                    [(header::CONTENT_RANGE, format!("bytes */{total}"))],
                )
                    .into_response();
            }
            Some(start)
        }
        _ => None,
    };
    let status = if start.is_some() {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    record(status);
    let from = start.unwrap_or(0);
    // A closed range ends where asked (inclusive), never past the file.
    let until = match range.as_deref().and_then(parse_range) {
        Some((_, Some(last))) if start.is_some() => (last + 1).min(total),
        _ => total,
    };

    let mut builder = Response::builder()
        .status(status)
        .header(header::CONTENT_LENGTH, until - from)
        .header(header::ETAG, &etag)
        .header(header::CONTENT_TYPE, "application/octet-stream");
    if behaviour.honour_ranges {
        builder = builder.header(header::ACCEPT_RANGES, "bytes");
    }
    if start.is_some() {
        let shift = u64::from(behaviour.wrong_content_range);
        let length = if behaviour.unknown_length {
            "*".to_string()
        } else {
            total.to_string()
        };
        builder = builder.header(
            header::CONTENT_RANGE,
            format!("bytes {}-{}/{length}", from + shift, until - 1),
        );
    }
    if let Some(disposition) = &behaviour.content_disposition {
        builder = builder.header(header::CONTENT_DISPOSITION, disposition);
    }
    let hold_at = behaviour
        .hold_after
        .filter(|_| from == behaviour.hold_from)
        .map(|after| from + after);
    let mut body = body.slice(..until as usize);
    if let Some(offset) = behaviour.flip_byte.filter(|o| *o < until) {
        let mut bytes = body.to_vec();
        bytes[offset as usize] ^= 0xFF;
        body = Bytes::from(bytes);
    }
    let drop_at = behaviour
        .drop_after
        .filter(|(_, count)| state.dropped.fetch_add(1, Ordering::SeqCst) < *count)
        .map(|(after, _)| from + after);
    let stream = body_stream(
        Arc::clone(&state),
        body,
        from,
        hold_at,
        drop_at,
        behaviour.rate,
    );
    builder
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn body_stream(
    state: Arc<ServerState>,
    body: Bytes,
    from: u64,
    hold_at: Option<u64>,
    drop_at: Option<u64>,
    rate: Option<u64>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::unfold(from, move |offset| {
        let state = Arc::clone(&state);
        let body = body.clone();
        async move {
            let total = body.len() as u64;
            if offset >= total {
                return None;
            }
            if drop_at.is_some_and(|at| offset >= at) {
                // An error ends the response mid-body: the client sees a cut connection.
                return Some((Err(std::io::Error::other("scripted drop")), total));
            }
            let mut end = (offset + CHUNK as u64).min(total);
            if let Some(at) = drop_at.filter(|at| *at > offset) {
                end = end.min(at);
            }
            if let Some(hold) = hold_at {
                if offset >= hold {
                    let mut released = state.released.subscribe();
                    // Waiting on the test's release, not on time.
                    let _ = released.wait_for(|r| *r).await;
                } else {
                    end = end.min(hold);
                }
            }
            if let Some(rate) = rate {
                let secs = (end - offset) as f64 / rate.max(1) as f64;
                tokio::time::sleep(Duration::from_secs_f64(secs)).await;
            }
            let chunk = body.slice(offset as usize..end as usize);
            state
                .bytes_sent
                .fetch_add(chunk.len() as u64, Ordering::SeqCst);
            Some((Ok(chunk), end))
        }
    })
}

/// `bytes=START-` or `bytes=START-LAST` (inclusive).
fn parse_range(value: &str) -> Option<(u64, Option<u64>)> {
    let spec = value.strip_prefix("bytes=")?;
    let (start, last) = spec.split_once('-')?;
    let start = start.parse().ok()?;
    if last.is_empty() {
        return Some((start, None));
    }
    let last: u64 = last.parse().ok()?;
    (last >= start).then_some((start, Some(last)))
}
