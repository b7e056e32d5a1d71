//! What Haul shows and accepts outside its window: the tray's summary of what is
//! running, and the magnets and links it offers to add from the clipboard.

use serde::Serialize;

use haul_debrid::magnet::Magnet;

use crate::downloads::{DownloadState, ProgressSnapshot, parse_http_url};
// Clipboard text longer than any link is a document, not a link.
use crate::launch::MAX_ARGUMENT;
use crate::notifications::human_bytes;

/// Characters of a name shown in a prompt.
const MAX_NAME: usize = 80;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum OfferKind {
    Magnet,
    Link,
}

/// Something on the clipboard that Haul can add, with a name a person recognises.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClipboardOffer {
    pub kind: OfferKind,
    /// The magnet or link exactly as it will be added (trimmed).
    pub text: String,
    /// The magnet's display name or hash, or the link's file name or host.
    pub name: String,
}

/// Reads clipboard text as one magnet or http(s) link. Anything else (prose,
/// several lines, other schemes, invalid magnets) is not an offer: the clipboard
/// holds what the user copied, and most of it is not for Haul.
pub fn clipboard_offer(text: &str) -> Option<ClipboardOffer> {
    let text = text.trim();
    if text.is_empty() || text.len() > MAX_ARGUMENT || text.contains(char::is_whitespace) {
        return None;
    }
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    if lower.starts_with("magnet:") {
        let magnet = Magnet::parse(text).ok()?;
        let name = magnet
            .display_name
            .clone()
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| format!("torrent {}", magnet.info_hash().to_hex()));
        return Some(ClipboardOffer {
            kind: OfferKind::Magnet,
            text: text.to_string(),
            name: shorten(&name),
        });
    }
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let url = parse_http_url(text).ok()?;
    let file_name = url
        .path_segments()
        .and_then(|mut segments| segments.next_back())
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            percent_encoding::percent_decode_str(segment)
                .decode_utf8_lossy()
                .into_owned()
        });
    let name = file_name.unwrap_or_else(|| url.host_str().unwrap_or_default().to_string());
    Some(ClipboardOffer {
        kind: OfferKind::Link,
        text: text.to_string(),
        name: shorten(&name),
    })
}

fn shorten(name: &str) -> String {
    let name: String = name.chars().filter(|c| !c.is_control()).collect();
    if name.chars().count() <= MAX_NAME {
        return name;
    }
    let mut short: String = name.chars().take(MAX_NAME - 1).collect();
    short.push('…');
    short
}

/// One line for the tray: how many downloads run and how fast, e.g.
/// "Haul — 2 active · 48.0 MiB/s".
pub fn tray_summary(snapshot: &ProgressSnapshot) -> String {
    let active: Vec<_> = snapshot
        .transfers
        .iter()
        .filter(|t| t.state == DownloadState::Active)
        .collect();
    if active.is_empty() {
        return "Haul — nothing downloading".into();
    }
    let speed: u64 = active.iter().map(|t| t.bytes_per_second).sum();
    format!("Haul — {} active · {}/s", active.len(), human_bytes(speed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::downloads::TransferProgress;

    #[test]
    fn magnets_and_links_are_offered_with_a_name() {
        let hash = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
        let offer =
            clipboard_offer(&format!("  magnet:?xt=urn:btih:{hash}&dn=Big+Buck+Bunny\n")).unwrap();
        assert_eq!(offer.kind, OfferKind::Magnet);
        assert_eq!(offer.name, "Big Buck Bunny");
        assert!(offer.text.starts_with("magnet:?xt="));

        let nameless = clipboard_offer(&format!("magnet:?xt=urn:btih:{hash}")).unwrap();
        assert_eq!(nameless.name, format!("torrent {hash}"));

        let link = clipboard_offer("https://cdn.example.com/files/My%20Show%20S01.mkv").unwrap();
        assert_eq!(link.kind, OfferKind::Link);
        assert_eq!(link.name, "My Show S01.mkv");
        let host = clipboard_offer("https://example.com/").unwrap();
        assert_eq!(host.name, "example.com");
    }

    #[test]
    fn anything_else_on_the_clipboard_is_left_alone() {
        for text in [
            "",
            "hello world",
            "magnet:?xt=urn:btih:nothex",
            "ftp://example.com/file",
            "$(id)",
            "https://example.com/a https://example.com/b",
            "file:///etc/passwd",
            "javascript:alert(1)",
        ] {
            assert_eq!(clipboard_offer(text), None, "{text:?}");
        }
        let huge = format!("https://example.com/{}", "a".repeat(MAX_ARGUMENT));
        assert_eq!(clipboard_offer(&huge), None);
    }

    #[test]
    fn long_names_are_cut_and_control_characters_dropped() {
        let name = format!("{}%07", "x".repeat(200));
        let offer = clipboard_offer(&format!(
            "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn={name}"
        ))
        .unwrap();
        assert_eq!(offer.name.chars().count(), MAX_NAME);
        assert!(offer.name.ends_with('…'));
        assert!(!offer.name.contains('\u{7}'));
    }

    #[test]
    fn the_tray_counts_active_downloads_and_adds_their_speeds() {
        let transfer = |id, state, speed| TransferProgress {
            id,
            state,
            received_bytes: 0,
            total_bytes: None,
            bytes_per_second: speed,
            eta_seconds: None,
            connections: 1,
            segments: Vec::new(),
        };
        let idle = ProgressSnapshot {
            revision: 1,
            transfers: vec![transfer(1, DownloadState::Queued, 0)],
        };
        assert_eq!(tray_summary(&idle), "Haul — nothing downloading");
        let busy = ProgressSnapshot {
            revision: 2,
            transfers: vec![
                transfer(1, DownloadState::Active, 30 << 20),
                transfer(2, DownloadState::Active, 18 << 20),
                transfer(3, DownloadState::Paused, 5 << 20),
            ],
        };
        assert_eq!(tray_summary(&busy), "Haul — 2 active · 48.0 MiB/s");
    }
}
