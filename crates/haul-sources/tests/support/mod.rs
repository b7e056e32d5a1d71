//! A local server (127.0.0.1 only) serving the fixtures to the HTTP extractors:
//! a three-page XenForo thread and Reddit listings, with paging, a login wall,
//! a rate limit, an oversized page and Reddit's error replies. It records what
//! it was asked (path, User-Agent, Cookie).

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use haul_sources::ExtractContext;
use url::Url;

pub const THREAD: &str = "/threads/harbour-photos-from-the-2024-regatta.4521/";
const PAGE_1: &str = include_str!("../fixtures/xenforo/thread-page-1.html");
const PAGE_2: &str = include_str!("../fixtures/xenforo/thread-page-2.html");
const PAGE_3: &str = include_str!("../fixtures/xenforo/thread-page-3.html");
const USER_1: &str = include_str!("../fixtures/reddit/user-submitted-page-1.json");
const USER_2: &str = include_str!("../fixtures/reddit/user-submitted-page-2.json");
const SUB: &str = include_str!("../fixtures/reddit/subreddit-new.json");
const PRIVATE: &str = include_str!("../fixtures/reddit/error-private.json");
const BANNED: &str = include_str!("../fixtures/reddit/error-banned.json");
const LIMITED: &str = include_str!("../fixtures/reddit/error-ratelimited.json");

/// What the server saw: (path and query, User-Agent, Cookie).
pub type Seen = Arc<Mutex<Vec<(String, String, Option<String>)>>>;

pub async fn serve() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let html = |body: &'static str| {
        move || async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body) }
    };
    let app = Router::new()
        .route(THREAD, get(html(PAGE_1)))
        .route(&format!("{THREAD}page-2"), get(html(PAGE_2)))
        .route(&format!("{THREAD}page-3"), get(html(PAGE_3)))
        .route("/threads/members-only.77/", get(login_wall))
        .route("/threads/gone.78/", get(|| async { StatusCode::NOT_FOUND }))
        .route("/big.html", get(big_page))
        .route(
            "/photo",
            get(|| async { ([(header::CONTENT_TYPE, "image/jpeg")], "not really a jpeg") }),
        )
        .route(
            "/reddit/user/harbour_lens/submitted.json",
            get(user_listing),
        )
        .route(
            "/reddit/r/sailing/new.json",
            get(|| async { json(StatusCode::OK, SUB) }),
        )
        .route(
            "/reddit/r/secret/new.json",
            get(|| async { json(StatusCode::FORBIDDEN, PRIVATE) }),
        )
        .route(
            "/reddit/r/banned/new.json",
            get(|| async { json(StatusCode::NOT_FOUND, BANNED) }),
        )
        .route("/reddit/r/busy/new.json", get(rate_limited))
        .route(
            "/reddit/r/html/new.json",
            get(html("<html><body>whoa there, pardner!</body></html>")),
        )
        .layer(axum::middleware::from_fn_with_state(seen.clone(), record))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("addr: {e}"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), seen)
}

async fn record(
    State(seen): State<Seen>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let h = request.headers();
    let text = |name| {
        h.get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let path = request
        .uri()
        .path_and_query()
        .map(ToString::to_string)
        .unwrap_or_default();
    if let Ok(mut seen) = seen.lock() {
        seen.push((
            path,
            text(header::USER_AGENT).unwrap_or_default(),
            text(header::COOKIE),
        ));
    }
    next.run(request).await
}

fn json(status: StatusCode, body: &'static str) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    headers.insert("x-ratelimit-used", HeaderValue::from_static("3"));
    headers.insert("x-ratelimit-remaining", HeaderValue::from_static("97.0"));
    headers.insert("x-ratelimit-reset", HeaderValue::from_static("412"));
    (status, headers, body).into_response()
}

async fn user_listing(Query(q): Query<std::collections::HashMap<String, String>>) -> Response {
    match q.get("after").map(String::as_str) {
        None => json(StatusCode::OK, USER_1),
        Some("t3_1d5h3c9") => {
            // The last request of the window: the page carries the wait.
            let mut response = json(StatusCode::OK, USER_2);
            let h = response.headers_mut();
            h.insert("x-ratelimit-remaining", HeaderValue::from_static("0.0"));
            h.insert("x-ratelimit-reset", HeaderValue::from_static("58"));
            response
        }
        Some(_) => json(
            StatusCode::BAD_REQUEST,
            r#"{"message": "Bad Request", "error": 400}"#,
        ),
    }
}

async fn rate_limited() -> Response {
    let mut response = json(StatusCode::TOO_MANY_REQUESTS, LIMITED);
    let h = response.headers_mut();
    h.insert("x-ratelimit-remaining", HeaderValue::from_static("0.0"));
    h.insert("x-ratelimit-used", HeaderValue::from_static("100"));
    h.insert("x-ratelimit-reset", HeaderValue::from_static("412"));
    h.insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
    response
}

async fn login_wall() -> Response {
    let body = r#"<!DOCTYPE html><html id="XF" data-xf="2.2" data-app="public" data-template="login"><body>
        <div class="blockMessage">You must be logged-in to do that.</div>
        <form action="/login/login" method="post" class="block"><input type="text" name="login"></form></body></html>"#;
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/html")],
        body,
    )
        .into_response()
}

async fn big_page() -> Response {
    // 17 MiB streamed without a Content-Length: the reader must stop on its own.
    let mut chunk = b"<p>".to_vec();
    chunk.resize(64 * 1024, b'x');
    let chunks = (0..17 * 16).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
    let body = axum::body::Body::from_stream(futures_util::stream::iter(chunks));
    ([(header::CONTENT_TYPE, "text/html")], body).into_response()
}

pub fn ctx() -> ExtractContext {
    ExtractContext {
        client: reqwest::Client::new(),
        cookies: None,
        limit: None,
    }
}

pub fn url(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

pub fn paths(seen: &Seen) -> Vec<String> {
    seen.lock()
        .map(|s| s.iter().map(|(p, _, _)| p.clone()).collect())
        .unwrap_or_default()
}
