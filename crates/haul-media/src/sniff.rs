//! A file's kind from its first bytes (magic numbers), never from its name.

use std::io::Read;
use std::path::Path;

use crate::error::{MediaError, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    Other,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Other => "other",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "image" => Self::Image,
            "video" => Self::Video,
            "audio" => Self::Audio,
            "other" => Self::Other,
            _ => return None,
        })
    }
}

/// What the content says the file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sniffed {
    pub kind: MediaKind,
    /// The MIME type the magic bytes match, when any does.
    pub mime: Option<&'static str>,
}

/// Enough for every signature `infer` knows (MP4's `ftyp` box, TAR's header).
const SNIFF_BYTES: usize = 8192;

pub fn sniff(head: &[u8]) -> Sniffed {
    let Some(found) = infer::get(head) else {
        return Sniffed {
            kind: MediaKind::Other,
            mime: None,
        };
    };
    let kind = match found.matcher_type() {
        infer::MatcherType::Image => MediaKind::Image,
        infer::MatcherType::Video => MediaKind::Video,
        infer::MatcherType::Audio => MediaKind::Audio,
        _ => MediaKind::Other,
    };
    Sniffed {
        kind,
        mime: Some(found.mime_type()),
    }
}

pub fn sniff_file(path: &Path) -> Result<Sniffed> {
    let mut file = std::fs::File::open(path).map_err(|e| MediaError::io(path, e))?;
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    file.by_ref()
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| MediaError::io(path, e))?;
    Ok(sniff(&head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_content() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(sniff(png).kind, MediaKind::Image);
        assert_eq!(sniff(png).mime, Some("image/png"));
        assert_eq!(
            sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0").kind,
            MediaKind::Image
        );
        let mp4 = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom";
        assert_eq!(sniff(mp4).kind, MediaKind::Video);
        assert_eq!(
            sniff(b"hello, I am text named photo.jpg").kind,
            MediaKind::Other
        );
        assert_eq!(sniff(b"").kind, MediaKind::Other);
    }
}
