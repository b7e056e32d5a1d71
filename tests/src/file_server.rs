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
    /// A response that starts at byte 0 stops after this many bytes until
    /// [`FileServer::release`] is called.
    pub hold_after: Option<u64>,
    /// Bytes per second, per response.
    pub rate: Option<u64>,
    /// Answer every request with this status and no body.
    pub status: Option<u16>,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            honour_ranges: true,
            content_disposition: None,
            hold_after: None,
            rate: None,
            status: None,
        }
    }
}

/// What a request asked for and how it was answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    pub range: Option<String>,
    pub if_range: Option<String>,
    pub status: u16,
}

struct ServerState {
    body: Mutex<(Bytes, String)>,
    behaviour: Mutex<Behaviour>,
    requests: Mutex<Vec<RequestRecord>>,
    released: watch::Sender<bool>,
    bytes_sent: AtomicU64,
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
        });
    };

    if let Some(code) = behaviour.status {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        record(status);
        return status.into_response();
    }

    // If-Range that does not match the current ETag means "send it all".
    let validator_ok = if_range.as_deref().is_none_or(|value| value == etag);
    let start = match range.as_deref().and_then(parse_range_start) {
        Some(start) if behaviour.honour_ranges && validator_ok => {
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

    let mut builder = Response::builder()
        .status(status)
        .header(header::CONTENT_LENGTH, total - from)
        .header(header::ETAG, &etag)
        .header(header::CONTENT_TYPE, "application/octet-stream");
    if behaviour.honour_ranges {
        builder = builder.header(header::ACCEPT_RANGES, "bytes");
    }
    if start.is_some() {
        builder = builder.header(
            header::CONTENT_RANGE,
            format!("bytes {from}-{}/{total}", total - 1),
        );
    }
    if let Some(disposition) = &behaviour.content_disposition {
        builder = builder.header(header::CONTENT_DISPOSITION, disposition);
    }
    let hold_at = behaviour.hold_after.filter(|_| from == 0);
    let stream = body_stream(Arc::clone(&state), body, from, hold_at, behaviour.rate);
    builder
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn body_stream(
    state: Arc<ServerState>,
    body: Bytes,
    from: u64,
    hold_at: Option<u64>,
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
            let mut end = (offset + CHUNK as u64).min(total);
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

fn parse_range_start(value: &str) -> Option<u64> {
    let spec = value.strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    if !end.is_empty() {
        return None;
    }
    start.parse().ok()
}
