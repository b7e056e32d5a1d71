//! The account password: Argon2id with a random salt (the PHC string holds the
//! parameters, so they can be raised later without breaking old hashes).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use haul_core::{Error, ErrorCode};

use super::secrets::random_bytes;

/// Shorter passwords are refused: the server may face the internet.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer ones are refused too: hashing megabytes is a cheap denial of service.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// OWASP's Argon2id floor: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn check_new_password(password: &str) -> Result<(), Error> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("The password must have at least {MIN_PASSWORD_CHARS} characters."),
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("The password must be at most {MAX_PASSWORD_BYTES} bytes."),
        ));
    }
    Ok(())
}

pub fn hash_password(password: &str) -> Result<String, Error> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("Cannot make a salt: {e}")))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| {
            Error::new(
                ErrorCode::Internal,
                format!("Cannot hash the password: {e}"),
            )
        })
}

/// Whether `password` matches the stored hash (false for an unreadable hash).
pub fn verify_password(password: &str, stored: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    match PasswordHash::new(stored) {
        Ok(hash) => argon2().verify_password(password.as_bytes(), &hash).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("correct"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterz", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password(&"x".repeat(2000)).is_err());
        assert!(check_new_password("twelve chars").is_ok());
    }
}
