//! Real-Debrid, REST API 1.0: Bearer auth (a private API token or an OAuth access
//! token from the device flow, renewed with its refresh token), `{error,
//! error_code}` errors on 4xx/5xx, files chosen before the download, 250
//! requests a minute.

mod wire;

use std::time::Duration;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;

use crate::http::{self, Reply};
use crate::limits::RequestLimiter;
use crate::magnet::Magnet;
use crate::provider::{
    Account, Added, AuthKind, Capabilities, DebridError, DebridErrorKind, DebridProvider,
    DirectLink, LoginChallenge, LoginPoll, ProviderKind, RemoteFile, RemotePhase, RemoteStatus,
    Result, Secret, Unlocked,
};

const KIND: ProviderKind = ProviderKind::RealDebrid;
/// The client id Real-Debrid publishes for open-source apps.
const OPEN_SOURCE_CLIENT_ID: &str = "X245A4XAIBGVM";
const DEVICE_GRANT: &str = "http://oauth.net/grant_type/device/1.0";
/// Real-Debrid's error code for an expired or invalid token.
const BAD_TOKEN: i64 = 8;
const ACTION_ALREADY_DONE: i64 = 31;

/// Called with the renewed credential (JSON) after an OAuth refresh, to store it.
pub type OnRefresh = Box<dyn Fn(Secret) + Send + Sync>;

pub struct RealDebrid {
    base: url::Url,
    credential: Mutex<Credential>,
    on_refresh: Option<OnRefresh>,
    client: reqwest::Client,
    limiter: RequestLimiter,
}

enum Credential {
    None,
    /// The private API token from real-debrid.com/apitoken.
    Token(Secret),
    /// From the device flow: renewable.
    OAuth(OAuth),
    /// Looked like a device-flow credential but could not be read.
    Unreadable,
}

struct OAuth {
    client_id: String,
    client_secret: Secret,
    access_token: Secret,
    refresh_token: Secret,
}

impl OAuth {
    fn to_secret(&self) -> Secret {
        credential_json(
            &self.client_id,
            self.client_secret.expose(),
            self.access_token.expose(),
            self.refresh_token.expose(),
        )
    }
}

fn credential_json(
    client_id: &str,
    client_secret: &str,
    access_token: &str,
    refresh_token: &str,
) -> Secret {
    Secret::new(
        serde_json::json!({
            "client_id": client_id,
            "client_secret": client_secret,
            "access_token": access_token,
            "refresh_token": refresh_token,
        })
        .to_string(),
    )
}

impl Credential {
    fn parse(secret: Option<Secret>) -> Self {
        let Some(secret) = secret else {
            return Self::None;
        };
        let text = secret.expose().trim();
        if text.is_empty() {
            return Self::None;
        }
        if !text.starts_with('{') {
            return Self::Token(Secret::new(text));
        }
        match serde_json::from_str::<wire::StoredCredential>(text) {
            Ok(stored) => Self::OAuth(OAuth {
                client_id: stored.client_id,
                client_secret: Secret::new(stored.client_secret),
                access_token: Secret::new(stored.access_token),
                refresh_token: Secret::new(stored.refresh_token),
            }),
            Err(_) => Self::Unreadable,
        }
    }
}

/// Which call failed, where the same code means different things.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    AddMagnet,
    AddTorrent,
    Other,
}

impl RealDebrid {
    /// `base` without a version path (`https://api.real-debrid.com`). `credential`
    /// is a private API token, or the JSON credential a device login produced;
    /// `on_refresh` receives the renewed JSON whenever an OAuth token is refreshed.
    pub fn new(
        base: url::Url,
        credential: Option<Secret>,
        on_refresh: Option<OnRefresh>,
    ) -> Result<Self> {
        Ok(Self {
            base,
            credential: Mutex::new(Credential::parse(credential)),
            on_refresh,
            client: http::client().map_err(|e| {
                DebridError::new(
                    KIND,
                    DebridErrorKind::Network,
                    format!("no HTTP client: {e}"),
                )
            })?,
            limiter: RequestLimiter::new(&[(250, Duration::from_secs(60))]),
        })
    }

