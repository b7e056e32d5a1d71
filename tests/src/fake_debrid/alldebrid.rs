//! A fake AllDebrid API v4/v4.1: the `{status, data|error}` envelope (errors as
//! HTTP 200 like the real one), Bearer auth, PIN login, magnet upload by URI and
//! file, status in standard and live (session/counter) mode, the files tree,
//! unlock with delayed links, delete and restart.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{
    AppState, FakeServer, FakeState, FakeTorrent, Fault, field, form_body, form_fields, lock,
    with_retry_after,
};

/// Starts a fake AllDebrid that accepts `api_key`.
pub async fn start(api_key: &str) -> std::io::Result<FakeServer> {
    FakeServer::start(api_key, Router::new().fallback(handle)).await
}

fn success(data: Value) -> Response {
    Json(json!({"status": "success", "data": data})).into_response()
}

fn error(code: &str, message: &str) -> Response {
    Json(json!({"status": "error", "error": {"code": code, "message": message}})).into_response()
}

use axum::Json;

fn fault_response(fault: Fault) -> Response {
    match fault {
        Fault::Api {
            status,
            code,
            message,
        } => {
            let mut response = error(&code, &message);
            *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            response
        }
        Fault::Http {
            status,
            retry_after,
        } => {
            let response = (
                StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
                "<html>busy</html>",
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
    let form = form_body(&headers, &body);
    let endpoint = path
        .trim_start_matches("/v4.1/")
        .trim_start_matches("/v4/")
        .to_string();
    let mut state = lock(&app.state);
    if let Some(fault) = state.take_fault(&endpoint) {
        return fault_response(fault);
    }
    let versioned = |v4: bool| {
        if v4 {
            path.starts_with("/v4/")
        } else {
            path.starts_with("/v4.1/")
        }
    };
    // Public PIN endpoints.
    match (method.as_str(), endpoint.as_str()) {
        ("GET", "pin/get") if versioned(false) => {
            let pin = format!("PIN{}", state.logins.len() + 1);
            let check = format!("{:040x}", state.logins.len() + 1);
            state.logins.insert(format!("{check}\n{pin}"), false);
            return success(json!({
                "pin": pin,
                "check": check,
                "expires_in": 600,
                "user_url": format!("{}/pin/?pin={pin}", app.base),
                "base_url": format!("{}/pin/", app.base),
            }));
        }
        ("POST", "pin/check") if versioned(true) => {
            let pin = field(&query, &form, "pin").unwrap_or_default();
            let check = field(&query, &form, "check").unwrap_or_default();
            return match state.logins.get(&format!("{check}\n{pin}")) {
                None => error("PIN_INVALID", "The pin is invalid"),
                Some(false) => success(json!({"activated": false, "expires_in": 590})),
                Some(true) => success(json!({
                    "activated": true, "expires_in": 590, "apikey": state.api_key,
                })),
            };
        }
        _ => {}
    }
    // Everything else needs the key, and only in the header.
    match headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        None => return error("AUTH_MISSING_APIKEY", "The auth apikey was not sent"),
        Some(value) if value != format!("Bearer {}", state.api_key) => {
            return error("AUTH_BAD_APIKEY", "The auth apikey is invalid");
        }
        Some(_) => {}
    }
    if method != Method::POST && endpoint != "user" {
        return error("404", "Endpoint doesn't exist");
    }
    let base = app.base.clone();
    match endpoint.as_str() {
        "user" if versioned(true) => success(json!({"user": {
            "username": "haul-tester", "email": "t@example.invalid", "isPremium": true,
            "isSubscribed": false, "isTrial": false, "premiumUntil": 1_900_000_000u64,
            "lang": "en", "preferedDomain": "com", "fidelityPoints": 0,
        }})),
        "magnet/upload" if versioned(true) => {
            let magnets: Vec<String> = form_fields(&query)
                .into_iter()
                .chain(form_fields(&form))
                .filter(|(k, _)| k.starts_with("magnets"))
                .map(|(_, v)| v)
                .collect();
            if magnets.is_empty() {
                return error("MAGNET_NO_URI", "No magnet sent");
            }
            let items: Vec<Value> = magnets
                .iter()
                .map(|magnet| upload_one(&mut state, magnet))
                .collect();
            success(json!({"magnets": items}))
        }
        "magnet/upload/file" if versioned(true) => {
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
            let item = match found {
                Some(torrent) => {
                    let ready = torrent.cached;
                    let (name, hash, size) = (
                        torrent.name.clone(),
                        torrent.hash.clone(),
                        torrent.total_size(),
                    );
                    let id = state.add(torrent);
                    json!({"file": "upload.torrent", "name": name, "hash": hash, "size": size,
                           "ready": ready, "id": id})
                }
                None => json!({"file": "upload.torrent",
                    "error": {"code": "MAGNET_INVALID_FILE", "message": "File is not a valid torrent"}}),
            };
            success(json!({"files": [item]}))
        }
        "magnet/status" if versioned(false) => {
            if let Some(id) = field(&query, &form, "id") {
                let Some(id) = id
                    .parse::<u64>()
                    .ok()
                    .filter(|id| state.get_mut(*id).is_some())
                else {
                    return error(
                        "MAGNET_INVALID_ID",
                        "This magnet ID does not exists or is invalid",
                    );
                };
                let magnet = poll(&mut state, id);
                // With an id the real service answers one object, not an array.
                return success(json!({"magnets": magnet}));
            }
            let counter: u64 = field(&query, &form, "counter")
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            let ids: Vec<u64> = state.added.iter().map(|(id, _)| *id).collect();
            let magnets: Vec<Value> = ids.into_iter().map(|id| poll(&mut state, id)).collect();
            if field(&query, &form, "session").is_some() && counter > 0 {
                // A delta: only what may have changed, as id + fields.
                let deltas: Vec<Value> = magnets
                    .into_iter()
                    .map(|m| {
                        json!({"id": m["id"], "statusCode": m["statusCode"],
                        "status": m["status"], "downloaded": m["downloaded"],
                        "downloadSpeed": m["downloadSpeed"]})
                    })
                    .collect();
                success(json!({"magnets": deltas, "counter": counter + 1}))
            } else {
                success(json!({"magnets": magnets, "counter": counter + 1, "fullsync": true}))
            }
        }
        "magnet/files" if versioned(true) => {
            let ids: Vec<String> = form_fields(&query)
                .into_iter()
                .chain(form_fields(&form))
                .filter(|(k, _)| k.starts_with("id"))
                .map(|(_, v)| v)
                .collect();
            let magnets: Vec<Value> = ids
                .iter()
                .map(|id| {
                    let added = id
                        .parse::<u64>()
                        .ok()
                        .and_then(|n| state.get_mut(n).map(|a| (n, a.clone())));
                    match added {
                        Some((n, added)) if ready(&added) => {
                            json!({"id": id, "files": tree(&base, n, &added.torrent)})
                        }
                        Some(_) => json!({"id": id, "error": {"code": "MAGNET_PROCESSING",
                            "message": "Magnet is processing or completed"}}),
                        None => json!({"id": id, "error": {"code": "MAGNET_INVALID_ID",
                            "message": "This magnet ID does not exists or is invalid"}}),
                    }
                })
                .collect();
            success(json!({"magnets": magnets}))
        }
        "link/unlock" if versioned(true) => {
            let Some(link) = field(&query, &form, "link") else {
                return error("LINK_IS_MISSING", "No link was sent");
            };
            let Some((id, index)) = parse_hoster_link(&base, &link) else {
                return error(
                    "LINK_HOST_NOT_SUPPORTED",
                    "This host or link is not supported",
                );
            };
            let Some(direct) = state.mint_link(&base, id, index) else {
                return error(
                    "LINK_DOWN",
                    "This link is not available on the file hoster website",
                );
            };
            let Some(file) = state
                .get_mut(id)
                .and_then(|a| a.torrent.files.get(index).cloned())
            else {
                return error(
                    "LINK_DOWN",
                    "This link is not available on the file hoster website",
                );
            };
            let name = file.path.last().cloned().unwrap_or_default();
            if state.delayed_links > 0 {
                state.delayed_links -= 1;
                let delayed_id = state.delayed.len() as u64 + 1;
                state.delayed.push((direct, 1));
                return success(
                    json!({"link": "", "filename": name, "filesize": file.bytes.len(),
                    "host": "alldebrid", "id": "gen1", "delayed": delayed_id}),
                );
            }
            success(
                json!({"link": direct, "filename": name, "filesize": file.bytes.len(),
                "host": "alldebrid", "hostDomain": "alldebrid.com", "id": "gen1", "streams": [],
                "paws": false}),
            )
        }
        "link/delayed" if versioned(true) => {
            let index = field(&query, &form, "id")
                .and_then(|id| id.parse::<usize>().ok())
                .and_then(|id| id.checked_sub(1));
            let Some((link, waits)) = index.and_then(|i| state.delayed.get_mut(i)) else {
                return error("DELAYED_INVALID_ID", "This delayed link id is invalid");
            };
            if *waits > 0 {
                *waits -= 1;
                return success(json!({"status": 1, "time_left": 1}));
            }
            success(json!({"status": 2, "time_left": 0, "link": link.clone()}))
        }
        "magnet/delete" if versioned(true) => {
            match field(&query, &form, "id").and_then(|id| id.parse().ok()) {
                Some(id) if state.remove(id) => {
                    success(json!({"message": "Magnet was successfully deleted"}))
                }
                _ => error(
                    "MAGNET_INVALID_ID",
                    "This magnet ID does not exists or is invalid",
                ),
            }
        }
        "magnet/restart" if versioned(true) => {
            match field(&query, &form, "id").and_then(|id| id.parse().ok()) {
                Some(id) => match state.get_mut(id) {
                    Some(added) => {
                        added.torrent.fails = false;
                        added.polls = 0;
                        success(json!({"message": "Magnet was successfully restarted"}))
                    }
                    None => error(
                        "MAGNET_INVALID_ID",
                        "This magnet ID does not exists or is invalid",
                    ),
                },
                None => error(
                    "MAGNET_INVALID_ID",
                    "This magnet ID does not exists or is invalid",
                ),
            }
        }
        _ => error("404", "Endpoint doesn't exist"),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn upload_one(state: &mut FakeState, magnet: &str) -> Value {
    let hash = magnet
        .split(['?', '&'])
        .find_map(|part| part.strip_prefix("xt=urn:btih:"))
        .map(str::to_ascii_lowercase);
    let Some(hash) = hash.filter(|h| h.len() == 40 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    else {
        return json!({"magnet": magnet,
            "error": {"code": "MAGNET_INVALID_URI", "message": "Magnet is not valid"}});
    };
    if let Some((id, added)) = state.added.iter().find(|(_, a)| a.torrent.hash == hash) {
        // Adding a magnet that is already on the account returns the same id.
        return json!({"magnet": magnet, "hash": hash, "name": added.torrent.name,
            "size": added.torrent.total_size(), "ready": ready(added), "id": id});
    }
    // A hash the swarm does not know stays in the queue forever, like a dead torrent.
    let torrent = state
        .known
        .get(&hash)
        .cloned()
        .unwrap_or_else(|| FakeTorrent {
            hash: hash.clone(),
            name: "noname".into(),
            files: Vec::new(),
            cached: false,
            polls_before_ready: u32::MAX,
            fails: false,
        });
    let ready_now = torrent.cached && !torrent.fails;
    let (name, size) = (torrent.name.clone(), torrent.total_size());
    let id = state.add(torrent);
    json!({"magnet": magnet, "hash": hash, "name": name, "size": size, "ready": ready_now, "id": id})
}

fn ready(added: &super::Added) -> bool {
    !added.torrent.fails && (added.torrent.cached || added.polls > added.torrent.polls_before_ready)
}

/// One status object, counting the poll.
fn poll(state: &mut FakeState, id: u64) -> Value {
    let Some(added) = state.get_mut(id) else {
        return Value::Null;
    };
    added.polls = added.polls.saturating_add(1);
    let total = added.torrent.total_size();
    let (code, text, downloaded) = if added.torrent.fails {
        (15, "File not available - no peer", 0)
    } else if ready(added) {
        (4, "Ready", total)
    } else if added.torrent.polls_before_ready == u32::MAX {
        (0, "In Queue.", 0)
    } else {
        let done =
            total * u64::from(added.polls) / (u64::from(added.torrent.polls_before_ready) + 1);
        (1, "Downloading", done)
    };
    json!({
        "id": id, "filename": added.torrent.name, "size": total, "hash": added.torrent.hash,
        "status": text, "statusCode": code, "downloaded": downloaded, "uploaded": 0,
        "seeders": if code == 1 { 12 } else { 0 },
        "downloadSpeed": if code == 1 { 1_048_576 } else { 0 }, "uploadSpeed": 0,
        "uploadDate": 1_700_000_000u64, "completionDate": if code == 4 { 1_700_000_100u64 } else { 0 },
        "nbLinks": if code == 4 { added.torrent.files.len() } else { 0 },
    })
}

/// The `n`/`e`/`s`/`l` tree of a torrent's files, folders first-seen order.
fn tree(base: &str, id: u64, torrent: &FakeTorrent) -> Value {
    let mut root: Vec<Value> = Vec::new();
    for (index, file) in torrent.files.iter().enumerate() {
        let mut level = &mut root;
        let (name, folders) = match file.path.split_last() {
            Some(split) => split,
            None => continue,
        };
        for folder in folders {
            let position = level
                .iter()
                .position(|node| node["n"] == *folder && node.get("e").is_some());
            let position = match position {
                Some(p) => p,
                None => {
                    level.push(json!({"n": folder, "e": []}));
                    level.len() - 1
                }
            };
            level = match level[position]["e"].as_array_mut() {
                Some(entries) => entries,
                None => return Value::Null,
            };
        }
        level
            .push(json!({"n": name, "s": file.bytes.len(), "l": format!("{base}/f/{id}-{index}")}));
    }
    Value::Array(root)
}

fn parse_hoster_link(base: &str, link: &str) -> Option<(u64, usize)> {
    let rest = link.strip_prefix(base)?.strip_prefix("/f/")?;
    let (id, index) = rest.split_once('-')?;
    Some((id.parse().ok()?, index.parse().ok()?))
}
