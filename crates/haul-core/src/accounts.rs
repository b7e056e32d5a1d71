//! Debrid accounts: logging in (PIN, OAuth device flow or a pasted key), the
//! account's state, and the provider clients built from settings and secrets.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use haul_debrid::alldebrid::AllDebrid;
use haul_debrid::realdebrid::RealDebrid;
use haul_debrid::torbox::TorBox;
use haul_debrid::{DebridProvider, LoginChallenge, LoginPoll, ProviderKind, Secret};
use serde::Serialize;
use specta_typescript::Number;

use crate::Shared;
use crate::error::{Error, ErrorCode, Result};
use crate::secrets::{self, ProviderOverrides, SecretStore};
use crate::settings::Provider;

/// How a provider's user logs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum LoginMethod {
    Pin,
    OauthDevice,
    ApiKey,
}

/// One provider's account as the Accounts page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub provider: Provider,
    pub label: String,
    pub login_method: LoginMethod,
    /// A credential is stored (or given in the environment).
    pub configured: bool,
    /// The credential comes from `HAUL_<PROVIDER>_API_KEY`.
    pub from_environment: bool,
    pub username: Option<String>,
    pub premium: Option<bool>,
    /// Unix seconds.
    #[specta(type = Option<Number>)]
    pub premium_until: Option<i64>,
    /// Why the account could not be checked.
    pub error: Option<Error>,
}

/// A login waiting for the user: show the code and the page, then poll.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LoginPrompt {
    #[specta(type = Number)]
    pub login_id: u64,
    pub provider: Provider,
    pub user_code: String,
    pub verification_url: String,
    pub expires_in_seconds: u32,
    pub poll_interval_seconds: u32,
}

/// Where a login stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum LoginStatus {
    Pending,
    Done { account: AccountView },
}

struct PendingLogin {
    provider: Provider,
    challenge: LoginChallenge,
    expires_at: Instant,
}

/// Provider clients, built once per provider from settings and secrets and
/// rebuilt after a login, logout or settings change. Keeping one client keeps its
/// rate limits and live status state.
pub(crate) struct Providers {
    overrides: ProviderOverrides,
    pub(crate) secrets: Arc<dyn SecretStore>,
    clients: tokio::sync::Mutex<HashMap<Provider, Arc<dyn DebridProvider>>>,
    logins: std::sync::Mutex<HashMap<u64, PendingLogin>>,
    next_login: AtomicU64,
}

impl Providers {
    pub(crate) fn new(overrides: ProviderOverrides, secrets: Arc<dyn SecretStore>) -> Self {
        Self {
            overrides,
            secrets,
            clients: tokio::sync::Mutex::default(),
            logins: std::sync::Mutex::default(),
            next_login: AtomicU64::new(1),
        }
    }

    fn base_url(&self, shared: &Shared, provider: Provider) -> Result<url::Url> {
        let text = match self.overrides.urls.get(&provider.kind()) {
            Some(url) => url.clone(),
            None => shared.settings().debrid.base_url(provider).to_string(),
        };
        haul_debrid::parse_base_url(provider.kind(), &text)
            .map_err(|e| Error::new(ErrorCode::InvalidSetting, e.to_string()))
    }

    async fn credential(&self, provider: Provider) -> Result<Option<Secret>> {
        if let Some(key) = self.overrides.keys.get(&provider.kind()) {
            return Ok(Some(key.clone()));
        }
        let account = secrets::account_name(provider.kind());
        secrets::blocking(&self.secrets, move |store| store.get(&account)).await
    }

    /// The client for `provider`, with its stored credential (if any).
    pub(crate) async fn get(
        &self,
        shared: &Shared,
        provider: Provider,
    ) -> Result<Arc<dyn DebridProvider>> {
        let mut clients = self.clients.lock().await;
        if let Some(client) = clients.get(&provider) {
            return Ok(Arc::clone(client));
        }
        let base = self.base_url(shared, provider)?;
        let credential = self.credential(provider).await?;
        let client = self.build(provider, base, credential)?;
        clients.insert(provider, Arc::clone(&client));
        Ok(client)
    }

