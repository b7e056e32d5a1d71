//! What the server's owner does at its console (`haul serve --init`, `haul
//! serve token …`, `haul serve totp …`): straight on the database, so it works
//! beside a running server, whose every request reads the same rows.

use haul_core::{Error, ErrorCode};
use haul_store::Store;
use haul_store::server_auth::TokenRow;

use crate::auth::{ACCOUNT, now_ms, password, secrets, totp};

/// Sets (or replaces) the account's password; every session ends.
pub async fn set_password(store: &Store, new_password: &str) -> Result<(), Error> {
    password::check_new_password(new_password)?;
    let given = new_password.to_string();
    let hash = tokio::task::spawn_blocking(move || password::hash_password(&given))
        .await
        .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))??;
    store
        .server_auth()
        .set_password(ACCOUNT, &hash, now_ms())
        .await?;
    Ok(())
}

/// Ends every browser session; returns how many there were.
pub async fn end_sessions(store: &Store) -> Result<u64, Error> {
    Ok(store.server_auth().delete_all_sessions().await?)
}

pub async fn has_account(store: &Store) -> Result<bool, Error> {
    Ok(store.server_auth().account().await?.is_some())
}

/// A token name: letters, digits, `-`, `_`, `.`; 1–64 characters.
pub fn check_token_name(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::InvalidInput,
            format!("{name:?} is not a token name: use 1-64 letters, digits, '-', '_' or '.'."),
        ))
    }
}

/// A new API token; the caller shows it once, it is stored only as a hash.
pub async fn create_token(store: &Store, name: &str) -> Result<String, Error> {
    check_token_name(name)?;
    let token = format!("haul_{}", secrets::new_token()?);
    if !store
        .server_auth()
        .insert_token(name, &secrets::token_hash(&token), now_ms())
        .await?
    {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("A token named {name:?} exists: revoke it first or pick another name."),
        ));
    }
    Ok(token)
}

pub async fn revoke_token(store: &Store, name: &str) -> Result<(), Error> {
    check_token_name(name)?;
    if store.server_auth().revoke_token(name).await? {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::NotFound,
            format!("There is no token named {name:?}."),
        ))
    }
}

pub async fn tokens(store: &Store) -> Result<Vec<TokenRow>, Error> {
    Ok(store.server_auth().tokens().await?)
}

/// What `haul serve totp enable` shows once.
pub struct TotpSetup {
    pub secret: String,
    pub uri: String,
    pub recovery_codes: Vec<String>,
}

pub async fn enable_totp(store: &Store) -> Result<TotpSetup, Error> {
    let secret = totp::new_secret()?;
    let (codes, hashes) = totp::new_recovery_codes()?;
    if !store
        .server_auth()
        .set_totp(Some(&secret), &hashes, now_ms())
        .await?
    {
        return Err(no_account());
    }
    Ok(TotpSetup {
        uri: totp::otpauth_uri(&secret, ACCOUNT),
        secret,
        recovery_codes: codes,
    })
}

pub async fn disable_totp(store: &Store) -> Result<(), Error> {
    if store.server_auth().set_totp(None, &[], now_ms()).await? {
        Ok(())
    } else {
        Err(no_account())
    }
}

fn no_account() -> Error {
    Error::new(
        ErrorCode::InvalidState,
        "No account is set up: run `haul serve --init` first.",
    )
}
