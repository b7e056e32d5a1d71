//! The library: every file Haul fetched or was shown, hashed and deduplicated,
//! with near-duplicate groups, thumbnails, a gallery's queries and a recycle bin
//! that never loses a file.

mod bin;
mod ingest;
mod thumbnails;
pub mod views;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use cursor::{decode_cursor, encode_cursor};
use haul_store::library::{ItemFilter, ItemSort};

pub use views::{
    BinEntryView, ItemDetails, ItemOrigin, ItemState, LibraryFilter, LibraryItemView, LibraryPage,
    LibraryProgress, LibraryQuery, LibrarySort, MediaKind, MonthCount, ScanFailure, ScanReport,
};

use crate::Shared;
use crate::error::{Error, ErrorCode, Result};

pub(crate) use ingest::{Origin, ingest, ingest_download};

/// Largest distance `similar` accepts: beyond it unrelated photos meet.
pub const MAX_SIMILAR_DISTANCE: u32 = 15;
/// How often a running Haul purges what outlived the bin's retention.
const PURGE_EVERY: Duration = Duration::from_secs(6 * 3600);

/// What "similar" means unless the caller says otherwise.
pub const DEFAULT_SIMILAR_DISTANCE: u32 = 8;

pub struct Library<'a> {
    pub(crate) shared: &'a Arc<Shared>,
}

fn not_found(id: i64) -> Error {
    Error::new(
        ErrorCode::NotFound,
        format!("There is no library item #{id}."),
    )
}