    fn rest(&self, path: &str) -> url::Url {
        http::endpoint(
            &self.base,
            &format!("/rest/1.0/{}", path.trim_start_matches('/')),
        )
    }

    /// A REST path ending in an id, escaped as one path segment.
    fn rest_with_id(&self, path: &str, id: &str) -> Result<url::Url> {
        let mut url = self.rest(path);
        url.path_segments_mut()
            .map_err(|()| {
                DebridError::new(
                    KIND,
                    DebridErrorKind::Protocol,
                    "the Real-Debrid API address cannot take a path",
                )
            })?
            .pop_if_empty()
            .push(id);
        Ok(url)
    }

    fn oauth(&self, path: &str) -> url::Url {
        http::endpoint(
            &self.base,
            &format!("/oauth/v2/{}", path.trim_start_matches('/')),
        )
    }

    async fn access_token(&self) -> Result<Secret> {
        match &*self.credential.lock().await {
            Credential::Token(token) => Ok(token.clone()),
            Credential::OAuth(oauth) => Ok(oauth.access_token.clone()),
            Credential::None => Err(DebridError::new(
                KIND,
                DebridErrorKind::AuthInvalid,
                "not logged in: log in to Real-Debrid under Accounts (or `haul login realdebrid`)",
            )),
            Credential::Unreadable => Err(DebridError::new(
                KIND,
                DebridErrorKind::AuthInvalid,
                "the saved Real-Debrid login cannot be read: log in to Real-Debrid again under Accounts",
            )),
        }
    }

    /// Sends with the token in the Authorization header (never in the URL). When an
    /// OAuth token is refused, renews it once and sends again.
    async fn authed<F>(&self, build: F) -> Result<Reply>
    where
        F: Fn() -> reqwest::RequestBuilder + Send + Sync,
    {
        let token = self.access_token().await?;
        let reply = http::send(KIND, &self.limiter, build().bearer_auth(token.expose())).await?;
        if !is_bad_token(&reply) || !self.refresh(&token).await? {
            return Ok(reply);
        }
        let token = self.access_token().await?;
        http::send(KIND, &self.limiter, build().bearer_auth(token.expose())).await
    }

    /// Renews the OAuth access token that `failed`. `false` when the credential
    /// cannot be renewed (a private token).
    async fn refresh(&self, failed: &Secret) -> Result<bool> {
        let mut credential = self.credential.lock().await;
        let Credential::OAuth(oauth) = &mut *credential else {
            return Ok(false);
        };
        if oauth.access_token != *failed {
            // Another call renewed it meanwhile.
            return Ok(true);
        }
        let request = self.client.post(self.oauth("token")).form(&[
            ("client_id", oauth.client_id.as_str()),
            ("client_secret", oauth.client_secret.expose()),
            ("code", oauth.refresh_token.expose()),
            ("grant_type", DEVICE_GRANT),
        ]);
        let reply = http::send(KIND, &self.limiter, request).await?;
        if !reply.status.is_success() {
            let error = reply_error(&reply, Context::Other);
            if error.is_transient() {
                return Err(error);
            }
            return Err(DebridError::new(
                KIND,
                DebridErrorKind::AuthInvalid,
                format!(
                    "Real-Debrid no longer renews Haul's login ({}). Log in to Real-Debrid again under Accounts.",
                    error.message
                ),
            )
            .with_code(error.code.unwrap_or_default()));
        }
        let token: wire::Token = decode("oauth/token", &reply, Context::Other)?;
        oauth.access_token = Secret::new(token.access_token);
        if let Some(refresh_token) = token.refresh_token.filter(|t| !t.is_empty()) {
            oauth.refresh_token = Secret::new(refresh_token);
        }
        tracing::info!("renewed the Real-Debrid access token");
        if let Some(on_refresh) = &self.on_refresh {
            on_refresh(oauth.to_secret());
        }
        Ok(true)
    }

