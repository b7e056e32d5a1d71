//! The `bin_entries` table: the recycle bin's records. Each move is written here
//! before the file moves and finished after, in one transaction with the item's
//! state, so start-up can settle any move a stop interrupted.

use sqlx::SqlitePool;

use crate::library::{ITEM_COLUMNS, ItemRow};
use crate::{StoreError, now_millis};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct BinRow {
    pub id: i64,
    pub item_id: i64,
    pub original_path: String,
    pub bin_path: String,
    pub state: String,
    pub restore_path: Option<String>,
    pub deleted_at: i64,
}

const BIN_COLUMNS: &str = "id, item_id, original_path, bin_path, state, restore_path, deleted_at";

pub struct Bin<'a> {
    pub(crate) pool: &'a SqlitePool,
}

impl Bin<'_> {
    /// The record of a move into the bin, before the file moves. `None` when
    /// the item is not present (binned already, or gone).
    pub async fn begin_binning(
        &self,
        item_id: i64,
        bin_dir: &str,
    ) -> Result<Option<BinRow>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let item: Option<(String, String)> = sqlx::query_as(
            "SELECT path, name FROM library_items WHERE id = ? AND state = 'present'",
        )
        .bind(item_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((path, name)) = item else {
            return Ok(None);
        };
        let now = now_millis();
        // The bin name is unique by the item's id (one entry per item) and keeps
        // the extension, so the bin folder stays browsable.
        let bin_path = format!("{bin_dir}/{item_id}-{now}-{name}");
        let row = sqlx::query_as::<_, BinRow>(&format!(
            "INSERT INTO bin_entries (item_id, original_path, bin_path, state, deleted_at) \
             VALUES (?, ?, ?, 'binning', ?) RETURNING {BIN_COLUMNS}"
        ))
        .bind(item_id)
        .bind(&path)
        .bind(&bin_path)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(row))
    }

    /// The file is in the bin: the entry and the item say so together.
    pub async fn finish_binning(&self, entry: &BinRow) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE bin_entries SET state = 'binned' WHERE id = ?")
            .bind(entry.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE library_items SET state = 'binned' WHERE id = ?")
            .bind(entry.item_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets a move that did not happen (the file never left).
    pub async fn cancel(&self, entry_id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM bin_entries WHERE id = ? AND state = 'binning'")
            .bind(entry_id)
            .execute(self.pool)
            .await?;
        Ok(())
    }

    /// Marks a binned entry as being restored to `restore_path` or purged
    /// (`restore_path` None). `None` when it is not binned.
    pub async fn begin(
        &self,
        entry_id: i64,
        restore_path: Option<&str>,
    ) -> Result<Option<BinRow>, StoreError> {
        let state = if restore_path.is_some() {
            "restoring"
        } else {
            "purging"
        };
        Ok(sqlx::query_as::<_, BinRow>(&format!(
            "UPDATE bin_entries SET state = ?, restore_path = ? WHERE id = ? AND state = 'binned' \
             RETURNING {BIN_COLUMNS}"
        ))
        .bind(state)
        .bind(restore_path)
        .bind(entry_id)
        .fetch_optional(self.pool)
        .await?)
    }

    /// Back to binned: a restore that could not move the file.
    pub async fn back_to_binned(&self, entry_id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE bin_entries SET state = 'binned', restore_path = NULL WHERE id = ?")
            .bind(entry_id)
            .execute(self.pool)
            .await?;
        Ok(())
    }

    /// The file is back at `path`: the item is present there and the entry goes.
    pub async fn finish_restore(
        &self,
        entry: &BinRow,
        path: &str,
        name: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE library_items SET state = 'present', path = ?, name = ? WHERE id = ?")
            .bind(path)
            .bind(name)
            .bind(entry.item_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM bin_entries WHERE id = ?")
            .bind(entry.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The file is gone for good: the item and its entry go together.
    pub async fn finish_purge(&self, entry: &BinRow) -> Result<(), StoreError> {
        // The entry goes with the item (ON DELETE CASCADE).
        sqlx::query("DELETE FROM library_items WHERE id = ?")
            .bind(entry.item_id)
            .execute(self.pool)
            .await?;
        Ok(())
    }

    pub async fn for_item(&self, item_id: i64) -> Result<Option<BinRow>, StoreError> {
        Ok(sqlx::query_as::<_, BinRow>(&format!(
            "SELECT {BIN_COLUMNS} FROM bin_entries WHERE item_id = ?"
        ))
        .bind(item_id)
        .fetch_optional(self.pool)
        .await?)
    }

    /// Entries a stop left between two states.
    pub async fn unfinished(&self) -> Result<Vec<BinRow>, StoreError> {
        Ok(sqlx::query_as::<_, BinRow>(&format!(
            "SELECT {BIN_COLUMNS} FROM bin_entries WHERE state != 'binned' ORDER BY id"
        ))
        .fetch_all(self.pool)
        .await?)
    }

    /// Binned entries, newest first, with their items.
    pub async fn list(&self) -> Result<Vec<(BinRow, ItemRow)>, StoreError> {
        let entries = sqlx::query_as::<_, BinRow>(&format!(
            "SELECT {BIN_COLUMNS} FROM bin_entries WHERE state = 'binned' ORDER BY deleted_at DESC, id DESC"
        ))
        .fetch_all(self.pool)
        .await?;
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            let item = sqlx::query_as::<_, ItemRow>(&format!(
                "SELECT {ITEM_COLUMNS} FROM library_items WHERE id = ?"
            ))
            .bind(entry.item_id)
            .fetch_optional(self.pool)
            .await?;
            if let Some(item) = item {
                out.push((entry, item));
            }
        }
        Ok(out)
    }

    /// Binned entries deleted before `before` (ms).
    pub async fn binned_before(&self, before: i64) -> Result<Vec<BinRow>, StoreError> {
        Ok(sqlx::query_as::<_, BinRow>(&format!(
            "SELECT {BIN_COLUMNS} FROM bin_entries WHERE state = 'binned' AND deleted_at < ? ORDER BY id"
        ))
        .bind(before)
        .fetch_all(self.pool)
        .await?)
    }
}
