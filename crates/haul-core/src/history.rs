//! One history across every origin: each file Haul fetched (a plain download, a
//! debrid task's file, a source's media item) is recorded when it is finished,
//! searchable by words and filters, page by page, and exported or imported as
//! JSON or CSV.

use std::path::Path;
use std::sync::Arc;

use haul_store::history::{HistoryQuery as StoreQuery, HistoryRow};
use haul_store::library::ItemRow;
use haul_store::sources::MediaRow;
use serde::{Deserialize, Serialize};
use specta_typescript::Number;

use crate::error::{Error, ErrorCode, Result};
use crate::library::{Origin, ingest};
use crate::{CoreEvent, Shared};

/// One file in the history.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    #[serde(default)]
    #[specta(type = Number)]
    pub id: i64,
    /// When it finished (ms).
    #[specta(type = Number)]
    pub finished_at: i64,
    /// download, task or source.
    pub origin: String,
    pub platform: Option<String>,
    #[specta(type = Option<Number>)]
    pub source_id: Option<i64>,
    pub media_id: Option<String>,
    /// When it was posted (Unix seconds).
    #[specta(type = Option<Number>)]
    pub posted_at: Option<i64>,
    #[specta(type = Option<Number>)]
    pub size: Option<i64>,
    pub kind: Option<String>,
    pub blake3: Option<String>,
    pub url: Option<String>,
    pub path: String,
    pub file_name: String,
    pub account: Option<String>,
    pub title: Option<String>,
    pub caption: Option<String>,
}

/// A search of the history; every field narrows it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct HistoryQuery {
    pub text: Option<String>,
    pub platform: Option<String>,
    #[specta(type = Option<Number>)]
    pub source_id: Option<i64>,
    pub origin: Option<String>,
    pub kind: Option<String>,
    /// Finished at or after (ms).
    #[specta(type = Option<Number>)]
    pub since: Option<i64>,
    /// Finished before (ms).
    #[specta(type = Option<Number>)]
    pub until: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
    /// Entries per page (1–1000; default 100).
    pub limit: Option<u32>,
}

#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
    /// Entries matching the query, over all pages: counted for the first page
    /// only (a count walks every match; later pages keep the first's).
    #[specta(type = Option<Number>)]
    pub total: Option<i64>,
    pub next: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Json,
    Csv,
}

/// The history service; borrow it with `core.history()`.
pub struct History<'a> {
    pub(crate) shared: &'a Arc<Shared>,
}

const EXPORT_PAGE: i64 = 5000;