    async fn info(&self, remote_id: &str) -> Result<wire::TorrentInfo> {
        let url = self.rest_with_id("torrents/info", remote_id)?;
        let reply = self.authed(|| self.client.get(url.clone())).await?;
        decode("torrents/info", &reply, Context::Other)
    }

    /// A public OAuth GET (device flow).
    async fn public_get(&self, path: &str, query: &[(&str, &str)]) -> Result<Reply> {
        let request = self.client.get(self.oauth(path)).query(query);
        http::send(KIND, &self.limiter, request).await
    }
}

fn is_bad_token(reply: &Reply) -> bool {
    if reply.status.is_success() {
        return false;
    }
    reply.status == reqwest::StatusCode::UNAUTHORIZED
        || serde_json::from_slice::<wire::ApiError>(&reply.body)
            .is_ok_and(|e| e.error_code == Some(BAD_TOKEN))
}

fn decode<T: DeserializeOwned>(what: &str, reply: &Reply, context: Context) -> Result<T> {
    if !reply.status.is_success() {
        return Err(reply_error(reply, context));
    }
    serde_json::from_slice(&reply.body).map_err(|e| http::protocol_error(KIND, what, &e))
}

/// Success without a body (204).
fn expect_done(reply: &Reply, context: Context) -> Result<()> {
    if reply.status.is_success() {
        Ok(())
    } else {
        Err(reply_error(reply, context))
    }
}

/// The error for a 4xx/5xx reply: from its `{error, error_code}` body when it has
/// one, else from the status.
fn reply_error(reply: &Reply, context: Context) -> DebridError {
    let status = reply.status.as_u16();
    let body = serde_json::from_slice::<wire::ApiError>(&reply.body)
        .ok()
        .filter(|e| !e.error.is_empty() || e.error_code.is_some());
    match body {
        Some(error) => api_error(status, &error, reply.retry_after, context),
        None if status == 451 => api_error(
            status,
            &wire::ApiError::default(),
            reply.retry_after,
            context,
        ),
        None => http::status_error(KIND, reply),
    }
}

/// Every documented error code (and the statuses that come without one), as a
/// kind and a message a person can act on.
fn api_error(
    status: u16,
    error: &wire::ApiError,
    retry_after: Option<Duration>,
    context: Context,
) -> DebridError {
    use DebridErrorKind as K;
    let (kind, advice) = match error.error_code {
        Some(code) => code_kind(code, context),
        None => status_kind(status),
    };
    // Content refused for legal reasons is permanent whatever the code says.
    let (kind, advice) = if status == 451 {
        (
            K::LinkDown,
            "Real-Debrid refuses this content for legal reasons (infringing file); it will not become available.",
        )
    } else {
        (kind, advice)
    };
    let mut said = if error.error.is_empty() {
        format!("HTTP {status}")
    } else {
        error.error.clone()
    };
    if let Some(details) = error.error_details.as_deref().filter(|d| !d.is_empty()) {
        said.push_str(": ");
        said.push_str(details);
    }
    let code = error
        .error_code
        .map_or_else(|| status.to_string(), |c| c.to_string());
    let shown = match error.error_code {
        Some(c) => format!("error {c}"),
        None => format!("HTTP {status}"),
    };
    DebridError::new(KIND, kind, format!("{said} ({shown}). {advice}"))
        .with_code(code)
        .with_retry_after(retry_after)
}

