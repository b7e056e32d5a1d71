//! A fake TorBox API v1: the `{success, error, detail, data}` envelope with real
//! HTTP statuses, Bearer auth (but `requestdl` checks its `token` query, as the real
//! one does), createtorrent by multipart magnet or file (cached torrents are ready
//! at once), mylist, requestdl minting CDN links (or redirecting), controltorrent
//! and the user.
//!
//! Fault endpoint names are the path after `/v1/api/`: `torrents/createtorrent`,
//! `torrents/mylist`, `torrents/requestdl`, `torrents/controltorrent`, `user/me`.
//! A [`Fault::Http`] answers as text/plain, like TorBox's own bare errors.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{AppState, FakeServer, FakeState, FakeTorrent, Fault, field, lock, with_retry_after};

/// Starts a fake TorBox that accepts `api_key`.
pub async fn start(api_key: &str) -> std::io::Result<FakeServer> {
    FakeServer::start(api_key, Router::new().fallback(handle)).await
}

fn success(detail: &str, data: Value) -> Response {
    Json(json!({"success": true, "error": null, "detail": detail, "data": data})).into_response()
}

fn error(status: StatusCode, code: &str, detail: &str) -> Response {
    (
        status,
        Json(json!({"success": false, "error": code, "detail": detail, "data": null})),
    )
        .into_response()
}

fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "ITEM_NOT_FOUND",
        "The item you queried cannot be found.",
    )
}

fn fault_response(fault: Fault) -> Response {
    match fault {
        Fault::Api {
            status,
            code,
            message,
        } => error(
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            &code,
            &message,
        ),
        Fault::Http {
            status,
            retry_after,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let response = (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                status.canonical_reason().unwrap_or("Error"),
            )
                .into_response();
            with_retry_after(response, retry_after)
        }
        Fault::NotJson => (StatusCode::OK, "<html>maintenance</html>").into_response(),
    }
}

