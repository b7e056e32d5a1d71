//! Magnet URIs (BEP 9), including BitTorrent v2 and hybrid links (BEP 52).

use std::collections::HashSet;
use std::fmt::{self, Write as _};

use data_encoding::BASE32_NOPAD;
use thiserror::Error;
use url::form_urlencoded;

/// Longest magnet URI accepted; real ones are a few KiB at most.
pub const MAX_MAGNET_LEN: usize = 64 * 1024;

/// How many characters of a user's value an error message quotes.
const QUOTE_LIMIT: usize = 80;

/// The multihash prefix of a SHA-256 digest (function 0x12, length 0x20).
const SHA256_MULTIHASH_PREFIX: [u8; 2] = [0x12, 0x20];

/// A torrent's identity: a v1 SHA-1 info hash or a v2 SHA-256 one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InfoHash {
    V1([u8; 20]),
    V2([u8; 32]),
}

impl InfoHash {
    /// Lowercase hex of the digest (40 digits for v1, 64 for v2).
    pub fn to_hex(&self) -> String {
        match self {
            InfoHash::V1(bytes) => hex::encode(bytes),
            InfoHash::V2(bytes) => hex::encode(bytes),
        }
    }
}

impl fmt::Display for InfoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// A parsed magnet link. [`Magnet::parse`] guarantees at least one of `v1`
/// and `v2` is set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Magnet {
    /// From `xt=urn:btih:`.
    pub v1: Option<[u8; 20]>,
    /// SHA-256 digest from `xt=urn:btmh:1220…`.
    pub v2: Option<[u8; 32]>,
    /// From `dn`.
    pub display_name: Option<String>,
    /// From `tr`, deduplicated, in order.
    pub trackers: Vec<String>,
    /// From `xl`.
    pub exact_length: Option<u64>,
}

/// Why a magnet link was rejected.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum MagnetError {
    #[error("this is not a magnet link; magnet links start with \"magnet:?\"")]
    NotMagnet,
    #[error(
        "the magnet link has no BitTorrent info hash (an \"xt=urn:btih:…\" or \"xt=urn:btmh:…\" parameter)"
    )]
    NoInfoHash,
    #[error("the btih hash {value:?} is neither 40 hex digits nor 32 base32 characters")]
    InvalidBtih { value: String },
    #[error(
        "the btmh hash {value:?} is not a SHA-256 multihash (68 hex digits starting with \"1220\")"
    )]
    InvalidBtmh { value: String },
    #[error(
        "the magnet link contains two different info hashes of the same kind, so it is unclear which torrent it means"
    )]
    DuplicateInfoHash,
    #[error("the exact length (xl) {value:?} is not a whole number of bytes")]
    InvalidLength { value: String },
    #[error("the tracker {value:?} is not an http, https, udp or wss URL")]
    InvalidTracker { value: String },
    #[error("the magnet link is longer than 64 KiB, far longer than any real one")]
    TooLong,
}