impl History<'_> {
    pub async fn search(&self, query: &HistoryQuery) -> Result<HistoryPage> {
        let limit = i64::from(query.limit.unwrap_or(100).clamp(1, 1000));
        let before = match query.cursor.as_deref() {
            Some(cursor) => Some(cursor.parse::<i64>().map_err(|_| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("{cursor:?} is not a history cursor."),
                )
            })?),
            None => None,
        };
        let store_query = StoreQuery {
            text: query.text.clone().filter(|t| !t.trim().is_empty()),
            platform: query.platform.clone(),
            source_id: query.source_id,
            origin: query.origin.clone(),
            kind: query.kind.clone(),
            since: query.since,
            until: query.until,
            before,
            limit,
        };
        let history = self.shared.store.history();
        let rows = history.search(&store_query).await?;
        let total = match before {
            None => Some(history.count(&store_query).await?),
            Some(_) => None,
        };
        let next = (rows.len() as i64 == limit)
            .then(|| rows.last().map(|r| r.id.to_string()))
            .flatten();
        Ok(HistoryPage {
            entries: rows.into_iter().map(entry).collect(),
            total,
            next,
        })
    }

    /// Writes the whole history, oldest first.
    pub async fn export(&self, format: ExportFormat, out: &mut dyn std::io::Write) -> Result<u64> {
        let history = self.shared.store.history();
        let io = |e: std::io::Error| Error::from_io("Cannot write the export", &e);
        let mut sink = match format {
            ExportFormat::Json => {
                out.write_all(b"[").map_err(io)?;
                Sink::Json(out)
            }
            // Straight to `out` through the CSV writer's own buffer.
            ExportFormat::Csv => Sink::Csv(Box::new(csv::Writer::from_writer(out))),
        };
        let mut count = 0u64;
        let mut after = 0;
        loop {
            let rows = history.after(after, EXPORT_PAGE).await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            for row in rows {
                let entry = entry(row);
                match &mut sink {
                    Sink::Csv(writer) => writer
                        .serialize(CsvEntry::from(&entry))
                        .map_err(csv_error)?,
                    Sink::Json(out) => {
                        if count > 0 {
                            out.write_all(b",\n").map_err(io)?;
                        }
                        serde_json::to_writer(&mut **out, &entry).map_err(Error::internal)?;
                    }
                }
                count += 1;
            }
        }
        match sink {
            Sink::Csv(mut writer) => writer.flush().map_err(io)?,
            Sink::Json(out) => out.write_all(b"]\n").map_err(io)?,
        }
        Ok(count)
    }

    /// Reads an export (JSON or CSV, told apart by its first character) and adds
    /// the entries not already there. Nothing is added when any entry is invalid.
    pub async fn import(&self, text: &str) -> Result<u64> {
        self.shared.ensure_writable()?;
        let entries: Vec<HistoryEntry> = if text.trim_start().starts_with('[') {
            serde_json::from_str(text).map_err(|e| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("The history file is not a valid JSON export: {e}."),
                )
            })?
        } else {
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            reader
                .deserialize::<CsvEntry>()
                .map(|row| row.map(HistoryEntry::from))
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| {
                    Error::new(
                        ErrorCode::InvalidInput,
                        format!("The history file is not a valid CSV export: {e}."),
                    )
                })?
        };
        for entry in &entries {
            if !matches!(entry.origin.as_str(), "download" | "task" | "source")
                || entry.path.is_empty()
            {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "An entry of the history file has origin {:?} and path {:?}: neither may be empty, and the origin is download, task or source.",
                        entry.origin, entry.path
                    ),
                ));
            }
        }
        let rows: Vec<HistoryRow> = entries.into_iter().map(row_of).collect();
        let added = self.shared.store.history().import(&rows).await?;
        self.shared.events.publish(CoreEvent::HistoryChanged);
        Ok(added)
    }
}

/// `YYYY-MM-DD` at local midnight, in ms.
pub fn parse_day(text: &str) -> Result<i64> {
    use chrono::TimeZone;
    let invalid = || {
        Error::new(
            ErrorCode::InvalidInput,
            format!("{text:?} is not a date like 2024-05-01."),
        )
    };
    let day = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| invalid())?;
    let midnight = day.and_hms_opt(0, 0, 0).ok_or_else(invalid)?;
    chrono::Local
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.timestamp_millis())
        .ok_or_else(invalid)
}

enum Sink<'a> {
    Json(&'a mut dyn std::io::Write),
    Csv(Box<csv::Writer<&'a mut dyn std::io::Write>>),
}

fn csv_error(error: csv::Error) -> Error {
    Error::new(
        ErrorCode::Io,
        format!("Cannot write the CSV export: {error}"),
    )
}

/// CSV has no null: empty cells are none, so the entry's optional fields round-trip.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CsvEntry {
    finished_at: i64,
    origin: String,
    platform: Option<String>,
    source_id: Option<i64>,
    media_id: Option<String>,
    posted_at: Option<i64>,
    size: Option<i64>,
    kind: Option<String>,
    blake3: Option<String>,
    url: Option<String>,
    path: String,
    file_name: String,
    account: Option<String>,
    title: Option<String>,
    caption: Option<String>,
}

impl From<&HistoryEntry> for CsvEntry {
    fn from(e: &HistoryEntry) -> Self {
        Self {
            finished_at: e.finished_at,
            origin: e.origin.clone(),
            platform: e.platform.clone(),
            source_id: e.source_id,
            media_id: e.media_id.clone(),
            posted_at: e.posted_at,
            size: e.size,
            kind: e.kind.clone(),
            blake3: e.blake3.clone(),
            url: e.url.clone(),
            path: e.path.clone(),
            file_name: e.file_name.clone(),
            account: e.account.clone(),
            title: e.title.clone(),
            caption: e.caption.clone(),
        }
    }
}

