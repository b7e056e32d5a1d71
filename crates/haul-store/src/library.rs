//! The `library_items` and `library_folders` tables: the library's files, the
//! folders the user added, and the gallery's filtered, keyset-paged queries.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use crate::{StoreError, now_millis};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub path: String,
    pub name: String,
    pub size: i64,
    pub kind: String,
    pub mime: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub blake3: String,
    pub phash: Option<i64>,
    pub phash_mirror: Option<i64>,
    pub media_error: Option<String>,
    pub file_mtime: i64,
    pub posted_at: Option<i64>,
    pub added_at: i64,
    pub sort_at: i64,
    pub origin: String,
    pub download_id: Option<i64>,
    pub task_id: Option<i64>,
    pub folder_id: Option<i64>,
    pub url: Option<String>,
    pub platform: Option<String>,
    pub source: Option<String>,
    pub description: Option<String>,
    pub tags: String,
    pub state: String,
}

pub(crate) const ITEM_COLUMNS: &str = "id, path, name, size, kind, mime, width, height, blake3, \
    phash, phash_mirror, media_error, file_mtime, posted_at, added_at, sort_at, origin, \
    download_id, task_id, folder_id, url, platform, source, description, tags, state";

/// What a newly seen file records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewItem {
    pub path: String,
    pub name: String,
    pub size: i64,
    pub kind: String,
    pub mime: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub blake3: String,
    pub phash: Option<i64>,
    pub phash_mirror: Option<i64>,
    pub media_error: Option<String>,
    pub file_mtime: i64,
    pub posted_at: Option<i64>,
    pub origin: String,
    pub download_id: Option<i64>,
    pub task_id: Option<i64>,
    pub folder_id: Option<i64>,
    pub url: Option<String>,
    pub platform: Option<String>,
    pub source: Option<String>,
}

/// Which items a gallery query returns; empty lists and `None` mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemFilter {
    pub kinds: Vec<String>,
    pub origins: Vec<String>,
    pub platform: Option<String>,
    pub source: Option<String>,
    /// `sort_at` from (inclusive) and to (exclusive), ms.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub min_size: Option<i64>,
    pub max_size: Option<i64>,
    /// Part of the file name (case-insensitive for ASCII).
    pub name: Option<String>,
    pub ids: Option<Vec<i64>>,
    /// People in the photo; with `all_people`, every one of them, else any.
    pub people: Vec<i64>,
    pub all_people: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ItemSort {
    #[default]
    Newest,
    Oldest,
    Largest,
    Smallest,
    Name,
}

/// Where a page ends: the sort key and id of its last item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CursorKey {
    Int(i64),
    Text(String),
}

impl ItemSort {
    fn column(self) -> &'static str {
        match self {
            Self::Newest | Self::Oldest => "sort_at",
            Self::Largest | Self::Smallest => "size",
            Self::Name => "name",
        }
    }

    fn descending(self) -> bool {
        matches!(self, Self::Newest | Self::Largest)
    }

    pub fn key_of(self, row: &ItemRow) -> CursorKey {
        match self {
            Self::Newest | Self::Oldest => CursorKey::Int(row.sort_at),
            Self::Largest | Self::Smallest => CursorKey::Int(row.size),
            Self::Name => CursorKey::Text(row.name.clone()),
        }
    }
}

fn push_filter<'a>(query: &mut QueryBuilder<'a, Sqlite>, filter: &'a ItemFilter) {
    if !filter.kinds.is_empty() {
        query.push(" AND kind IN (");
        let mut list = query.separated(", ");
        for kind in &filter.kinds {
            list.push_bind(kind);
        }
        query.push(")");
    }
    if !filter.origins.is_empty() {
        query.push(" AND origin IN (");
        let mut list = query.separated(", ");
        for origin in &filter.origins {
            list.push_bind(origin);
        }
        query.push(")");
    }
    if let Some(platform) = &filter.platform {
        query.push(" AND platform = ").push_bind(platform);
    }
    if let Some(source) = &filter.source {
        query.push(" AND source = ").push_bind(source);
    }
    if let Some(from) = filter.from {
        query.push(" AND sort_at >= ").push_bind(from);
    }
    if let Some(to) = filter.to {
        query.push(" AND sort_at < ").push_bind(to);
    }
    if let Some(min) = filter.min_size {
        query.push(" AND size >= ").push_bind(min);
    }
    if let Some(max) = filter.max_size {
        query.push(" AND size <= ").push_bind(max);
    }
    if let Some(name) = &filter.name {
        query
            .push(" AND name LIKE ")
            .push_bind(format!("%{}%", escape_like(name)))
            .push(" ESCAPE '\\'");
    }
    if let Some(ids) = &filter.ids {
        query.push(" AND id IN (");
        let mut list = query.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        if ids.is_empty() {
            list.push("NULL");
        }
        query.push(")");
    }
    push_people(query, filter);
}

