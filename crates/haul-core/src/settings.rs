//! The one typed, validated settings struct, saved atomically as JSON in the data
//! folder. Secrets never live here.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::paths;
pub use crate::sources::settings::SourcesSettings;

pub const MAX_ACTIVE_DOWNLOADS_LIMIT: u32 = 16;
/// Below 1 KiB/s a limit is more likely a typo than a wish.
pub const MIN_SPEED_LIMIT: u64 = 1024;
pub const MAX_CONNECTIONS: u32 = haul_download::MAX_CONNECTIONS as u32;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow the operating system's light or dark preference.
    #[default]
    System,
    Light,
    Dark,
}

/// A debrid service, as settings, tasks and the UI name it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    #[default]
    AllDebrid,
    RealDebrid,
    TorBox,
}

impl Provider {
    pub const ALL: [Self; 3] = [Self::AllDebrid, Self::RealDebrid, Self::TorBox];

    pub const fn kind(self) -> haul_debrid::ProviderKind {
        match self {
            Self::AllDebrid => haul_debrid::ProviderKind::AllDebrid,
            Self::RealDebrid => haul_debrid::ProviderKind::RealDebrid,
            Self::TorBox => haul_debrid::ProviderKind::TorBox,
        }
    }

    pub fn from_kind(kind: haul_debrid::ProviderKind) -> Self {
        Self::ALL
            .into_iter()
            .find(|p| p.kind() == kind)
            .unwrap_or_default()
    }

    pub fn from_id(id: &str) -> Option<Self> {
        haul_debrid::ProviderKind::from_id(id).map(Self::from_kind)
    }

    pub const fn id(self) -> &'static str {
        self.kind().id()
    }
}

/// Which files of a torrent are downloaded when nobody picks them by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct FileRules {
    /// Glob patterns on the file's path (case-insensitive); empty means every file.
    pub include: Vec<String>,
    /// Glob patterns that leave a file out.
    pub exclude: Vec<String>,
    /// Files smaller than this many bytes are left out.
    #[specta(type = specta_typescript::Number)]
    pub min_size: u64,
    /// Only these extensions (without the dot); empty means any.
    pub extensions: Vec<String>,
    /// Subtitles (.srt, .ass, .ssa, .sub, .idx, .vtt) are kept whatever the size
    /// and extension rules say.
    pub keep_subtitles: bool,
}

impl Default for FileRules {
    fn default() -> Self {
        Self {
            include: Vec::new(),
            exclude: Vec::new(),
            min_size: 0,
            extensions: Vec::new(),
            keep_subtitles: true,
        }
    }
}

/// Debrid services: which one new tasks use, and where each one's API is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct DebridSettings {
    pub provider: Provider,
    /// API addresses without a version path; `HAUL_<PROVIDER>_URL` overrides them.
    pub alldebrid_url: String,
    pub realdebrid_url: String,
    pub torbox_url: String,
    pub rules: FileRules,
}

impl Default for DebridSettings {
    fn default() -> Self {
        Self {
            provider: Provider::AllDebrid,
            alldebrid_url: haul_debrid::ProviderKind::AllDebrid
                .default_base_url()
                .into(),
            realdebrid_url: haul_debrid::ProviderKind::RealDebrid
                .default_base_url()
                .into(),
            torbox_url: haul_debrid::ProviderKind::TorBox.default_base_url().into(),
            rules: FileRules::default(),
        }
    }
}

impl DebridSettings {
    pub fn base_url(&self, provider: Provider) -> &str {
        match provider {
            Provider::AllDebrid => &self.alldebrid_url,
            Provider::RealDebrid => &self.realdebrid_url,
            Provider::TorBox => &self.torbox_url,
        }
    }