impl Library<'_> {
    /// Adds a folder to the library and scans it (again, incrementally, when it
    /// is already there).
    pub async fn add_folder(&self, folder: &Path) -> Result<ScanReport> {
        self.shared.ensure_writable()?;
        ingest::scan_folder(self.shared, folder).await
    }

    pub async fn get(&self, id: i64) -> Result<LibraryItemView> {
        let row = self
            .shared
            .store
            .library()
            .get(id)
            .await?
            .ok_or_else(|| not_found(id))?;
        LibraryItemView::from_row(row)
    }

    /// One page of present items.
    pub async fn list(&self, query: &LibraryQuery) -> Result<LibraryPage> {
        let limit = i64::from(query.limit.unwrap_or(200).clamp(1, 1000));
        let sort = store_sort(query.sort);
        let after = match &query.cursor {
            Some(cursor) => Some(decode_cursor(cursor, sort)?),
            None => None,
        };
        let filter = store_filter(&query.filter);
        let rows = self
            .shared
            .store
            .library()
            .page(&filter, sort, after, limit)
            .await?;
        let next_cursor = (rows.len() as i64 == limit)
            .then(|| {
                rows.last()
                    .map(|row| encode_cursor(&sort.key_of(row), row.id))
            })
            .flatten();
        Ok(LibraryPage {
            items: views::views(rows)?,
            next_cursor,
        })
    }

    pub async fn count(&self, filter: &LibraryFilter) -> Result<u64> {
        let n = self
            .shared
            .store
            .library()
            .count(&store_filter(filter))
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub async fn months(&self, filter: &LibraryFilter) -> Result<Vec<MonthCount>> {
        Ok(self
            .shared
            .store
            .library()
            .months(&store_filter(filter))
            .await?
            .into_iter()
            .map(|(month, count)| MonthCount {
                month,
                count: u64::try_from(count).unwrap_or(0),
            })
            .collect())
    }

    pub async fn update_details(&self, id: i64, details: &ItemDetails) -> Result<LibraryItemView> {
        self.shared.ensure_writable()?;
        let tags: Vec<String> = details
            .tags
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        if tags.iter().any(|t| t.chars().count() > 100) || tags.len() > 100 {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "Tags are at most 100, of at most 100 characters each.",
            ));
        }
        let description = details
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty());
        if description.is_some_and(|d| d.chars().count() > 10_000) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "A description is at most 10 000 characters.",
            ));
        }
        let tags_json = serde_json::to_string(&tags).map_err(Error::internal)?;
        let row = self
            .shared
            .store
            .library()
            .update_details(id, details.posted_at, &tags_json, description)
            .await?
            .ok_or_else(|| not_found(id))?;
        self.shared.events.publish(crate::CoreEvent::LibraryChanged);
        LibraryItemView::from_row(row)
    }

    /// Sets of present items with the same content.
    pub async fn duplicates(&self) -> Result<Vec<Vec<LibraryItemView>>> {
        self.shared
            .store
            .library()
            .duplicate_sets()
            .await?
            .into_iter()
            .map(views::views)
            .collect()
    }

    /// Groups of images whose perceptual hashes lie within `distance` bits (a
    /// mirrored copy included), items of one content counted once.
    pub async fn similar(&self, distance: u32) -> Result<Vec<Vec<LibraryItemView>>> {
        if distance > MAX_SIMILAR_DISTANCE {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "The distance must be between 0 and {MAX_SIMILAR_DISTANCE} bits, not {distance}."
                ),
            ));
        }
        let hashes = self.shared.store.library().perceptual_hashes().await?;
        let groups = self
            .shared
            .media
            .run(move || {
                let mirrors: std::collections::HashMap<i64, u64> = hashes
                    .iter()
                    .filter_map(|&(id, _, mirror)| Some((id, mirror? as u64)))
                    .collect();
                let index = haul_media::NearIndex::new(
                    hashes.iter().map(|&(id, hash, _)| (id, hash as u64)),
                );
                Ok(index.groups(distance, &|id| mirrors.get(&id).copied()))
            })
            .await?;
        let mut out = Vec::with_capacity(groups.len());
        for ids in groups {
            let rows = self.shared.store.library().by_ids(&ids).await?;
            // Copies of one content are exact duplicates, not near ones.
            let distinct: std::collections::HashSet<&str> =
                rows.iter().map(|row| row.blake3.as_str()).collect();
            if distinct.len() > 1 {
                out.push(views::views(rows)?);
            }
        }
        Ok(out)
    }

    /// Pauses or resumes the library's background work (folder scans); a
    /// paused scan continues where it stopped.
    pub fn set_paused(&self, paused: bool) {
        self.shared.library_paused.send_replace(paused);
    }

    pub fn is_paused(&self) -> bool {
        *self.shared.library_paused.borrow()
    }

    /// A present item's thumbnail (JPEG bytes).
    pub async fn thumbnail(&self, id: i64) -> Result<Vec<u8>> {
        thumbnails::thumbnail(self.shared, id).await
    }

    /// The file of a present item, for serving by id: the only way to a path.
    pub async fn original(&self, id: i64) -> Result<(PathBuf, Option<String>)> {
        let row = self
            .shared
            .store
            .library()
            .get(id)
            .await?
            .filter(|row| row.state == "present")
            .ok_or_else(|| not_found(id))?;
        Ok((PathBuf::from(row.path), row.mime))
    }

    /// Moves items to the recycle bin; returns their ids, which name their bin
    /// entries too.
    pub async fn remove(&self, ids: &[i64]) -> Result<Vec<i64>> {
        bin::remove(self.shared, ids).await
    }

    pub async fn bin_list(&self) -> Result<Vec<BinEntryView>> {
        bin::list(self.shared).await
    }

    /// Puts binned items back; returns where each went.
    pub async fn restore(&self, item_ids: &[i64]) -> Result<Vec<String>> {
        bin::restore(self.shared, item_ids).await
    }

    /// Deletes bin entries removed longer ago than `older_than` (default: the
    /// retention setting) for good.
    pub async fn purge(&self, older_than: Option<Duration>) -> Result<u32> {
        let age = older_than.unwrap_or_else(|| bin::retention(self.shared));
        bin::purge_older_than(self.shared, age).await
    }

    /// Deletes the given items in the bin for good.
    pub async fn purge_entries(&self, item_ids: &[i64]) -> Result<u32> {
        let mut entries = Vec::new();
        for &id in item_ids {
            entries.push(self.shared.store.bin().for_item(id).await?.ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("Item #{id} is not in the recycle bin."),
                )
            })?);
        }
        bin::purge(self.shared, entries).await
    }

    /// Deletes everything in the bin for good.
    pub async fn empty_bin(&self) -> Result<u32> {
        bin::empty(self.shared).await
    }
}

