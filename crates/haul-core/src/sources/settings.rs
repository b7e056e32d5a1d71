//! The `sources` section of the settings: naming, check limits, throttles and
//! where the extractor tools are.

use serde::{Deserialize, Serialize};

use super::naming::Template;
use crate::error::Result;
use crate::settings::invalid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct SourcesSettings {
    /// Where a source's files go inside its folder, and how they are named.
    pub template: String,
    /// A check stops after this many posts in a row it already knew (not on a
    /// source's first check).
    pub stop_after_known: u32,
    /// A source's first check takes at most this many posts, newest first
    /// (0: all of them).
    pub first_check_limit: u32,
    /// Requests per minute to one platform, across all its sources.
    pub requests_per_minute: u32,
    /// How long yt-dlp or gallery-dl may run for one call before it is stopped.
    pub tool_timeout_secs: u32,
    /// `auto` schedules check between these bounds (minutes).
    pub auto_min_minutes: u32,
    pub auto_max_minutes: u32,
    /// Paths to the tools; none: `HAUL_YTDLP` / `HAUL_GALLERY_DL`, Haul's own
    /// installation in the data folder, then the PATH.
    pub yt_dlp_path: Option<String>,
    pub gallery_dl_path: Option<String>,
}

pub const DEFAULT_TEMPLATE: &str = "{platform}/{account}/{date:%Y-%m-%d}_{post_id}_{index}.{ext}";

impl Default for SourcesSettings {
    fn default() -> Self {
        Self {
            template: DEFAULT_TEMPLATE.to_string(),
            stop_after_known: 20,
            first_check_limit: 100,
            requests_per_minute: 30,
            tool_timeout_secs: 600,
            auto_min_minutes: 15,
            auto_max_minutes: 24 * 60,
            yt_dlp_path: None,
            gallery_dl_path: None,
        }
    }
}

impl SourcesSettings {
    pub(crate) fn validate(&self) -> Result<()> {
        Template::parse(&self.template)
            .map_err(|e| invalid(format!("File naming (sources.template): {e}")))?;
        if !(1..=10_000).contains(&self.stop_after_known) {
            return Err(invalid(format!(
                "Known posts before a check stops (sources.stopAfterKnown) must be between 1 and 10000, not {}.",
                self.stop_after_known
            )));
        }
        if !(1..=600).contains(&self.requests_per_minute) {
            return Err(invalid(format!(
                "Requests per minute (sources.requestsPerMinute) must be between 1 and 600, not {}.",
                self.requests_per_minute
            )));
        }
        if !(10..=86_400).contains(&self.tool_timeout_secs) {
            return Err(invalid(format!(
                "Tool timeout (sources.toolTimeoutSecs) must be between 10 and 86400 seconds, not {}.",
                self.tool_timeout_secs
            )));
        }
        if self.auto_min_minutes < 1 || self.auto_min_minutes > self.auto_max_minutes {
            return Err(invalid(format!(
                "Automatic checks (sources.autoMinMinutes, sources.autoMaxMinutes) need 1 <= minimum <= maximum, not {} and {}.",
                self.auto_min_minutes, self.auto_max_minutes
            )));
        }
        for (path, field) in [
            (&self.yt_dlp_path, "sources.ytDlpPath"),
            (&self.gallery_dl_path, "sources.galleryDlPath"),
        ] {
            if let Some(path) = path
                && !std::path::Path::new(path).is_absolute()
            {
                return Err(invalid(format!(
                    "{field} must be an absolute path, not {path:?}."
                )));
            }
        }
        Ok(())
    }
}
