//! API keys and tokens: kept only in the OS keyring (Secret Service, Keychain,
//! Credential Manager), never in the database, settings or logs. An environment
//! variable per provider overrides the keyring for headless use.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use haul_debrid::{ProviderKind, Secret};

use crate::error::{Error, ErrorCode, Result};

/// The keyring's service name for every Haul secret.
const KEYRING_SERVICE: &str = "haul";

/// Where secrets are kept. Blocking: call from `spawn_blocking` or a thread that
/// may block.
pub trait SecretStore: Send + Sync {
    fn get(&self, account: &str) -> Result<Option<Secret>>;
    fn set(&self, account: &str, secret: &Secret) -> Result<()>;
    fn delete(&self, account: &str) -> Result<()>;
}

/// The platform's keyring through the `keyring` crate (v1 stores: Secret Service
/// on Linux, Keychain on macOS, Credential Manager on Windows).
pub struct KeyringStore;

fn keyring_error(action: &str, error: &keyring::Error) -> Error {
    Error::new(
        ErrorCode::Keyring,
        format!(
            "Cannot {action} the OS keyring: {error}. On Linux, a Secret Service (GNOME Keyring or KWallet) must be running and unlocked."
        ),
    )
}

impl SecretStore for KeyringStore {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        let entry =
            keyring::Entry::new(KEYRING_SERVICE, account).map_err(|e| keyring_error("read", &e))?;
        match entry.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(keyring_error("read", &error)),
        }
    }

    fn set(&self, account: &str, secret: &Secret) -> Result<()> {
        keyring::Entry::new(KEYRING_SERVICE, account)
            .and_then(|entry| entry.set_password(secret.expose()))
            .map_err(|e| keyring_error("write to", &e))
    }

    fn delete(&self, account: &str) -> Result<()> {
        let entry = keyring::Entry::new(KEYRING_SERVICE, account)
            .map_err(|e| keyring_error("write to", &e))?;
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(keyring_error("write to", &error)),
        }
    }
}

/// Secrets in memory only: for tests and for a session that must not persist.
#[derive(Default)]
pub struct MemoryStore {
    values: Mutex<HashMap<String, Secret>>,
}

impl SecretStore for MemoryStore {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        Ok(self
            .values
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(account)
            .cloned())
    }

    fn set(&self, account: &str, secret: &Secret) -> Result<()> {
        self.values
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(account.to_string(), secret.clone());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.values
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(account);
        Ok(())
    }
}

/// Provider settings that come from outside the settings file: base URLs and
/// keys from the environment.
#[derive(Clone, Default)]
pub struct ProviderOverrides {
    pub urls: HashMap<ProviderKind, String>,
    pub keys: HashMap<ProviderKind, Secret>,
}

impl ProviderOverrides {
    /// `HAUL_ALLDEBRID_URL`, `HAUL_ALLDEBRID_API_KEY` and the same for
    /// `REALDEBRID` and `TORBOX`.
    pub fn from_env() -> Self {
        let mut overrides = Self::default();
        for kind in ProviderKind::ALL {
            let prefix = format!("HAUL_{}", kind.id().to_ascii_uppercase());
            if let Some(url) = non_empty_env(&format!("{prefix}_URL")) {
                overrides.urls.insert(kind, url);
            }
            if let Some(key) = non_empty_env(&format!("{prefix}_API_KEY")) {
                overrides.keys.insert(kind, Secret::new(key));
            }
        }
        overrides
    }
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The keyring account name of a provider's credential.
pub(crate) fn account_name(kind: ProviderKind) -> String {
    format!("{}-credential", kind.id())
}

/// Runs a blocking keyring call off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    store: &Arc<dyn SecretStore>,
    call: impl FnOnce(&dyn SecretStore) -> Result<T> + Send + 'static,
) -> Result<T> {
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || call(store.as_ref()))
        .await
        .map_err(Error::internal)?
}