/// Start-up work of a worker: settle the bin's interrupted moves first (so the
/// file and the database agree before anything reads them), then in the
/// background purge what outlived the retention, record finished downloads a
/// stop left out and finish interrupted folder scans.
pub(crate) async fn start(shared: &Arc<Shared>) -> Result<tokio::task::JoinHandle<()>> {
    bin::reconcile(shared).await?;
    let shared = Arc::clone(shared);
    Ok(tokio::spawn(async move {
        if let Err(error) = bin::purge_older_than(&shared, bin::retention(&shared)).await {
            tracing::warn!(%error, "cannot purge the recycle bin");
        }
        if let Err(error) = ingest::catch_up(&shared).await {
            tracing::warn!(%error, "cannot add finished downloads to the library");
        }
        match shared.store.library().folders_pending().await {
            Ok(folders) => {
                for (_, folder) in folders {
                    if let Err(error) = ingest::scan_folder(&shared, Path::new(&folder)).await {
                        tracing::warn!(%error, folder, "cannot finish a folder scan");
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "cannot read the library's folders"),
        }
        // A Haul that runs for weeks purges as it goes, not only at start-up.
        loop {
            tokio::time::sleep(PURGE_EVERY).await;
            if shared.is_shutting_down() {
                break;
            }
            if let Err(error) = bin::purge_older_than(&shared, bin::retention(&shared)).await {
                tracing::warn!(%error, "cannot purge the recycle bin");
            }
        }
    }))
}

fn store_sort(sort: LibrarySort) -> ItemSort {
    match sort {
        LibrarySort::Newest => ItemSort::Newest,
        LibrarySort::Oldest => ItemSort::Oldest,
        LibrarySort::Largest => ItemSort::Largest,
        LibrarySort::Smallest => ItemSort::Smallest,
        LibrarySort::Name => ItemSort::Name,
    }
}

fn store_filter(filter: &LibraryFilter) -> ItemFilter {
    let size = |n: Option<u64>| n.map(|n| i64::try_from(n).unwrap_or(i64::MAX));
    let text = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    ItemFilter {
        kinds: filter
            .kinds
            .iter()
            .map(|k| k.as_str().to_string())
            .collect(),
        origins: filter
            .origins
            .iter()
            .map(|o| o.as_str().to_string())
            .collect(),
        platform: text(&filter.platform),
        source: text(&filter.source),
        from: filter.from,
        to: filter.to,
        min_size: size(filter.min_size),
        max_size: size(filter.max_size),
        name: text(&filter.name),
        people: filter.people.clone(),
        all_people: filter.all_people,
        ids: None,
    }
}

/// Cursors are opaque to callers: the sort key and the id, as text.
mod cursor {
    use haul_store::library::{CursorKey, ItemSort};

    use crate::error::{Error, ErrorCode, Result};

    pub(super) fn encode_cursor(key: &CursorKey, id: i64) -> String {
        match key {
            CursorKey::Int(value) => format!("i{value}:{id}"),
            CursorKey::Text(value) => format!("t{id}:{}", hex::encode(value.as_bytes())),
        }
    }

    pub(super) fn decode_cursor(cursor: &str, sort: ItemSort) -> Result<(CursorKey, i64)> {
        let invalid = || Error::new(ErrorCode::InvalidInput, "This page cursor is not valid.");
        let text_sort = matches!(sort, ItemSort::Name);
        if let Some(rest) = cursor.strip_prefix('i').filter(|_| !text_sort) {
            let (value, id) = rest.split_once(':').ok_or_else(invalid)?;
            return Ok((
                CursorKey::Int(value.parse().map_err(|_| invalid())?),
                id.parse().map_err(|_| invalid())?,
            ));
        }
        if let Some(rest) = cursor.strip_prefix('t').filter(|_| text_sort) {
            let (id, value) = rest.split_once(':').ok_or_else(invalid)?;
            let bytes = hex::decode(value).map_err(|_| invalid())?;
            return Ok((
                CursorKey::Text(String::from_utf8(bytes).map_err(|_| invalid())?),
                id.parse().map_err(|_| invalid())?,
            ));
        }
        Err(invalid())
    }
}
