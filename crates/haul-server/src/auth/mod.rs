//! Who is calling: a browser session (an HttpOnly cookie, with a CSRF token for
//! every request that may change state) or an API token (`Authorization:
//! Bearer`, no CSRF: a browser never sends one by itself). Logins go through
//! the lockout and, when enabled, TOTP.

pub mod lockout;
pub mod password;
pub mod secrets;
pub mod totp;

use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use axum::http::{HeaderMap, Method, header};
use haul_core::ErrorCode;
use haul_store::Store;

use crate::error::{ApiError, ApiResult};
use lockout::Lockout;

/// A session lasts this long after its last use…
pub const SESSION_IDLE_MS: i64 = 12 * 3600 * 1000;
/// …and never longer than this after the login.
pub const SESSION_MAX_MS: i64 = 7 * 24 * 3600 * 1000;
/// The account `haul serve --init` creates (the API has one account).
pub const ACCOUNT: &str = "admin";

/// An authenticated caller.
#[derive(Clone, Debug)]
pub enum Caller {
    Session {
        token_hash: String,
        csrf: String,
        expires_at: i64,
    },
    Token {
        name: String,
    },
}

pub struct Auth {
    pub store: Store,
    pub lockout: Lockout,
    /// Cookies get `Secure` (and the `__Host-` name) when the server speaks TLS
    /// or sits behind a TLS-terminating proxy.
    pub secure_cookies: bool,
    /// The last TOTP step accepted: a code works once.
    last_totp_step: Mutex<Option<u64>>,
}

pub fn now_ms() -> i64 {
    haul_store::now_millis()
}

fn unix_seconds() -> u64 {
    u64::try_from(now_ms() / 1000).unwrap_or(0)
}

impl Auth {
    pub fn new(store: Store, secure_cookies: bool) -> Self {
        Self {
            store,
            lockout: Lockout::default(),
            secure_cookies,
            last_totp_step: Mutex::new(None),
        }
    }