fn code_kind(code: i64, context: Context) -> (DebridErrorKind, &'static str) {
    use DebridErrorKind as K;
    match code {
        -1 => (
            K::ServerError,
            "Real-Debrid had an internal error; Haul will try again later.",
        ),
        1 | 3 | 4 => (
            K::Protocol,
            "Haul's request did not match what Real-Debrid expects; update Haul.",
        ),
        2 if context == Context::AddMagnet => {
            (K::InvalidMagnet, "Check the magnet link and add it again.")
        }
        2 if context == Context::AddTorrent => (
            K::InvalidTorrent,
            "Check the .torrent file and add it again.",
        ),
        2 => (
            K::Protocol,
            "Real-Debrid did not accept a value Haul sent; update Haul.",
        ),
        5 | 34 => (K::RateLimited, "Haul will slow down and try again."),
        6 => (
            K::ServerError,
            "Real-Debrid could not reach the resource; Haul will try again later.",
        ),
        7 => (
            K::NotFound,
            "It is no longer on your Real-Debrid account; retry to add it again.",
        ),
        BAD_TOKEN | 10 | 11 | 12 | 13 => (
            K::AuthInvalid,
            "Log in to Real-Debrid again under Accounts.",
        ),
        9 => (
            K::AccountRestricted,
            "Real-Debrid denied this to your account (locked or not premium).",
        ),
        14 => (
            K::AccountRestricted,
            "Your Real-Debrid account is locked; contact Real-Debrid.",
        ),
        15 => (
            K::AccountRestricted,
            "Your Real-Debrid account is not activated; confirm it from Real-Debrid's e-mail.",
        ),
        20 => (
            K::AccountRestricted,
            "This host needs a Real-Debrid premium account.",
        ),
        22 => (
            K::AccountRestricted,
            "Real-Debrid does not allow your IP address (a VPN or server?); use another connection.",
        ),
        23 => (
            K::AccountRestricted,
            "Your Real-Debrid traffic is exhausted; wait for it to renew or buy more.",
        ),
        18 | 21 | 36 => (
            K::LimitReached,
            "A Real-Debrid limit is reached; wait for active downloads to finish, then retry.",
        ),
        16 => (
            K::Maintenance,
            "Real-Debrid does not support this host right now.",
        ),
        17 => (
            K::Maintenance,
            "The host is in maintenance; Haul will try again later.",
        ),
        19 => (
            K::Maintenance,
            "The host is temporarily unavailable; Haul will try again later.",
        ),
        25 => (
            K::Maintenance,
            "Real-Debrid is unavailable for now; Haul will try again later.",
        ),
        24 => (K::LinkDown, "The file is no longer available."),
        35 => (
            K::LinkDown,
            "Real-Debrid refuses this content (infringing file); it will not become available.",
        ),
        26 => (K::TooLarge, "The upload is too big for Real-Debrid."),
        29 => (K::TooLarge, "The torrent is too big for Real-Debrid."),
        27 => (
            K::ServerError,
            "The upload to Real-Debrid failed; Haul will try again.",
        ),
        28 => (K::LinkDown, "Real-Debrid does not allow this file."),
        30 => (
            K::InvalidTorrent,
            "Check the .torrent file and add it again.",
        ),
        31 => (K::Unsupported, "Real-Debrid says this was already done."),
        32 => (
            K::Protocol,
            "Real-Debrid reported an image resolution error.",
        ),
        33 => (
            K::Protocol,
            "This torrent is already active on your Real-Debrid account; remove the old one there and retry.",
        ),
        37 => (
            K::Unsupported,
            "Real-Debrid has disabled this endpoint; update Haul.",
        ),
        _ => (K::Protocol, "An error Haul does not know; try again later."),
    }
}

fn status_kind(status: u16) -> (DebridErrorKind, &'static str) {
    use DebridErrorKind as K;
    match status {
        401 => (
            K::AuthInvalid,
            "Log in to Real-Debrid again under Accounts.",
        ),
        403 => (
            K::AccountRestricted,
            "Real-Debrid denied this to your account (locked or not premium).",
        ),
        404 => (
            K::NotFound,
            "It is no longer on your Real-Debrid account; retry to add it again.",
        ),
        429 => (K::RateLimited, "Haul will slow down and try again."),
        503 => (
            K::Maintenance,
            "Real-Debrid is unavailable for now; Haul will try again later.",
        ),
        500..=599 => (
            K::ServerError,
            "Real-Debrid failed; Haul will try again later.",
        ),
        _ => (K::Protocol, "An error Haul does not know; try again later."),
    }
}

