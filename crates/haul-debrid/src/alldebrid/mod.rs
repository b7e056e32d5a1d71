//! AllDebrid, API v4/v4.1: Bearer auth, the `{status, data|error}` envelope, live
//! status deltas, PIN login, 12 requests/s and 600/min.

mod wire;

use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::http::{self, Reply};
use crate::limits::RequestLimiter;
use crate::magnet::Magnet;
use crate::provider::{
    Account, Added, AuthKind, Capabilities, DebridError, DebridErrorKind, DebridProvider,
    DirectLink, LoginChallenge, LoginPoll, ProviderKind, RemoteFile, RemotePhase, RemoteStatus,
    Result, Secret, Unlocked,
};

const KIND: ProviderKind = ProviderKind::AllDebrid;
/// Live-mode state older than this is refreshed on the next status call.
const STATUS_FRESH_FOR: Duration = Duration::from_millis(900);
/// A full resync now and then catches magnets deleted on the site, which the
/// documented deltas do not announce.
const FULL_SYNC_EVERY: Duration = Duration::from_secs(120);

pub struct AllDebrid {
    base: url::Url,
    key: Option<Secret>,
    client: reqwest::Client,
    limiter: RequestLimiter,
    live: Mutex<LiveStatus>,
}

/// What live mode has told us so far: every magnet's merged fields.
struct LiveStatus {
    session: u32,
    counter: u64,
    magnets: HashMap<String, serde_json::Map<String, serde_json::Value>>,
    fetched_at: Option<Instant>,
    full_at: Option<Instant>,
}

impl AllDebrid {
    pub fn new(base: url::Url, key: Option<Secret>) -> Result<Self> {
        Ok(Self {
            base,
            key,
            client: http::client().map_err(|e| {
                DebridError::new(
                    KIND,
                    DebridErrorKind::Network,
                    format!("no HTTP client: {e}"),
                )
            })?,
            limiter: RequestLimiter::new(&[
                (12, Duration::from_secs(1)),
                (600, Duration::from_secs(60)),
            ]),
            live: Mutex::new(LiveStatus {
                session: new_session(),
                counter: 0,
                magnets: HashMap::new(),
                fetched_at: None,
                full_at: None,
            }),
        })
    }

    fn key(&self) -> Result<&Secret> {
        self.key.as_ref().ok_or_else(|| {
            DebridError::new(
                KIND,
                DebridErrorKind::AuthInvalid,
                "no API key: log in to AllDebrid under Accounts (or `haul login alldebrid`)",
            )
        })
    }

    /// A POST with form fields and the key in the Authorization header (never in
    /// the URL), unwrapped from the envelope.
    async fn call<T: DeserializeOwned>(&self, path: &str, form: &[(&str, &str)]) -> Result<T> {
        let request = self
            .client
            .post(http::endpoint(&self.base, path))
            .bearer_auth(self.key()?.expose())
            .form(form);
        let reply = http::send(KIND, &self.limiter, request).await?;
        unwrap_envelope(path, &reply)
    }

