//! Fake debrid services on 127.0.0.1 that speak each provider's documented wire
//! format, errors included. One server per provider also plays the provider's CDN:
//! direct links point at `/cdn/<token>/<name>` on the same server, served with
//! ranges and a strong ETag like a real file host.
//!
//! A test declares the torrents the "swarm" knows ([`FakeTorrent`]), scripts faults
//! per endpoint ([`Fault`]), and reads back every request ([`Recorded`]).

pub mod alldebrid;
pub mod realdebrid;
pub mod torbox;

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// One file of a fake torrent: its path as the provider lists it (which may be
/// hostile) and its bytes.
#[derive(Clone, Debug)]
pub struct FakeFile {
    pub path: Vec<String>,
    pub bytes: Vec<u8>,
}

/// A torrent the fake provider can fetch.
#[derive(Clone, Debug)]
pub struct FakeTorrent {
    /// 40 lowercase hex digits.
    pub hash: String,
    pub name: String,
    pub files: Vec<FakeFile>,
    /// Ready the moment it is added (cached on the service).
    pub cached: bool,
    /// Status calls that report "downloading" before it is ready (when not cached).
    pub polls_before_ready: u32,
    /// Fails on the service instead of finishing: the provider's failure status.
    pub fails: bool,
}

impl FakeTorrent {
    /// `files`: paths with `/` between folders, and contents.
    pub fn new(name: &str, files: Vec<(&str, Vec<u8>)>) -> Self {
        let digest = Sha256::digest(name.as_bytes());
        Self {
            hash: hex::encode(&digest[..20]),
            name: name.to_string(),
            files: files
                .into_iter()
                .map(|(path, bytes)| FakeFile {
                    path: path.split('/').map(str::to_string).collect(),
                    bytes,
                })
                .collect(),
            cached: true,
            polls_before_ready: 0,
            fails: false,
        }
    }

    pub fn magnet(&self) -> String {
        format!(
            "magnet:?xt=urn:btih:{}&dn={}",
            self.hash,
            self.name.replace(' ', "%20")
        )
    }

    pub fn total_size(&self) -> u64 {
        self.files.iter().map(|f| f.bytes.len() as u64).sum()
    }
}

/// A scripted failure for the next call of one endpoint.
#[derive(Clone, Debug)]
pub enum Fault {
    /// The provider's own error body (AllDebrid `{status:"error",error:{code,message}}`,
    /// Real-Debrid `{error,error_code}`, TorBox `{success:false,error,detail}`), sent
    /// with `status`.
    Api {
        status: u16,
        code: String,
        message: String,
    },
    /// A bare HTTP status (429/503) with an optional Retry-After in seconds.
    Http {
        status: u16,
        retry_after: Option<u64>,
    },
    /// A 200 whose body is not JSON.
    NotJson,
}

/// One request as the fake received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub authorization: Option<String>,
    pub body: String,
}

/// A torrent added to the fake account.
#[derive(Clone, Debug)]
pub struct Added {
    pub torrent: FakeTorrent,
    /// Status calls answered so far.
    pub polls: u32,
    /// File indexes chosen (Real-Debrid); `None` until chosen.
    pub selected: Option<Vec<usize>>,
}

/// What every fake provider keeps.
#[derive(Default)]
pub struct FakeState {
    pub api_key: String,
    /// Torrents the swarm knows, by hash.
    pub known: HashMap<String, FakeTorrent>,
    /// The account's torrents by the provider's id, in the order added.
    pub added: Vec<(u64, Added)>,
    pub next_id: u64,
    /// Faults by endpoint name, used once each, in order.
    pub faults: HashMap<String, VecDeque<Fault>>,
    pub requests: Vec<Recorded>,
    /// CDN tokens → (torrent id, file index).
    pub links: HashMap<String, (u64, usize)>,
    /// File paths (joined with `/`) whose next CDN request gets 410 Gone.
    pub refuse_once: HashSet<String>,
    /// Login codes waiting for the user, and whether the user has confirmed.
    pub logins: HashMap<String, bool>,
    /// How many of the next unlocks answer with a delayed link.
    pub delayed_links: u32,
    /// Delayed links: the direct link and how many polls still say "processing".
    pub delayed: Vec<(String, u32)>,
}