fn remote_status(info: &wire::TorrentInfo) -> RemoteStatus {
    let (phase, message) = match info.status.as_str() {
        "magnet_conversion" => (RemotePhase::Queued, "Converting the magnet to a torrent"),
        "queued" => (RemotePhase::Queued, "Queued on Real-Debrid"),
        "downloading" => (RemotePhase::Downloading, "Downloading"),
        "compressing" => (RemotePhase::Processing, "Compressing"),
        "uploading" => (RemotePhase::Processing, "Uploading to Real-Debrid's hosts"),
        "waiting_files_selection" => (
            RemotePhase::WaitingSelection,
            "Waiting for the files to be chosen",
        ),
        "downloaded" => (RemotePhase::Ready, "Ready"),
        "magnet_error" => (
            RemotePhase::Failed,
            "Real-Debrid could not read the magnet (magnet_error)",
        ),
        "error" => (
            RemotePhase::Failed,
            "Real-Debrid failed to download it (error)",
        ),
        "virus" => (
            RemotePhase::Failed,
            "Real-Debrid found a virus in it (virus)",
        ),
        "dead" => (
            RemotePhase::Failed,
            "The torrent is dead: nobody shares it any more (dead)",
        ),
        other => {
            tracing::warn!(
                status = other,
                "Real-Debrid sent an undocumented torrent status"
            );
            (RemotePhase::Processing, "Processing")
        }
    };
    let progress = if phase == RemotePhase::Ready {
        1.0
    } else {
        (info.progress.unwrap_or(0.0) / 100.0).clamp(0.0, 1.0)
    };
    RemoteStatus {
        phase,
        name: info
            .filename
            .clone()
            .or_else(|| info.original_filename.clone())
            .filter(|n| !n.is_empty()),
        size: info
            .bytes
            .filter(|b| *b > 0)
            .or(info.original_bytes)
            .filter(|b| *b > 0),
        progress,
        bytes_per_second: info.speed.unwrap_or(0),
        seeders: info.seeders.and_then(|s| u32::try_from(s).ok()),
        message: message.to_string(),
    }
}

/// The files as listed; once downloaded, the k-th link belongs to the k-th
/// selected file.
fn remote_files(info: wire::TorrentInfo) -> Vec<RemoteFile> {
    let downloaded = info.status == "downloaded";
    let mut links = info.links.unwrap_or_default().into_iter();
    info.files
        .unwrap_or_default()
        .into_iter()
        .map(|file| {
            let link = if downloaded && file.selected {
                links.next().filter(|l| !l.is_empty())
            } else {
                None
            };
            let path = file.path.strip_prefix('/').unwrap_or(&file.path);
            RemoteFile {
                id: file.id,
                path: path.split('/').map(str::to_string).collect(),
                size: file.bytes.unwrap_or(0),
                link,
            }
        })
        .collect()
}

