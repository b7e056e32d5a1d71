//! A fake Real-Debrid REST API 1.0 and OAuth v2: `{error, error_code}` errors with
//! real HTTP statuses (201/202/204 on success where the real one uses them), Bearer
//! auth only in the header, the OAuth device flow with refresh, magnets and
//! .torrent uploads, the conversion → file selection → download → downloaded flow,
//! hoster links per selected file, unrestrict, delete and the user.
//!
//! Fault endpoint names are the path after `/rest/1.0/` or `/oauth/v2/` without
//! an id: `torrents/addMagnet`, `torrents/info`, `torrents/selectFiles`,
//! `unrestrict/link`, `user`, `device/code`, `device/credentials`, `token`.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{
    AppState, FakeServer, FakeState, FakeTorrent, Fault, field, form_body, lock, with_retry_after,
};

/// The client id Real-Debrid publishes for open-source apps.
const OPEN_SOURCE_CLIENT_ID: &str = "X245A4XAIBGVM";
const DEVICE_GRANT: &str = "http://oauth.net/grant_type/device/1.0";

/// Starts a fake Real-Debrid that accepts `api_key` (and the OAuth access tokens it
/// hands out, which are `api_key` + `.` + a number).
pub async fn start(api_key: &str) -> std::io::Result<FakeServer> {
    FakeServer::start(api_key, Router::new().fallback(handle)).await
}

fn error(status: StatusCode, error: &str, code: i64) -> Response {
    (status, Json(json!({"error": error, "error_code": code}))).into_response()
}

fn bad_token() -> Response {
    error(StatusCode::UNAUTHORIZED, "bad_token", 8)
}

fn unknown_resource() -> Response {
    error(StatusCode::NOT_FOUND, "unknown_ressource", 7)
}