    /// A public GET (PIN login needs no key).
    async fn public_get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        let request = self.client.get(http::endpoint(&self.base, path));
        let reply = http::send(KIND, &self.limiter, request).await?;
        unwrap_envelope(path, &reply)
    }

    async fn public_post<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<T> {
        let request = self
            .client
            .post(http::endpoint(&self.base, path))
            .form(form);
        let reply = http::send(KIND, &self.limiter, request).await?;
        unwrap_envelope(path, &reply)
    }

    fn first_added(uploaded: wire::Uploaded) -> Result<Added> {
        let item = uploaded.magnets.into_iter().next().ok_or_else(|| {
            DebridError::new(
                KIND,
                DebridErrorKind::Protocol,
                "the upload reply lists no magnet",
            )
        })?;
        if let Some(error) = item.error {
            return Err(api_error(&error, None));
        }
        let remote_id = item
            .id
            .filter(|id| !id.is_empty() && id != "0")
            .ok_or_else(|| {
                DebridError::new(
                    KIND,
                    DebridErrorKind::Protocol,
                    "the upload reply has no magnet id",
                )
            })?;
        Ok(Added {
            remote_id,
            name: item.name.filter(|n| n != "noname"),
            ready: item.ready,
        })
    }

    /// Refreshes the live state with one delta call (or a full one now and then).
    async fn refresh_live(&self, live: &mut LiveStatus) -> Result<()> {
        let now = Instant::now();
        if live
            .full_at
            .is_none_or(|at| now.duration_since(at) >= FULL_SYNC_EVERY)
        {
            live.session = new_session();
            live.counter = 0;
        }
        let session = live.session.to_string();
        let counter = live.counter.to_string();
        let data: wire::StatusData = self
            .call(
                "/v4.1/magnet/status",
                &[("session", &session), ("counter", &counter)],
            )
            .await?;
        if data.fullsync || live.counter == 0 {
            live.magnets.clear();
            live.full_at = Some(now);
        }
        for object in magnet_objects(data.magnets) {
            let Some(id) = object.get("id").and_then(id_of) else {
                continue;
            };
            live.magnets.entry(id).or_default().extend(object);
        }
        live.counter = data.counter.unwrap_or(0);
        live.fetched_at = Some(now);
        Ok(())
    }

    async fn status_by_id(&self, remote_id: &str) -> Result<wire::MagnetStatus> {
        let data: wire::StatusData = self
            .call("/v4.1/magnet/status", &[("id", remote_id)])
            .await?;
        magnet_objects(data.magnets)
            .into_iter()
            .find(|object| object.get("id").and_then(id_of).as_deref() == Some(remote_id))
            .map(|object| parse_status(&serde_json::Value::Object(object)))
            .transpose()?
            .ok_or_else(|| not_found(remote_id))
    }
}

fn not_found(remote_id: &str) -> DebridError {
    DebridError::new(
        KIND,
        DebridErrorKind::NotFound,
        format!("magnet {remote_id} is no longer on your AllDebrid account"),
    )
    .with_code("MAGNET_INVALID_ID")
}

fn new_session() -> u32 {
    // Any number the client picks; distinct per process is enough.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    nanos ^ std::process::id()
}