async fn handle(
    State(app): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let query = uri.query().unwrap_or("").to_string();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let Some(endpoint) = path.strip_prefix("/v1/api/") else {
        return error(
            StatusCode::NOT_FOUND,
            "ENDPOINT_NOT_FOUND",
            "You have hit an endpoint that doesn't exist.",
        );
    };
    let mut state = lock(&app.state);
    if let Some(fault) = state.take_fault(endpoint) {
        return fault_response(fault);
    }
    // requestdl takes the key in its query; everything else in the header.
    if endpoint == "torrents/requestdl" {
        match field(&query, "", "token") {
            None => {
                return (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(
                        json!({"detail": [{"type": "missing", "loc": ["query", "token"],
                        "msg": "Field required", "input": null}]}),
                    ),
                )
                    .into_response();
            }
            Some(token) if token != state.api_key => {
                return error(
                    StatusCode::FORBIDDEN,
                    "BAD_TOKEN",
                    "The provided token is invalid.",
                );
            }
            Some(_) => {}
        }
    } else {
        match headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            None => {
                return error(
                    StatusCode::FORBIDDEN,
                    "NO_AUTH",
                    "There are no provided credentials.",
                );
            }
            Some(value) if value != format!("Bearer {}", state.api_key) => {
                return error(
                    StatusCode::FORBIDDEN,
                    "BAD_TOKEN",
                    "The provided token is invalid.",
                );
            }
            Some(_) => {}
        }
    }
    let base = app.base.clone();
    match (method.as_str(), endpoint) {
        ("GET", "user/me") => success(
            "User data retrieved successfully.",
            json!({
                "id": 1, "auth_id": "fake-auth", "email": "haul-tester@example.invalid",
                "plan": 2, "total_downloaded": 0, "customer": "cus_fake",
                "is_subscribed": true, "premium_expires_at": "2030-01-01T00:00:00Z",
                "created_at": "2024-01-01T00:00:00Z",
            }),
        ),
        ("POST", "torrents/createtorrent") => {
            let fields = if content_type.starts_with("multipart/form-data") {
                multipart_fields(&content_type, &body)
            } else {
                super::form_fields(&String::from_utf8_lossy(&body))
                    .into_iter()
                    .map(|(k, v)| (k, v.into_bytes()))
                    .collect()
            };
            let value = |name: &str| {
                fields
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            let torrent = if let Some(magnet) = value("magnet") {
                let magnet = String::from_utf8_lossy(&magnet).into_owned();
                let Some(hash) = btih(&magnet) else {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "BOZO_TORRENT",
                        "The torrent sent is not a valid torrent.",
                    );
                };
                state
                    .known
                    .get(&hash)
                    .cloned()
                    .unwrap_or_else(|| unknown_torrent(&hash))
            } else if let Some(file) = value("file") {
                // The fake recognises a torrent by its name inside the bencoded body.
                let found = state.known.values().find(|t| {
                    contains(
                        &file,
                        format!("4:name{}:{}", t.name.len(), t.name).as_bytes(),
                    )
                });
                match found {
                    Some(torrent) => torrent.clone(),
                    None => {
                        return error(
                            StatusCode::BAD_REQUEST,
                            "BOZO_TORRENT",
                            "The torrent sent is not a valid torrent.",
                        );
                    }
                }
            } else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "MISSING_REQUIRED_OPTION",
                    "You must provide either a file or magnet link.",
                );
            };
            let existing = state
                .added
                .iter()
                .find(|(_, a)| a.torrent.hash == torrent.hash)
                .map(|(id, _)| *id);
            let (cached, hash) = (torrent.cached && !torrent.fails, torrent.hash.clone());
            let id = match existing {
                Some(id) => id,
                None => state.add(torrent),
            };
            let detail = if cached {
                "Found Cached Torrent. Using Cached Torrent."
            } else {
                "Successfully created torrent."
            };
            success(
                detail,
                json!({"torrent_id": id, "hash": hash, "auth_id": "fake-auth"}),
            )
        }
        ("GET", "torrents/mylist") => {
            let id = field(&query, "", "id");
            match id {
                Some(id) => match id.parse::<u64>().ok().and_then(|id| mylist(&mut state, id)) {
                    Some(torrent) => success("Torrent list retrieved successfully.", torrent),
                    None => not_found(),
                },
                None => {
                    let ids: Vec<u64> = state.added.iter().map(|(id, _)| *id).collect();
                    let list: Vec<Value> = ids
                        .into_iter()
                        .filter_map(|id| mylist(&mut state, id))
                        .collect();
                    success("Torrent list retrieved successfully.", Value::Array(list))
                }
            }
        }
        ("GET", "torrents/requestdl") => {
            let id = field(&query, "", "torrent_id").and_then(|id| id.parse::<u64>().ok());
            let Some((id, added)) = id.and_then(|id| state.get_mut(id).map(|a| (id, a.clone())))
            else {
                return not_found();
            };
            let Some(file_id) = field(&query, "", "file_id") else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "MISSING_REQUIRED_OPTION",
                    "A file_id or zip_link is required.",
                );
            };
            if !ready(&added) {
                return error(
                    StatusCode::BAD_REQUEST,
                    "DIFF_ISSUE",
                    "The download is not ready yet.",
                );
            }
            let Some(link) = file_id
                .parse::<usize>()
                .ok()
                .and_then(|index| state.mint_link(&base, id, index))
            else {
                return not_found();
            };
            if field(&query, "", "redirect").as_deref() == Some("true") {
                let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
                if let Ok(value) = HeaderValue::from_str(&link) {
                    response.headers_mut().insert(header::LOCATION, value);
                }
                return response;
            }
            success("Download link generated.", json!(link))
        }
        ("POST", "torrents/controltorrent") => {
            let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let id = match &request["torrent_id"] {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            };
            let Some(id) = id.filter(|id| state.get_mut(*id).is_some()) else {
                return not_found();
            };
            match request["operation"].as_str() {
                Some("delete") => {
                    state.remove(id);
                    success("Torrent deleted successfully.", Value::Null)
                }
                Some("reannounce" | "resume" | "pause") => {
                    success("Torrent updated successfully.", Value::Null)
                }
                _ => error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_OPTION",
                    "The provided option is invalid.",
                ),
            }
        }
        (
            _,
            "user/me"
            | "torrents/createtorrent"
            | "torrents/mylist"
            | "torrents/requestdl"
            | "torrents/controltorrent",
        ) => (
            StatusCode::METHOD_NOT_ALLOWED,
            Json(json!({"detail": "Method Not Allowed"})),
        )
            .into_response(),
        _ => error(
            StatusCode::NOT_FOUND,
            "ENDPOINT_NOT_FOUND",
            "You have hit an endpoint that doesn't exist.",
        ),
    }
}