fn fault_response(fault: Fault) -> Response {
    match fault {
        Fault::Api {
            status,
            code,
            message,
        } => {
            let body = match code.parse::<i64>() {
                Ok(code) => json!({"error": message, "error_code": code}),
                Err(_) => json!({"error": message}),
            };
            (
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
                Json(body),
            )
                .into_response()
        }
        Fault::Http {
            status,
            retry_after,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let response = if status == StatusCode::TOO_MANY_REQUESTS {
                // The real 429 carries the JSON error.
                error(status, "too_many_requests", 34)
            } else {
                (status, "<html>busy</html>").into_response()
            };
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
    let form = form_body(&headers, &body);
    let (oauth, rest) = if let Some(rest) = path.strip_prefix("/rest/1.0/") {
        (false, rest)
    } else if let Some(rest) = path.strip_prefix("/oauth/v2/") {
        (true, rest)
    } else {
        return error(StatusCode::NOT_FOUND, "unknown_method", 3);
    };
    // `torrents/info/{id}` and the like: the name without the id, and the id.
    let segments: Vec<&str> = rest.split('/').collect();
    let (endpoint, id) = match segments.as_slice() {
        ["torrents", action, id] => (format!("torrents/{action}"), Some(id.to_string())),
        _ => (rest.to_string(), None),
    };
    let mut state = lock(&app.state);
    if let Some(fault) = state.take_fault(&endpoint) {
        return fault_response(fault);
    }
    if oauth {
        return handle_oauth(&mut state, &app.base, &method, &endpoint, &query, &form);
    }
    // Everything else needs a token, and only in the header.
    let authorized = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|token| token_valid(&state.api_key, token));
    if !authorized {
        return bad_token();
    }
    let base = app.base.clone();
    let id = id.and_then(|id| id.parse::<u64>().ok());
    match (method.as_str(), endpoint.as_str()) {
        ("GET", "user") => Json(json!({
            "id": 1, "username": "haul-tester", "email": "t@example.invalid", "points": 0,
            "locale": "en", "avatar": "", "type": "premium", "premium": 31_536_000u64,
            "expiration": "2030-01-01T00:00:00.000Z",
        }))
        .into_response(),
        ("POST", "torrents/addMagnet") => {
            let Some(magnet) = field(&query, &form, "magnet") else {
                return error(StatusCode::BAD_REQUEST, "parameter_missing", 1);
            };
            let Some(hash) = btih(&magnet) else {
                return error(StatusCode::BAD_REQUEST, "parameter_not_valid", 2);
            };
            let torrent = state
                .known
                .get(&hash)
                .cloned()
                .unwrap_or_else(|| unknown_torrent(&hash));
            created(&base, state.add(torrent))
        }
        ("PUT", "torrents/addTorrent") => {
            // The fake recognises a torrent by its name inside the bencoded body.
            let found = state
                .known
                .values()
                .find(|t| {
                    contains(
                        &body,
                        format!("4:name{}:{}", t.name.len(), t.name).as_bytes(),
                    )
                })
                .cloned();
            match found {
                Some(torrent) => created(&base, state.add(torrent)),
                None => error(StatusCode::BAD_REQUEST, "torrent_file_invalid", 30),
            }
        }
        ("GET", "torrents/info") => match id.and_then(|id| info(&mut state, &base, id)) {
            Some(info) => Json(info).into_response(),
            None => unknown_resource(),
        },
        ("POST", "torrents/selectFiles") => {
            let Some(id) = id else {
                return unknown_resource();
            };
            select_files(
                &mut state,
                id,
                &field(&query, &form, "files").unwrap_or_default(),
            )
        }
        ("DELETE", "torrents/delete") => match id {
            Some(id) if state.remove(id) => StatusCode::NO_CONTENT.into_response(),
            _ => unknown_resource(),
        },
        ("POST", "unrestrict/link") => {
            let Some(link) = field(&query, &form, "link") else {
                return error(StatusCode::BAD_REQUEST, "parameter_missing", 1);
            };
            let Some((id, index)) = parse_hoster_link(&base, &link) else {
                return error(StatusCode::BAD_REQUEST, "hoster_unsupported", 16);
            };
            let file = state
                .get_mut(id)
                .and_then(|added| added.torrent.files.get(index).cloned());
            let (Some(file), Some(direct)) = (file, state.mint_link(&base, id, index)) else {
                return error(StatusCode::SERVICE_UNAVAILABLE, "unavailable_file", 24);
            };
            let name = file.path.last().cloned().unwrap_or_default();
            Json(json!({
                "id": format!("UNR{id}X{index}"), "filename": name,
                "mimeType": "application/octet-stream", "filesize": file.bytes.len(),
                "link": link, "host": "real-debrid.com", "chunks": 32, "crc": 1,
                "download": direct, "streamable": 0,
            }))
            .into_response()
        }
        (_, "user" | "torrents/addMagnet" | "torrents/addTorrent" | "torrents/info")
        | (_, "torrents/selectFiles" | "torrents/delete" | "unrestrict/link") => {
            error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", 4)
        }
        _ => error(StatusCode::NOT_FOUND, "unknown_method", 3),
    }
}

/// The key itself, or an access token this fake handed out for it.
fn token_valid(api_key: &str, token: &str) -> bool {
    token == api_key
        || token
            .strip_prefix(api_key)
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn created(base: &str, id: u64) -> Response {
    (
        StatusCode::CREATED,
        Json(json!({"id": id.to_string(), "uri": format!("{base}/rest/1.0/torrents/info/{id}")})),
    )
        .into_response()
}

/// A hash the swarm does not know: it stays in magnet conversion forever.
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

/// Where a torrent is, from what has happened to it (not counting a poll).
fn phase(state: &FakeState, added: &super::Added) -> &'static str {
    if !state.known.contains_key(&added.torrent.hash) {
        "magnet_conversion"
    } else if added.selected.is_none() {
        // The first poll sees the conversion; after it, the files wait for a choice.
        if added.polls <= 1 {
            "magnet_conversion"
        } else {
            "waiting_files_selection"
        }
    } else if added.torrent.fails {
        "dead"
    } else if added.torrent.cached || added.polls > added.torrent.polls_before_ready {
        "downloaded"
    } else {
        "downloading"
    }
}

/// `GET /torrents/info/{id}`, counting the poll.
fn info(state: &mut FakeState, base: &str, id: u64) -> Option<Value> {
    let added = state.get_mut(id)?;
    added.polls = added.polls.saturating_add(1);
    let added = added.clone();
    let status = phase(state, &added);
    let torrent = &added.torrent;
    let selected = added.selected.clone().unwrap_or_default();
    let files: Vec<Value> = if status == "magnet_conversion" {
        Vec::new()
    } else {
        torrent
            .files
            .iter()
            .enumerate()
            .map(|(index, file)| {
                json!({
                    "id": index + 1,
                    "path": format!("/{}", file.path.join("/")),
                    "bytes": file.bytes.len(),
                    "selected": u8::from(selected.contains(&index)),
                })
            })
            .collect()
    };
    let links: Vec<String> = if status == "downloaded" {
        let mut chosen = selected.clone();
        chosen.sort_unstable();
        chosen
            .iter()
            .map(|index| format!("{base}/d/{id}-{index}"))
            .collect()
    } else {
        Vec::new()
    };
    let total = torrent.total_size();
    let selected_bytes: u64 = torrent
        .files
        .iter()
        .enumerate()
        .filter(|(index, _)| selected.contains(index))
        .map(|(_, file)| file.bytes.len() as u64)
        .sum();
    let progress = match status {
        "downloaded" => 100,
        "downloading" => u64::from(added.polls) * 100 / (u64::from(torrent.polls_before_ready) + 1),
        _ => 0,
    };
    let mut info = json!({
        "id": id.to_string(),
        "filename": torrent.name,
        "original_filename": torrent.name,
        "hash": torrent.hash,
        "bytes": if added.selected.is_some() { selected_bytes } else { total },
        "original_bytes": total,
        "host": "real-debrid.com",
        "split": 2000,
        "progress": progress,
        "status": status,
        "added": "2024-01-01T00:00:00.000Z",
        "files": files,
        "links": links,
    });
    if let Some(object) = info.as_object_mut() {
        if status == "downloading" {
            object.insert("speed".into(), json!(1_048_576));
            object.insert("seeders".into(), json!(12));
        }
        if status == "magnet_conversion" {
            object.insert("seeders".into(), json!(0));
        }
        if status == "downloaded" {
            object.insert("ended".into(), json!("2024-01-01T00:10:00.000Z"));
        }
    }
    Some(info)
}

/// `POST /torrents/selectFiles/{id}`: only while waiting for the choice.
fn select_files(state: &mut FakeState, id: u64, files: &str) -> Response {
    let Some(added) = state.get_mut(id).map(|added| added.clone()) else {
        return unknown_resource();
    };
    if added.selected.is_some() {
        return error(StatusCode::ACCEPTED, "action_already_done", 31);
    }
    if phase(state, &added) != "waiting_files_selection" {
        // What clients see when they choose before the conversion is done.
        return unknown_resource();
    }
    let count = added.torrent.files.len();
    let chosen: Option<Vec<usize>> = if files.trim() == "all" {
        Some((0..count).collect())
    } else {
        files
            .split(',')
            .map(|id| {
                id.trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .filter(|index| *index < count)
            })
            .collect()
    };
    let Some(mut chosen) = chosen.filter(|c| !c.is_empty()) else {
        return error(StatusCode::NOT_FOUND, "wrong_parameter", 2);
    };
    chosen.sort_unstable();
    chosen.dedup();
    if let Some(added) = state.get_mut(id) {
        added.selected = Some(chosen);
        // Download polls count from the choice.
        added.polls = 0;
    }
    StatusCode::NO_CONTENT.into_response()
}

fn parse_hoster_link(base: &str, link: &str) -> Option<(u64, usize)> {
    let rest = link.strip_prefix(base)?.strip_prefix("/d/")?;
    let (id, index) = rest.split_once('-')?;
    Some((id.parse().ok()?, index.parse().ok()?))
}

/// The device flow: a code, credentials once the user confirmed
/// ([`FakeServer::confirm_logins`]), then tokens; refresh with the refresh token.
fn handle_oauth(
    state: &mut FakeState,
    base: &str,
    method: &Method,
    endpoint: &str,
    query: &str,
    form: &str,
) -> Response {
    match (method.as_str(), endpoint) {
        ("GET", "device/code") => {
            if field(query, "", "client_id").as_deref() != Some(OPEN_SOURCE_CLIENT_ID) {
                return error(StatusCode::BAD_REQUEST, "invalid_client", 2);
            }
            let n = state.logins.len() + 1;
            let device_code = format!("DEVICE{n:034}");
            state.logins.insert(device_code.clone(), false);
            Json(json!({
                "device_code": device_code,
                "user_code": format!("HAUL{n:04}"),
                "interval": 5,
                "expires_in": 1800,
                "verification_url": format!("{base}/device"),
                "direct_verification_url": format!("{base}/device?code=HAUL{n:04}"),
            }))
            .into_response()
        }
        ("GET", "device/credentials") => {
            if field(query, "", "client_id").as_deref() != Some(OPEN_SOURCE_CLIENT_ID) {
                return error(StatusCode::BAD_REQUEST, "invalid_client", 2);
            }
            let code = field(query, "", "code").unwrap_or_default();
            match state.logins.get(&code) {
                Some(true) => Json(json!({
                    "client_id": format!("client-{code}"),
                    "client_secret": format!("secret-{code}"),
                }))
                .into_response(),
                Some(false) => (
                    StatusCode::FORBIDDEN,
                    Json(json!({"error": "authorization_pending"})),
                )
                    .into_response(),
                None => error(StatusCode::FORBIDDEN, "unknown_ressource", 7),
            }
        }
        ("POST", "token") => {
            let client_id = field("", form, "client_id").unwrap_or_default();
            let client_secret = field("", form, "client_secret").unwrap_or_default();
            let code = field("", form, "code").unwrap_or_default();
            if field("", form, "grant_type").as_deref() != Some(DEVICE_GRANT) {
                return error(StatusCode::BAD_REQUEST, "unsupported_grant_type", 2);
            }
            let device_ok = state.logins.get(&code) == Some(&true)
                && client_id == format!("client-{code}")
                && client_secret == format!("secret-{code}");
            let refresh_ok =
                code.starts_with("refresh-") && !client_id.is_empty() && !client_secret.is_empty();
            if !device_ok && !refresh_ok {
                return error(StatusCode::FORBIDDEN, "invalid_grant", 9);
            }
            let n = state.requests.len();
            Json(json!({
                "access_token": format!("{}.{n}", state.api_key),
                "expires_in": 3600,
                "token_type": "Bearer",
                "refresh_token": format!("refresh-{n}"),
            }))
            .into_response()
        }
        _ => error(StatusCode::NOT_FOUND, "unknown_method", 3),
    }
}
