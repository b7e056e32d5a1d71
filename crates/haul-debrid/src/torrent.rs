//! `.torrent` metainfo files: v1 (BEP 3), v2 (BEP 52) and hybrids.

use std::collections::HashSet;

use sha1::{Digest, Sha1};
use sha2::Sha256;
use thiserror::Error;

use crate::bencode::{self, BencodeError, Value};
use crate::magnet::{self, InfoHash, Magnet};

/// Largest `.torrent` accepted; real ones rarely exceed a few MiB.
pub const MAX_TORRENT_LEN: usize = 16 * 1024 * 1024;

/// One file the torrent downloads. Path components are not sanitized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TorrentFile {
    /// Components from the download directory, starting with the torrent name
    /// for multi-file torrents.
    pub path: Vec<String>,
    pub length: u64,
}

/// The parts of a `.torrent` that Haul uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Torrent {
    /// SHA-1 of the info dictionary, for v1 and hybrid torrents.
    pub info_hash_v1: Option<[u8; 20]>,
    /// SHA-256 of the info dictionary, for v2 and hybrid torrents.
    pub info_hash_v2: Option<[u8; 32]>,
    pub name: String,
    /// Padding files are left out.
    pub files: Vec<TorrentFile>,
    pub total_length: u64,
    /// From `announce` and `announce-list`, deduplicated, in order; entries
    /// that are not http/https/udp/wss URLs are dropped.
    pub trackers: Vec<String>,
}

