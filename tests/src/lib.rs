//! Test servers shared by Haul's integration and end-to-end tests. Everything binds
//! to 127.0.0.1 only.

pub mod fake_debrid;
pub mod file_server;
pub mod forum;
pub mod serve;
pub mod site_server;
pub mod update_server;
pub mod window;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The `haul` binary of this build: `HAUL_BIN`, else beside the calling test's own
/// folder (`target/<profile>/haul`).
pub fn haul_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("HAUL_BIN") {
        return PathBuf::from(path);
    }
    let bin = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().and_then(Path::parent).map(Path::to_path_buf))
        .unwrap_or_default()
        .join(format!("haul{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build -p haul-cli`",
        bin.display()
    );
    bin
}

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

/// Every regular file under `dir`, recursively, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