impl FakeState {
    pub fn take_fault(&mut self, endpoint: &str) -> Option<Fault> {
        self.faults.get_mut(endpoint).and_then(VecDeque::pop_front)
    }

    pub fn add(&mut self, torrent: FakeTorrent) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        self.added.push((
            id,
            Added {
                torrent,
                polls: 0,
                selected: None,
            },
        ));
        id
    }

    pub fn get_mut(&mut self, id: u64) -> Option<&mut Added> {
        self.added
            .iter_mut()
            .find(|(added_id, _)| *added_id == id)
            .map(|(_, added)| added)
    }

    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.added.len();
        self.added.retain(|(added_id, _)| *added_id != id);
        before != self.added.len()
    }

    /// Mints a CDN link for one file of an added torrent.
    pub fn mint_link(&mut self, base: &str, id: u64, index: usize) -> Option<String> {
        let added = self.get_mut(id)?;
        let name = added.torrent.files.get(index)?.path.last()?.clone();
        let token = format!("{id}-{index}-{}", self.links.len());
        self.links.insert(token.clone(), (id, index));
        Some(format!(
            "{base}/cdn/{token}/{}",
            utf8_percent_encode_path(&name)
        ))
    }
}

fn utf8_percent_encode_path(name: &str) -> String {
    url::form_urlencoded::byte_serialize(name.as_bytes()).collect()
}

