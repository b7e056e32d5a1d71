//! The built UI, read into memory at start: a request names a file only by
//! looking it up in that map, so no request reaches the disk by its path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// The largest UI the server loads (a guard against pointing it at `/`).
const MAX_UI_BYTES: u64 = 64 << 20;

pub struct UiAssets {
    files: HashMap<String, (&'static str, Vec<u8>)>,
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" | "map" => "application/json",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

impl UiAssets {
    /// Reads every file under `dir` (which must hold `index.html`).
    pub fn load(dir: &Path) -> Result<Self, String> {
        let mut files = HashMap::new();
        let mut total = 0u64;
        let mut stack = vec![dir.to_path_buf()];
        while let Some(folder) = stack.pop() {
            let entries =
                std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
            for entry in entries {
                let entry = entry.map_err(|e| format!("{}: {e}", folder.display()))?;
                let path = entry.path();
                let kind = entry
                    .file_type()
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                if kind.is_dir() {
                    stack.push(path);
                } else if kind.is_file() {
                    let bytes =
                        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                    total += bytes.len() as u64;
                    if total > MAX_UI_BYTES {
                        return Err(format!(
                            "{} holds more than 64 MiB: not a built UI",
                            dir.display()
                        ));
                    }
                    let relative = path
                        .strip_prefix(dir)
                        .map_err(|e| e.to_string())?
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    files.insert(format!("/{relative}"), (content_type(&relative), bytes));
                }
            }
        }
        if !files.contains_key("/index.html") {
            return Err(format!(
                "{} has no index.html: build the UI first",
                dir.display()
            ));
        }
        Ok(Self { files })
    }

    /// An empty UI for API-only tests.
    pub fn none() -> Self {
        Self {
            files: HashMap::new(),
        }
    }

    /// Where the built UI is: given, `HAUL_UI_DIR`, beside the binary
    /// (`../share/haul/ui`), or this source tree's `ui/dist`.
    pub fn find(given: Option<&Path>) -> Option<PathBuf> {
        if let Some(dir) = given {
            return Some(dir.to_path_buf());
        }
        if let Some(dir) = std::env::var_os("HAUL_UI_DIR") {
            return Some(PathBuf::from(dir));
        }
        let beside = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|p| p.join("../share/haul/ui")));
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist");
        [beside, Some(source)]
            .into_iter()
            .flatten()
            .find(|dir| dir.join("index.html").is_file())
    }
}

pub async fn get(State(state): State<AppState>, uri: Uri) -> Response {
    let path = uri.path();
    // Paths without a file name are the app's own (it routes in the page).
    let key = if path == "/" || !path.rsplit('/').next().unwrap_or("").contains('.') {
        "/index.html"
    } else {
        path
    };
    let Some((kind, bytes)) = state.ui.files.get(key) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let mut response = bytes.clone().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // Vite names assets by content hash: they never change under one name.
    let cache = if key.starts_with("/assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}