    fn validate(&self) -> Result<()> {
        for (provider, field) in [
            (Provider::AllDebrid, "debrid.alldebridUrl"),
            (Provider::RealDebrid, "debrid.realdebridUrl"),
            (Provider::TorBox, "debrid.torboxUrl"),
        ] {
            haul_debrid::parse_base_url(provider.kind(), self.base_url(provider))
                .map_err(|e| invalid(format!("{field}: {}.", e.message)))?;
        }
        for (patterns, field) in [
            (&self.rules.include, "debrid.rules.include"),
            (&self.rules.exclude, "debrid.rules.exclude"),
        ] {
            for pattern in patterns {
                globset::Glob::new(pattern).map_err(|e| {
                    invalid(format!(
                        "{field}: {pattern:?} is not a valid pattern ({e})."
                    ))
                })?;
            }
        }
        for extension in &self.rules.extensions {
            if extension.is_empty() || !extension.chars().all(|c| c.is_alphanumeric()) {
                return Err(invalid(format!(
                    "debrid.rules.extensions: {extension:?} must be letters and digits only, without the dot."
                )));
            }
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Where downloads go unless one names its own folder.
    pub download_dir: String,
    /// How many downloads transfer at once; the rest wait in the queue.
    pub max_active_downloads: u32,
    /// Connections a new download opens (1–16); each fetches its own byte range.
    pub connections_per_download: u32,
    /// Bytes per second for all downloads together; 0 means unlimited.
    #[specta(type = specta_typescript::Number)]
    pub speed_limit: u64,
    pub theme: Theme,
    /// Desktop notifications when downloads and tasks finish or fail.
    pub notifications: bool,
    pub debrid: DebridSettings,
    pub desktop: DesktopSettings,
    pub updates: UpdateSettings,
    pub library: LibrarySettings,
    pub faces: FacesSettings,
    pub sources: SourcesSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            download_dir: paths::default_download_dir().display().to_string(),
            max_active_downloads: 3,
            connections_per_download: 8,
            speed_limit: 0,
            theme: Theme::System,
            notifications: true,
            debrid: DebridSettings::default(),
            desktop: DesktopSettings::default(),
            updates: UpdateSettings::default(),
            library: LibrarySettings::default(),
            faces: FacesSettings::default(),
            sources: SourcesSettings::default(),
        }
    }
}

impl Settings {
    /// Refuses values that cannot work, naming the field in the message.
    pub fn validate(&self) -> Result<()> {
        let dir = self.download_dir.trim();
        if dir.is_empty() {
            return Err(invalid("Download folder (downloadDir) must not be empty."));
        }
        if !Path::new(dir).is_absolute() {
            return Err(invalid(format!(
                "Download folder (downloadDir) must be an absolute path, not {dir:?}."
            )));
        }
        if !(1..=MAX_ACTIVE_DOWNLOADS_LIMIT).contains(&self.max_active_downloads) {
            return Err(invalid(format!(
                "Maximum active downloads (maxActiveDownloads) must be between 1 and {MAX_ACTIVE_DOWNLOADS_LIMIT}, not {}.",
                self.max_active_downloads
            )));
        }
        if !(1..=MAX_CONNECTIONS).contains(&self.connections_per_download) {
            return Err(invalid(format!(
                "Connections per download (connectionsPerDownload) must be between 1 and {MAX_CONNECTIONS}, not {}.",
                self.connections_per_download
            )));
        }
        if self.speed_limit != 0 && self.speed_limit < MIN_SPEED_LIMIT {
            return Err(invalid(format!(
                "Speed limit (speedLimit) must be 0 (unlimited) or at least {MIN_SPEED_LIMIT} bytes per second, not {}.",
                self.speed_limit
            )));
        }
        self.debrid.validate()?;
        self.library.validate()?;
        self.faces.validate()?;
        self.sources.validate()?;
        self.updates.validate()
    }

    pub fn download_dir(&self) -> PathBuf {
        PathBuf::from(self.download_dir.trim())
    }
}

pub(crate) fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidSetting, message)
}

pub const MAX_LIBRARY_THREADS: u32 = 64;
pub const MAX_BIN_RETENTION_DAYS: u32 = 3650;

/// The library's background work and its recycle bin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct LibrarySettings {
    /// Threads for hashing, thumbnails and scans; 0 means half the cores.
    pub threads: u32,
    /// Days a removed file stays in the recycle bin before it is purged.
    pub bin_retention_days: u32,
}

impl Default for LibrarySettings {
    fn default() -> Self {
        Self {
            threads: 0,
            bin_retention_days: 30,
        }
    }
}

