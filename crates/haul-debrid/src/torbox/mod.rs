//! TorBox, API v1: Bearer auth (the key goes in the URL only for `requestdl`, where
//! the API demands it), the `{success, error, detail, data}` envelope, cached
//! torrents ready on add, 300 requests a minute and 60 new torrents an hour.

mod wire;

use std::time::Duration;

use async_trait::async_trait;
use serde::de::DeserializeOwned;

use crate::http::{self, Reply};
use crate::limits::RequestLimiter;
use crate::magnet::Magnet;
use crate::provider::{
    Account, Added, AuthKind, Capabilities, DebridError, DebridErrorKind, DebridProvider,
    DirectLink, LoginChallenge, LoginPoll, ProviderKind, RemoteFile, RemotePhase, RemoteStatus,
    Result, Secret, Unlocked,
};

const KIND: ProviderKind = ProviderKind::TorBox;
/// How much of a plain-text error body a message quotes.
const QUOTE_LIMIT: usize = 300;

pub struct TorBox {
    base: url::Url,
    key: Option<Secret>,
    client: reqwest::Client,
    /// Every endpoint: 300 a minute per token.
    limiter: RequestLimiter,
    /// `createtorrent` also: 60 an hour per token.
    create_limiter: RequestLimiter,
}

/// Which call failed, where the same code means different things.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    AddMagnet,
    AddTorrent,
    Other,
}

impl TorBox {
    /// `base` without a version path (`https://api.torbox.app`); `key` is the API
    /// key from TorBox's settings page.
    pub fn new(base: url::Url, key: Option<Secret>) -> Result<Self> {
        Ok(Self {
            base,
            key: key.filter(|k| !k.expose().trim().is_empty()),
            client: http::client().map_err(|e| {
                DebridError::new(
                    KIND,
                    DebridErrorKind::Network,
                    format!("no HTTP client: {e}"),
                )
            })?,
            limiter: RequestLimiter::new(&[(300, Duration::from_secs(60))]),
            create_limiter: RequestLimiter::new(&[(60, Duration::from_secs(3600))]),
        })
    }

    fn key(&self) -> Result<&Secret> {
        self.key.as_ref().ok_or_else(|| {
            DebridError::new(
                KIND,
                DebridErrorKind::AuthInvalid,
                "no API key: paste your TorBox API key under Accounts or set HAUL_TORBOX_API_KEY",
            )
        })
    }

    fn api(&self, path: &str) -> url::Url {
        http::endpoint(
            &self.base,
            &format!("/v1/api/{}", path.trim_start_matches('/')),
        )
    }

    /// Removes the key from text that may quote a request (only `requestdl`
    /// carries it, in its query).
    fn scrub(&self, text: &str) -> String {
        let Some(key) = self
            .key
            .as_ref()
            .map(Secret::expose)
            .filter(|k| !k.is_empty())
        else {
            return text.to_string();
        };
        let encoded: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
        text.replace(key, "[redacted]")
            .replace(&encoded, "[redacted]")
    }

    /// The envelope's `data` and `detail` when `success` is true, else the error.
    fn unwrap_envelope(
        &self,
        what: &str,
        reply: &Reply,
        context: Context,
    ) -> Result<(serde_json::Value, String)> {
        let envelope: wire::Envelope = match serde_json::from_slice(&reply.body) {
            Ok(envelope) => envelope,
            Err(error) if reply.status.is_success() => {
                return Err(http::protocol_error(KIND, what, &error));
            }
            // Some errors come as text/plain with a status >= 400.
            Err(_) => return Err(self.text_error(reply, &String::from_utf8_lossy(&reply.body))),
        };
        let detail = self.scrub(&detail_text(&envelope.detail));
        if envelope.success == Some(true) {
            return Ok((envelope.data, detail));
        }
        match envelope.error.filter(|code| !code.is_empty()) {
            Some(code) => Err(api_error(
                &code,
                &detail,
                reply.status.as_u16(),
                reply.retry_after,
                context,
            )),
            None if !reply.status.is_success() => Err(self.text_error(reply, &detail)),
            None => Err(DebridError::new(
                KIND,
                DebridErrorKind::Protocol,
                format!("TorBox says {what} failed without saying why: {detail}"),
            )),
        }
    }

    fn data<T: DeserializeOwned>(&self, what: &str, reply: &Reply, context: Context) -> Result<T> {
        let (data, _) = self.unwrap_envelope(what, reply, context)?;
        serde_json::from_value(data).map_err(|e| http::protocol_error(KIND, what, &e))
    }

