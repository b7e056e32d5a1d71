//! Platform accounts' cookies, kept only in the OS keyring (one entry per
//! account, the Netscape text), never in the database, settings or logs.

use haul_debrid::Secret;
use haul_sources::Cookies;

use crate::Shared;
use crate::error::{Error, ErrorCode, Result};

fn key(account: &str) -> String {
    format!("cookies:{account}")
}

/// An account name: letters, digits and `._@-`, 1–64 characters.
pub(crate) fn check_account(account: &str) -> Result<()> {
    let ok = !account.is_empty()
        && account.len() <= 64
        && account
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '@' | '-'));
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "{account:?} is not an account name: use 1 to 64 letters, digits, '.', '_', '@' or '-'."
            ),
        ))
    }
}

/// Validates a cookies.txt and stores it for `account`; returns the domains it covers.
pub(crate) fn import(shared: &Shared, account: &str, text: &str) -> Result<Vec<String>> {
    check_account(account)?;
    let cookies = Cookies::parse_netscape(text)
        .map_err(|e| Error::new(ErrorCode::InvalidInput, format!("The cookies file {e}")))?;
    shared
        .providers
        .secrets
        .set(&key(account), &Secret::new(cookies.to_netscape()))?;
    tracing::info!(account, count = cookies.entries.len(), "cookies imported");
    Ok(cookies.domains())
}

pub(crate) fn load(shared: &Shared, account: &str) -> Result<Option<Cookies>> {
    let Some(secret) = shared.providers.secrets.get(&key(account))? else {
        return Ok(None);
    };
    Cookies::parse_netscape(secret.expose())
        .map(Some)
        .map_err(|e| {
            Error::new(
                ErrorCode::InvalidState,
                format!("The stored cookies of {account} {e}"),
            )
        })
}

pub(crate) fn remove(shared: &Shared, account: &str) -> Result<()> {
    shared.providers.secrets.delete(&key(account))
}
