//! What the library shows: items, pages, bin entries and scan reports, as the UI
//! and the CLI's `--json` read them.

use serde::{Deserialize, Serialize};
use specta::Type;
use specta_typescript::Number;

use haul_store::bin::BinRow;
use haul_store::library::ItemRow;

use crate::error::{Error, ErrorCode, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    Other,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Other => "other",
        }
    }

    pub(crate) fn from_media(kind: haul_media::MediaKind) -> Self {
        match kind {
            haul_media::MediaKind::Image => Self::Image,
            haul_media::MediaKind::Video => Self::Video,
            haul_media::MediaKind::Audio => Self::Audio,
            haul_media::MediaKind::Other => Self::Other,
        }
    }
}

/// Where a library file came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum ItemOrigin {
    /// A plain download (`haul get`, the add bar).
    Download,
    /// A debrid task's file.
    Task,
    /// A followed source's media.
    Source,
    /// A folder the user added to the library.
    Folder,
}

impl ItemOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Download => "download",
            Self::Task => "task",
            Self::Source => "source",
            Self::Folder => "folder",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum ItemState {
    Present,
    Binned,
}

fn corrupt(column: &str, value: &str) -> Error {
    Error::new(
        ErrorCode::Database,
        format!("The database holds an unknown value {value:?} in {column}."),
    )
}

/// One file of the library.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LibraryItemView {
    #[specta(type = Number)]
    pub id: i64,
    pub path: String,
    pub name: String,
    #[specta(type = Number)]
    pub size: u64,
    pub kind: MediaKind,
    pub mime: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// BLAKE3 of the content, lowercase hex.
    pub blake3: String,
    /// When it was posted (ms), where known.
    #[specta(type = Option<Number>)]
    pub posted_at: Option<i64>,
    /// When Haul added it (ms).
    #[specta(type = Number)]
    pub added_at: i64,
    /// The date the gallery sorts by: posted, else added (ms).
    #[specta(type = Number)]
    pub sort_at: i64,
    pub origin: ItemOrigin,
    #[specta(type = Option<Number>)]
    pub download_id: Option<i64>,
    #[specta(type = Option<Number>)]
    pub task_id: Option<i64>,
    pub url: Option<String>,
    pub platform: Option<String>,
    pub source: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// Why no preview or perceptual hash could be made.
    pub media_error: Option<String>,
    pub state: ItemState,
}

impl LibraryItemView {
    pub(crate) fn from_row(row: ItemRow) -> Result<Self> {
        let kind = match row.kind.as_str() {
            "image" => MediaKind::Image,
            "video" => MediaKind::Video,
            "audio" => MediaKind::Audio,
            "other" => MediaKind::Other,
            other => return Err(corrupt("library_items.kind", other)),
        };
        let origin = match row.origin.as_str() {
            "download" => ItemOrigin::Download,
            "task" => ItemOrigin::Task,
            "source" => ItemOrigin::Source,
            "folder" => ItemOrigin::Folder,
            other => return Err(corrupt("library_items.origin", other)),
        };
        let state = match row.state.as_str() {
            "present" => ItemState::Present,
            "binned" => ItemState::Binned,
            other => return Err(corrupt("library_items.state", other)),
        };
        let tags = serde_json::from_str(&row.tags).unwrap_or_default();
        Ok(Self {
            id: row.id,
            path: row.path,
            name: row.name,
            size: u64::try_from(row.size).unwrap_or(0),
            kind,
            mime: row.mime,
            width: row.width.and_then(|w| u32::try_from(w).ok()),
            height: row.height.and_then(|h| u32::try_from(h).ok()),
            blake3: row.blake3,
            posted_at: row.posted_at,
            added_at: row.added_at,
            sort_at: row.sort_at,
            origin,
            download_id: row.download_id,
            task_id: row.task_id,
            url: row.url,
            platform: row.platform,
            source: row.source,
            description: row.description,
            tags,
            media_error: row.media_error,
            state,
        })
    }
}

pub(crate) fn views(rows: Vec<ItemRow>) -> Result<Vec<LibraryItemView>> {
    rows.into_iter().map(LibraryItemView::from_row).collect()
}

/// How the gallery is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum LibrarySort {
    #[default]
    Newest,
    Oldest,
    Largest,
    Smallest,
    Name,
}

/// Which items the gallery shows; empty lists and nulls mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct LibraryFilter {
    pub kinds: Vec<MediaKind>,
    pub origins: Vec<ItemOrigin>,
    pub platform: Option<String>,
    pub source: Option<String>,
    /// From this date (ms, inclusive).
    #[specta(type = Option<Number>)]
    pub from: Option<i64>,
    /// Before this date (ms).
    #[specta(type = Option<Number>)]
    pub to: Option<i64>,
    #[specta(type = Option<Number>)]
    pub min_size: Option<u64>,
    #[specta(type = Option<Number>)]
    pub max_size: Option<u64>,
    /// Part of the file name.
    pub name: Option<String>,
    /// People in the photo (ids): any of them, or with `allPeople` every one.
    #[specta(type = Vec<Number>)]
    pub people: Vec<i64>,
    pub all_people: bool,
}

/// One page of the gallery.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct LibraryQuery {
    pub filter: LibraryFilter,
    pub sort: LibrarySort,
    /// The `nextCursor` of the page before; none for the first page.
    pub cursor: Option<String>,
    /// Items per page (1–1000; default 200).
    pub limit: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LibraryPage {
    pub items: Vec<LibraryItemView>,
    /// Ask for the next page with this; none at the end.
    pub next_cursor: Option<String>,
}

/// Items per month, newest first: the date scrubber's marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MonthCount {
    /// `YYYY-MM` (UTC).
    pub month: String,
    #[specta(type = Number)]
    pub count: u64,
}

/// What the user may edit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ItemDetails {
    #[specta(type = Option<Number>)]
    pub posted_at: Option<i64>,
    pub tags: Vec<String>,
    pub description: Option<String>,
}

/// A file in the recycle bin.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BinEntryView {
    /// The binned item's id (what `restore` and `purge` take).
    #[specta(type = Number)]
    pub id: i64,
    pub original_path: String,
    /// Where the file waits in the bin.
    pub bin_path: String,
    /// When it was removed (ms).
    #[specta(type = Number)]
    pub deleted_at: i64,
    /// When it is purged (ms), by the retention setting.
    #[specta(type = Number)]
    pub purge_at: i64,
    pub item: LibraryItemView,
}

impl BinEntryView {
    pub(crate) fn new(entry: BinRow, item: ItemRow, retention_ms: i64) -> Result<Self> {
        Ok(Self {
            id: entry.item_id,
            original_path: entry.original_path,
            bin_path: entry.bin_path,
            deleted_at: entry.deleted_at,
            purge_at: entry.deleted_at.saturating_add(retention_ms),
            item: LibraryItemView::from_row(item)?,
        })
    }
}

/// What a folder scan found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ScanReport {
    #[specta(type = Number)]
    pub folder_id: i64,
    pub added: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Items whose file is no longer in the folder.
    pub removed: u32,
    pub failed: Vec<ScanFailure>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ScanFailure {
    pub path: String,
    pub error: Error,
}

/// Progress of the library's background work, for the status bar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LibraryProgress {
    /// What runs: "scan" (a folder) or "catch-up" (finished downloads).
    pub job: String,
    pub done: u32,
    pub total: u32,
    pub running: bool,
    /// The user paused the library's work; it continues where it stopped.
    pub paused: bool,
}
