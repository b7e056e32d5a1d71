//! A small web site on 127.0.0.1 whose pages and files the test sets and changes
//! while it runs (a thread gains a post between two checks), with a log of
//! every request (path, query, headers) and routes that can be held until
//! released (to kill Haul in the middle of a check).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;

/// What a route answers.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn html(body: impl Into<String>) -> Self {
        Self::bytes("text/html; charset=utf-8", body.into().into_bytes())
    }

    pub fn json(value: &serde_json::Value) -> Self {
        Self::bytes("application/json", value.to_string().into_bytes())
    }

    pub fn bytes(content_type: &str, body: Vec<u8>) -> Self {
        Self {
            status: 200,
            content_type: content_type.to_string(),
            headers: Vec::new(),
            body,
        }
    }

    pub fn status(status: u16, headers: &[(&str, &str)]) -> Self {
        Self {
            status,
            content_type: "application/json".into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_string(), (*v).to_string()))
                .collect(),
            body: br#"{"message": "Too Many Requests", "error": 429}"#.to_vec(),
        }
    }
}

/// One request the site received.
#[derive(Clone, Debug)]
pub struct Hit {
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
}

#[derive(Default)]
struct Site {
    /// Path (with the query, when one is given) → replies in turn; the last repeats.
    routes: HashMap<String, Vec<Reply>>,
    hits: Vec<Hit>,
    held: Vec<String>,
}

pub struct SiteServer {
    addr: SocketAddr,
    site: Arc<Mutex<Site>>,
    release: watch::Sender<u64>,
    task: tokio::task::JoinHandle<()>,
}

fn lock(site: &Mutex<Site>) -> MutexGuard<'_, Site> {
    site.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SiteServer {
    pub async fn start() -> std::io::Result<Self> {
        let site = Arc::new(Mutex::new(Site::default()));
        let (release, _) = watch::channel(0);
        let state = (Arc::clone(&site), release.clone());
        let app = Router::new().fallback(serve).with_state(state);
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                eprintln!("test site stopped: {error}");
            }
        });
        Ok(Self {
            addr,
            site,
            release,
            task,
        })
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.addr, path.trim_start_matches('/'))
    }

    /// Serves `reply` at `path` (a path, or a path with `?query` for that query only).
    pub fn set(&self, path: &str, reply: Reply) {
        lock(&self.site)
            .routes
            .insert(path.to_string(), vec![reply]);
    }

    /// Serves these replies in turn at `path`; the last one repeats.
    pub fn set_sequence(&self, path: &str, replies: Vec<Reply>) {
        lock(&self.site).routes.insert(path.to_string(), replies);
    }

    /// Requests for `path` wait until [`SiteServer::release`].
    pub fn hold(&self, path: &str) {
        lock(&self.site).held.push(path.to_string());
    }

    pub fn release(&self) {
        lock(&self.site).held.clear();
        self.release.send_modify(|n| *n += 1);
    }

    pub fn hits(&self) -> Vec<Hit> {
        lock(&self.site).hits.clone()
    }

    /// Requests whose path starts with `prefix`.
    pub fn hits_under(&self, prefix: &str) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| h.path.starts_with(prefix))
            .collect()
    }

    pub fn clear_hits(&self) {
        lock(&self.site).hits.clear();
    }
}

impl Drop for SiteServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type SiteState = (Arc<Mutex<Site>>, watch::Sender<u64>);

async fn serve(State((site, release)): State<SiteState>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let mut released = release.subscribe();
    let held = {
        let mut site = lock(&site);
        site.hits.push(Hit {
            path: path.clone(),
            query: query.clone(),
            headers,
        });
        site.held.contains(&path)
    };
    if held {
        let _ = released.changed().await;
    }
    let reply = {
        let mut site = lock(&site);
        let key = route_for(&site, &path, query.as_deref());
        match key.and_then(|key| site.routes.get_mut(&key)) {
            Some(replies) if replies.len() > 1 => Some(replies.remove(0)),
            Some(replies) => replies.first().cloned(),
            None => None,
        }
    };
    let Some(reply) = reply else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    respond(reply)
}

/// The route for a request: one whose query parameters (all of them) are in the
/// request's, the most specific first; else the bare path.
fn route_for(site: &Site, path: &str, query: Option<&str>) -> Option<String> {
    let asked: Vec<&str> = query.unwrap_or("").split('&').collect();
    let mut best: Option<(usize, &String)> = None;
    for key in site.routes.keys() {
        let (key_path, key_query) = key.split_once('?').unwrap_or((key.as_str(), ""));
        if key_path != path {
            continue;
        }
        let wanted: Vec<&str> = key_query.split('&').filter(|p| !p.is_empty()).collect();
        if wanted.iter().all(|p| asked.contains(p)) && best.is_none_or(|(n, _)| wanted.len() > n) {
            best = Some((wanted.len(), key));
        }
    }
    best.map(|(_, key)| key.clone())
}

/// The whole body with a 200 (or the reply's status): ranges are not offered,
/// so the engine fetches each file on one connection.
fn respond(reply: Reply) -> Response {
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    if let Ok(value) = HeaderValue::from_str(&reply.content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}