    /// An error status without TorBox's envelope.
    fn text_error(&self, reply: &Reply, text: &str) -> DebridError {
        use DebridErrorKind as K;
        let status = reply.status.as_u16();
        let (kind, advice) = match status {
            401 | 403 => (K::AuthInvalid, "Check the TorBox API key under Accounts."),
            404 => (K::NotFound, "It is no longer on your TorBox account."),
            429 => (K::RateLimited, "Haul will slow down and try again."),
            500..=599 => (K::ServerError, "TorBox failed; Haul will try again later."),
            _ => (K::Protocol, "An error Haul does not know; try again later."),
        };
        let quoted: String = self.scrub(text.trim()).chars().take(QUOTE_LIMIT).collect();
        let said = if quoted.is_empty() {
            format!("TorBox answered HTTP {status}")
        } else {
            format!("TorBox answered HTTP {status}: {quoted}")
        };
        DebridError::new(KIND, kind, format!("{said}. {advice}"))
            .with_code(status.to_string())
            .with_retry_after(reply.retry_after)
    }

    async fn create(&self, form: reqwest::multipart::Form, context: Context) -> Result<Added> {
        let request = self
            .client
            .post(self.api("torrents/createtorrent"))
            .bearer_auth(self.key()?.expose())
            .multipart(form);
        self.create_limiter.acquire().await;
        let reply = http::send(KIND, &self.limiter, request).await?;
        let (data, detail) = self.unwrap_envelope("torrents/createtorrent", &reply, context)?;
        let created: wire::Created = serde_json::from_value(data)
            .map_err(|e| http::protocol_error(KIND, "torrents/createtorrent", &e))?;
        let remote_id = created.torrent_id.ok_or_else(|| {
            DebridError::new(
                KIND,
                DebridErrorKind::Protocol,
                format!("TorBox accepted the torrent but gave no torrent id ({detail})"),
            )
        })?;
        let ready = match says_cached(&detail) {
            Some(cached) => cached,
            // Nothing said: ask.
            None => self
                .status(&remote_id)
                .await
                .is_ok_and(|s| s.phase == RemotePhase::Ready),
        };
        Ok(Added {
            remote_id,
            name: None,
            ready,
        })
    }

    async fn torrent(&self, remote_id: &str) -> Result<wire::Torrent> {
        let request = self
            .client
            .get(self.api("torrents/mylist"))
            .bearer_auth(self.key()?.expose())
            .query(&[("id", remote_id), ("bypass_cache", "true")]);
        let reply = http::send(KIND, &self.limiter, request).await?;
        let (data, _) = self.unwrap_envelope("torrents/mylist", &reply, Context::Other)?;
        let object = match data {
            serde_json::Value::Object(_) => Some(data),
            // Tolerate a list: pick the one asked for.
            serde_json::Value::Array(items) => items
                .into_iter()
                .find(|item| id_of(item.get("id")).as_deref() == Some(remote_id)),
            _ => None,
        }
        .ok_or_else(|| {
            DebridError::new(
                KIND,
                DebridErrorKind::NotFound,
                format!(
                    "torrent {remote_id} is no longer on your TorBox account; retry to add it again"
                ),
            )
            .with_code("ITEM_NOT_FOUND")
        })?;
        serde_json::from_value(object)
            .map_err(|e| http::protocol_error(KIND, "torrents/mylist", &e))
    }
}

