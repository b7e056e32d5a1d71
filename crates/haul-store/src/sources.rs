//! The `sources` table (followed threads, accounts, pages) and `source_media`, the
//! archive of every media item a source found: unique per platform and media id,
//! so nothing is fetched twice, across sources and after its file was deleted.

use sqlx::SqlitePool;

use crate::{StoreError, now_millis};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SourceRow {
    pub id: i64,
    pub url: String,
    pub name: String,
    pub platform: String,
    pub extractor: String,
    pub account: Option<String>,
    pub dir: Option<String>,
    pub schedule: String,
    pub options: String,
    pub state: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub failures: i64,
    pub check_cursor: Option<String>,
    pub checking: i64,
    pub resume_cursor: Option<String>,
    pub checks: i64,
    pub last_check_at: Option<i64>,
    pub next_check_at: Option<i64>,
    pub last_new: i64,
    pub gap: i64,
    pub post_times: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, url, name, platform, extractor, account, dir, schedule, options, \
                       state, error_code, error_message, failures, check_cursor, checking, \
                       resume_cursor, checks, last_check_at, next_check_at, last_new, gap, \
                       post_times, created_at";

pub struct NewSource<'a> {
    pub url: &'a str,
    pub name: &'a str,
    pub platform: &'a str,
    pub extractor: &'a str,
    pub account: Option<&'a str>,
    pub dir: Option<&'a str>,
    pub schedule: &'a str,
    pub options: &'a str,
    pub next_check_at: Option<i64>,
}

/// What the user may change on a source.
pub struct SourceEdit<'a> {
    pub name: &'a str,
    pub account: Option<&'a str>,
    pub dir: Option<&'a str>,
    pub schedule: &'a str,
    pub options: &'a str,
    pub extractor: &'a str,
}

/// How a check ended, recorded in one statement.
pub struct CheckEnd<'a> {
    pub state: &'a str,
    pub error_code: Option<&'a str>,
    pub error_message: Option<&'a str>,
    pub failures: i64,
    pub resume_cursor: Option<&'a str>,
    pub next_check_at: Option<i64>,
    pub new_items: i64,
    pub gap: bool,
    pub post_times: &'a str,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MediaRow {
    pub id: i64,
    pub platform: String,
    pub media_id: String,
    pub source_id: Option<i64>,
    pub post_id: String,
    pub account: Option<String>,
    pub posted_at: Option<i64>,
    pub title: Option<String>,
    pub caption: Option<String>,
    pub url: String,
    pub kind: String,
    pub dir: String,
    pub file_name: String,
    pub headers: String,
    pub via_tool: Option<String>,
    pub state: String,
    pub download_id: Option<i64>,
    pub error: Option<String>,
    pub found_at: i64,
}

const MEDIA_COLUMNS: &str = "id, platform, media_id, source_id, post_id, account, posted_at, \
                             title, caption, url, kind, dir, file_name, headers, via_tool, \
                             state, download_id, error, found_at";

/// A media item as a check found it.
pub struct NewMedia<'a> {
    pub platform: &'a str,
    pub media_id: &'a str,
    pub post_id: &'a str,
    pub account: Option<&'a str>,
    pub posted_at: Option<i64>,
    pub title: Option<&'a str>,
    pub caption: Option<&'a str>,
    pub url: &'a str,
    pub kind: &'a str,
    pub dir: &'a str,
    pub file_name: &'a str,
    pub headers: &'a str,
    pub via_tool: Option<&'a str>,
}

pub struct Sources<'a> {
    pub(crate) pool: &'a SqlitePool,
}