impl LibrarySettings {
    fn validate(&self) -> Result<()> {
        if self.threads > MAX_LIBRARY_THREADS {
            return Err(invalid(format!(
                "Library threads (library.threads) must be between 0 (half the cores) and {MAX_LIBRARY_THREADS}, not {}.",
                self.threads
            )));
        }
        if !(1..=MAX_BIN_RETENTION_DAYS).contains(&self.bin_retention_days) {
            return Err(invalid(format!(
                "Days in the recycle bin (library.binRetentionDays) must be between 1 and {MAX_BIN_RETENTION_DAYS}, not {}.",
                self.bin_retention_days
            )));
        }
        Ok(())
    }

    /// Threads the media pool gets.
    pub fn thread_count(&self) -> usize {
        if self.threads == 0 {
            haul_media::MediaPool::default_threads()
        } else {
            self.threads as usize
        }
    }
}

/// Face analysis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct FacesSettings {
    /// Threads for face analysis; 0 means half the cores. Applies at the next start.
    pub threads: u32,
    /// How many similar faces must agree before they become a person.
    pub min_faces: u32,
    /// The detector's input side in pixels (a multiple of 32): larger finds
    /// smaller faces, more slowly.
    pub detector_side: u32,
    /// Where the models are fetched from on first use (a folder URL holding the
    /// manifest's file names); none: the addresses in the manifest.
    pub models_url: Option<String>,
}

impl Default for FacesSettings {
    fn default() -> Self {
        Self {
            threads: 0,
            min_faces: 2,
            detector_side: 640,
            models_url: None,
        }
    }
}

impl FacesSettings {
    fn validate(&self) -> Result<()> {
        if self.threads > MAX_LIBRARY_THREADS {
            return Err(invalid(format!(
                "Face analysis threads (faces.threads) must be between 0 (half the cores) and {MAX_LIBRARY_THREADS}, not {}.",
                self.threads
            )));
        }
        if !(1..=50).contains(&self.min_faces) {
            return Err(invalid(format!(
                "Faces to form a person (faces.minFaces) must be between 1 and 50, not {}.",
                self.min_faces
            )));
        }
        if !(160..=1920).contains(&self.detector_side) || !self.detector_side.is_multiple_of(32) {
            return Err(invalid(format!(
                "The detector size (faces.detectorSide) must be a multiple of 32 between 160 and 1920, not {}.",
                self.detector_side
            )));
        }
        if let Some(url) = self.models_url.as_deref().filter(|u| !u.trim().is_empty()) {
            match url::Url::parse(url.trim()) {
                Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
                _ => {
                    return Err(invalid(format!(
                        "The models address (faces.modelsUrl) must be an http(s) URL, not {url:?}."
                    )));
                }
            }
        }
        Ok(())
    }

    /// Threads the face pool gets.
    pub fn thread_count(&self) -> usize {
        if self.threads == 0 {
            haul_media::MediaPool::default_threads()
        } else {
            self.threads as usize
        }
    }
}

/// How Haul behaves outside its window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct DesktopSettings {
    /// Closing the main window hides it; Haul keeps running in the tray.
    pub close_to_tray: bool,
    /// Offer magnets and links copied to the clipboard. Off by default: the
    /// clipboard is the user's, not ours.
    pub watch_clipboard: bool,
    /// Start Haul (in the tray) when the user logs in.
    pub start_at_login: bool,
}

impl Default for DesktopSettings {
    fn default() -> Self {
        Self {
            close_to_tray: true,
            watch_clipboard: false,
            start_at_login: false,
        }
    }
}

/// Where Haul looks for signed updates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct UpdateSettings {
    /// The update manifest (Tauri's `latest.json` format).
    pub endpoint: String,
    /// Check once at start-up; a failed check there is logged, not shown.
    pub check_on_start: bool,
}

pub const DEFAULT_UPDATE_ENDPOINT: &str =
    "https://github.com/haul-app/haul/releases/latest/download/latest.json";

impl Default for UpdateSettings {
    fn default() -> Self {
        Self {
            endpoint: DEFAULT_UPDATE_ENDPOINT.into(),
            check_on_start: true,
        }
    }
}