/// Unix seconds of an ISO-8601 date as JavaScript's `toJSON` writes it
/// (`2025-01-31T12:00:00.000Z`); offsets and a bare date are accepted.
pub(crate) fn unix_seconds(text: &str) -> Option<i64> {
    let text = text.trim();
    let number = |from: usize, to: usize| -> Option<i64> {
        let part = text.get(from..to)?;
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    if text.get(4..5)? != "-" || text.get(7..8)? != "-" {
        return None;
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let rest = text.get(10..).unwrap_or("");
    if rest.is_empty() {
        return Some(seconds);
    }
    if !matches!(rest.get(..1), Some("T" | "t" | " ")) {
        return None;
    }
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    seconds += hour * 3600 + minute * 60 + second;
    let mut zone = text.get(19..).unwrap_or("");
    if let Some(fraction) = zone.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        zone = fraction.get(digits..).unwrap_or("");
    }
    match zone {
        "" | "Z" | "z" => Some(seconds),
        _ => {
            let sign = match zone.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let offset = zone.get(1..)?.replace(':', "");
            if offset.len() != 4 || !offset.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let hours: i64 = offset.get(..2)?.parse().ok()?;
            let minutes: i64 = offset.get(2..)?.parse().ok()?;
            Some(seconds - sign * (hours * 3600 + minutes * 60))
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's method).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn unsupported(what: &str) -> DebridError {
    DebridError::new(KIND, DebridErrorKind::Unsupported, what.to_string())
}

#[async_trait]
impl DebridProvider for RealDebrid {
    fn kind(&self) -> ProviderKind {
        KIND
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            preselect_files: true,
            cached_on_add: false,
            live_delta: false,
            permalinks: false,
            restart: false,
            auth: AuthKind::OAuthDevice,
        }
    }

    async fn account(&self) -> Result<Account> {
        let url = self.rest("user");
        let reply = self.authed(|| self.client.get(url.clone())).await?;
        let user: wire::User = decode("user", &reply, Context::Other)?;
        let premium = user.kind.as_deref() == Some("premium");
        let premium_until = user
            .expiration
            .as_deref()
            .and_then(unix_seconds)
            .or_else(|| {
                user.premium
                    .filter(|s| *s > 0)
                    .and_then(|s| i64::try_from(s).ok())
                    .map(|s| now_unix().saturating_add(s))
            })
            .filter(|_| premium);
        Ok(Account {
            username: user.username,
            premium,
            premium_until,
        })
    }

    async fn add_magnet(&self, magnet: &Magnet) -> Result<Added> {
        let uri = magnet.to_uri();
        let url = self.rest("torrents/addMagnet");
        let reply = self
            .authed(|| {
                self.client
                    .post(url.clone())
                    .form(&[("magnet", uri.as_str())])
            })
            .await?;
        let created: wire::Created = decode("torrents/addMagnet", &reply, Context::AddMagnet)?;
        Ok(Added {
            remote_id: created.id,
            name: magnet.display_name.clone(),
            ready: false,
        })
    }

    async fn add_torrent(&self, _file_name: &str, bytes: &[u8]) -> Result<Added> {
        let url = self.rest("torrents/addTorrent");
        let reply = self
            .authed(|| {
                self.client
                    .put(url.clone())
                    .header(reqwest::header::CONTENT_TYPE, "application/x-bittorrent")
                    .body(bytes.to_vec())
            })
            .await?;
        let created: wire::Created = decode("torrents/addTorrent", &reply, Context::AddTorrent)?;
        Ok(Added {
            remote_id: created.id,
            name: None,
            ready: false,
        })
    }

    async fn status(&self, remote_id: &str) -> Result<RemoteStatus> {
        Ok(remote_status(&self.info(remote_id).await?))
    }

    async fn files(&self, remote_id: &str) -> Result<Vec<RemoteFile>> {
        Ok(remote_files(self.info(remote_id).await?))
    }

    async fn select_files(&self, remote_id: &str, file_ids: &[String]) -> Result<()> {
        if file_ids.is_empty() {
            return Err(DebridError::new(
                KIND,
                DebridErrorKind::Unsupported,
                "choose at least one file for Real-Debrid to download",
            ));
        }
        let files = file_ids.join(",");
        let url = self.rest_with_id("torrents/selectFiles", remote_id)?;
        let reply = self
            .authed(|| {
                self.client
                    .post(url.clone())
                    .form(&[("files", files.as_str())])
            })
            .await?;
        match expect_done(&reply, Context::Other) {
            Err(error) if error.code.as_deref() == Some(&ACTION_ALREADY_DONE.to_string()) => Ok(()),
            other => other,
        }
    }

    async fn unlock(&self, _remote_id: &str, file: &RemoteFile) -> Result<Unlocked> {
        let link = file.link.as_deref().ok_or_else(|| {
            DebridError::new(
                KIND,
                DebridErrorKind::Protocol,
                format!(
                    "Real-Debrid has no link for {}: it was not chosen, or the torrent is not downloaded yet",
                    file.path.join("/")
                ),
            )
        })?;
        let url = self.rest("unrestrict/link");
        let reply = self
            .authed(|| self.client.post(url.clone()).form(&[("link", link)]))
            .await?;
        let unrestricted: wire::Unrestricted = decode("unrestrict/link", &reply, Context::Other)?;
        if unrestricted.download.is_empty() {
            return Err(DebridError::new(
                KIND,
                DebridErrorKind::Protocol,
                "Real-Debrid gave no direct link for this file",
            ));
        }
        Ok(Unlocked::Ready(DirectLink {
            url: unrestricted.download,
            file_name: unrestricted.filename.filter(|n| !n.is_empty()),
            size: unrestricted.filesize.filter(|s| *s > 0),
        }))
    }

    async fn delayed(&self, _delayed_id: &str) -> Result<Option<DirectLink>> {
        Err(unsupported("Real-Debrid has no delayed links"))
    }

    async fn delete(&self, remote_id: &str) -> Result<()> {
        let url = self.rest_with_id("torrents/delete", remote_id)?;
        let reply = self.authed(|| self.client.delete(url.clone())).await?;
        expect_done(&reply, Context::Other)
    }

    async fn restart(&self, _remote_id: &str) -> Result<()> {
        Err(unsupported(
            "Real-Debrid cannot restart a torrent; it has to be added again",
        ))
    }

    async fn start_login(&self) -> Result<LoginChallenge> {
        let reply = self
            .public_get(
                "device/code",
                &[
                    ("client_id", OPEN_SOURCE_CLIENT_ID),
                    ("new_credentials", "yes"),
                ],
            )
            .await?;
        let code: wire::DeviceCode = decode("oauth/device/code", &reply, Context::Other)?;
        Ok(LoginChallenge {
            user_code: code.user_code,
            verification_url: code.verification_url,
            expires_in: Duration::from_secs(code.expires_in.unwrap_or(600)),
            interval: Duration::from_secs(code.interval.unwrap_or(5).clamp(1, 60)),
            poll_token: Secret::new(code.device_code),
        })
    }

    async fn poll_login(&self, challenge: &LoginChallenge) -> Result<LoginPoll> {
        let device_code = challenge.poll_token.expose();
        let reply = self
            .public_get(
                "device/credentials",
                &[("client_id", OPEN_SOURCE_CLIENT_ID), ("code", device_code)],
            )
            .await?;
        if reply.status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(reply_error(&reply, Context::Other));
        }
        if !reply.status.is_success() {
            // An error (typically 403) until the user has entered the code.
            return Ok(LoginPoll::Pending);
        }
        let credentials: wire::DeviceCredentials =
            decode("oauth/device/credentials", &reply, Context::Other)?;
        let (Some(client_id), Some(client_secret), None) = (
            credentials.client_id.filter(|c| !c.is_empty()),
            credentials.client_secret.filter(|c| !c.is_empty()),
            credentials.error,
        ) else {
            return Ok(LoginPoll::Pending);
        };
        let request = self.client.post(self.oauth("token")).form(&[
            ("client_id", client_id.as_str()),
            ("client_secret", client_secret.as_str()),
            ("code", device_code),
            ("grant_type", DEVICE_GRANT),
        ]);
        let reply = http::send(KIND, &self.limiter, request).await?;
        let token: wire::Token = decode("oauth/token", &reply, Context::Other)?;
        Ok(LoginPoll::Done(credential_json(
            &client_id,
            &client_secret,
            &token.access_token,
            token.refresh_token.as_deref().unwrap_or(""),
        )))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn info(json: serde_json::Value) -> wire::TorrentInfo {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn every_status_has_a_phase() {
        let cases = [
            ("magnet_conversion", RemotePhase::Queued),
            ("queued", RemotePhase::Queued),
            ("downloading", RemotePhase::Downloading),
            ("compressing", RemotePhase::Processing),
            ("uploading", RemotePhase::Processing),
            ("waiting_files_selection", RemotePhase::WaitingSelection),
            ("downloaded", RemotePhase::Ready),
            ("magnet_error", RemotePhase::Failed),
            ("error", RemotePhase::Failed),
            ("virus", RemotePhase::Failed),
            ("dead", RemotePhase::Failed),
        ];
        for (text, phase) in cases {
            let status = remote_status(&info(serde_json::json!({"status": text, "progress": 50})));
            assert_eq!(status.phase, phase, "{text}");
            if phase == RemotePhase::Failed {
                assert!(status.message.contains(text), "{}", status.message);
            }
        }
        let status = remote_status(&info(
            serde_json::json!({"status": "downloading", "progress": 25.5, "speed": 9, "seeders": 3}),
        ));
        assert!((status.progress - 0.255).abs() < 1e-9);
        assert_eq!(status.bytes_per_second, 9);
        assert_eq!(status.seeders, Some(3));
    }

    #[test]
    fn links_pair_with_the_selected_files_in_order() {
        let files = remote_files(info(serde_json::json!({
            "status": "downloaded",
            "files": [
                {"id": 1, "path": "/Show/e01.mkv", "bytes": 10, "selected": 1},
                {"id": 2, "path": "/Show/e02.mkv", "bytes": 11, "selected": 0},
                {"id": 3, "path": "/Show/e03.mkv", "bytes": 12, "selected": 1},
            ],
            "links": ["https://real-debrid.com/d/A", "https://real-debrid.com/d/B"],
        })));
        assert_eq!(files[0].path, ["Show", "e01.mkv"]);
        assert_eq!(
            files[0].link.as_deref(),
            Some("https://real-debrid.com/d/A")
        );
        assert_eq!(files[1].link, None);
        assert_eq!(
            files[2].link.as_deref(),
            Some("https://real-debrid.com/d/B")
        );
        assert_eq!(files[2].id, "3");
    }

    #[test]
    fn errors_name_the_code_and_what_to_do() {
        let error = |code: i64, context| {
            api_error(
                400,
                &wire::ApiError {
                    error: "some_error".into(),
                    error_code: Some(code),
                    error_details: None,
                },
                None,
                context,
            )
        };
        use DebridErrorKind as K;
        let expected = [
            (-1, K::ServerError),
            (5, K::RateLimited),
            (34, K::RateLimited),
            (7, K::NotFound),
            (8, K::AuthInvalid),
            (9, K::AccountRestricted),
            (14, K::AccountRestricted),
            (15, K::AccountRestricted),
            (20, K::AccountRestricted),
            (22, K::AccountRestricted),
            (23, K::AccountRestricted),
            (18, K::LimitReached),
            (21, K::LimitReached),
            (36, K::LimitReached),
            (16, K::Maintenance),
            (17, K::Maintenance),
            (19, K::Maintenance),
            (25, K::Maintenance),
            (24, K::LinkDown),
            (35, K::LinkDown),
            (26, K::TooLarge),
            (29, K::TooLarge),
            (30, K::InvalidTorrent),
            (37, K::Unsupported),
            (999, K::Protocol),
        ];
        for (code, kind) in expected {
            let e = error(code, Context::Other);
            assert_eq!(e.kind, kind, "code {code}");
            assert!(
                e.message.contains(&format!("error {code}")),
                "{}",
                e.message
            );
            assert_eq!(e.code.as_deref(), Some(code.to_string().as_str()));
        }
        assert_eq!(error(2, Context::AddMagnet).kind, K::InvalidMagnet);
        assert_eq!(error(2, Context::Other).kind, K::Protocol);
    }

    #[test]
    fn iso_dates_become_unix_seconds() {
        assert_eq!(unix_seconds("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(
            unix_seconds("2024-02-29T12:30:15.123Z"),
            Some(1_709_209_815)
        );
        assert_eq!(
            unix_seconds("2024-02-29T14:30:15+02:00"),
            Some(1_709_209_815)
        );
        assert_eq!(unix_seconds("2000-03-01"), Some(951_868_800));
        assert_eq!(unix_seconds("not a date"), None);
        assert_eq!(unix_seconds("2024-13-01T00:00:00Z"), None);
    }

    #[test]
    fn credentials_are_told_apart() {
        assert!(matches!(
            Credential::parse(Some(Secret::new("ABCDEF"))),
            Credential::Token(_)
        ));
        let json = credential_json("id", "secret", "access", "refresh");
        assert!(matches!(
            Credential::parse(Some(json)),
            Credential::OAuth(_)
        ));
        assert!(matches!(
            Credential::parse(Some(Secret::new("{broken"))),
            Credential::Unreadable
        ));
        assert!(matches!(Credential::parse(None), Credential::None));
    }
}