impl From<CsvEntry> for HistoryEntry {
    fn from(e: CsvEntry) -> Self {
        let text = |v: Option<String>| v.filter(|s| !s.is_empty());
        Self {
            id: 0,
            finished_at: e.finished_at,
            origin: e.origin,
            platform: text(e.platform),
            source_id: e.source_id,
            media_id: text(e.media_id),
            posted_at: e.posted_at,
            size: e.size,
            kind: text(e.kind),
            blake3: text(e.blake3),
            url: text(e.url),
            path: e.path,
            file_name: e.file_name,
            account: text(e.account),
            title: text(e.title),
            caption: text(e.caption),
        }
    }
}

fn entry(row: HistoryRow) -> HistoryEntry {
    HistoryEntry {
        id: row.id,
        finished_at: row.finished_at,
        origin: row.origin,
        platform: row.platform,
        source_id: row.source_id,
        media_id: row.media_id,
        posted_at: row.posted_at,
        size: row.size,
        kind: row.kind,
        blake3: row.blake3,
        url: row.url,
        path: row.path,
        file_name: row.file_name,
        account: row.account,
        title: row.title,
        caption: row.caption,
    }
}

fn row_of(e: HistoryEntry) -> HistoryRow {
    HistoryRow {
        id: 0,
        finished_at: e.finished_at,
        origin: e.origin,
        platform: e.platform,
        source_id: e.source_id,
        media_id: e.media_id,
        posted_at: e.posted_at,
        size: e.size,
        kind: e.kind,
        blake3: e.blake3,
        url: e.url,
        path: e.path,
        file_name: e.file_name,
        account: e.account,
        title: e.title,
        caption: e.caption,
        download_id: None,
        task_id: None,
    }
}

/// The download a finished file came from.
pub(crate) struct FinishedDownload<'a> {
    pub id: Option<i64>,
    pub task_id: Option<i64>,
    pub url: &'a str,
}

/// Records a finished file in the history.
pub(crate) async fn record(
    shared: &Shared,
    item: &ItemRow,
    download: &FinishedDownload<'_>,
    media: Option<&MediaRow>,
) -> Result<()> {
    let row = HistoryRow {
        id: 0,
        finished_at: haul_store::now_millis(),
        origin: if media.is_some() {
            "source"
        } else if download.task_id.is_some() {
            "task"
        } else {
            "download"
        }
        .into(),
        platform: media.map(|m| m.platform.clone()),
        source_id: media.and_then(|m| m.source_id),
        media_id: media.map(|m| m.media_id.clone()),
        posted_at: media.and_then(|m| m.posted_at),
        size: Some(item.size),
        kind: Some(item.kind.clone()),
        blake3: Some(item.blake3.clone()),
        url: Some(media.map_or_else(|| download.url.to_string(), |m| m.url.clone())),
        path: item.path.clone(),
        file_name: item.name.clone(),
        account: media.and_then(|m| m.account.clone()),
        title: media.and_then(|m| m.title.clone()),
        caption: media.and_then(|m| m.caption.clone()),
        download_id: download.id,
        task_id: download.task_id,
    };
    shared.store.history().insert(&row).await?;
    shared.events.publish(CoreEvent::HistoryChanged);
    Ok(())
}

/// Records a source's finished file: into the library (as the source's, with
/// the post's date) and the history, and marks the item done.
pub(crate) async fn record_source_file(
    shared: &Arc<Shared>,
    media: &MediaRow,
    path: &Path,
) -> Result<()> {
    let source = match media.source_id {
        Some(id) => shared.store.sources().get(id).await?.map(|s| s.name),
        None => None,
    };
    let origin = Origin {
        kind: "source",
        download_id: media.download_id,
        url: Some(media.url.clone()),
        posted_at: media.posted_at.map(|s| s.saturating_mul(1000)),
        platform: Some(media.platform.clone()),
        source,
        ..Origin::default()
    };
    let item = ingest(shared, path, origin, true).await?;
    let download = FinishedDownload {
        id: media.download_id,
        task_id: None,
        url: &media.url,
    };
    record(shared, &item, &download, Some(media)).await?;
    shared
        .store
        .sources()
        .set_media_state(media.id, "done", None, None)
        .await?;
    if let Some(id) = media.source_id {
        shared.events.publish(CoreEvent::SourceChanged { id });
    }
    Ok(())
}