impl Magnet {
    /// Parses a magnet URI. Unknown parameters and non-BitTorrent `xt` URNs are
    /// ignored; indexed parameters such as `tr.1` count as their base name.
    pub fn parse(input: &str) -> Result<Magnet, MagnetError> {
        if input.len() > MAX_MAGNET_LEN {
            return Err(MagnetError::TooLong);
        }
        let rest =
            strip_prefix_ignore_case(input.trim(), "magnet:").ok_or(MagnetError::NotMagnet)?;
        let query = rest.strip_prefix('?').unwrap_or(rest);

        let mut magnet = Magnet::default();
        let mut seen_trackers = HashSet::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match base_key(&key).to_ascii_lowercase().as_str() {
                "xt" => magnet.add_exact_topic(value.trim())?,
                // The first non-empty name wins.
                "dn" if magnet.display_name.is_none() && !value.is_empty() => {
                    magnet.display_name = Some(value.into_owned());
                }
                "tr" => {
                    let tracker = value.trim();
                    if !is_valid_tracker(tracker) {
                        return Err(MagnetError::InvalidTracker {
                            value: quote(tracker),
                        });
                    }
                    if seen_trackers.insert(tracker.to_owned()) {
                        magnet.trackers.push(tracker.to_owned());
                    }
                }
                "xl" => {
                    let length = parse_length(value.trim())?;
                    magnet.exact_length.get_or_insert(length);
                }
                _ => {}
            }
        }
        if magnet.v1.is_none() && magnet.v2.is_none() {
            return Err(MagnetError::NoInfoHash);
        }
        Ok(magnet)
    }

    /// The identity Haul keys tasks on: the v1 hash when present, else the v2
    /// one. A hand-built `Magnet` with neither yields an all-zero v1 hash.
    pub fn info_hash(&self) -> InfoHash {
        match (self.v1, self.v2) {
            (Some(v1), _) => InfoHash::V1(v1),
            (None, Some(v2)) => InfoHash::V2(v2),
            (None, None) => InfoHash::V1([0; 20]),
        }
    }

    /// A canonical magnet URI: `xt` (btih as lowercase hex, then btmh), `dn`,
    /// each `tr`, then `xl`, with values percent-encoded.
    pub fn to_uri(&self) -> String {
        let mut params = Vec::new();
        if let Some(v1) = self.v1 {
            params.push(format!("xt=urn:btih:{}", hex::encode(v1)));
        }
        if let Some(v2) = self.v2 {
            params.push(format!(
                "xt=urn:btmh:{}{}",
                hex::encode(SHA256_MULTIHASH_PREFIX),
                hex::encode(v2)
            ));
        }
        if let Some(name) = &self.display_name {
            params.push(format!("dn={}", percent_encode(name)));
        }
        for tracker in &self.trackers {
            params.push(format!("tr={}", percent_encode(tracker)));
        }
        if let Some(length) = self.exact_length {
            params.push(format!("xl={length}"));
        }
        format!("magnet:?{}", params.join("&"))
    }

    fn add_exact_topic(&mut self, value: &str) -> Result<(), MagnetError> {
        if let Some(hash) = strip_prefix_ignore_case(value, "urn:btih:") {
            merge_hash(&mut self.v1, parse_btih(hash)?)
        } else if let Some(hash) = strip_prefix_ignore_case(value, "urn:btmh:") {
            merge_hash(&mut self.v2, parse_btmh(hash)?)
        } else {
            // Other URNs (sha1, ed2k, …) name the content for other networks.
            Ok(())
        }
    }
}

/// Whether `value` is a tracker URL a BitTorrent client can announce to.
pub(crate) fn is_valid_tracker(value: &str) -> bool {
    url::Url::parse(value).is_ok_and(|url| {
        matches!(url.scheme(), "http" | "https" | "udp" | "wss")
            && url.host_str().is_some_and(|host| !host.is_empty())
    })
}

/// Repeating the same hash is harmless; two different ones are ambiguous.
fn merge_hash<const N: usize>(
    slot: &mut Option<[u8; N]>,
    hash: [u8; N],
) -> Result<(), MagnetError> {
    match slot {
        Some(existing) if *existing != hash => Err(MagnetError::DuplicateInfoHash),
        _ => {
            *slot = Some(hash);
            Ok(())
        }
    }
}

fn parse_btih(value: &str) -> Result<[u8; 20], MagnetError> {
    let decoded = match value.len() {
        40 => hex::decode(value).ok(),
        32 => BASE32_NOPAD
            .decode(value.to_ascii_uppercase().as_bytes())
            .ok(),
        _ => None,
    };
    decoded
        .and_then(|bytes| <[u8; 20]>::try_from(bytes).ok())
        .ok_or_else(|| MagnetError::InvalidBtih {
            value: quote(value),
        })
}

fn parse_btmh(value: &str) -> Result<[u8; 32], MagnetError> {
    hex::decode(value)
        .ok()
        .and_then(|bytes| {
            let digest = bytes.strip_prefix(&SHA256_MULTIHASH_PREFIX[..])?;
            <[u8; 32]>::try_from(digest).ok()
        })
        .ok_or_else(|| MagnetError::InvalidBtmh {
            value: quote(value),
        })
}

fn parse_length(value: &str) -> Result<u64, MagnetError> {
    // `u64::from_str` alone would also accept a leading '+'.
    if !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit())
        && let Ok(length) = value.parse()
    {
        return Ok(length);
    }
    Err(MagnetError::InvalidLength {
        value: quote(value),
    })
}

/// `tr.1` → `tr`: clients number repeated parameters this way.
fn base_key(key: &str) -> &str {
    match key.rsplit_once('.') {
        Some((base, index)) if !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) => {
            base
        }
        _ => key,
    }
}

fn strip_prefix_ignore_case<'a>(value: &'a str, prefix: &str) -> Option<&'a str> {
    let head = value.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        value.get(prefix.len()..)
    } else {
        None
    }
}

