//! What the app was asked to open from outside (a second launch, a clicked magnet
//! link, a .torrent file): every argument becomes a typed request before anything
//! acts on it. Nothing here runs a shell; a refused argument comes back with the
//! reason, to be shown, never acted on.

use std::path::{Path, PathBuf};

use haul_debrid::magnet::Magnet;

use crate::error::{Error, ErrorCode, Result};

/// Longest argument considered; magnets with many trackers stay far below.
pub(crate) const MAX_ARGUMENT: usize = 16 * 1024;
/// Characters of a refused argument quoted back.
const QUOTED: usize = 80;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LaunchRequest {
    Magnet(String),
    TorrentFile(PathBuf),
    Link(url::Url),
}

/// The argument as a person can read it: escaped, and cut after 80 characters.
pub fn quoted(argument: &str) -> String {
    let mut text: String = argument.chars().take(QUOTED).collect();
    if argument.chars().count() > QUOTED {
        text.push('…');
    }
    format!("{text:?}")
}

fn refused(argument: &str, why: &str) -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!("Haul did not open {}: {why}.", quoted(argument)),
    )
}

/// Reads one argument; relative .torrent paths are resolved against `cwd` (the
/// launching process's folder).
pub fn parse_argument(argument: &str, cwd: &Path) -> Result<LaunchRequest> {
    if argument.len() > MAX_ARGUMENT {
        return Err(refused(
            argument,
            &format!("it is {} bytes long, more than any link", argument.len()),
        ));
    }
    if argument.chars().any(char::is_control) {
        return Err(refused(argument, "it contains control characters"));
    }
    if argument.starts_with('-') {
        return Err(refused(
            argument,
            "options are not accepted from other programs; give a magnet link, a .torrent file or an http(s) link",
        ));
    }
    let lower = argument.get(..7).unwrap_or("").to_ascii_lowercase();
    if lower == "magnet:" {
        return match Magnet::parse(argument) {
            Ok(_) => Ok(LaunchRequest::Magnet(argument.to_string())),
            Err(error) => Err(refused(argument, &error.to_string())),
        };
    }
    if lower.starts_with("http:") || lower.starts_with("https:") {
        return crate::downloads::parse_http_url(argument)
            .map(LaunchRequest::Link)
            .map_err(|error| refused(argument, &error.message));
    }
    let path = cwd.join(argument);
    let is_torrent = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("torrent"));
    if is_torrent && path.is_file() {
        return Ok(LaunchRequest::TorrentFile(path));
    }
    Err(refused(
        argument,
        "it is not a magnet link, an existing .torrent file or an http(s) link",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_links_magnets_and_torrent_files_are_accepted() {
        let cwd = tempfile::tempdir().unwrap();
        std::fs::write(cwd.path().join("a.torrent"), b"d4:infodee").unwrap();
        let magnet = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567";
        assert_eq!(
            parse_argument(magnet, cwd.path()).unwrap(),
            LaunchRequest::Magnet(magnet.into())
        );
        assert_eq!(
            parse_argument("a.torrent", cwd.path()).unwrap(),
            LaunchRequest::TorrentFile(cwd.path().join("a.torrent"))
        );
        assert!(matches!(
            parse_argument("https://example.com/f.iso", cwd.path()).unwrap(),
            LaunchRequest::Link(_)
        ));
        for hostile in [
            "--help",
            "$(id)",
            "`id`",
            "magnet:?xt=urn:btih:nope",
            "file:///etc/passwd",
            "b.torrent",
            "a\nb",
        ] {
            let error = parse_argument(hostile, cwd.path()).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidInput, "{hostile}");
            assert!(
                error.message.starts_with("Haul did not open"),
                "{}",
                error.message
            );
        }
        let long = "x".repeat(100_000);
        let error = parse_argument(&long, cwd.path()).unwrap_err();
        assert!(error.message.len() < 300, "a long argument is quoted short");
        assert!(error.message.contains("100000 bytes"));
    }
}
