//! Netscape `cookies.txt`: parsing what a user exports from a browser, writing it
//! back for yt-dlp and gallery-dl, and choosing the `Cookie` header for a URL.
//!
//! Cookie values are secrets: no error message, log line or `Debug` output here
//! ever contains one. Errors name the line number and what is wrong with it.

use std::io::Write;
use std::path::{Path, PathBuf};

use url::Url;

use crate::extractor::{CookieEntry, Cookies};

/// Larger than any real browser export; refusing bigger input keeps a wrongly
/// chosen file (a video, a database) from being read into memory.
pub const MAX_COOKIE_FILE_BYTES: usize = 1024 * 1024;

/// The domain prefix curl and browsers' exporters use for HttpOnly cookies; such a
/// line is a cookie, not a comment.
const HTTP_ONLY_PREFIX: &str = "#HttpOnly_";

/// Why a cookies file was refused. Never carries a cookie value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CookieFileError {
    #[error("the cookie file is larger than {} KiB", MAX_COOKIE_FILE_BYTES / 1024)]
    TooBig,
    #[error("the cookie file is not text")]
    NotText,
    #[error("the cookie file holds no cookie")]
    Empty,
    #[error("line {line}: expected 7 tab-separated fields, found {found}")]
    FieldCount { line: usize, found: usize },
    #[error("line {line}: the {field} field must be TRUE or FALSE")]
    BadBoolean { line: usize, field: &'static str },
    #[error("line {line}: the expiry must be Unix seconds")]
    BadExpiry { line: usize },
    #[error("line {line}: the cookie has no name")]
    EmptyName { line: usize },
    #[error("line {line}: the cookie has no domain")]
    EmptyDomain { line: usize },
}

impl Cookies {
    /// Parses a Netscape cookies file from raw bytes (as read from disk): refuses
    /// binary or oversized input before looking at lines.
    pub fn parse_netscape_bytes(bytes: &[u8]) -> Result<Cookies, CookieFileError> {
        if bytes.len() > MAX_COOKIE_FILE_BYTES {
            return Err(CookieFileError::TooBig);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| CookieFileError::NotText)?;
        Self::parse_netscape(text)
    }

    /// Parses a Netscape cookies file. Blank lines and `#` comments are skipped
    /// (except `#HttpOnly_` lines, which are cookies); CRLF line ends are fine.
    pub fn parse_netscape(text: &str) -> Result<Cookies, CookieFileError> {
        if text.len() > MAX_COOKIE_FILE_BYTES {
            return Err(CookieFileError::TooBig);
        }
        // NUL and other control bytes mean a binary file was chosen by mistake.
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        {
            return Err(CookieFileError::NotText);
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut entries = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() {
                continue;
            }
            let (line, http_only) = match line.strip_prefix(HTTP_ONLY_PREFIX) {
                Some(rest) => (rest, true),
                None if line.starts_with('#') => continue,
                None => (line, false),
            };
            entries.push(parse_line(line, line_no, http_only)?);
        }
        if entries.is_empty() {
            return Err(CookieFileError::Empty);
        }
        Ok(Cookies { entries })
    }

    /// Writes the cookies as a Netscape file both yt-dlp and gallery-dl read.
    pub fn to_netscape(&self) -> String {
        let mut out = String::from("# Netscape HTTP Cookie File\n# Written by Haul.\n\n");
        for e in &self.entries {
            let prefix = if e.http_only { HTTP_ONLY_PREFIX } else { "" };
            out.push_str(&format!(
                "{prefix}{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                e.domain,
                bool_field(e.include_subdomains),
                e.path,
                bool_field(e.secure),
                e.expires,
                e.name,
                e.value
            ));
        }
        out
    }

    /// The `Cookie` header value for a request to `url`, or `None` when no
    /// cookie applies (matching domain, path prefix, https for secure ones, and
    /// not expired).
    pub fn header_for(&self, url: &Url) -> Option<String> {
        self.header_at(url, now_unix())
    }