/// Bounds how much of a user's value lands in an error (inputs may be 64 KiB).
fn quote(value: &str) -> String {
    let mut chars = value.chars();
    let head: String = chars.by_ref().take(QUOTE_LIMIT).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// Encodes everything but RFC 3986 unreserved characters. Spaces become `%20`
/// rather than `+`, which every client decodes the same way.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HASH: [u8; 20] = [
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32,
        0x10, 0x00, 0x11, 0x22, 0xff,
    ];
    const HEX: &str = "0123456789abcdeffedcba9876543210001122ff";
    const V2: [u8; 32] = [0xaa; 32];

    fn btmh() -> String {
        format!("1220{}", "aa".repeat(32))
    }

    #[test]
    fn hex_and_base32_give_the_same_hash() {
        let base32 = BASE32_NOPAD.encode(&HASH);
        assert_eq!(base32.len(), 32);
        let from_hex = Magnet::parse(&format!("magnet:?xt=urn:btih:{HEX}")).unwrap();
        let from_b32 = Magnet::parse(&format!("magnet:?xt=urn:btih:{base32}")).unwrap();
        let from_lower_b32 = Magnet::parse(&format!(
            "magnet:?xt=urn:btih:{}",
            base32.to_ascii_lowercase()
        ))
        .unwrap();
        assert_eq!(from_hex.v1, Some(HASH));
        assert_eq!(from_b32.v1, Some(HASH));
        assert_eq!(from_lower_b32.v1, Some(HASH));
        assert_eq!(from_hex.info_hash(), InfoHash::V1(HASH));
        assert_eq!(from_hex.info_hash().to_hex(), HEX);
        assert_eq!(from_hex.info_hash().to_string(), HEX);
    }

    #[test]
    fn uppercase_hex_and_scheme_are_accepted() {
        let magnet = Magnet::parse(&format!(
            "  MAGNET:?XT=URN:BTIH:{}\n",
            HEX.to_ascii_uppercase()
        ))
        .unwrap();
        assert_eq!(magnet.v1, Some(HASH));
        assert_eq!(magnet.v2, None);
        assert_eq!(magnet.display_name, None);
        assert!(magnet.trackers.is_empty());
        assert_eq!(magnet.exact_length, None);
    }

    #[test]
    fn display_name_is_decoded() {
        let magnet = Magnet::parse(&format!(
            "magnet:?xt=urn:btih:{HEX}&dn=My%20Movie+2024%C3%A9"
        ))
        .unwrap();
        assert_eq!(magnet.display_name.as_deref(), Some("My Movie 2024é"));
        let empty = Magnet::parse(&format!("magnet:?xt=urn:btih:{HEX}&dn=")).unwrap();
        assert_eq!(empty.display_name, None);
    }

    #[test]
    fn trackers_are_collected_in_order_without_duplicates() {
        let magnet = Magnet::parse(&format!(
            "magnet:?xt=urn:btih:{HEX}\
             &tr=udp%3A%2F%2Ftracker.example.org%3A1337%2Fannounce\
             &tr=https://t.example/announce?key=a%26b\
             &tr.1=wss%3A%2F%2Fws.example%2F\
             &tr=udp%3A%2F%2Ftracker.example.org%3A1337%2Fannounce\
             &tr=http://plain.example/ann"
        ))
        .unwrap();
        assert_eq!(
            magnet.trackers,
            vec![
                "udp://tracker.example.org:1337/announce",
                "https://t.example/announce?key=a&b",
                "wss://ws.example/",
                "http://plain.example/ann",
            ]
        );
    }

    #[test]
    fn exact_length_is_parsed() {
        let magnet = Magnet::parse(&format!("magnet:?xt=urn:btih:{HEX}&xl=1234567890123")).unwrap();
        assert_eq!(magnet.exact_length, Some(1_234_567_890_123));
    }

    #[test]
    fn hybrid_links_carry_both_hashes() {
        let magnet =
            Magnet::parse(&format!("magnet:?xt=urn:btih:{HEX}&xt=urn:btmh:{}", btmh())).unwrap();
        assert_eq!(magnet.v1, Some(HASH));
        assert_eq!(magnet.v2, Some(V2));
        assert_eq!(magnet.info_hash(), InfoHash::V1(HASH));

        let v2_only = Magnet::parse(&format!(
            "magnet:?xt=urn:btmh:{}",
            btmh().to_ascii_uppercase()
        ))
        .unwrap();
        assert_eq!(v2_only.v1, None);
        assert_eq!(v2_only.info_hash(), InfoHash::V2(V2));
        assert_eq!(v2_only.info_hash().to_hex(), "aa".repeat(32));
    }

    #[test]
    fn indexed_parameters_count() {
        let magnet = Magnet::parse(&format!(
            "magnet:?xt.1=urn:btih:{HEX}&xt.2=urn:btmh:{}&dn.1=x",
            btmh()
        ))
        .unwrap();
        assert_eq!(magnet.v1, Some(HASH));
        assert_eq!(magnet.v2, Some(V2));
        assert_eq!(magnet.display_name.as_deref(), Some("x"));
    }

    #[test]
    fn unknown_parameters_and_urns_are_ignored() {
        let magnet = Magnet::parse(&format!(
            "magnet:?xt=urn:sha1:ABCDEF&xt=urn:ed2k:1234&xt=urn:btih:{HEX}\
             &ws=http://seed.example/f&as=x&x.pe=1.2.3.4:5&so=0-3&kt=a+b&noequals"
        ))
        .unwrap();
        assert_eq!(magnet.v1, Some(HASH));
        assert!(magnet.trackers.is_empty());
    }

    #[test]
    fn repeated_identical_btih_is_fine() {
        let magnet = Magnet::parse(&format!(
            "magnet:?xt=urn:btih:{HEX}&xt=urn:btih:{}&xt=urn:btih:{}",
            HEX.to_ascii_uppercase(),
            BASE32_NOPAD.encode(&HASH)
        ))
        .unwrap();
        assert_eq!(magnet.v1, Some(HASH));
    }

    #[test]
    fn every_error_variant() {
        let err = |s: &str| Magnet::parse(s).unwrap_err();
        assert_eq!(
            err("http://example.com/?xt=urn:btih:x"),
            MagnetError::NotMagnet
        );
        assert_eq!(err(""), MagnetError::NotMagnet);
        assert_eq!(err("magnet"), MagnetError::NotMagnet);
        assert_eq!(err("magnet:?dn=x"), MagnetError::NoInfoHash);
        assert_eq!(err("magnet:?xt=urn:sha1:abc"), MagnetError::NoInfoHash);
        assert_eq!(
            err("magnet:?xt=urn:btih:abc"),
            MagnetError::InvalidBtih {
                value: "abc".into()
            }
        );
        // Right length, wrong alphabet.
        let not_hex = "g".repeat(40);
        assert!(matches!(
            err(&format!("magnet:?xt=urn:btih:{not_hex}")),
            MagnetError::InvalidBtih { .. }
        ));
        let not_b32 = "1".repeat(32);
        assert!(matches!(
            err(&format!("magnet:?xt=urn:btih:{not_b32}")),
            MagnetError::InvalidBtih { .. }
        ));
        let sha1_multihash = format!("1114{}", "aa".repeat(32));
        assert_eq!(
            err(&format!("magnet:?xt=urn:btmh:{sha1_multihash}")),
            MagnetError::InvalidBtmh {
                value: sha1_multihash
            }
        );
        assert!(matches!(
            err("magnet:?xt=urn:btmh:1220aa"),
            MagnetError::InvalidBtmh { .. }
        ));
        let other = "ab".repeat(20);
        assert_eq!(
            err(&format!("magnet:?xt=urn:btih:{HEX}&xt=urn:btih:{other}")),
            MagnetError::DuplicateInfoHash
        );
        assert_eq!(
            err(&format!(
                "magnet:?xt=urn:btmh:{}&xt=urn:btmh:1220{}",
                btmh(),
                "bb".repeat(32)
            )),
            MagnetError::DuplicateInfoHash
        );
        for (raw, decoded) in [
            ("-1", "-1"),
            ("abc", "abc"),
            ("%2B5", "+5"),
            ("", ""),
            ("18446744073709551616", "18446744073709551616"),
            ("1.5", "1.5"),
        ] {
            assert_eq!(
                err(&format!("magnet:?xt=urn:btih:{HEX}&xl={raw}")),
                MagnetError::InvalidLength {
                    value: decoded.into()
                }
            );
        }
        for bad in ["ftp://x.example/a", "notaurl", "", "udp:nohost", "dht://x"] {
            assert_eq!(
                err(&format!("magnet:?xt=urn:btih:{HEX}&tr={bad}")),
                MagnetError::InvalidTracker { value: bad.into() },
                "{bad}"
            );
        }
        let huge = format!(
            "magnet:?xt=urn:btih:{HEX}&dn={}",
            "a".repeat(MAX_MAGNET_LEN)
        );
        assert_eq!(err(&huge), MagnetError::TooLong);
    }

    #[test]
    fn error_messages_quote_truncated_values() {
        let long = "z".repeat(500);
        let error = Magnet::parse(&format!("magnet:?xt=urn:btih:{long}")).unwrap_err();
        let message = error.to_string();
        assert!(message.contains(&format!("\"{}…\"", "z".repeat(QUOTE_LIMIT))));
        assert!(!message.contains(&"z".repeat(QUOTE_LIMIT + 1)));
        assert_eq!(
            Magnet::parse("magnet:?xt=urn:btih:abc")
                .unwrap_err()
                .to_string(),
            "the btih hash \"abc\" is neither 40 hex digits nor 32 base32 characters"
        );
    }

    #[test]
    fn to_uri_is_canonical_and_round_trips() {
        let magnet = Magnet {
            v1: Some(HASH),
            v2: Some(V2),
            display_name: Some("A & B+C/ é.mkv".into()),
            trackers: vec![
                "udp://tracker.example.org:1337/announce".into(),
                "https://t.example/a?x=1&y=2".into(),
            ],
            exact_length: Some(42),
        };
        let uri = magnet.to_uri();
        assert!(uri.starts_with(&format!(
            "magnet:?xt=urn:btih:{HEX}&xt=urn:btmh:{}&dn=A%20%26%20B%2BC%2F%20%C3%A9.mkv&tr=udp%3A%2F%2F",
            btmh()
        )));
        assert!(uri.ends_with("&xl=42"));
        assert_eq!(Magnet::parse(&uri), Ok(magnet));

        let base32 = BASE32_NOPAD.encode(&HASH);
        let parsed = Magnet::parse(&format!("magnet:?xt=urn:btih:{base32}")).unwrap();
        assert_eq!(parsed.to_uri(), format!("magnet:?xt=urn:btih:{HEX}"));
    }

    #[test]
    fn info_hash_of_an_empty_magnet_does_not_panic() {
        assert_eq!(Magnet::default().info_hash(), InfoHash::V1([0; 20]));
        assert_eq!(Magnet::default().to_uri(), "magnet:?");
    }

    fn arb_pair() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            Just("xt".to_string()),
            Just("xt.1".to_string()),
            Just("dn".to_string()),
            Just("tr".to_string()),
            Just("tr.2".to_string()),
            Just("xl".to_string()),
            "[a-z.]{0,4}",
            ".{0,6}",
        ];
        let value = prop_oneof![
            "urn:btih:[0-9a-fA-F]{40}",
            "urn:btih:[A-Za-z2-7]{32}",
            "urn:btmh:1220[0-9a-f]{64}",
            "urn:bt(ih|mh):[0-9a-zA-Z%]{0,70}",
            "(udp|http|wss|ftp)(://|%3A%2F%2F)[a-z.:0-9/%]{0,20}",
            "[0-9+-]{0,22}",
            ".{0,30}",
            "%[0-9A-Fa-f]{0,2}",
        ];
        (key, value).prop_map(|(k, v)| format!("{k}={v}"))
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_arbitrary_strings(input in ".{0,300}") {
            let _ = Magnet::parse(&input);
        }

        #[test]
        fn parse_never_panics_on_magnet_shaped_strings(
            pairs in prop::collection::vec(arb_pair(), 0..8),
            separator in prop::sample::select(vec!["&", ";", "&&"]),
        ) {
            let input = format!("magnet:?{}", pairs.join(separator));
            if let Ok(magnet) = Magnet::parse(&input) {
                // Whatever parses must survive its own canonical form.
                prop_assert_eq!(Magnet::parse(&magnet.to_uri()), Ok(magnet));
            }
        }

        #[test]
        fn random_hashes_round_trip(
            hash in any::<[u8; 20]>(),
            name in "\\PC{1,40}",
            length in any::<Option<u64>>(),
        ) {
            let magnet = Magnet {
                v1: Some(hash),
                display_name: Some(name),
                trackers: vec!["udp://tracker.example:80/announce".into()],
                exact_length: length,
                ..Magnet::default()
            };
            let parsed = Magnet::parse(&magnet.to_uri()).unwrap();
            prop_assert_eq!(parsed.info_hash(), InfoHash::V1(hash));
            prop_assert_eq!(parsed, magnet);
        }
    }
}
