//! Helpers shared by the tool parser tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use haul_sources::tools::process::ToolOutput;
use haul_sources::{Media, MediaKind};

pub fn media(
    id: &str,
    url: &str,
    kind: MediaKind,
    name: Option<&str>,
    ext: &str,
    index: u32,
) -> Media {
    Media {
        id: id.into(),
        url: url.into(),
        kind,
        name_hint: name.map(Into::into),
        ext: Some(ext.into()),
        index,
        headers: Vec::new(),
        via_tool: None,
    }
}

pub fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub const UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/151.0.0.0 Safari/537.36";

pub fn out(code: i32, stdout: &str, stderr: &str) -> ToolOutput {
    ToolOutput {
        code: Some(code),
        stdout: stdout.as_bytes().to_vec(),
        stderr_tail: stderr.into(),
    }
}