fn push_people<'a>(query: &mut QueryBuilder<'a, Sqlite>, filter: &'a ItemFilter) {
    if filter.people.is_empty() {
        return;
    }
    query.push(" AND id IN (SELECT item_id FROM faces WHERE person_id IN (");
    let mut list = query.separated(", ");
    for person in &filter.people {
        list.push_bind(*person);
    }
    query.push(")");
    if filter.all_people {
        let mut distinct = filter.people.clone();
        distinct.sort_unstable();
        distinct.dedup();
        query
            .push(" GROUP BY item_id HAVING COUNT(DISTINCT person_id) = ")
            .push_bind(distinct.len() as i64);
    }
    query.push(")");
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub struct Library<'a> {
    pub(crate) pool: &'a SqlitePool,
}

impl Library<'_> {
    /// Records a present file, replacing what an earlier scan recorded at the path.
    pub async fn upsert(&self, new: &NewItem) -> Result<ItemRow, StoreError> {
        let now = now_millis();
        let sort_at = new.posted_at.unwrap_or(now);
        let row = sqlx::query_as::<_, ItemRow>(&format!(
            "INSERT INTO library_items (path, name, size, kind, mime, width, height, blake3, \
             phash, phash_mirror, media_error, file_mtime, posted_at, added_at, sort_at, origin, \
             download_id, task_id, folder_id, url, platform, source) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (path) WHERE state = 'present' DO UPDATE SET \
             name = excluded.name, size = excluded.size, kind = excluded.kind, \
             mime = excluded.mime, width = excluded.width, height = excluded.height, \
             blake3 = excluded.blake3, phash = excluded.phash, phash_mirror = excluded.phash_mirror, \
             media_error = excluded.media_error, file_mtime = excluded.file_mtime, \
             posted_at = COALESCE(excluded.posted_at, posted_at), \
             sort_at = COALESCE(excluded.posted_at, posted_at, added_at), \
             download_id = COALESCE(excluded.download_id, download_id), \
             task_id = COALESCE(excluded.task_id, task_id), \
             folder_id = COALESCE(excluded.folder_id, folder_id), \
             url = COALESCE(excluded.url, url) \
             RETURNING {ITEM_COLUMNS}"
        ))
        .bind(&new.path)
        .bind(&new.name)
        .bind(new.size)
        .bind(&new.kind)
        .bind(&new.mime)
        .bind(new.width)
        .bind(new.height)
        .bind(&new.blake3)
        .bind(new.phash)
        .bind(new.phash_mirror)
        .bind(&new.media_error)
        .bind(new.file_mtime)
        .bind(new.posted_at)
        .bind(now)
        .bind(sort_at)
        .bind(&new.origin)
        .bind(new.download_id)
        .bind(new.task_id)
        .bind(new.folder_id)
        .bind(&new.url)
        .bind(&new.platform)
        .bind(&new.source)
        .fetch_one(self.pool)
        .await?;
        Ok(row)
    }

    pub async fn get(&self, id: i64) -> Result<Option<ItemRow>, StoreError> {
        Ok(sqlx::query_as::<_, ItemRow>(&format!(
            "SELECT {ITEM_COLUMNS} FROM library_items WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(self.pool)
        .await?)
    }

    pub async fn present_at(&self, path: &str) -> Result<Option<ItemRow>, StoreError> {
        Ok(sqlx::query_as::<_, ItemRow>(&format!(
            "SELECT {ITEM_COLUMNS} FROM library_items WHERE path = ? AND state = 'present'"
        ))
        .bind(path)
        .fetch_optional(self.pool)
        .await?)
    }

    /// Present items with this content, oldest first.
    pub async fn present_with_hash(&self, blake3: &str) -> Result<Vec<ItemRow>, StoreError> {
        Ok(sqlx::query_as::<_, ItemRow>(&format!(
            "SELECT {ITEM_COLUMNS} FROM library_items WHERE blake3 = ? AND state = 'present' ORDER BY id"
        ))
        .bind(blake3)
        .fetch_all(self.pool)
        .await?)
    }

    /// Whether any item, present or binned, still has this content.
    pub async fn hash_in_use(&self, blake3: &str) -> Result<bool, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM library_items WHERE blake3 = ?")
            .bind(blake3)
            .fetch_one(self.pool)
            .await?;
        Ok(n > 0)
    }

    /// One page of present items, after `after` (the last page's end).
    pub async fn page(
        &self,
        filter: &ItemFilter,
        sort: ItemSort,
        after: Option<(CursorKey, i64)>,
        limit: i64,
    ) -> Result<Vec<ItemRow>, StoreError> {
        let column = sort.column();
        let mut query = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {ITEM_COLUMNS} FROM library_items WHERE state = 'present'"
        ));
        push_filter(&mut query, filter);
        if let Some((key, id)) = &after {
            let op = if sort.descending() { "<" } else { ">" };
            query.push(format!(" AND ({column}, id) {op} ("));
            match key {
                CursorKey::Int(value) => query.push_bind(*value),
                CursorKey::Text(value) => query.push_bind(value.clone()),
            };
            query.push(", ").push_bind(*id).push(")");
        }
        let order = if sort.descending() { "DESC" } else { "ASC" };
        query.push(format!(" ORDER BY {column} {order}, id {order} LIMIT "));
        query.push_bind(limit);
        Ok(query
            .build_query_as::<ItemRow>()
            .fetch_all(self.pool)
            .await?)
    }

    pub async fn count(&self, filter: &ItemFilter) -> Result<i64, StoreError> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT count(*) FROM library_items WHERE state = 'present'",
        );
        push_filter(&mut query, filter);
        let (n,): (i64,) = query.build_query_as().fetch_one(self.pool).await?;
        Ok(n)
    }

    /// Present items per month of `sort_at` (UTC), newest first: the date scrubber.
    pub async fn months(&self, filter: &ItemFilter) -> Result<Vec<(String, i64)>, StoreError> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT strftime('%Y-%m', sort_at / 1000, 'unixepoch') AS month, count(*) \
             FROM library_items WHERE state = 'present'",
        );
        push_filter(&mut query, filter);
        query.push(" GROUP BY month ORDER BY month DESC");
        Ok(query.build_query_as().fetch_all(self.pool).await?)
    }

    /// Sets of present items with the same content, largest files first.
    pub async fn duplicate_sets(&self) -> Result<Vec<Vec<ItemRow>>, StoreError> {
        let rows = sqlx::query_as::<_, ItemRow>(&format!(
            "SELECT {ITEM_COLUMNS} FROM library_items WHERE state = 'present' AND blake3 IN \
             (SELECT blake3 FROM library_items WHERE state = 'present' \
              GROUP BY blake3 HAVING count(*) > 1) \
             ORDER BY size DESC, blake3, id"
        ))
        .fetch_all(self.pool)
        .await?;
        let mut sets: Vec<Vec<ItemRow>> = Vec::new();
        for row in rows {
            match sets.last_mut() {
                Some(set) if set[0].blake3 == row.blake3 => set.push(row),
                _ => sets.push(vec![row]),
            }
        }
        Ok(sets)
    }

    /// `(id, phash, phash_mirror)` of every present image that has one.
    pub async fn perceptual_hashes(&self) -> Result<Vec<(i64, i64, Option<i64>)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, phash, phash_mirror FROM library_items \
             WHERE state = 'present' AND phash IS NOT NULL",
        )
        .fetch_all(self.pool)
        .await?)
    }

    pub async fn by_ids(&self, ids: &[i64]) -> Result<Vec<ItemRow>, StoreError> {
        let mut query = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {ITEM_COLUMNS} FROM library_items WHERE id IN ("
        ));
        let mut list = query.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        if ids.is_empty() {
            list.push("NULL");
        }
        query.push(") ORDER BY id");
        Ok(query
            .build_query_as::<ItemRow>()
            .fetch_all(self.pool)
            .await?)
    }

    /// Saves what the user edited; the gallery's date follows a new post date.
    pub async fn update_details(
        &self,
        id: i64,
        posted_at: Option<i64>,
        tags_json: &str,
        description: Option<&str>,
    ) -> Result<Option<ItemRow>, StoreError> {
        Ok(sqlx::query_as::<_, ItemRow>(&format!(
            "UPDATE library_items SET posted_at = ?, sort_at = COALESCE(?, added_at), \
             tags = ?, description = ? WHERE id = ? RETURNING {ITEM_COLUMNS}"
        ))
        .bind(posted_at)
        .bind(posted_at)
        .bind(tags_json)
        .bind(description)
        .bind(id)
        .fetch_optional(self.pool)
        .await?)
    }

    pub async fn delete(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM library_items WHERE id = ?")
            .bind(id)
            .execute(self.pool)
            .await?;
        Ok(())
    }

    /// Completed downloads whose file is not in the library yet:
    /// `(download id, dir, file name, task id, url)`.
    pub async fn completed_downloads_missing(
        &self,
    ) -> Result<Vec<(i64, String, Option<String>, Option<i64>, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT d.id, d.dir, d.file_name, d.task_id, d.url FROM downloads d \
             WHERE d.state = 'completed' AND NOT EXISTS \
             (SELECT 1 FROM library_items i WHERE i.download_id = d.id) ORDER BY d.id",
        )
        .fetch_all(self.pool)
        .await?)
    }

    // ---- folders ----

    /// Adds the folder (or finds it) and marks a scan as pending.
    pub async fn add_folder(&self, path: &str) -> Result<i64, StoreError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO library_folders (path, added_at, scan_pending) VALUES (?, ?, 1) \
             ON CONFLICT (path) DO UPDATE SET scan_pending = 1 RETURNING id",
        )
        .bind(path)
        .bind(now_millis())
        .fetch_one(self.pool)
        .await?;
        Ok(id)
    }

    /// `(id, path)` of folders whose last scan did not finish.
    pub async fn folders_pending(&self) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, path FROM library_folders WHERE scan_pending = 1 ORDER BY id",
        )
        .fetch_all(self.pool)
        .await?)
    }

    pub async fn finish_folder_scan(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE library_folders SET scan_pending = 0, scanned_at = ? WHERE id = ?")
            .bind(now_millis())
            .bind(id)
            .execute(self.pool)
            .await?;
        Ok(())
    }

    /// `(id, path, size, file_mtime)` of the folder's present items.
    pub async fn folder_items(
        &self,
        folder_id: i64,
    ) -> Result<Vec<(i64, String, i64, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, path, size, file_mtime FROM library_items \
             WHERE folder_id = ? AND state = 'present'",
        )
        .bind(folder_id)
        .fetch_all(self.pool)
        .await?)
    }

    /// Fills the library with `n` synthetic items in one statement: for
    /// benchmarks only (`cargo xtask bench library`), never called by the app.
    #[doc(hidden)]
    pub async fn fill_synthetic(&self, n: i64) -> Result<(), StoreError> {
        sqlx::query(
            "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?) \
             INSERT INTO library_items (path, name, size, kind, width, height, blake3, phash, \
             file_mtime, added_at, sort_at, origin, platform, state) \
             SELECT '/bench/' || i || '.jpg', 'photo-' || i || '.jpg', (i * 7919) % 20000000, \
             CASE i % 10 WHEN 0 THEN 'video' WHEN 1 THEN 'other' ELSE 'image' END, \
             4000, 3000, printf('%064x', i), (i * 2654435761) % 9223372036854775807, \
             0, 1500000000000 + i * 60000, 1500000000000 + i * 60000, \
             CASE i % 4 WHEN 0 THEN 'download' WHEN 1 THEN 'task' WHEN 2 THEN 'source' ELSE 'folder' END, \
             CASE i % 4 WHEN 2 THEN 'reddit' ELSE NULL END, \
             CASE WHEN i % 50 = 0 THEN 'binned' ELSE 'present' END FROM seq",
        )
        .bind(n)
        .execute(self.pool)
        .await?;
        sqlx::query("ANALYZE").execute(self.pool).await?;
        Ok(())
    }
}
