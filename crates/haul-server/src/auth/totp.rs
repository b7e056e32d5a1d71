//! Optional second factor: RFC 6238 TOTP (SHA-1, 6 digits, 30 s steps, the
//! authenticator apps' default) and one-time recovery codes.

use data_encoding::BASE32_NOPAD;
use haul_core::{Error, ErrorCode};
use totp_rs::{Algorithm, TOTP};

use super::secrets::{random_bytes, token_hash};

pub const RECOVERY_CODES: usize = 10;

/// A new secret: 160 random bits, base32 as authenticator apps take it.
pub fn new_secret() -> Result<String, Error> {
    Ok(BASE32_NOPAD.encode(&random_bytes::<20>()?))
}

fn totp(secret: &str) -> Result<TOTP, Error> {
    let bytes = BASE32_NOPAD
        .decode(secret.as_bytes())
        .map_err(|_| Error::new(ErrorCode::Internal, "The stored TOTP secret is damaged."))?;
    // One step of skew either side: a phone's clock a little off still works.
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("Bad TOTP secret: {e}")))
}

/// The time step a code is valid for, if it is valid at `unix_seconds`.
pub fn verify(secret: &str, code: &str, unix_seconds: u64) -> Result<Option<u64>, Error> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let totp = totp(secret)?;
    let step = unix_seconds / 30;
    for candidate in [step, step.saturating_sub(1), step + 1] {
        if totp.generate(candidate * 30) == code {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

/// The code for `unix_seconds` (tests, and `haul serve totp enable`'s check).
pub fn code_at(secret: &str, unix_seconds: u64) -> Result<String, Error> {
    Ok(totp(secret)?.generate(unix_seconds))
}

/// The `otpauth://` URI an authenticator app scans.
pub fn otpauth_uri(secret: &str, account: &str) -> String {
    let label: String = account
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!(
        "otpauth://totp/Haul:{label}?secret={secret}&issuer=Haul&algorithm=SHA1&digits=6&period=30"
    )
}

/// New recovery codes (`xxxx-xxxx-xxxx`, lower-case base32) and their hashes.
pub fn new_recovery_codes() -> Result<(Vec<String>, Vec<String>), Error> {
    let mut codes = Vec::new();
    for _ in 0..RECOVERY_CODES {
        let raw = BASE32_NOPAD
            .encode(&random_bytes::<8>()?)
            .to_ascii_lowercase();
        codes.push(format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12]));
    }
    let hashes = codes.iter().map(|c| recovery_hash(c)).collect();
    Ok((codes, hashes))
}

/// What is stored for a recovery code (spaces and case ignored).
pub fn recovery_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    token_hash(&format!("recovery:{normal}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_vector() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits); 6 digits: 287082.
        let secret = BASE32_NOPAD.encode(b"12345678901234567890");
        assert_eq!(code_at(&secret, 59).unwrap(), "287082");
        assert_eq!(verify(&secret, "287082", 59).unwrap(), Some(1));
        assert_eq!(
            verify(&secret, "287082", 89).unwrap(),
            Some(1),
            "one step late"
        );
        assert_eq!(verify(&secret, "287082", 200).unwrap(), None);
        assert_eq!(verify(&secret, "28708x", 59).unwrap(), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_hashed() {
        let (codes, hashes) = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(hashes[0], recovery_hash(&codes[0].to_uppercase()));
        assert!(!hashes[0].contains(&codes[0]));
    }
}