/// A hash the swarm does not know: it stays in metaDL forever.
fn unknown_torrent(hash: &str) -> FakeTorrent {
    FakeTorrent {
        hash: hash.to_string(),
        name: hash.to_string(),
        files: Vec::new(),
        cached: false,
        polls_before_ready: u32::MAX,
        fails: false,
    }
}

fn btih(magnet: &str) -> Option<String> {
    magnet
        .split(['?', '&'])
        .find_map(|part| part.strip_prefix("xt=urn:btih:"))
        .map(str::to_ascii_lowercase)
        .filter(|h| h.len() == 40 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn ready(added: &super::Added) -> bool {
    !added.torrent.fails && (added.torrent.cached || added.polls > added.torrent.polls_before_ready)
}

/// One `mylist` object, counting the poll.
fn mylist(state: &mut FakeState, id: u64) -> Option<Value> {
    let hash = state.get_mut(id)?.torrent.hash.clone();
    let known = state.known.contains_key(&hash);
    let added = state.get_mut(id)?;
    added.polls = added.polls.saturating_add(1);
    let torrent = &added.torrent;
    let total = torrent.total_size();
    let (download_state, progress, finished, present) = if !known {
        ("metaDL", 0.0, false, false)
    } else if torrent.fails {
        ("error", 0.0, false, false)
    } else if ready(added) {
        (
            if torrent.cached {
                "cached"
            } else {
                "completed"
            },
            1.0,
            true,
            true,
        )
    } else {
        let done = f64::from(added.polls) / (f64::from(torrent.polls_before_ready) + 1.0);
        ("downloading", done, false, false)
    };
    let downloading = download_state == "downloading";
    let files: Vec<Value> = if known {
        torrent
            .files
            .iter()
            .enumerate()
            .map(|(index, file)| {
                // The full path, root folder included (the test's paths carry it).
                let name = file.path.join("/");
                json!({
                    "id": index, "md5": null, "hash": format!("{:040x}", index),
                    "name": name, "size": file.bytes.len(), "zipped": false,
                    "s3_path": format!("{}/{}", torrent.hash, name),
                    "infected": false, "mimetype": "application/octet-stream",
                    "short_name": file.path.last().cloned().unwrap_or_default(),
                    "absolute_path": format!("/downloads/{name}"),
                    "opensubtitles_hash": null,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(json!({
        "id": id, "auth_id": "fake-auth", "server": 1, "hash": torrent.hash,
        "name": torrent.name, "magnet": null, "size": total, "active": !finished,
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
        "download_state": download_state, "seeds": if downloading { 12 } else { 0 },
        "peers": 0, "ratio": 0.0, "progress": progress,
        "download_speed": if downloading { 1_048_576 } else { 0 }, "upload_speed": 0,
        "eta": if downloading { 10 } else { 0 }, "torrent_file": false,
        "expires_at": null, "download_present": present, "download_finished": finished,
        "files": files, "inactive_check": 0, "availability": 1.0,
    }))
}

/// The named parts of a `multipart/form-data` body.
fn multipart_fields(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let Some(boundary) = content_type
        .split(';')
        .find_map(|part| part.trim().strip_prefix("boundary="))
    else {
        return Vec::new();
    };
    let delimiter = format!("--{}", boundary.trim_matches('"')).into_bytes();
    let mut fields = Vec::new();
    let mut rest = body;
    while let Some(start) = find(rest, &delimiter) {
        rest = rest.get(start + delimiter.len()..).unwrap_or_default();
        if rest.starts_with(b"--") {
            break;
        }
        let end = find(rest, &delimiter).unwrap_or(rest.len());
        let part = rest.get(..end).unwrap_or_default();
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        if let Some(split) = find(part, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(part.get(..split).unwrap_or_default());
            let content = part.get(split + 4..).unwrap_or_default().to_vec();
            let name = head
                .split(';')
                .find_map(|p| p.trim().strip_prefix("name=\""))
                .and_then(|n| n.split('"').next())
                .map(str::to_string);
            if let Some(name) = name {
                fields.push((name, content));
            }
        }
    }
    fields
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}