fn id_of(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn magnet_objects(value: serde_json::Value) -> Vec<serde_json::Map<String, serde_json::Value>> {
    match value {
        serde_json::Value::Array(items) => items
            .into_iter()
            .filter_map(|item| match item {
                serde_json::Value::Object(object) => Some(object),
                _ => None,
            })
            .collect(),
        serde_json::Value::Object(object) if object.contains_key("id") => vec![object],
        // A map keyed by id.
        serde_json::Value::Object(map) => map
            .into_iter()
            .filter_map(|(_, item)| match item {
                serde_json::Value::Object(object) => Some(object),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn parse_status(value: &serde_json::Value) -> Result<wire::MagnetStatus> {
    serde::Deserialize::deserialize(value)
        .map_err(|e| http::protocol_error(KIND, "magnet/status", &e))
}

fn remote_status(magnet: &wire::MagnetStatus) -> RemoteStatus {
    let code = magnet.status_code.unwrap_or(0);
    let phase = match code {
        0 => RemotePhase::Queued,
        1 => RemotePhase::Downloading,
        2 | 3 => RemotePhase::Processing,
        4 => RemotePhase::Ready,
        5..=15 => RemotePhase::Failed,
        other => {
            tracing::warn!(
                code = other,
                "AllDebrid sent an undocumented magnet status code"
            );
            RemotePhase::Processing
        }
    };
    let size = magnet.size.filter(|s| *s > 0);
    let progress = match (phase, magnet.downloaded, size) {
        (RemotePhase::Ready, _, _) => 1.0,
        (_, Some(done), Some(size)) => (done as f64 / size as f64).clamp(0.0, 1.0),
        _ => 0.0,
    };
    let message = magnet
        .status
        .clone()
        .unwrap_or_else(|| status_text(code).to_string());
    RemoteStatus {
        phase,
        name: magnet.filename.clone(),
        size,
        progress,
        bytes_per_second: magnet.download_speed.unwrap_or(0),
        seeders: magnet.seeders.and_then(|s| u32::try_from(s).ok()),
        message,
    }
}

/// The documented meaning of each status code, for replies without a `status` text.
fn status_text(code: u32) -> &'static str {
    match code {
        0 => "In queue",
        1 => "Downloading",
        2 => "Compressing / moving",
        3 => "Uploading",
        4 => "Ready",
        5 => "Upload failed",
        6 => "Internal error while unpacking",
        7 => "Not downloaded in 20 minutes",
        8 => "File too big",
        9 => "Internal error",
        10 => "Download took more than 72 hours",
        11 => "Deleted on the hoster website",
        12 | 13 => "Processing failed",
        14 => "Error while contacting the tracker",
        15 => "File not available: no peer",
        _ => "Unknown status",
    }
}

fn unwrap_envelope<T: DeserializeOwned>(what: &str, reply: &Reply) -> Result<T> {
    // Errors usually come as HTTP 200 with status "error": read the body first.
    let envelope: wire::Envelope<T> = match serde_json::from_slice(&reply.body) {
        Ok(envelope) => envelope,
        Err(error) if reply.status.is_success() => {
            return Err(http::protocol_error(KIND, what, &error));
        }
        Err(_) => return Err(http::status_error(KIND, reply)),
    };
    if envelope.status == "success"
        && let Some(data) = envelope.data
    {
        return Ok(data);
    }
    match envelope.error {
        Some(error) => Err(api_error(&error, reply.retry_after)),
        None if !reply.status.is_success() => Err(http::status_error(KIND, reply)),
        None => Err(DebridError::new(
            KIND,
            DebridErrorKind::Protocol,
            format!(
                "the reply to {what} has status {:?} and no data",
                envelope.status
            ),
        )),
    }
}

/// Every documented error code, as a kind and a message a person can act on.
fn api_error(error: &wire::ApiError, retry_after: Option<std::time::Duration>) -> DebridError {
    use DebridErrorKind as K;
    let (kind, advice) = match error.code.as_str() {
        "AUTH_MISSING_APIKEY" | "AUTH_BAD_APIKEY" => {
            (K::AuthInvalid, "Log in to AllDebrid again under Accounts.")
        }
        "AUTH_BLOCKED" => (
            K::AccountRestricted,
            "Confirm this new location from the e-mail AllDebrid sent, then retry.",
        ),
        "AUTH_USER_BANNED" => (K::AccountRestricted, "Contact AllDebrid's support."),
        "NO_SERVER" | "MAGNET_NO_SERVER" => (
            K::AccountRestricted,
            "AllDebrid refuses requests from servers and VPNs; use another connection.",
        ),
        "MUST_BE_PREMIUM"
        | "MAGNET_MUST_BE_PREMIUM"
        | "FREE_TRIAL_LIMIT_REACHED"
        | "ACCOUNT_INVALID" => (
            K::AccountRestricted,
            "This needs an AllDebrid premium account.",
        ),
        "MAGNET_TOO_MANY_ACTIVE" | "MAGNET_TOO_MANY" => (
            K::LimitReached,
            "Remove finished or stuck magnets on AllDebrid, or wait for some to finish.",
        ),
        "LINK_TOO_MANY_DOWNLOADS" | "LINK_HOST_FULL" | "LINK_HOST_LIMIT_REACHED" => {
            (K::LimitReached, "Wait a while, then retry.")
        }
        "MAGNET_INVALID_URI" | "MAGNET_NO_URI" => {
            (K::InvalidMagnet, "Check the magnet link and add it again.")
        }
        "MAGNET_INVALID_FILE" | "MAGNET_FILE_UPLOAD_FAILED" => (
            K::InvalidTorrent,
            "Check the .torrent file and add it again.",
        ),
        "MAGNET_TOO_LARGE" | "MAGNET_MAGNET_TOO_BIG" => {
            (K::TooLarge, "AllDebrid accepts torrents up to 1 TB.")
        }
        "MAGNET_INVALID_ID" | "DELAYED_INVALID_ID" | "404" => (
            K::NotFound,
            "It is no longer on your AllDebrid account; retry to add it again.",
        ),
        "LINK_DOWN"
        | "LINK_HOST_NOT_SUPPORTED"
        | "LINK_NOT_SUPPORTED"
        | "LINK_PASS_PROTECTED"
        | "LINK_IS_MISSING"
        | "BAD_LINK"
        | "MAGNET_LINKS_REMOVED" => (
            K::LinkDown,
            "The file is no longer available from AllDebrid.",
        ),
        "MAINTENANCE" | "LINK_HOST_UNAVAILABLE" | "LINK_TEMPORARY_UNAVAILABLE" => {
            (K::Maintenance, "Haul will try again later.")
        }
        "TOO_MANY_REQUESTS" => (K::RateLimited, "Haul will slow down and try again."),
        "PIN_EXPIRED" | "PIN_INVALID" => (K::LoginExpired, "Start the login again."),
        "PIN_ALREADY_AUTHED" => (K::AuthInvalid, "Log in again under Accounts."),
        "MAGNET_PROCESSING" => (K::Unsupported, "It is still processing or already done."),
        "GENERIC"
        | "LINK_ERROR"
        | "MAGNET_INTERNAL_ERROR"
        | "MAGNET_UPLOAD_FAILED"
        | "MAGNET_PROCESSING_FAILED"
        | "MAGNET_CANT_BOOTSTRAP"
        | "MAGNET_TOOK_TOO_LONG"
        | "DOWNLOAD_FAILED" => (K::ServerError, "Try again later."),
        _ => (K::Protocol, "An error Haul does not know; try again later."),
    };
    let said = if error.message.is_empty() {
        error.code.clone()
    } else {
        error.message.clone()
    };
    DebridError::new(KIND, kind, format!("{said} ({}). {advice}", error.code))
        .with_code(error.code.clone())
        .with_retry_after(retry_after)
}

/// Flattens the `n`/`e`/`s`/`l` tree; a file's id is its index in tree order.
fn flatten(nodes: Vec<wire::FileNode>, parents: &[String], out: &mut Vec<RemoteFile>) {
    for node in nodes {
        let mut path = parents.to_vec();
        path.push(node.n);
        match node.e {
            Some(entries) => flatten(entries, &path, out),
            None => out.push(RemoteFile {
                id: out.len().to_string(),
                path,
                size: node.s.unwrap_or(0),
                link: node.l.filter(|l| !l.is_empty()),
            }),
        }
    }
}

#[async_trait]
impl DebridProvider for AllDebrid {
    fn kind(&self) -> ProviderKind {
        KIND
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            preselect_files: false,
            cached_on_add: true,
            live_delta: true,
            permalinks: false,
            restart: true,
            auth: AuthKind::Pin,
        }
    }

    async fn account(&self) -> Result<Account> {
        let request = self
            .client
            .get(http::endpoint(&self.base, "/v4/user"))
            .bearer_auth(self.key()?.expose());
        let reply = http::send(KIND, &self.limiter, request).await?;
        let data: wire::UserData = unwrap_envelope("user", &reply)?;
        Ok(Account {
            username: data.user.username,
            premium: data.user.is_premium,
            premium_until: data
                .user
                .premium_until
                .filter(|t| *t > 0)
                .and_then(|t| i64::try_from(t).ok()),
        })
    }

    async fn add_magnet(&self, magnet: &Magnet) -> Result<Added> {
        let uri = magnet.to_uri();
        let uploaded: wire::Uploaded = self
            .call("/v4/magnet/upload", &[("magnets[]", &uri)])
            .await?;
        Self::first_added(uploaded)
    }

    async fn add_torrent(&self, file_name: &str, bytes: &[u8]) -> Result<Added> {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec())
            .file_name(file_name.to_string())
            .mime_str("application/x-bittorrent")
            .map_err(|e| DebridError::new(KIND, DebridErrorKind::Protocol, e.to_string()))?;
        let form = reqwest::multipart::Form::new().part("files[0]", part);
        let request = self
            .client
            .post(http::endpoint(&self.base, "/v4/magnet/upload/file"))
            .bearer_auth(self.key()?.expose())
            .multipart(form);
        let reply = http::send(KIND, &self.limiter, request).await?;
        Self::first_added(unwrap_envelope("magnet/upload/file", &reply)?)
    }

    async fn status(&self, remote_id: &str) -> Result<RemoteStatus> {
        let mut live = self.live.lock().await;
        let fresh = live
            .fetched_at
            .is_some_and(|at| at.elapsed() < STATUS_FRESH_FOR);
        if !fresh || !live.magnets.contains_key(remote_id) {
            self.refresh_live(&mut live).await?;
        }
        let magnet = match live.magnets.get(remote_id) {
            Some(object) => parse_status(&serde_json::Value::Object(object.clone()))?,
            // Live mode does not list it: ask for it alone (a deleted one errors).
            None => {
                drop(live);
                self.status_by_id(remote_id).await?
            }
        };
        Ok(remote_status(&magnet))
    }

    async fn files(&self, remote_id: &str) -> Result<Vec<RemoteFile>> {
        let data: wire::FilesData = self
            .call("/v4/magnet/files", &[("id[]", remote_id)])
            .await?;
        let magnet = data
            .magnets
            .into_iter()
            .find(|m| m.id == remote_id)
            .ok_or_else(|| not_found(remote_id))?;
        if let Some(error) = magnet.error {
            return Err(api_error(&error, None));
        }
        let mut files = Vec::new();
        flatten(magnet.files, &[], &mut files);
        Ok(files)
    }

    async fn select_files(&self, _remote_id: &str, _file_ids: &[String]) -> Result<()> {
        // AllDebrid downloads the whole torrent; the choice is made at unlock.
        Ok(())
    }

    async fn unlock(&self, _remote_id: &str, file: &RemoteFile) -> Result<Unlocked> {
        let link = file.link.as_deref().ok_or_else(|| {
            DebridError::new(
                KIND,
                DebridErrorKind::Protocol,
                format!("AllDebrid listed {} without a link", file.path.join("/")),
            )
        })?;
        let unlocked: wire::Unlock = self.call("/v4/link/unlock", &[("link", link)]).await?;
        if let Some(id) = unlocked.delayed.filter(|id| !id.is_empty() && id != "0") {
            return Ok(Unlocked::Delayed { id });
        }
        if unlocked.link.is_empty() {
            return Err(DebridError::new(
                KIND,
                DebridErrorKind::Protocol,
                "AllDebrid gave no direct link for this file",
            ));
        }
        Ok(Unlocked::Ready(DirectLink {
            url: unlocked.link,
            file_name: unlocked.filename,
            size: unlocked.filesize,
        }))
    }

    async fn delayed(&self, delayed_id: &str) -> Result<Option<DirectLink>> {
        let delayed: wire::Delayed = self.call("/v4/link/delayed", &[("id", delayed_id)]).await?;
        match (delayed.status, delayed.link) {
            (2, Some(url)) if !url.is_empty() => Ok(Some(DirectLink {
                url,
                file_name: None,
                size: None,
            })),
            (1, _) => Ok(None),
            _ => Err(DebridError::new(
                KIND,
                DebridErrorKind::LinkDown,
                "AllDebrid could not prepare this link",
            )),
        }
    }

    async fn delete(&self, remote_id: &str) -> Result<()> {
        let _: serde_json::Value = self.call("/v4/magnet/delete", &[("id", remote_id)]).await?;
        self.live.lock().await.magnets.remove(remote_id);
        Ok(())
    }

    async fn restart(&self, remote_id: &str) -> Result<()> {
        let _: serde_json::Value = self
            .call("/v4/magnet/restart", &[("id", remote_id)])
            .await?;
        // Its state changes now; the next status call must not answer from before.
        self.live.lock().await.fetched_at = None;
        Ok(())
    }

    async fn start_login(&self) -> Result<LoginChallenge> {
        let pin: wire::PinGet = self.public_get("/v4.1/pin/get").await?;
        Ok(LoginChallenge {
            user_code: pin.pin.clone(),
            verification_url: pin.user_url,
            expires_in: Duration::from_secs(pin.expires_in),
            interval: Duration::from_secs(5),
            // The check token and the PIN together answer the poll.
            poll_token: Secret::new(format!("{}\n{}", pin.check, pin.pin)),
        })
    }

    async fn poll_login(&self, challenge: &LoginChallenge) -> Result<LoginPoll> {
        let (check, pin) = challenge
            .poll_token
            .expose()
            .split_once('\n')
            .ok_or_else(|| {
                DebridError::new(KIND, DebridErrorKind::LoginExpired, "start the login again")
            })?;
        let checked: wire::PinCheck = self
            .public_post("/v4/pin/check", &[("pin", pin), ("check", check)])
            .await?;
        match (checked.activated, checked.apikey) {
            (true, Some(key)) if !key.is_empty() => Ok(LoginPoll::Done(Secret::new(key))),
            _ => Ok(LoginPoll::Pending),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn nodes(json: &str) -> Vec<wire::FileNode> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_file_tree_flattens_in_order() {
        let tree = nodes(
            r#"[{"n":"Show","e":[{"n":"e01.mkv","s":10,"l":"https://alldebrid.com/f/a"},
                {"n":"Subs","e":[{"n":"en.srt","s":2,"l":"https://alldebrid.com/f/b"}]}]},
               {"n":"readme.txt","s":1,"l":"https://alldebrid.com/f/c"}]"#,
        );
        let mut files = Vec::new();
        flatten(tree, &[], &mut files);
        let paths: Vec<String> = files.iter().map(|f| f.path.join("/")).collect();
        assert_eq!(paths, ["Show/e01.mkv", "Show/Subs/en.srt", "readme.txt"]);
        assert_eq!(files[1].id, "1");
        assert_eq!(files[1].size, 2);
    }

    #[test]
    fn every_status_code_has_a_phase() {
        for code in 0..=15 {
            let magnet: wire::MagnetStatus =
                serde_json::from_value(serde_json::json!({"id": 1, "statusCode": code})).unwrap();
            let status = remote_status(&magnet);
            let expected = match code {
                0 => RemotePhase::Queued,
                1 => RemotePhase::Downloading,
                2 | 3 => RemotePhase::Processing,
                4 => RemotePhase::Ready,
                _ => RemotePhase::Failed,
            };
            assert_eq!(status.phase, expected, "code {code}");
            assert!(!status.message.is_empty());
        }
    }

    #[test]
    fn errors_name_the_code_and_what_to_do() {
        let error = api_error(
            &wire::ApiError {
                code: "AUTH_BAD_APIKEY".into(),
                message: "The auth apikey is invalid".into(),
            },
            None,
        );
        assert_eq!(error.kind, DebridErrorKind::AuthInvalid);
        assert!(error.to_string().contains("AUTH_BAD_APIKEY"));
        assert!(error.to_string().contains("Log in"));
    }

    #[test]
    fn status_replies_come_in_three_shapes() {
        let array = serde_json::json!([{"id": 1}, {"id": "2"}]);
        let object = serde_json::json!({"id": 3, "filename": "x"});
        let map = serde_json::json!({"4": {"id": 4}});
        assert_eq!(magnet_objects(array).len(), 2);
        assert_eq!(magnet_objects(object).len(), 1);
        assert_eq!(magnet_objects(map).len(), 1);
    }
}