    /// [`Cookies::header_for`] at a given time (tests, and callers with a clock).
    pub fn header_at(&self, url: &Url, now: i64) -> Option<String> {
        let host = url.host_str()?.to_ascii_lowercase();
        let path = if url.path().is_empty() {
            "/"
        } else {
            url.path()
        };
        let https = url.scheme() == "https";
        let pairs: Vec<String> = self
            .entries
            .iter()
            .filter(|e| e.expires == 0 || e.expires >= now)
            .filter(|e| !e.secure || https)
            .filter(|e| domain_matches(e, &host))
            .filter(|e| path_matches(&e.path, path))
            .map(|e| format!("{}={}", e.name, e.value))
            .collect();
        if pairs.is_empty() {
            None
        } else {
            Some(pairs.join("; "))
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The distinct domains, without leading dots, sorted: what the settings
    /// screen shows instead of the cookies themselves.
    pub fn domains(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .entries
            .iter()
            .map(|e| e.domain.trim_start_matches('.').to_ascii_lowercase())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

fn parse_line(line: &str, line_no: usize, http_only: bool) -> Result<CookieEntry, CookieFileError> {
    let fields: Vec<&str> = line.split('\t').collect();
    // Some exporters leave the value empty and drop the last tab: 6 fields.
    let [domain, sub, path, secure, expires, name, value] = match fields.as_slice() {
        [a, b, c, d, e, f, g] => [*a, *b, *c, *d, *e, *f, *g],
        [a, b, c, d, e, f] => [*a, *b, *c, *d, *e, *f, ""],
        other => {
            return Err(CookieFileError::FieldCount {
                line: line_no,
                found: other.len(),
            });
        }
    };
    let domain = domain.trim();
    if domain.is_empty() {
        return Err(CookieFileError::EmptyDomain { line: line_no });
    }
    let include_subdomains = parse_bool(sub, line_no, "include-subdomains")?;
    let secure = parse_bool(secure, line_no, "secure")?;
    let expires = parse_expiry(expires.trim(), line_no)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(CookieFileError::EmptyName { line: line_no });
    }
    Ok(CookieEntry {
        domain: domain.to_string(),
        include_subdomains,
        path: if path.is_empty() {
            "/".into()
        } else {
            path.to_string()
        },
        secure,
        expires,
        name: name.to_string(),
        value: value.to_string(),
        http_only,
    })
}

fn parse_bool(field: &str, line: usize, which: &'static str) -> Result<bool, CookieFileError> {
    match field.trim() {
        f if f.eq_ignore_ascii_case("TRUE") => Ok(true),
        f if f.eq_ignore_ascii_case("FALSE") => Ok(false),
        _ => Err(CookieFileError::BadBoolean { line, field: which }),
    }
}

/// Unix seconds; some exporters write fractional seconds or an empty field for
/// session cookies (kept as 0, "no expiry").
fn parse_expiry(field: &str, line: usize) -> Result<i64, CookieFileError> {
    if field.is_empty() {
        return Ok(0);
    }
    if let Ok(n) = field.parse::<i64>() {
        return Ok(n.max(0));
    }
    match field.parse::<f64>() {
        // `as` saturates on overflow, so huge expiries stay far in the future.
        Ok(f) if f.is_finite() => Ok((f as i64).max(0)),
        _ => Err(CookieFileError::BadExpiry { line }),
    }
}

fn bool_field(b: bool) -> &'static str {
    if b { "TRUE" } else { "FALSE" }
}

/// RFC 6265 domain matching: a leading dot or the include-subdomains flag lets
/// subdomains match; otherwise the cookie is host-only.
fn domain_matches(e: &CookieEntry, host: &str) -> bool {
    let domain = e.domain.to_ascii_lowercase();
    let bare = domain.trim_start_matches('.');
    if host == bare {
        return true;
    }
    let subdomains = e.include_subdomains || domain.starts_with('.');
    subdomains
        && host.len() > bare.len()
        && host.ends_with(bare)
        && host.as_bytes()[host.len() - bare.len() - 1] == b'.'
}

/// RFC 6265 path matching: equal, or a prefix ending at a `/` boundary.
fn path_matches(cookie_path: &str, request_path: &str) -> bool {
    if cookie_path == request_path {
        return true;
    }
    request_path.starts_with(cookie_path)
        && (cookie_path.ends_with('/')
            || request_path.as_bytes().get(cookie_path.len()) == Some(&b'/'))
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A private copy of some cookies as a Netscape file, for one tool run: created
/// readable by the owner only (0600 on Unix) and deleted on drop. Each run gets
/// its own copy because yt-dlp and gallery-dl both rewrite the file they are given.
pub struct PrivateCookieFile {
    file: tempfile::NamedTempFile,
}

impl PrivateCookieFile {
    /// Writes `cookies` into a new file inside `dir` (created if missing).
    pub fn create(dir: &Path, cookies: &Cookies) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut builder = tempfile::Builder::new();
        builder.prefix("haul-cookies-").suffix(".txt");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Set at creation, so the file is never readable by others, even
            // before the first byte is written.
            builder.permissions(std::fs::Permissions::from_mode(0o600));
        }
        let mut file = builder.tempfile_in(dir)?;
        file.write_all(cookies.to_netscape().as_bytes())?;
        file.flush()?;
        Ok(Self { file })
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// The path as an owned value (for argument lists).
    pub fn path_buf(&self) -> PathBuf {
        self.file.path().to_path_buf()
    }
}

impl std::fmt::Debug for PrivateCookieFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateCookieFile({})", self.file.path().display())
    }
}

#[cfg(test)]
#[path = "cookies_tests.rs"]
mod tests;
