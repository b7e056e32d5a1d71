//! Test servers shared by Haul's integration and end-to-end tests. Everything binds
//! to 127.0.0.1 only.

pub mod file_server;

use sha2::{Digest, Sha256};

/// Deterministic pseudo-random bytes (xorshift), so files are incompressible and any
/// misplaced range shows up in the hash.
pub fn test_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(len);
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