pub fn lock(state: &Mutex<FakeState>) -> MutexGuard<'_, FakeState> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running fake provider.
pub struct FakeServer {
    addr: SocketAddr,
    pub state: Arc<Mutex<FakeState>>,
    cdn_bytes: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
pub struct AppState {
    pub state: Arc<Mutex<FakeState>>,
    pub cdn_bytes: Arc<AtomicU64>,
    /// `http://127.0.0.1:port`, for minting links.
    pub base: String,
}

impl FakeServer {
    /// Serves `api` (the provider's routes) plus the CDN on 127.0.0.1.
    pub async fn start(api_key: &str, api: Router<AppState>) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(FakeState {
            api_key: api_key.to_string(),
            ..FakeState::default()
        }));
        let cdn_bytes = Arc::new(AtomicU64::new(0));
        let app_state = AppState {
            state: Arc::clone(&state),
            cdn_bytes: Arc::clone(&cdn_bytes),
            base: format!("http://{addr}"),
        };
        let app = api
            .route("/cdn/{token}/{name}", axum::routing::get(cdn))
            .layer(axum::middleware::from_fn_with_state(
                app_state.clone(),
                record,
            ))
            .with_state(app_state);
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                eprintln!("fake debrid server stopped: {error}");
            }
        });
        Ok(Self {
            addr,
            state,
            cdn_bytes,
            task,
        })
    }

    /// The base URL to configure, without a version path.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Makes a torrent known to the swarm, so adding its magnet works.
    pub fn know(&self, torrent: FakeTorrent) {
        lock(&self.state)
            .known
            .insert(torrent.hash.clone(), torrent);
    }

    pub fn fail_next(&self, endpoint: &str, fault: Fault) {
        lock(&self.state)
            .faults
            .entry(endpoint.to_string())
            .or_default()
            .push_back(fault);
    }

    /// The next CDN request for this file (path joined with `/`) gets 410 Gone.
    pub fn refuse_link_once(&self, path: &str) {
        lock(&self.state).refuse_once.insert(path.to_string());
    }

    /// Marks a pending login as confirmed by the user.
    pub fn confirm_logins(&self) {
        for confirmed in lock(&self.state).logins.values_mut() {
            *confirmed = true;
        }
    }

    /// The next `count` unlocks answer with a delayed link (AllDebrid).
    pub fn delay_links(&self, count: u32) {
        lock(&self.state).delayed_links = count;
    }

    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state).requests.clone()
    }

    /// API requests (not CDN) whose path contains `part`.
    pub fn calls(&self, part: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| !r.path.starts_with("/cdn/") && r.path.contains(part))
            .count()
    }

    /// Torrents on the fake account.
    pub fn added(&self) -> Vec<(u64, Added)> {
        lock(&self.state).added.clone()
    }

    pub fn cdn_bytes(&self) -> u64 {
        self.cdn_bytes.load(Ordering::SeqCst)
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Records every request (the body up to 64 KiB) before the handler sees it.
async fn record(
    State(app): State<AppState>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 32 * 1024 * 1024)
        .await
        .unwrap_or_default();
    lock(&app.state).requests.push(Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        authorization: parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]).into_owned(),
    });
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// A file host: ranges, a strong ETag, 410 when told to refuse a link.
async fn cdn(
    State(app): State<AppState>,
    Path((token, _name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (bytes, path) = {
        let mut state = lock(&app.state);
        let Some(&(id, index)) = state.links.get(&token) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let Some(file) = state
            .get_mut(id)
            .and_then(|added| added.torrent.files.get(index).cloned())
        else {
            return StatusCode::GONE.into_response();
        };
        let path = file.path.join("/");
        if state.refuse_once.remove(&path) {
            return StatusCode::GONE.into_response();
        }
        (file.bytes, path)
    };
    let etag = format!(
        "\"{}\"",
        &hex::encode(Sha256::digest(path.as_bytes()))[..16]
    );
    let total = bytes.len() as u64;
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_range);
    let if_range_ok = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|value| value == etag);
    let (status, start, end) = match range {
        Some((start, end)) if if_range_ok => {
            if start >= total {
                let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                if let Ok(value) = HeaderValue::from_str(&format!("bytes */{total}")) {
                    response.headers_mut().insert(header::CONTENT_RANGE, value);
                }
                return response;
            }
            let end = end.map_or(total, |e| (e + 1).min(total));
            (StatusCode::PARTIAL_CONTENT, start, end)
        }
        _ => (StatusCode::OK, 0, total),
    };
    let slice = bytes
        .get(usize::try_from(start).unwrap_or(0)..usize::try_from(end).unwrap_or(0))
        .unwrap_or_default()
        .to_vec();
    app.cdn_bytes
        .fetch_add(slice.len() as u64, Ordering::SeqCst);
    let mut response = (status, slice).into_response();
    let headers = response.headers_mut();
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(value) =
            HeaderValue::from_str(&format!("bytes {start}-{}/{total}", end.saturating_sub(1)))
    {
        headers.insert(header::CONTENT_RANGE, value);
    }
    response
}

/// `bytes=START-` or `bytes=START-END`.
fn parse_range(value: &str) -> Option<(u64, Option<u64>)> {
    let spec = value.strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    let start = start.trim().parse().ok()?;
    let end = match end.trim() {
        "" => None,
        end => Some(end.parse().ok()?),
    };
    Some((start, end))
}

/// Form fields of a urlencoded body or query, repeated keys kept.
pub fn form_fields(text: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

/// A urlencoded request body as text; empty for other content types.
pub fn form_body(headers: &HeaderMap, body: &[u8]) -> String {
    let urlencoded = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if urlencoded {
        String::from_utf8_lossy(body).into_owned()
    } else {
        String::new()
    }
}

/// Adds `Retry-After: seconds` when the fault has one.
pub fn with_retry_after(mut response: Response, retry_after: Option<u64>) -> Response {
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, seconds.into());
    }
    response
}

/// The first value of `key` in the request's query or form body.
pub fn field(query: &str, body: &str, key: &str) -> Option<String> {
    form_fields(query)
        .into_iter()
        .chain(form_fields(body))
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}