fn id_of(value: Option<&serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// `Some(true)` when `detail` says the torrent was cached ("Found Cached Torrent.
/// Using Cached Torrent."), `Some(false)` when it says anything else.
fn says_cached(detail: &str) -> Option<bool> {
    let lower = detail.to_ascii_lowercase();
    if lower.trim().is_empty() {
        return None;
    }
    Some(lower.contains("cached") && !lower.contains("not cached") && !lower.contains("uncached"))
}

/// `detail` is usually a sentence; a validation failure makes it a list.
fn detail_text(detail: &serde_json::Value) -> String {
    match detail {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string().chars().take(QUOTE_LIMIT).collect(),
    }
}

/// Every documented error code, as a kind and a message a person can act on.
fn api_error(
    code: &str,
    detail: &str,
    status: u16,
    retry_after: Option<Duration>,
    context: Context,
) -> DebridError {
    use DebridErrorKind as K;
    let (kind, advice) = match code {
        _ if status == 429 => (K::RateLimited, "Haul will slow down and try again."),
        "BAD_TOKEN" | "NO_AUTH" | "AUTH_ERROR" => (
            K::AuthInvalid,
            "Check the TorBox API key under Accounts (or HAUL_TORBOX_API_KEY).",
        ),
        "ACTIVE_LIMIT" => (
            K::LimitReached,
            "Remove finished or stuck torrents on TorBox, or wait for some to finish.",
        ),
        "MONTHLY_LIMIT" => (
            K::LimitReached,
            "Your TorBox plan's monthly limit is reached; wait for it to renew.",
        ),
        "COOLDOWN_LIMIT" => (
            K::LimitReached,
            "TorBox put your account on a download cooldown; wait, then retry.",
        ),
        "BOZO_TORRENT" | "BOZO_FILE" if context == Context::AddMagnet => {
            (K::InvalidMagnet, "Check the magnet link and add it again.")
        }
        "BOZO_TORRENT" | "BOZO_FILE" => (
            K::InvalidTorrent,
            "Check the .torrent file and add it again.",
        ),
        "INVALID_HASH" => (K::InvalidMagnet, "Check the magnet link and add it again."),
        "DOWNLOAD_TOO_LARGE" | "TOO_MUCH_DATA" => {
            (K::TooLarge, "It is too large for your TorBox plan.")
        }
        "ITEM_NOT_FOUND" | "NOT_OWNER" => (
            K::NotFound,
            "It is no longer on your TorBox account; retry to add it again.",
        ),
        "PLAN_RESTRICTED_FEATURE" => (K::AccountRestricted, "This needs a higher TorBox plan."),
        "INVALID_DEVICE" | "VENDOR_DISABLED" => (
            K::AccountRestricted,
            "TorBox refuses requests from this device or app; check your TorBox account.",
        ),
        "LINK_OFFLINE" => (K::LinkDown, "The file is no longer available from TorBox."),
        "TEMPORARILY_DISABLED" => (
            K::Maintenance,
            "TorBox has turned this off for now; Haul will try again later.",
        ),
        "UNSUPPORTED_SITE" => (K::Unsupported, "TorBox does not support this."),
        "DUPLICATE_ITEM" => (
            K::Protocol,
            "It is already on your TorBox account; remove the old one there and retry.",
        ),
        code if code.ends_with("_ERROR") => {
            (K::ServerError, "TorBox failed; Haul will try again later.")
        }
        _ => (K::Protocol, "An error Haul does not know; try again later."),
    };
    let said = if detail.trim().is_empty() {
        code
    } else {
        detail.trim()
    };
    DebridError::new(KIND, kind, format!("{said} ({code}). {advice}"))
        .with_code(code)
        .with_retry_after(retry_after)
}

fn remote_status(torrent: &wire::Torrent) -> RemoteStatus {
    let state = torrent.download_state.clone().unwrap_or_default();
    let lower = state.to_ascii_lowercase();
    let phase = if torrent.download_finished && torrent.download_present {
        RemotePhase::Ready
    } else if lower.starts_with("error") || lower.starts_with("missingfiles") {
        RemotePhase::Failed
    } else if torrent.download_finished {
        // Downloaded, not yet on TorBox's storage.
        RemotePhase::Processing
    } else if ["metadl", "checking", "queued", "paused"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
    {
        RemotePhase::Queued
    } else if ["downloading", "stalled", "forceddl"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
    {
        RemotePhase::Downloading
    } else {
        RemotePhase::Processing
    };
    let message = match phase {
        RemotePhase::Ready => "Ready".to_string(),
        RemotePhase::Failed => format!("TorBox reports an error for this torrent ({state})"),
        _ if state.is_empty() => "Processing".to_string(),
        _ => state,
    };
    let progress = if phase == RemotePhase::Ready {
        1.0
    } else {
        torrent.progress.unwrap_or(0.0).clamp(0.0, 1.0)
    };
    RemoteStatus {
        phase,
        name: torrent.name.clone().filter(|n| !n.is_empty()),
        size: torrent.size.filter(|s| *s > 0),
        progress,
        bytes_per_second: torrent.download_speed.unwrap_or(0),
        seeders: torrent.seeds.and_then(|s| u32::try_from(s).ok()),
        message,
    }
}

fn unsupported(what: &str) -> DebridError {
    DebridError::new(KIND, DebridErrorKind::Unsupported, what.to_string())
}

fn login_unsupported() -> DebridError {
    unsupported(
        "TorBox uses an API key, not a login code: paste the key from torbox.app/settings under Accounts, or set HAUL_TORBOX_API_KEY",
    )
}

#[async_trait]
impl DebridProvider for TorBox {
    fn kind(&self) -> ProviderKind {
        KIND
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            preselect_files: false,
            cached_on_add: true,
            live_delta: false,
            permalinks: true,
            restart: false,
            auth: AuthKind::ApiKey,
        }
    }

    async fn account(&self) -> Result<Account> {
        let request = self
            .client
            .get(self.api("user/me"))
            .bearer_auth(self.key()?.expose());
        let reply = http::send(KIND, &self.limiter, request).await?;
        let user: wire::User = self.data("user/me", &reply, Context::Other)?;
        let premium = user.plan.is_some_and(|plan| plan > 0);
        Ok(Account {
            username: user.email.unwrap_or_default(),
            premium,
            premium_until: user
                .premium_expires_at
                .as_deref()
                .and_then(crate::realdebrid::unix_seconds)
                .filter(|_| premium),
        })
    }

    async fn add_magnet(&self, magnet: &Magnet) -> Result<Added> {
        let form = reqwest::multipart::Form::new()
            .text("magnet", magnet.to_uri())
            // Individual files rather than one zip of a large torrent.
            .text("allow_zip", "false");
        let added = self.create(form, Context::AddMagnet).await?;
        Ok(Added {
            name: magnet.display_name.clone(),
            ..added
        })
    }

    async fn add_torrent(&self, file_name: &str, bytes: &[u8]) -> Result<Added> {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec())
            .file_name(file_name.to_string())
            .mime_str("application/x-bittorrent")
            .map_err(|e| DebridError::new(KIND, DebridErrorKind::Protocol, e.to_string()))?;
        let form = reqwest::multipart::Form::new()
            .part("file", part)
            .text("allow_zip", "false");
        self.create(form, Context::AddTorrent).await
    }

    async fn status(&self, remote_id: &str) -> Result<RemoteStatus> {
        Ok(remote_status(&self.torrent(remote_id).await?))
    }

    async fn files(&self, remote_id: &str) -> Result<Vec<RemoteFile>> {
        let torrent = self.torrent(remote_id).await?;
        Ok(torrent
            .files
            .unwrap_or_default()
            .into_iter()
            .map(|file| {
                let name = if file.name.is_empty() {
                    file.short_name.unwrap_or_default()
                } else {
                    file.name
                };
                RemoteFile {
                    id: file.id,
                    path: name.split('/').map(str::to_string).collect(),
                    size: file.size.unwrap_or(0),
                    link: None,
                }
            })
            .collect())
    }

    async fn select_files(&self, _remote_id: &str, _file_ids: &[String]) -> Result<()> {
        // TorBox downloads every file; the choice is made at unlock.
        Ok(())
    }

    async fn unlock(&self, remote_id: &str, file: &RemoteFile) -> Result<Unlocked> {
        let key = self.key()?;
        // The one place the API wants the key in the URL: this URL is never logged,
        // and errors never quote it.
        let mut url = self.api("torrents/requestdl");
        url.query_pairs_mut()
            .append_pair("token", key.expose())
            .append_pair("torrent_id", remote_id)
            .append_pair("file_id", &file.id);
        let request = self.client.get(url);
        let reply = http::send(KIND, &self.limiter, request)
            .await
            .map_err(|mut e| {
                e.message = self.scrub(&e.message);
                e
            })?;
        let link: String = self.data("torrents/requestdl", &reply, Context::Other)?;
        if link.is_empty() {
            return Err(DebridError::new(
                KIND,
                DebridErrorKind::Protocol,
                "TorBox gave no download link for this file",
            ));
        }
        Ok(Unlocked::Ready(DirectLink {
            url: link,
            file_name: file.path.last().cloned().filter(|n| !n.is_empty()),
            size: Some(file.size).filter(|s| *s > 0),
        }))
    }

    async fn delayed(&self, _delayed_id: &str) -> Result<Option<DirectLink>> {
        Err(unsupported("TorBox has no delayed links"))
    }

    async fn delete(&self, remote_id: &str) -> Result<()> {
        let torrent_id = remote_id
            .parse::<u64>()
            .map_or_else(|_| serde_json::json!(remote_id), serde_json::Value::from);
        let body = serde_json::json!({"torrent_id": torrent_id, "operation": "delete"});
        let request = self
            .client
            .post(self.api("torrents/controltorrent"))
            .bearer_auth(self.key()?.expose())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        let reply = http::send(KIND, &self.limiter, request).await?;
        self.unwrap_envelope("torrents/controltorrent", &reply, Context::Other)
            .map(|_| ())
    }

    async fn restart(&self, _remote_id: &str) -> Result<()> {
        Err(unsupported(
            "TorBox cannot restart a torrent; it has to be added again",
        ))
    }

    async fn start_login(&self) -> Result<LoginChallenge> {
        Err(login_unsupported())
    }

    async fn poll_login(&self, _challenge: &LoginChallenge) -> Result<LoginPoll> {
        Err(login_unsupported())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn torrent(json: serde_json::Value) -> wire::Torrent {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn states_map_by_prefix() {
        let cases = [
            ("metaDL", false, false, RemotePhase::Queued),
            ("checkingResumeData", false, false, RemotePhase::Queued),
            ("queuedDL", false, false, RemotePhase::Queued),
            ("paused", false, false, RemotePhase::Queued),
            ("downloading", false, false, RemotePhase::Downloading),
            ("stalled (no seeds)", false, false, RemotePhase::Downloading),
            ("stalledDL", false, false, RemotePhase::Downloading),
            ("error", false, false, RemotePhase::Failed),
            ("uploading", true, false, RemotePhase::Processing),
            ("completed", true, false, RemotePhase::Processing),
            ("cached", true, true, RemotePhase::Ready),
            ("uploading", true, true, RemotePhase::Ready),
            ("completed", false, false, RemotePhase::Processing),
        ];
        for (state, finished, present, phase) in cases {
            let status = remote_status(&torrent(serde_json::json!({
                "id": 1, "download_state": state, "download_finished": finished,
                "download_present": present, "progress": 0.5,
            })));
            assert_eq!(status.phase, phase, "{state} {finished} {present}");
        }
    }

    #[test]
    fn errors_name_the_code_and_what_to_do() {
        use DebridErrorKind as K;
        let cases = [
            ("BAD_TOKEN", K::AuthInvalid),
            ("NO_AUTH", K::AuthInvalid),
            ("AUTH_ERROR", K::AuthInvalid),
            ("ACTIVE_LIMIT", K::LimitReached),
            ("MONTHLY_LIMIT", K::LimitReached),
            ("COOLDOWN_LIMIT", K::LimitReached),
            ("BOZO_TORRENT", K::InvalidTorrent),
            ("DOWNLOAD_TOO_LARGE", K::TooLarge),
            ("ITEM_NOT_FOUND", K::NotFound),
            ("PLAN_RESTRICTED_FEATURE", K::AccountRestricted),
            ("LINK_OFFLINE", K::LinkDown),
            ("DATABASE_ERROR", K::ServerError),
            ("NO_SERVERS_AVAILABLE_ERROR", K::ServerError),
            ("DOWNLOAD_SERVER_ERROR", K::ServerError),
            ("SOMETHING_NEW", K::Protocol),
        ];
        for (code, kind) in cases {
            let error = api_error(code, "what TorBox said", 400, None, Context::Other);
            assert_eq!(error.kind, kind, "{code}");
            assert!(error.message.contains(code), "{}", error.message);
            assert!(error.message.contains("what TorBox said"));
        }
        let magnet = api_error("BOZO_TORRENT", "", 400, None, Context::AddMagnet);
        assert_eq!(magnet.kind, K::InvalidMagnet);
        let limited = api_error("UNKNOWN_ERROR", "", 429, None, Context::Other);
        assert_eq!(limited.kind, K::RateLimited);
    }

    #[test]
    fn cached_detail_is_read() {
        assert_eq!(
            says_cached("Found Cached Torrent. Using Cached Torrent."),
            Some(true)
        );
        assert_eq!(says_cached("Successfully created torrent."), Some(false));
        assert_eq!(says_cached("Torrent not cached, queued."), Some(false));
        assert_eq!(says_cached(""), None);
    }

    #[test]
    fn the_key_is_scrubbed() {
        let torbox = TorBox::new(
            url::Url::parse("http://127.0.0.1:9").unwrap(),
            Some(Secret::new("k3y+/=")),
        )
        .unwrap();
        let text = torbox.scrub("token=k3y%2B%2F%3D and k3y+/=");
        assert!(!text.contains("k3y"), "{text}");
    }

    #[tokio::test(start_paused = true)]
    async fn new_torrents_are_limited_per_hour() {
        let torbox = TorBox::new(url::Url::parse("http://127.0.0.1:9").unwrap(), None).unwrap();
        let start = tokio::time::Instant::now();
        for _ in 0..60 {
            torbox.create_limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        torbox.create_limiter.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_secs(3600));
    }
}