    fn build(
        &self,
        provider: Provider,
        base: url::Url,
        credential: Option<Secret>,
    ) -> Result<Arc<dyn DebridProvider>> {
        Ok(match provider {
            Provider::AllDebrid => Arc::new(AllDebrid::new(base, credential)?),
            Provider::RealDebrid => {
                // Renewed OAuth tokens replace the stored credential.
                let store = Arc::clone(&self.secrets);
                let on_refresh: haul_debrid::realdebrid::OnRefresh = Box::new(move |secret| {
                    let store = Arc::clone(&store);
                    let account = secrets::account_name(ProviderKind::RealDebrid);
                    tokio::task::spawn_blocking(move || {
                        if let Err(error) = store.set(&account, &secret) {
                            tracing::warn!(%error, "cannot store the renewed Real-Debrid token");
                        }
                    });
                });
                Arc::new(RealDebrid::new(base, credential, Some(on_refresh))?)
            }
            Provider::TorBox => Arc::new(TorBox::new(base, credential)?),
        })
    }

    /// Drops cached clients so the next call reads settings and secrets again.
    pub(crate) async fn forget(&self, provider: Option<Provider>) {
        let mut clients = self.clients.lock().await;
        match provider {
            Some(provider) => {
                clients.remove(&provider);
            }
            None => clients.clear(),
        }
    }
}

/// The accounts service; borrow it with `core.accounts()`.
pub struct Accounts<'a> {
    pub(crate) shared: &'a Arc<Shared>,
}

fn login_method(kind: ProviderKind) -> LoginMethod {
    match kind {
        ProviderKind::AllDebrid => LoginMethod::Pin,
        ProviderKind::RealDebrid => LoginMethod::OauthDevice,
        ProviderKind::TorBox => LoginMethod::ApiKey,
    }
}

fn seconds(duration: Duration) -> u32 {
    u32::try_from(duration.as_secs()).unwrap_or(u32::MAX)
}

