//! File names that come from outside (Content-Disposition, URLs, providers) become
//! safe names here, and [`path_inside`] is the one place that joins them to a folder.

use std::path::{Component, Path, PathBuf};

use percent_encoding::percent_decode_str;

/// Longest name we create, in bytes; leaves room for ` (999).part` under the usual
/// 255-byte limit of file systems.
const MAX_NAME_BYTES: usize = 200;
const FALLBACK_NAME: &str = "download";

const WINDOWS_RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Turns any string into one plain file name that is valid on Windows, macOS and
/// Linux: no directories, no control or bidi characters, no reserved device names,
/// no trailing dots or spaces, not hidden, not empty, at most 200 bytes.
pub fn sanitize(raw: &str) -> String {
    // Only the last path component counts: "../../etc/passwd" names "passwd".
    let last = raw
        .rsplit(['/', '\\'])
        .find(|part| !part.trim().is_empty())
        .unwrap_or("");
    let mut name: String = last
        .chars()
        .filter(|c| !is_invisible_control(*c))
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            other => other,
        })
        .collect();
    name = name
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' '])
        .to_string();
    if name.is_empty() {
        return FALLBACK_NAME.to_string();
    }
    let stem = name.split('.').next().unwrap_or("").trim_end();
    if WINDOWS_RESERVED
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(stem))
    {
        name.insert(0, '_');
    }
    truncate_keeping_extension(&name, MAX_NAME_BYTES)
}

fn is_invisible_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}'
        )
}

fn truncate_keeping_extension(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let (stem, ext) = split_extension(name);
    let ext = if ext.len() < max / 2 { ext } else { "" };
    let mut cut = max - ext.len();
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{}", stem[..cut].trim_end_matches(['.', ' ']), ext)
}

/// Splits "movie.part1.mkv" into ("movie.part1", ".mkv"); names without a dot have
/// an empty extension.
pub fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name, ""),
    }
}

/// The `n`-th alternative for a name that is taken: "file (n).ext".
pub fn numbered(name: &str, n: u32) -> String {
    if n == 0 {
        return name.to_string();
    }
    let (stem, ext) = split_extension(name);
    format!("{stem} ({n}){ext}")
}

/// Joins a sanitized name to `dir`, refusing anything that would not be a direct
/// child of `dir`.
pub fn path_inside(dir: &Path, name: &str) -> Option<PathBuf> {
    let mut components = Path::new(name).components();
    match (components.next(), components.next()) {
        (Some(Component::Normal(part)), None) if part == std::ffi::OsStr::new(name) => {
            Some(dir.join(part))
        }
        _ => None,
    }
}

/// Turns a provider's path (folders then a file name, each as given) into a safe
/// relative path: every component is split again on `/` and `\\`, `.`/`..`/empty
/// parts are dropped, and each part is sanitized. `None` when nothing is left.
/// Joined to a folder with [`path_inside`] per part, it always stays inside.
pub fn relative_path<S: AsRef<str>>(components: &[S]) -> Option<PathBuf> {
    let parts: Vec<String> = components
        .iter()
        .flat_map(|component| component.as_ref().split(['/', '\\']))
        .filter(|part| !matches!(part.trim(), "" | "." | ".."))
        .map(sanitize)
        .collect();
    if parts.is_empty() {
        return None;
    }
    Some(parts.iter().collect())
}

/// The file name a `Content-Disposition` header gives, preferring the RFC 6266
/// `filename*` form. Returns the raw (unsanitized) name.
pub fn from_content_disposition(header: &str) -> Option<String> {
    let mut plain = None;
    for param in split_params(header).skip(1) {
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        if key == "filename*" {
            // charset'language'percent-encoded-value
            let mut parts = value.splitn(3, '\'');
            let charset = parts.next().unwrap_or("");
            let encoded = parts.nth(1).unwrap_or("");
            if charset.eq_ignore_ascii_case("utf-8")
                && let Ok(decoded) = percent_decode_str(encoded).decode_utf8()
                && !decoded.trim().is_empty()
            {
                return Some(decoded.into_owned());
            }
        } else if key == "filename" {
            let unquoted = unquote(value);
            if !unquoted.trim().is_empty() {
                plain = Some(unquoted);
            }
        }
    }
    plain
}

/// Splits on `;` outside double quotes.
fn split_params(header: &str) -> impl Iterator<Item = &str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in header.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => {
                parts.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&header[start..]);
    parts.into_iter()
}

fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return value.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The raw file name a URL suggests: its last non-empty path segment, decoded, or
/// its host when the path is empty.
pub fn from_url(url: &url::Url) -> Option<String> {
    let segment = url
        .path_segments()
        .and_then(|mut segments| segments.rfind(|s| !s.is_empty()));
    match segment {
        Some(segment) => Some(percent_decode_str(segment).decode_utf8_lossy().into_owned()),
        None => url.host_str().map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn traversal_and_absolute_paths_keep_only_the_last_component() {
        assert_eq!(sanitize("../../etc/passwd"), "passwd");
        assert_eq!(sanitize("/etc/shadow"), "shadow");
        assert_eq!(sanitize("..\\..\\Windows\\win.ini"), "win.ini");
        assert_eq!(sanitize(".."), "download");
        assert_eq!(sanitize("dir/"), "dir");
    }

    #[test]
    fn windows_reserved_names_and_trailing_dots_are_defused() {
        assert_eq!(sanitize("CON"), "_CON");
        assert_eq!(sanitize("nul.txt"), "_nul.txt");
        assert_eq!(sanitize("Lpt1 .tar.gz"), "_Lpt1 .tar.gz");
        assert_eq!(sanitize("report. . "), "report");
        assert_eq!(sanitize("a<b>c:d\"e|f?g*h"), "a_b_c_d_e_f_g_h");
        assert_eq!(sanitize("CONSOLE.txt"), "CONSOLE.txt");
    }

    #[test]
    fn control_and_bidi_characters_are_removed() {
        assert_eq!(sanitize("evil\u{202E}gpj.exe"), "evilgpj.exe");
        assert_eq!(sanitize("line\nbreak\0.txt"), "linebreak.txt");
        assert_eq!(sanitize(".hidden"), "hidden");
    }

    #[test]
    fn long_names_are_cut_on_a_char_boundary_keeping_the_extension() {
        let long = format!("{}.mkv", "é".repeat(300));
        let cut = sanitize(&long);
        assert!(cut.len() <= MAX_NAME_BYTES);
        assert!(cut.ends_with(".mkv"));
    }

    #[test]
    fn numbered_alternatives_keep_the_extension() {
        assert_eq!(numbered("a.tar.gz", 2), "a.tar (2).gz");
        assert_eq!(numbered("README", 1), "README (1)");
        assert_eq!(numbered("x.bin", 0), "x.bin");
    }

    #[test]
    fn content_disposition_prefers_the_encoded_form() {
        assert_eq!(
            from_content_disposition(
                "attachment; filename=\"plain.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt"
            )
            .as_deref(),
            Some("€ rates.txt")
        );
        assert_eq!(
            from_content_disposition("attachment; filename=\"a \\\"quoted\\\"; name.bin\"")
                .as_deref(),
            Some("a \"quoted\"; name.bin")
        );
        assert_eq!(
            from_content_disposition("inline; filename=token.iso").as_deref(),
            Some("token.iso")
        );
        assert_eq!(from_content_disposition("attachment"), None);
    }

    #[test]
    fn url_names_come_from_the_last_segment() {
        let url = url::Url::parse("https://example.org/files/my%20file.zip?x=1").unwrap();
        assert_eq!(from_url(&url).as_deref(), Some("my file.zip"));
        let url = url::Url::parse("https://example.org/").unwrap();
        assert_eq!(from_url(&url).as_deref(), Some("example.org"));
    }

    proptest! {
        #[test]
        fn any_input_sanitizes_to_a_direct_child(raw in "\\PC*", dots in "[./\\\\ ]{0,6}") {
            let dir = Path::new("/downloads/target");
            let name = sanitize(&format!("{dots}{raw}{dots}"));
            prop_assert!(!name.is_empty());
            prop_assert!(name.len() <= MAX_NAME_BYTES);
            let path = path_inside(dir, &name);
            prop_assert!(path.is_some(), "{name:?} was refused");
            let path = path.unwrap_or_default();
            prop_assert_eq!(path.parent(), Some(dir));
        }

        #[test]
        fn provider_paths_stay_inside(parts in proptest::collection::vec("\\PC*|\\.\\.|/|[A-Za-z]:\\\\|CON|nul\\.txt|a\u{202E}b", 0..6)) {
            let dir = Path::new("/downloads/target");
            if let Some(relative) = relative_path(&parts) {
                let mut path = dir.to_path_buf();
                for component in relative.components() {
                    let Component::Normal(part) = component else {
                        return Err(TestCaseError::fail(format!("{relative:?} has {component:?}")));
                    };
                    let part = part.to_string_lossy();
                    prop_assert_eq!(sanitize(&part), part.to_string());
                    path = path_inside(&path, &part).unwrap_or_default();
                }
                prop_assert!(path.starts_with(dir));
                prop_assert!(path != dir);
            }
        }
    }

    #[test]
    fn hostile_provider_paths_are_tamed() {
        let path = relative_path(&["..", "..", "etc", "passwd"]).unwrap();
        assert_eq!(path, PathBuf::from("etc/passwd"));
        let path = relative_path(&["/abs/olute", "C:\\Windows", "CON", "evil. "]).unwrap();
        assert_eq!(path, PathBuf::from("abs/olute/C_/Windows/_CON/evil"));
        let path = relative_path(&["show\u{202E}vkm.exe"]).unwrap();
        assert_eq!(path, PathBuf::from("showvkm.exe"));
        assert_eq!(relative_path(&["..", "/", ""]), None);
    }
}
