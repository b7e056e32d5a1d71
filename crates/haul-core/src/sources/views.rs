//! What the UI and the CLI see of sources: one row per source, and the preview
//! of a URL before it is followed.

use std::sync::Arc;

use haul_sources::ExtractContext;
use haul_store::sources::SourceRow;
use serde::{Deserialize, Serialize};
use specta_typescript::Number;

use super::{Schedule, SourceOptions, extractors, parse_schedule};
use crate::Shared;
use crate::error::{Error, ErrorCode, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum SourceState {
    Active,
    Checking,
    Paused,
    /// Several checks in a row failed; checked less often.
    Failing,
    /// Deleted, private or suspended at the site.
    Gone,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SourceView {
    #[specta(type = Number)]
    pub id: i64,
    pub url: String,
    pub name: String,
    pub platform: String,
    pub extractor: String,
    pub account: Option<String>,
    /// Where its files go (the settings' download folder when it names none).
    pub dir: String,
    pub own_dir: bool,
    pub schedule: Schedule,
    pub schedule_text: String,
    pub options: SourceOptions,
    pub state: SourceState,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    #[specta(type = Number)]
    pub checks: i64,
    /// ms.
    #[specta(type = Option<Number>)]
    pub last_check_at: Option<i64>,
    #[specta(type = Option<Number>)]
    pub next_check_at: Option<i64>,
    /// New items the last check found.
    #[specta(type = Number)]
    pub last_new: i64,
    /// The last check stopped at its limit without meeting a known post.
    pub gap: bool,
    /// Items waiting for or in a download, done, and failed.
    #[specta(type = Number)]
    pub pending: i64,
    #[specta(type = Number)]
    pub done: i64,
    #[specta(type = Number)]
    pub failed: i64,
}

pub(crate) async fn view(shared: &Arc<Shared>, row: SourceRow) -> Result<SourceView> {
    let (pending, done, failed) = shared.store.sources().media_counts(row.id).await?;
    let settings = shared.settings();
    let schedule = parse_schedule(&row.schedule);
    let state = if shared.sources.is_checking(row.id) {
        SourceState::Checking
    } else {
        match row.state.as_str() {
            "paused" => SourceState::Paused,
            "failing" => SourceState::Failing,
            "gone" => SourceState::Gone,
            _ => SourceState::Active,
        }
    };
    Ok(SourceView {
        id: row.id,
        own_dir: row.dir.is_some(),
        dir: row
            .dir
            .clone()
            .unwrap_or_else(|| settings.download_dir().display().to_string()),
        url: row.url,
        name: row.name,
        platform: row.platform,
        extractor: row.extractor,
        account: row.account,
        schedule_text: schedule.describe(&settings.sources),
        schedule,
        options: serde_json::from_str(&row.options).unwrap_or_default(),
        state,
        error_code: row.error_code,
        error_message: row.error_message,
        checks: row.checks,
        last_check_at: row.last_check_at,
        next_check_at: row.next_check_at,
        last_new: row.last_new,
        gap: row.gap != 0,
        pending,
        done,
        failed,
    })
}

/// One media item of a preview.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewItem {
    pub post_id: String,
    pub account: Option<String>,
    /// Unix seconds.
    #[specta(type = Option<Number>)]
    pub posted_at: Option<i64>,
    pub caption: Option<String>,
    pub url: String,
    pub kind: String,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SourcePreview {
    pub url: String,
    pub platform: String,
    pub extractor: String,
    pub suggested_name: String,
    pub title: Option<String>,
    pub posts: u32,
    pub items: Vec<PreviewItem>,
}

/// Items shown in a preview.
const PREVIEW_ITEMS: usize = 12;

pub(crate) async fn preview(shared: &Arc<Shared>, url: &str) -> Result<SourcePreview> {
    let recognised = haul_sources::recognise(url)?;
    let parsed = url::Url::parse(url)
        .map_err(|e| Error::new(ErrorCode::InvalidUrl, format!("{url}: {e}")))?;
    let extractor = extractors::build(shared, recognised.extractor.as_str())?;
    let ctx = ExtractContext {
        client: shared.client.clone(),
        cookies: None,
        limit: Some(PREVIEW_ITEMS),
    };
    let page = extractor.page(&ctx, &parsed, None).await?;
    let mut items = Vec::new();
    for post in &page.posts {
        for media in &post.media {
            if items.len() < PREVIEW_ITEMS {
                items.push(PreviewItem {
                    post_id: post.id.clone(),
                    account: post.account.clone(),
                    posted_at: post.posted_at,
                    caption: post.caption.clone().map(|c| c.chars().take(200).collect()),
                    url: media.url.clone(),
                    kind: media.kind.as_str().into(),
                    name: media.name_hint.clone(),
                });
            }
        }
    }
    Ok(SourcePreview {
        url: url.to_string(),
        platform: recognised.platform,
        extractor: recognised.extractor.as_str().into(),
        suggested_name: page.title.clone().unwrap_or(recognised.suggested_name),
        title: page.title,
        posts: u32::try_from(page.posts.len()).unwrap_or(u32::MAX),
        items,
    })
}
