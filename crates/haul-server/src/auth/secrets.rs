//! Random tokens and their stored form. Session and API tokens are 256 random
//! bits, so a plain SHA-256 is enough to store them (no dictionary to try);
//! the password alone needs a slow hash (see `password.rs`).

use data_encoding::BASE64URL_NOPAD;
use haul_core::{Error, ErrorCode};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// `bytes` random bytes from the OS.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| {
        Error::new(
            ErrorCode::Internal,
            format!("The system's random number generator failed: {e}"),
        )
    })?;
    Ok(out)
}

/// A new secret token (URL-safe base64 of 32 random bytes, 43 characters).
pub fn new_token() -> Result<String, Error> {
    Ok(BASE64URL_NOPAD.encode(&random_bytes::<32>()?))
}

/// What is stored for a token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A session's CSRF token: derived from the session token, so it is never
/// stored, and useless without the (HttpOnly) session cookie it belongs to.
pub fn csrf_token(session_token: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"haul csrf v1\0");
    hasher.update(session_token.as_bytes());
    BASE64URL_NOPAD.encode(&hasher.finalize())
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_and_hashes_stable() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
        assert_ne!(csrf_token(&a), csrf_token(&b));
        assert!(same_secret(&csrf_token(&a), &csrf_token(&a)));
        assert!(!same_secret(&csrf_token(&a), &csrf_token(&b)));
        assert!(!same_secret("abc", "abcd"));
    }
}