impl Accounts<'_> {
    fn providers(&self) -> &Providers {
        &self.shared.providers
    }

    /// Every provider with whether it has a credential; no network.
    pub async fn list(&self) -> Result<Vec<AccountView>> {
        let mut views = Vec::new();
        for provider in Provider::ALL {
            views.push(self.offline_view(provider).await);
        }
        Ok(views)
    }

    async fn offline_view(&self, provider: Provider) -> AccountView {
        let kind = provider.kind();
        let from_environment = self.providers().overrides.keys.contains_key(&kind);
        let (configured, error) = match self.providers().credential(provider).await {
            Ok(credential) => (credential.is_some(), None),
            Err(error) => (false, Some(error)),
        };
        AccountView {
            provider,
            label: kind.label().to_string(),
            login_method: login_method(kind),
            configured,
            from_environment,
            username: None,
            premium: None,
            premium_until: None,
            error,
        }
    }

    /// Asks the service who the credential belongs to.
    pub async fn check(&self, provider: Provider) -> Result<AccountView> {
        let mut view = self.offline_view(provider).await;
        if !view.configured {
            return Ok(view);
        }
        let client = self.providers().get(self.shared, provider).await?;
        match client.account().await {
            Ok(account) => {
                view.username = Some(account.username);
                view.premium = Some(account.premium);
                view.premium_until = account.premium_until;
            }
            Err(error) => view.error = Some(error.into()),
        }
        Ok(view)
    }

    /// Starts a PIN or device login; show the code and page, then [`Self::poll_login`].
    pub async fn start_login(&self, provider: Provider) -> Result<LoginPrompt> {
        self.shared.ensure_writable()?;
        let base = self.providers().base_url(self.shared, provider)?;
        // A client without a credential: logging in needs none.
        let client = self.providers().build(provider, base, None)?;
        let challenge = client.start_login().await?;
        let login_id = self.providers().next_login.fetch_add(1, Ordering::SeqCst);
        let prompt = LoginPrompt {
            login_id,
            provider,
            user_code: challenge.user_code.clone(),
            verification_url: challenge.verification_url.clone(),
            expires_in_seconds: seconds(challenge.expires_in),
            poll_interval_seconds: seconds(challenge.interval).max(1),
        };
        let expires_at = Instant::now() + challenge.expires_in;
        lock(&self.providers().logins).insert(
            login_id,
            PendingLogin {
                provider,
                challenge,
                expires_at,
            },
        );
        tracing::info!(provider = provider.id(), login_id, "login started");
        Ok(prompt)
    }

    /// Asks once whether the user confirmed; on success the credential goes to
    /// the keyring and the account is returned.
    pub async fn poll_login(&self, login_id: u64) -> Result<LoginStatus> {
        self.shared.ensure_writable()?;
        let (provider, challenge, expired) = {
            let logins = lock(&self.providers().logins);
            let pending = logins.get(&login_id).ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    "This login is not pending any more; start it again.",
                )
            })?;
            (
                pending.provider,
                pending.challenge.clone(),
                Instant::now() >= pending.expires_at,
            )
        };
        if expired {
            lock(&self.providers().logins).remove(&login_id);
            return Err(Error::new(
                ErrorCode::AuthRequired,
                "The login code expired before it was confirmed; start the login again.",
            ));
        }
        let base = self.providers().base_url(self.shared, provider)?;
        let client = self.providers().build(provider, base, None)?;
        let poll = match client.poll_login(&challenge).await {
            Ok(poll) => poll,
            Err(error) if error.is_transient() => return Ok(LoginStatus::Pending),
            Err(error) => {
                lock(&self.providers().logins).remove(&login_id);
                return Err(error.into());
            }
        };
        match poll {
            LoginPoll::Pending => Ok(LoginStatus::Pending),
            LoginPoll::Done(secret) => {
                lock(&self.providers().logins).remove(&login_id);
                self.store_credential(provider, secret).await?;
                tracing::info!(provider = provider.id(), "logged in");
                Ok(LoginStatus::Done {
                    account: self.check(provider).await?,
                })
            }
        }
    }

    /// Stores a pasted API key after the service accepted it.
    pub async fn set_api_key(&self, provider: Provider, key: &str) -> Result<AccountView> {
        self.shared.ensure_writable()?;
        let key = key.trim();
        if key.is_empty() || key.chars().any(char::is_control) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "The API key is empty or contains invalid characters.",
            ));
        }
        let base = self.providers().base_url(self.shared, provider)?;
        let secret = Secret::new(key);
        let client = self
            .providers()
            .build(provider, base, Some(secret.clone()))?;
        client.account().await?;
        self.store_credential(provider, secret).await?;
        tracing::info!(provider = provider.id(), "API key stored");
        self.check(provider).await
    }

    /// Forgets the stored credential.
    pub async fn logout(&self, provider: Provider) -> Result<AccountView> {
        self.shared.ensure_writable()?;
        let account = secrets::account_name(provider.kind());
        secrets::blocking(&self.providers().secrets, move |store| {
            store.delete(&account)
        })
        .await?;
        self.providers().forget(Some(provider)).await;
        tracing::info!(provider = provider.id(), "logged out");
        Ok(self.offline_view(provider).await)
    }

    async fn store_credential(&self, provider: Provider, secret: Secret) -> Result<()> {
        let account = secrets::account_name(provider.kind());
        secrets::blocking(&self.providers().secrets, move |store| {
            store.set(&account, &secret)
        })
        .await?;
        self.providers().forget(Some(provider)).await;
        Ok(())
    }
}

fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