impl UpdateSettings {
    /// The endpoint as a URL: https, or plain http to this machine only (a local
    /// update server); never with credentials in it.
    pub fn endpoint_url(&self) -> Result<url::Url> {
        let field = "Update address (updates.endpoint)";
        let url = url::Url::parse(self.endpoint.trim())
            .map_err(|e| invalid(format!("{field} is not a valid address ({e}).")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(format!(
                "{field} must not contain a user name or password."
            )));
        }
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            None => false,
        };
        match url.scheme() {
            "https" if url.host().is_some() => Ok(url),
            "http" if loopback => Ok(url),
            _ => Err(invalid(format!(
                "{field} must be an https address (plain http only to 127.0.0.1), not {:?}.",
                self.endpoint
            ))),
        }
    }

    fn validate(&self) -> Result<()> {
        self.endpoint_url().map(drop)
    }
}

/// Reads the settings file; a missing file gives the defaults. A file that cannot be
/// read as valid settings is set aside (never deleted) and the defaults are used.
pub(crate) fn load(path: &Path) -> Settings {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Settings::default(),
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "cannot read settings; using defaults");
            return Settings::default();
        }
    };
    let parsed = serde_json::from_str::<Settings>(&text)
        .map_err(|e| e.to_string())
        .and_then(|settings| {
            settings
                .validate()
                .map(|()| settings)
                .map_err(|e| e.message)
        });
    match parsed {
        Ok(settings) => settings,
        Err(reason) => {
            let aside = path.with_extension("json.invalid");
            tracing::warn!(path = %path.display(), %reason, aside = %aside.display(), "settings file refused; using defaults");
            if let Err(error) = std::fs::rename(path, &aside) {
                tracing::warn!(%error, "cannot set the refused settings file aside");
            }
            Settings::default()
        }
    }
}

/// Writes to a temporary file, syncs it, then renames it over the old file, so a
/// crash leaves either the old or the new settings, never half of one.
pub(crate) fn save(path: &Path, settings: &Settings) -> Result<()> {
    settings.validate()?;
    let json = serde_json::to_vec_pretty(settings).map_err(Error::internal)?;
    let tmp = path.with_extension("json.tmp");
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(&json)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| Error::from_io("Cannot save settings", &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_values_name_their_field() {
        let relative = Settings {
            download_dir: "downloads".into(),
            ..Settings::default()
        };
        let error = relative.validate().unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidSetting);
        assert!(error.message.contains("downloadDir"), "{}", error.message);

        let too_many = Settings {
            max_active_downloads: 17,
            ..Settings::default()
        };
        assert!(
            too_many
                .validate()
                .unwrap_err()
                .message
                .contains("maxActiveDownloads")
        );
    }

    #[test]
    fn update_addresses_are_https_or_loopback_http_without_credentials() {
        let with = |endpoint: &str| UpdateSettings {
            endpoint: endpoint.into(),
            check_on_start: true,
        };
        for good in [
            DEFAULT_UPDATE_ENDPOINT,
            "http://127.0.0.1:8080/latest.json",
            "http://[::1]/latest.json",
            "http://localhost/latest.json",
        ] {
            assert!(with(good).validate().is_ok(), "{good}");
        }
        for bad in [
            "http://updates.example.com/latest.json",
            "https://user:secret@example.com/latest.json",
            "file:///etc/passwd",
            "not a url",
            "",
        ] {
            let error = with(bad).validate().unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidSetting, "{bad}");
            assert!(
                error.message.contains("updates.endpoint"),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn saved_settings_load_back_and_broken_files_are_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let settings = Settings {
            download_dir: dir.path().display().to_string(),
            max_active_downloads: 5,
            connections_per_download: 4,
            speed_limit: 1 << 20,
            theme: Theme::Dark,
            notifications: false,
            debrid: DebridSettings::default(),
            desktop: DesktopSettings {
                close_to_tray: false,
                watch_clipboard: true,
                start_at_login: true,
            },
            updates: UpdateSettings {
                endpoint: "http://127.0.0.1:9/latest.json".into(),
                check_on_start: false,
            },
            library: LibrarySettings {
                threads: 2,
                bin_retention_days: 10,
            },
            faces: FacesSettings {
                threads: 1,
                min_faces: 3,
                detector_side: 480,
                models_url: Some("http://127.0.0.1:9/models".into()),
            },
            sources: SourcesSettings {
                stop_after_known: 5,
                ..SourcesSettings::default()
            },
        };
        save(&path, &settings).unwrap();
        assert_eq!(load(&path), settings);

        std::fs::write(&path, "{ not json").unwrap();
        assert_eq!(load(&path), Settings::default());
        assert!(dir.path().join("settings.json.invalid").exists());
    }
}