    pub fn cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-haul_session"
        } else {
            "haul_session"
        }
    }

    /// The session cookie's header value for a new session.
    pub fn session_cookie(&self, token: &str) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
            self.cookie_name(),
            SESSION_MAX_MS / 1000
        )
    }

    /// The header value that deletes the cookie.
    pub fn cleared_cookie(&self) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!(
            "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}",
            self.cookie_name()
        )
    }

    /// Checks a password (and TOTP code): a new session token, or why not.
    pub async fn login(
        &self,
        password: &str,
        code: Option<&str>,
        client: IpAddr,
    ) -> ApiResult<String> {
        if let Some(wait) = self.lockout.locked_for(client, Instant::now()) {
            return Err(locked(wait.as_secs()));
        }
        let Some(account) = self.store.server_auth().account().await? else {
            return Err(ApiError::new(
                ErrorCode::NotAuthenticated,
                "No account is set up: run `haul serve --init` on the server.",
            ));
        };
        let hash = account.password_hash.clone();
        let given = password.to_string();
        // Argon2 takes tens of milliseconds of CPU: off the async runtime.
        let right = tokio::task::spawn_blocking(move || password::verify_password(&given, &hash))
            .await
            .unwrap_or(false);
        if !right {
            self.lockout.failed(client, Instant::now());
            // This answer still says why; the next attempt meets the lock.
            if self.lockout.locked_for(client, Instant::now()).is_some() {
                tracing::warn!(%client, "logins locked after repeated wrong passwords");
            }
            return Err(ApiError::new(
                ErrorCode::NotAuthenticated,
                "Wrong password.",
            ));
        }
        if let Some(secret) = &account.totp_secret {
            let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
                return Err(ApiError::new(
                    ErrorCode::TotpRequired,
                    "Enter the code from your authenticator app (or a recovery code).",
                ));
            };
            if !self.second_factor(secret, code).await? {
                self.lockout.failed(client, Instant::now());
                return Err(ApiError::new(
                    ErrorCode::TotpRequired,
                    "That code is wrong or was already used.",
                ));
            }
        }
        self.lockout.succeeded(client);
        let token = secrets::new_token()?;
        let now = now_ms();
        self.store
            .server_auth()
            .insert_session(
                &secrets::token_hash(&token),
                now,
                now + SESSION_IDLE_MS,
                &client.to_string(),
            )
            .await?;
        let _ = self.store.server_auth().delete_expired_sessions(now).await;
        tracing::info!(%client, "logged in");
        Ok(token)
    }

    async fn second_factor(&self, secret: &str, code: &str) -> ApiResult<bool> {
        if let Some(step) = totp::verify(secret, code, unix_seconds())? {
            let mut last = self
                .last_totp_step
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if last.is_some_and(|used| step <= used) {
                return Ok(false);
            }
            *last = Some(step);
            return Ok(true);
        }
        Ok(self
            .store
            .server_auth()
            .use_recovery_code(&totp::recovery_hash(code), now_ms())
            .await?)
    }

    /// Who sent these headers, if anyone valid.
    pub async fn identify(&self, headers: &HeaderMap) -> ApiResult<Option<Caller>> {
        let now = now_ms();
        if let Some(value) = headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| !t.is_empty() && t.len() <= 256)
                .ok_or_else(ApiError::unauthenticated)?;
            let name = self
                .store
                .server_auth()
                .use_token(&secrets::token_hash(token), now)
                .await?;
            return Ok(name.map(|name| Caller::Token { name }));
        }
        let Some(token) = cookie(headers, self.cookie_name()) else {
            return Ok(None);
        };
        let hash = secrets::token_hash(&token);
        let Some(session) = self.store.server_auth().session(&hash, now).await? else {
            return Ok(None);
        };
        let expires_at = (now + SESSION_IDLE_MS).min(session.created_at + SESSION_MAX_MS);
        // Touching on every request would write the database on every read:
        // once a minute is enough to slide the expiry.
        if expires_at - session.expires_at > 60_000 {
            self.store
                .server_auth()
                .touch_session(&hash, now, expires_at)
                .await?;
        }
        Ok(Some(Caller::Session {
            token_hash: hash,
            csrf: secrets::csrf_token(&token),
            expires_at: session.expires_at.max(expires_at),
        }))
    }

    /// A browser request that may change state must prove it came from Haul's
    /// own page: the CSRF token in `X-CSRF-Token`, and no foreign `Origin`.
    pub fn check_csrf(caller: &Caller, method: &Method, headers: &HeaderMap) -> ApiResult<()> {
        let Caller::Session { csrf, .. } = caller else {
            return Ok(());
        };
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
            return Ok(());
        }
        if let (Some(origin), Some(host)) = (headers.get(header::ORIGIN), headers.get(header::HOST))
        {
            let origin = origin.to_str().unwrap_or("");
            let host = host.to_str().unwrap_or("");
            let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
            if origin_host != host {
                return Err(ApiError::new(
                    ErrorCode::CsrfRejected,
                    "The request came from another site.",
                ));
            }
        }
        let sent = headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if secrets::same_secret(sent, csrf) {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::CsrfRejected,
                "The request lacks this session's CSRF token (X-CSRF-Token).",
            ))
        }
    }
}

fn locked(seconds: u64) -> ApiError {
    let minutes = seconds.div_ceil(60);
    ApiError::new(
        ErrorCode::LockedOut,
        format!("Too many wrong passwords: logins are locked for {minutes} more minute(s)."),
    )
    .retry_after(seconds)
}

/// A cookie's value from the `Cookie` headers.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 256)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn session(csrf: &str) -> Caller {
        Caller::Session {
            token_hash: "h".into(),
            csrf: csrf.into(),
            expires_at: 0,
        }
    }

    #[test]
    fn state_changes_need_the_csrf_token_and_no_foreign_origin() {
        let caller = session("abc");
        let mut headers = HeaderMap::new();
        assert!(Auth::check_csrf(&caller, &Method::GET, &headers).is_ok());
        assert!(Auth::check_csrf(&caller, &Method::POST, &headers).is_err());
        headers.insert("x-csrf-token", HeaderValue::from_static("abc"));
        assert!(Auth::check_csrf(&caller, &Method::POST, &headers).is_ok());
        headers.insert(header::HOST, HeaderValue::from_static("haul.lan:8080"));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(Auth::check_csrf(&caller, &Method::POST, &headers).is_err());
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://haul.lan:8080"),
        );
        assert!(Auth::check_csrf(&caller, &Method::DELETE, &headers).is_ok());
        let token = Caller::Token {
            name: "script".into(),
        };
        assert!(Auth::check_csrf(&token, &Method::POST, &HeaderMap::new()).is_ok());
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; haul_session=tok; b=2"),
        );
        assert_eq!(cookie(&headers, "haul_session").as_deref(), Some("tok"));
        assert_eq!(cookie(&headers, "missing"), None);
    }
}