impl Sources<'_> {
    pub async fn insert(&self, new: &NewSource<'_>) -> Result<SourceRow, StoreError> {
        Ok(sqlx::query_as::<_, SourceRow>(&format!(
            "INSERT INTO sources (url, name, platform, extractor, account, dir, schedule, options, \
             next_check_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
        ))
        .bind(new.url)
        .bind(new.name)
        .bind(new.platform)
        .bind(new.extractor)
        .bind(new.account)
        .bind(new.dir)
        .bind(new.schedule)
        .bind(new.options)
        .bind(new.next_check_at)
        .bind(now_millis())
        .fetch_one(self.pool)
        .await?)
    }

    pub async fn get(&self, id: i64) -> Result<Option<SourceRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, SourceRow>(&format!("SELECT {COLUMNS} FROM sources WHERE id = ?"))
                .bind(id)
                .fetch_optional(self.pool)
                .await?,
        )
    }

    pub async fn list(&self) -> Result<Vec<SourceRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, SourceRow>(&format!("SELECT {COLUMNS} FROM sources ORDER BY id"))
                .fetch_all(self.pool)
                .await?,
        )
    }

    pub async fn find_by_url(&self, url: &str) -> Result<Option<SourceRow>, StoreError> {
        Ok(sqlx::query_as::<_, SourceRow>(&format!(
            "SELECT {COLUMNS} FROM sources WHERE url = ? ORDER BY id LIMIT 1"
        ))
        .bind(url)
        .fetch_optional(self.pool)
        .await?)
    }

    pub async fn edit(&self, id: i64, edit: &SourceEdit<'_>) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE sources SET name = ?, account = ?, dir = ?, schedule = ?, options = ?, \
             extractor = ? WHERE id = ?",
        )
        .bind(edit.name)
        .bind(edit.account)
        .bind(edit.dir)
        .bind(edit.schedule)
        .bind(edit.options)
        .bind(edit.extractor)
        .bind(id)
        .execute(self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn set_state(
        &self,
        id: i64,
        state: &str,
        next_check_at: Option<i64>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE sources SET state = ?, next_check_at = ? WHERE id = ?")
            .bind(state)
            .bind(next_check_at)
            .bind(id)
            .execute(self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn remove(&self, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM sources WHERE id = ?")
            .bind(id)
            .execute(self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Sources whose next check is due (or that a stop interrupted mid-check).
    pub async fn due(&self, now: i64) -> Result<Vec<SourceRow>, StoreError> {
        Ok(sqlx::query_as::<_, SourceRow>(&format!(
            "SELECT {COLUMNS} FROM sources WHERE state <> 'paused' AND \
             (checking = 1 OR (next_check_at IS NOT NULL AND next_check_at <= ?)) \
             ORDER BY next_check_at, id"
        ))
        .bind(now)
        .fetch_all(self.pool)
        .await?)
    }

    /// The earliest next check among sources that are not paused.
    pub async fn next_due_at(&self) -> Result<Option<i64>, StoreError> {
        let (at,): (Option<i64>,) =
            sqlx::query_as("SELECT MIN(next_check_at) FROM sources WHERE state <> 'paused'")
                .fetch_one(self.pool)
                .await?;
        Ok(at)
    }

    /// Marks a check as running, keeping a cursor a stop left behind.
    pub async fn begin_check(&self, id: i64) -> Result<Option<SourceRow>, StoreError> {
        Ok(sqlx::query_as::<_, SourceRow>(&format!(
            "UPDATE sources SET checking = 1, next_check_at = NULL WHERE id = ? RETURNING {COLUMNS}"
        ))
        .bind(id)
        .fetch_optional(self.pool)
        .await?)
    }

    /// Records one page's new media and the cursor after it in one transaction:
    /// a check killed after this continues from the cursor and finds these
    /// items already archived. Returns the rows that were new.
    pub async fn record_page(
        &self,
        source_id: i64,
        media: &[NewMedia<'_>],
        cursor: Option<&str>,
    ) -> Result<Vec<MediaRow>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut fresh = Vec::new();
        let now = now_millis();
        for item in media {
            let row = sqlx::query_as::<_, MediaRow>(&format!(
                "INSERT INTO source_media (platform, media_id, source_id, post_id, account, \
                 posted_at, title, caption, url, kind, dir, file_name, headers, via_tool, \
                 found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (platform, media_id) DO NOTHING RETURNING {MEDIA_COLUMNS}"
            ))
            .bind(item.platform)
            .bind(item.media_id)
            .bind(source_id)
            .bind(item.post_id)
            .bind(item.account)
            .bind(item.posted_at)
            .bind(item.title)
            .bind(item.caption)
            .bind(item.url)
            .bind(item.kind)
            .bind(item.dir)
            .bind(item.file_name)
            .bind(item.headers)
            .bind(item.via_tool)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            fresh.extend(row);
        }
        sqlx::query("UPDATE sources SET check_cursor = ? WHERE id = ?")
            .bind(cursor)
            .bind(source_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(fresh)
    }

    /// Which of these media ids the archive already holds for `platform`.
    pub async fn known(&self, platform: &str, ids: &[&str]) -> Result<Vec<String>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = vec!["?"; ids.len()].join(", ");
        let sql = format!(
            "SELECT media_id FROM source_media WHERE platform = ? AND media_id IN ({placeholders})"
        );
        let mut query = sqlx::query_as::<_, (String,)>(&sql).bind(platform);
        for id in ids {
            query = query.bind(*id);
        }
        Ok(query
            .fetch_all(self.pool)
            .await?
            .into_iter()
            .map(|(id,)| id)
            .collect())
    }

    pub async fn end_check(&self, id: i64, end: &CheckEnd<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE sources SET checking = 0, check_cursor = NULL, state = ?, error_code = ?, \
             error_message = ?, failures = ?, resume_cursor = COALESCE(?, resume_cursor), \
             checks = checks + 1, last_check_at = ?, next_check_at = ?, last_new = ?, gap = ?, \
             post_times = ? WHERE id = ?",
        )
        .bind(end.state)
        .bind(end.error_code)
        .bind(end.error_message)
        .bind(end.failures)
        .bind(end.resume_cursor)
        .bind(now_millis())
        .bind(end.next_check_at)
        .bind(end.new_items)
        .bind(i64::from(end.gap))
        .bind(end.post_times)
        .bind(id)
        .execute(self.pool)
        .await?;
        Ok(())
    }

    // ---- media ----

    /// Media found but not handed to a download yet (a stop between the two).
    pub async fn media_found(&self, source_id: i64) -> Result<Vec<MediaRow>, StoreError> {
        Ok(sqlx::query_as::<_, MediaRow>(&format!(
            "SELECT {MEDIA_COLUMNS} FROM source_media WHERE source_id = ? AND state = 'found' \
             ORDER BY id"
        ))
        .bind(source_id)
        .fetch_all(self.pool)
        .await?)
    }

    pub async fn media_of_source(&self, source_id: i64) -> Result<Vec<MediaRow>, StoreError> {
        Ok(sqlx::query_as::<_, MediaRow>(&format!(
            "SELECT {MEDIA_COLUMNS} FROM source_media WHERE source_id = ? ORDER BY id"
        ))
        .bind(source_id)
        .fetch_all(self.pool)
        .await?)
    }

    pub async fn media_by_download(
        &self,
        download_id: i64,
    ) -> Result<Option<MediaRow>, StoreError> {
        Ok(sqlx::query_as::<_, MediaRow>(&format!(
            "SELECT {MEDIA_COLUMNS} FROM source_media WHERE download_id = ?"
        ))
        .bind(download_id)
        .fetch_optional(self.pool)
        .await?)
    }

    pub async fn media_get(&self, id: i64) -> Result<Option<MediaRow>, StoreError> {
        Ok(sqlx::query_as::<_, MediaRow>(&format!(
            "SELECT {MEDIA_COLUMNS} FROM source_media WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(self.pool)
        .await?)
    }

    pub async fn set_media_state(
        &self,
        id: i64,
        state: &str,
        download_id: Option<i64>,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE source_media SET state = ?, download_id = COALESCE(?, download_id), error = ? \
             WHERE id = ?",
        )
        .bind(state)
        .bind(download_id)
        .bind(error)
        .bind(id)
        .execute(self.pool)
        .await?;
        Ok(())
    }

    /// Forgets archived media so a later check fetches them again (the user asked).
    pub async fn forget_media(&self, source_id: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM source_media WHERE source_id = ?")
            .bind(source_id)
            .execute(self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Counts of a source's media by state: (found or queued, done, failed).
    pub async fn media_counts(&self, source_id: i64) -> Result<(i64, i64, i64), StoreError> {
        Ok(sqlx::query_as(
            "SELECT COALESCE(SUM(state IN ('found', 'queued')), 0), \
             COALESCE(SUM(state = 'done'), 0), COALESCE(SUM(state = 'failed'), 0) \
             FROM source_media WHERE source_id = ?",
        )
        .bind(source_id)
        .fetch_one(self.pool)
        .await?)
    }
}
