//! Magnet links and .torrent files, and the debrid services that turn them into
//! direct links.

pub mod bencode;
pub mod magnet;
pub mod torrent;