/// Why a `.torrent` file was rejected.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TorrentError {
    #[error("the file is larger than 16 MiB, which is far too big for a .torrent file")]
    TooLarge,
    #[error("the .torrent file is damaged or not a torrent: {0}")]
    Bencode(#[from] BencodeError),
    #[error("the file is not a .torrent file (it does not hold a bencoded dictionary)")]
    NotADictionary,
    #[error("the .torrent file has no \"info\" dictionary, so it does not describe any files")]
    MissingInfo,
    #[error("the .torrent file is missing its {field:?} field")]
    MissingField { field: &'static str },
    #[error("the .torrent file's {field:?} field {reason}")]
    InvalidField { field: &'static str, reason: String },
    #[error("the .torrent file lists no files to download")]
    NoFiles,
}

fn invalid(field: &'static str, reason: impl Into<String>) -> TorrentError {
    TorrentError::InvalidField {
        field,
        reason: reason.into(),
    }
}

impl Torrent {
    /// Parses a `.torrent` file and computes its info hashes.
    pub fn parse(bytes: &[u8]) -> Result<Torrent, TorrentError> {
        if bytes.len() > MAX_TORRENT_LEN {
            return Err(TorrentError::TooLarge);
        }
        let root = bencode::parse(bytes)?;
        if root.as_dict().is_none() {
            return Err(TorrentError::NotADictionary);
        }
        let info = root.get(b"info").ok_or(TorrentError::MissingInfo)?;
        if info.as_dict().is_none() {
            return Err(invalid("info", "is not a dictionary"));
        }
        // The hash must cover the bytes exactly as written, not a re-encoding.
        let raw_info =
            bencode::dict_value_span(bytes, b"info")?.ok_or(TorrentError::MissingInfo)?;

        let is_v2 = match info.get(b"meta version") {
            None => false,
            Some(version) => match version.as_int() {
                Some(1) => false,
                Some(2) => true,
                Some(n) => {
                    return Err(invalid(
                        "meta version",
                        format!("is {n}, but only versions 1 and 2 exist"),
                    ));
                }
                None => return Err(invalid("meta version", "is not an integer")),
            },
        };
        // Hybrid torrents are v2 but keep v1 piece hashes.
        let is_v1 = !is_v2 || info.get(b"pieces").is_some();

        let name = lossy(
            preferred(info, b"name.utf-8", b"name")
                .ok_or(TorrentError::MissingField { field: "name" })?
                .as_bytes()
                .ok_or_else(|| invalid("name", "is not a string"))?,
        );
        if name.is_empty() {
            return Err(invalid("name", "is empty"));
        }

        let files = if let Some(list) = info.get(b"files") {
            v1_files(list, &name)?
        } else if let Some(length) = info.get(b"length") {
            vec![TorrentFile {
                path: vec![name.clone()],
                length: length_of(length)?,
            }]
        } else if is_v2 {
            let tree = info
                .get(b"file tree")
                .ok_or(TorrentError::MissingField { field: "file tree" })?;
            v2_files(tree, &name, raw_info.len())?
        } else {
            return Err(TorrentError::MissingField {
                field: "length or files",
            });
        };
        if files.is_empty() {
            return Err(TorrentError::NoFiles);
        }
        let total_length = files
            .iter()
            .try_fold(0u64, |sum, file| sum.checked_add(file.length))
            .ok_or_else(|| invalid("length", "values add up to more than 2^64 bytes"))?;

        Ok(Torrent {
            info_hash_v1: is_v1.then(|| Sha1::digest(raw_info).into()),
            info_hash_v2: is_v2.then(|| Sha256::digest(raw_info).into()),
            name,
            files,
            total_length,
            trackers: trackers(&root),
        })
    }

    /// The v1 hash when present, else the v2 one (as for [`Magnet::info_hash`]).
    pub fn info_hash(&self) -> InfoHash {
        self.magnet().info_hash()
    }

    /// A magnet link for this torrent: its hashes, name as `dn`, trackers, and
    /// total length as `xl`.
    pub fn magnet(&self) -> Magnet {
        Magnet {
            v1: self.info_hash_v1,
            v2: self.info_hash_v2,
            display_name: (!self.name.is_empty()).then(|| self.name.clone()),
            trackers: self.trackers.clone(),
            exact_length: Some(self.total_length),
        }
    }
}

/// `dict[utf8_key]` if it is a usable value, else `dict[key]`. The `.utf-8`
/// variants exist because some old clients wrote `name`/`path` in a legacy
/// code page.
fn preferred<'v, 'a>(dict: &'v Value<'a>, utf8_key: &[u8], key: &[u8]) -> Option<&'v Value<'a>> {
    dict.get(utf8_key)
        .filter(|v| v.as_bytes().is_some() || v.as_list().is_some())
        .or_else(|| dict.get(key))
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn length_of(value: &Value<'_>) -> Result<u64, TorrentError> {
    let n = value
        .as_int()
        .ok_or_else(|| invalid("length", "is not an integer"))?;
    u64::try_from(n).map_err(|_| invalid("length", format!("is negative ({n})")))
}

/// The v1 `files` list, without padding files.
fn v1_files(list: &Value<'_>, name: &str) -> Result<Vec<TorrentFile>, TorrentError> {
    let entries = list
        .as_list()
        .ok_or_else(|| invalid("files", "is not a list"))?;
    let mut files = Vec::with_capacity(entries.len());
    for entry in entries {
        if entry.as_dict().is_none() {
            return Err(invalid(
                "files",
                "contains an entry that is not a dictionary",
            ));
        }
        // BEP 47: padding files only align pieces and are never written out.
        let attr = entry.get(b"attr").and_then(Value::as_bytes);
        if attr.is_some_and(|a| a.contains(&b'p')) {
            continue;
        }
        let length = length_of(
            entry
                .get(b"length")
                .ok_or(TorrentError::MissingField { field: "length" })?,
        )?;
        let parts = preferred(entry, b"path.utf-8", b"path")
            .ok_or(TorrentError::MissingField { field: "path" })?
            .as_list()
            .ok_or_else(|| invalid("path", "is not a list"))?;
        if parts.is_empty() {
            return Err(invalid("path", "is empty"));
        }
        let mut path = Vec::with_capacity(parts.len() + 1);
        path.push(name.to_owned());
        for part in parts {
            let part = part
                .as_bytes()
                .ok_or_else(|| invalid("path", "contains something other than a string"))?;
            path.push(lossy(part));
        }
        if is_padding_path(&path) {
            continue;
        }
        files.push(TorrentFile { path, length });
    }
    Ok(files)
}

/// Padding files from writers that do not set `attr`: BEP 47's `.pad/N`
/// directory, and BitComet's `_____padding_file_…` names. `path` starts with
/// the torrent name.
fn is_padding_path(path: &[String]) -> bool {
    path.get(1).is_some_and(|first| first == ".pad")
        || path
            .last()
            .is_some_and(|last| last.starts_with("_____padding_file_"))
}

/// The v2 `file tree`. A single file at the root is a single-file torrent;
/// otherwise files live under a directory named after the torrent, as in v1.
fn v2_files(tree: &Value<'_>, name: &str, budget: usize) -> Result<Vec<TorrentFile>, TorrentError> {
    let root = tree
        .as_dict()
        .ok_or_else(|| invalid("file tree", "is not a dictionary"))?;
    let mut walk = TreeWalk {
        files: Vec::new(),
        prefix: Vec::new(),
        budget,
    };
    walk.node(root)?;
    let mut files = walk.files;
    if let [only] = files.as_slice()
        && only.path.len() == 1
    {
        return Ok(files);
    }
    for file in &mut files {
        file.path.insert(0, name.to_owned());
    }
    Ok(files)
}

struct TreeWalk {
    files: Vec<TorrentFile>,
    prefix: Vec<String>,
    /// Path components left to hand out. Each file copies its whole directory
    /// path, so without a bound a deep tree of tiny entries would need far
    /// more memory than its size suggests.
    budget: usize,
}

impl TreeWalk {
    /// Recursion depth is bounded by the bencode nesting limit.
    fn node(&mut self, entries: &[(&[u8], Value<'_>)]) -> Result<(), TorrentError> {
        for (key, value) in entries {
            if key.is_empty() {
                // The "" key marks this node as a file.
                if self.prefix.is_empty() {
                    return Err(invalid("file tree", "has a file with no name"));
                }
                if value.as_dict().is_none() {
                    return Err(invalid(
                        "file tree",
                        "has a file entry that is not a dictionary",
                    ));
                }
                let length = length_of(
                    value
                        .get(b"length")
                        .ok_or(TorrentError::MissingField { field: "length" })?,
                )?;
                self.budget = self
                    .budget
                    .checked_sub(self.prefix.len())
                    .ok_or_else(|| invalid("file tree", "has too many deeply nested files"))?;
                self.files.push(TorrentFile {
                    path: self.prefix.clone(),
                    length,
                });
            } else {
                let child = value
                    .as_dict()
                    .ok_or_else(|| invalid("file tree", "has an entry that is not a dictionary"))?;
                self.prefix.push(lossy(key));
                self.node(child)?;
                self.prefix.pop();
            }
        }
        Ok(())
    }
}

/// `announce` then every tier of `announce-list`. Malformed entries are skipped
/// rather than rejected, since trackers are optional.
fn trackers(root: &Value<'_>) -> Vec<String> {
    let announce = root.get(b"announce").and_then(Value::as_bytes);
    let tiers = root
        .get(b"announce-list")
        .and_then(Value::as_list)
        .unwrap_or_default();
    let listed = tiers
        .iter()
        .flat_map(|tier| tier.as_list().unwrap_or_default())
        .filter_map(Value::as_bytes);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for raw in announce.into_iter().chain(listed) {
        let tracker = String::from_utf8_lossy(raw).trim().to_owned();
        // Keep only what a magnet link can carry, so `magnet()` always parses.
        if magnet::is_valid_tracker(&tracker) && seen.insert(tracker.clone()) {
            out.push(tracker);
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A tiny bencode encoder for building test torrents by hand.
    #[derive(Clone, Debug)]
    enum B {
        I(i64),
        S(Vec<u8>),
        L(Vec<B>),
        D(Vec<(Vec<u8>, B)>),
    }

    impl B {
        fn encode(&self) -> Vec<u8> {
            let mut out = Vec::new();
            self.write(&mut out);
            out
        }

        fn write(&self, out: &mut Vec<u8>) {
            match self {
                B::I(n) => out.extend_from_slice(format!("i{n}e").as_bytes()),
                B::S(s) => {
                    out.extend_from_slice(format!("{}:", s.len()).as_bytes());
                    out.extend_from_slice(s);
                }
                B::L(items) => {
                    out.push(b'l');
                    items.iter().for_each(|i| i.write(out));
                    out.push(b'e');
                }
                B::D(entries) => {
                    out.push(b'd');
                    for (k, v) in entries {
                        B::S(k.clone()).write(out);
                        v.write(out);
                    }
                    out.push(b'e');
                }
            }
        }
    }

    fn s(text: &str) -> B {
        B::S(text.as_bytes().to_vec())
    }

    fn d(entries: Vec<(&str, B)>) -> B {
        B::D(
            entries
                .into_iter()
                .map(|(k, v)| (k.as_bytes().to_vec(), v))
                .collect(),
        )
    }

    fn l(items: Vec<B>) -> B {
        B::L(items)
    }

    fn path(parts: &[&str]) -> B {
        l(parts.iter().map(|p| s(p)).collect())
    }

    fn file(length: i64, parts: &[&str]) -> B {
        d(vec![("length", B::I(length)), ("path", path(parts))])
    }

    fn torrent(info: &B, extra: Vec<(&str, B)>) -> Vec<u8> {
        let mut entries = extra;
        entries.push(("info", info.clone()));
        d(entries).encode()
    }

    fn single_info() -> B {
        d(vec![
            ("length", B::I(1000)),
            ("name", s("movie.mkv")),
            ("piece length", B::I(16384)),
            ("pieces", B::S(vec![7; 20])),
        ])
    }

    fn sha1(bytes: &[u8]) -> [u8; 20] {
        Sha1::digest(bytes).into()
    }

    fn sha256(bytes: &[u8]) -> [u8; 32] {
        Sha256::digest(bytes).into()
    }

    fn names(torrent: &Torrent) -> Vec<Vec<&str>> {
        torrent
            .files
            .iter()
            .map(|f| f.path.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn single_file() {
        let info = single_info();
        let bytes = torrent(
            &info,
            vec![
                ("announce", s("udp://tracker.example:1337/announce")),
                ("comment", s("hello")),
            ],
        );
        let t = Torrent::parse(&bytes).unwrap();
        assert_eq!(t.info_hash_v1, Some(sha1(&info.encode())));
        assert_eq!(t.info_hash_v2, None);
        assert_eq!(t.info_hash(), InfoHash::V1(sha1(&info.encode())));
        assert_eq!(t.name, "movie.mkv");
        assert_eq!(names(&t), vec![vec!["movie.mkv"]]);
        assert_eq!(t.total_length, 1000);
        assert_eq!(t.trackers, vec!["udp://tracker.example:1337/announce"]);
    }

    #[test]
    fn info_hash_uses_the_bytes_as_written() {
        // Unsorted keys: a re-encoding would sort them and change the hash.
        let info = d(vec![
            ("name", s("x")),
            ("length", B::I(1)),
            ("pieces", B::S(vec![0; 20])),
            ("piece length", B::I(16384)),
        ]);
        let t = Torrent::parse(&torrent(&info, vec![])).unwrap();
        assert_eq!(t.info_hash_v1, Some(sha1(&info.encode())));
    }

    #[test]
    fn multi_file() {
        let info = d(vec![
            (
                "files",
                l(vec![
                    file(10, &["a.txt"]),
                    file(0, &["empty"]),
                    d(vec![
                        ("length", B::I(32)),
                        ("path", path(&["legacy", "b\u{fffd}.txt"])),
                        ("path.utf-8", path(&["dir", "bé.txt"])),
                    ]),
                    d(vec![
                        ("length", B::I(5)),
                        ("path", l(vec![s("raw"), B::S(b"\xff.bin".to_vec())])),
                    ]),
                ]),
            ),
            ("name", s("legacy name")),
            ("name.utf-8", s("Album")),
            ("piece length", B::I(16384)),
            ("pieces", B::S(vec![1; 20])),
        ]);
        let bytes = torrent(
            &info,
            vec![
                ("announce", s("http://one.example/announce")),
                (
                    "announce-list",
                    l(vec![
                        l(vec![
                            s("http://one.example/announce"),
                            s("udp://two.example:6969"),
                        ]),
                        l(vec![
                            s("dht://not-a-tracker"),
                            B::I(3),
                            s(" wss://three.example/ "),
                        ]),
                        s("not a tier"),
                    ]),
                ),
            ],
        );
        let t = Torrent::parse(&bytes).unwrap();
        assert_eq!(t.info_hash_v1, Some(sha1(&info.encode())));
        assert_eq!(t.name, "Album");
        assert_eq!(
            names(&t),
            vec![
                vec!["Album", "a.txt"],
                vec!["Album", "empty"],
                vec!["Album", "dir", "bé.txt"],
                vec!["Album", "raw", "\u{fffd}.bin"],
            ]
        );
        assert_eq!(t.total_length, 47);
        assert_eq!(
            t.trackers,
            vec![
                "http://one.example/announce",
                "udp://two.example:6969",
                "wss://three.example/",
            ]
        );
    }

    #[test]
    fn v2_file_tree() {
        let leaf = |length: i64| {
            d(vec![(
                "",
                d(vec![
                    ("length", B::I(length)),
                    ("pieces root", B::S(vec![9; 32])),
                ]),
            )])
        };
        let info = d(vec![
            (
                "file tree",
                d(vec![
                    ("docs", d(vec![("readme.md", leaf(3)), ("empty", leaf(0))])),
                    ("video.mkv", leaf(100)),
                ]),
            ),
            ("meta version", B::I(2)),
            ("name", s("Show")),
            ("piece length", B::I(16384)),
        ]);
        let t = Torrent::parse(&torrent(&info, vec![])).unwrap();
        assert_eq!(t.info_hash_v1, None);
        assert_eq!(t.info_hash_v2, Some(sha256(&info.encode())));
        assert_eq!(t.info_hash(), InfoHash::V2(sha256(&info.encode())));
        assert_eq!(
            names(&t),
            vec![
                vec!["Show", "docs", "readme.md"],
                vec!["Show", "docs", "empty"],
                vec!["Show", "video.mkv"],
            ]
        );
        assert_eq!(t.total_length, 103);

        let single = d(vec![
            ("file tree", d(vec![("only.iso", leaf(7))])),
            ("meta version", B::I(2)),
            ("name", s("only.iso")),
        ]);
        let t = Torrent::parse(&torrent(&single, vec![])).unwrap();
        assert_eq!(names(&t), vec![vec!["only.iso"]]);
        assert_eq!(t.total_length, 7);
    }

    #[test]
    fn hybrid_uses_v1_files_without_padding() {
        let leaf = |length: i64| d(vec![("", d(vec![("length", B::I(length))]))]);
        let info = d(vec![
            (
                "file tree",
                d(vec![("a.bin", leaf(10)), ("b.bin", leaf(20))]),
            ),
            (
                "files",
                l(vec![
                    file(10, &["a.bin"]),
                    d(vec![
                        ("attr", s("p")),
                        ("length", B::I(16374)),
                        ("path", path(&[".pad", "16374"])),
                    ]),
                    // No attr, still padding by its path.
                    file(100, &[".pad", "100"]),
                    file(5, &["_____padding_file_0_if you see this file, upgrade"]),
                    // attr 'p' wins even over a malformed entry.
                    d(vec![("attr", s("xp"))]),
                    file(20, &["b.bin"]),
                ]),
            ),
            ("meta version", B::I(2)),
            ("name", s("Hybrid")),
            ("piece length", B::I(16384)),
            ("pieces", B::S(vec![2; 40])),
        ]);
        let t = Torrent::parse(&torrent(&info, vec![])).unwrap();
        let raw = info.encode();
        assert_eq!(t.info_hash_v1, Some(sha1(&raw)));
        assert_eq!(t.info_hash_v2, Some(sha256(&raw)));
        assert_eq!(t.info_hash(), InfoHash::V1(sha1(&raw)));
        assert_eq!(
            names(&t),
            vec![vec!["Hybrid", "a.bin"], vec!["Hybrid", "b.bin"]]
        );
        assert_eq!(t.total_length, 30);
    }

    #[test]
    fn magnet_round_trips() {
        let info = single_info();
        let bytes = torrent(&info, vec![("announce", s("udp://t.example:1/a"))]);
        let t = Torrent::parse(&bytes).unwrap();
        let magnet = t.magnet();
        assert_eq!(magnet.display_name.as_deref(), Some("movie.mkv"));
        assert_eq!(magnet.exact_length, Some(1000));
        let parsed = Magnet::parse(&magnet.to_uri()).unwrap();
        assert_eq!(parsed.info_hash(), t.info_hash());
        assert_eq!(parsed, magnet);
    }

    fn err(bytes: &[u8]) -> TorrentError {
        Torrent::parse(bytes).unwrap_err()
    }

    fn info_err(info: B) -> TorrentError {
        err(&torrent(&info, vec![]))
    }

    #[test]
    fn structural_errors() {
        assert_eq!(err(b"i1e"), TorrentError::NotADictionary);
        assert_eq!(err(b"d4:spami1ee"), TorrentError::MissingInfo);
        assert_eq!(
            err(b"d4:infoi1ee"),
            TorrentError::InvalidField {
                field: "info",
                reason: "is not a dictionary".into()
            }
        );
        assert_eq!(
            err(b"d4:info"),
            TorrentError::Bencode(BencodeError::UnexpectedEnd { offset: 7 })
        );
        assert_eq!(
            err(&vec![b'x'; MAX_TORRENT_LEN + 1]),
            TorrentError::TooLarge
        );
    }

    #[test]
    fn missing_fields() {
        assert_eq!(
            info_err(d(vec![("length", B::I(1))])),
            TorrentError::MissingField { field: "name" }
        );
        assert_eq!(
            info_err(d(vec![("name", s("x"))])),
            TorrentError::MissingField {
                field: "length or files"
            }
        );
        assert_eq!(
            info_err(d(vec![("meta version", B::I(2)), ("name", s("x"))])),
            TorrentError::MissingField { field: "file tree" }
        );
        assert_eq!(
            info_err(d(vec![
                ("files", l(vec![d(vec![("path", path(&["a"]))])])),
                ("name", s("x")),
            ])),
            TorrentError::MissingField { field: "length" }
        );
        assert_eq!(
            info_err(d(vec![
                ("files", l(vec![d(vec![("length", B::I(1))])])),
                ("name", s("x")),
            ])),
            TorrentError::MissingField { field: "path" }
        );
    }

    #[test]
    fn invalid_fields() {
        let invalid_field = |field: &'static str| move |e: TorrentError| matches!(e, TorrentError::InvalidField { field: f, .. } if f == field);
        assert!(invalid_field("length")(info_err(d(vec![
            ("length", B::I(-1)),
            ("name", s("x")),
        ]))));
        assert!(invalid_field("length")(info_err(d(vec![
            ("length", s("1")),
            ("name", s("x")),
        ]))));
        assert!(invalid_field("name")(info_err(d(vec![
            ("length", B::I(1)),
            ("name", s("")),
        ]))));
        assert!(invalid_field("name")(info_err(d(vec![
            ("length", B::I(1)),
            ("name", B::I(1)),
        ]))));
        assert!(invalid_field("path")(info_err(d(vec![
            ("files", l(vec![file(1, &[])])),
            ("name", s("x")),
        ]))));
        assert!(invalid_field("path")(info_err(d(vec![
            (
                "files",
                l(vec![d(vec![
                    ("length", B::I(1)),
                    ("path", l(vec![B::I(1)]))
                ])])
            ),
            ("name", s("x")),
        ]))));
        assert!(invalid_field("files")(info_err(d(vec![
            ("files", s("nope")),
            ("name", s("x")),
        ]))));
        assert!(invalid_field("meta version")(info_err(d(vec![
            ("length", B::I(1)),
            ("meta version", B::I(3)),
            ("name", s("x")),
        ]))));
        assert!(invalid_field("file tree")(info_err(d(vec![
            ("file tree", d(vec![("", d(vec![("length", B::I(1))]))])),
            ("meta version", B::I(2)),
            ("name", s("x")),
        ]))));
        assert!(invalid_field("length")(info_err(d(vec![
            (
                "files",
                l(vec![
                    file(i64::MAX, &["a"]),
                    file(i64::MAX, &["b"]),
                    file(2, &["c"])
                ])
            ),
            ("name", s("x")),
        ]))));
    }

    #[test]
    fn no_files() {
        assert_eq!(
            info_err(d(vec![("files", l(vec![])), ("name", s("x"))])),
            TorrentError::NoFiles
        );
        assert_eq!(
            info_err(d(vec![
                ("files", l(vec![file(5, &[".pad", "5"])])),
                ("name", s("x")),
            ])),
            TorrentError::NoFiles
        );
        assert_eq!(
            info_err(d(vec![
                ("file tree", d(vec![])),
                ("meta version", B::I(2)),
                ("name", s("x")),
            ])),
            TorrentError::NoFiles
        );
    }

    #[test]
    fn errors_read_well() {
        assert_eq!(
            TorrentError::MissingField { field: "name" }.to_string(),
            "the .torrent file is missing its \"name\" field"
        );
        assert_eq!(
            invalid("length", "is negative (-1)").to_string(),
            "the .torrent file's \"length\" field is negative (-1)"
        );
    }

    fn valid_torrent() -> Vec<u8> {
        let info = d(vec![
            (
                "file tree",
                d(vec![(
                    "d",
                    d(vec![("f", d(vec![("", d(vec![("length", B::I(3))]))]))]),
                )]),
            ),
            (
                "files",
                l(vec![
                    file(3, &["d", "f"]),
                    d(vec![
                        ("attr", s("p")),
                        ("length", B::I(1)),
                        ("path", path(&[".pad", "1"])),
                    ]),
                ]),
            ),
            ("length", B::I(3)),
            ("meta version", B::I(2)),
            ("name", s("n")),
            ("name.utf-8", s("n")),
            ("pieces", B::S(vec![0; 20])),
        ]);
        torrent(
            &info,
            vec![
                ("announce", s("http://a.example/")),
                ("announce-list", l(vec![l(vec![s("udp://b.example:1")])])),
            ],
        )
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
            let _ = Torrent::parse(&bytes);
        }

        #[test]
        fn parse_never_panics_on_mutated_torrents(
            flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
            cut in any::<Option<prop::sample::Index>>(),
        ) {
            let mut bytes = valid_torrent();
            prop_assert!(Torrent::parse(&bytes).is_ok());
            for (index, byte) in flips {
                let i = index.index(bytes.len());
                if let Some(b) = bytes.get_mut(i) {
                    *b = byte;
                }
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len()));
            }
            if let Ok(t) = Torrent::parse(&bytes) {
                // Anything accepted must still produce a usable magnet link.
                prop_assert_eq!(Magnet::parse(&t.magnet().to_uri()), Ok(t.magnet()));
            }
        }
    }
}
