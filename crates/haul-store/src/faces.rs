//! Faces, people and the corrections the user made to them.

use sqlx::{FromRow, Sqlite, SqlitePool};

use crate::{StoreError, now_millis};

/// A face as the scan found it.
#[derive(Clone, Debug)]
pub struct NewFace {
    pub bbox: [f32; 4],
    pub landmarks: [[f32; 2]; 5],
    pub score: f32,
    pub quality: f32,
    pub embedding: Vec<f32>,
}

/// A face with its embedding, as the grouping sees it.
#[derive(Clone, Debug)]
pub struct FaceVector {
    pub id: i64,
    pub item_id: i64,
    pub person_id: Option<i64>,
    pub pinned: bool,
    pub embedding: Vec<f32>,
}

#[derive(Clone, Debug, FromRow)]
pub struct FaceRow {
    pub id: i64,
    pub item_id: i64,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub score: f64,
    pub quality: f64,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub pinned: bool,
    pub reference: bool,
}

#[derive(Clone, Debug, FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub name: Option<String>,
    pub hidden: bool,
    pub faces: i64,
    pub items: i64,
    /// The best face (highest quality): the person's picture.
    pub cover_face_id: Option<i64>,
}

/// A change the grouping decided.
#[derive(Clone, Debug, PartialEq)]
pub enum Grouped {
    /// These faces join an existing person.
    Join { person_id: i64, faces: Vec<i64> },
    /// These faces are a new person.
    New { faces: Vec<i64> },
}

/// `(id, item_id, person_id, pinned, embedding)` as read.
type VectorRow = (i64, i64, Option<i64>, bool, Vec<u8>);

pub(crate) fn encode_f32(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub(crate) fn decode_f32(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

const FACE_COLUMNS: &str = "f.id, f.item_id, f.x, f.y, f.w, f.h, f.score, f.quality, f.person_id, \
     p.name AS person_name, f.pinned, f.reference";

const PERSON_COLUMNS: &str = "p.id, p.name, p.hidden, \
     (SELECT COUNT(*) FROM faces f WHERE f.person_id = p.id) AS faces, \
     (SELECT COUNT(DISTINCT f.item_id) FROM faces f WHERE f.person_id = p.id) AS items, \
     (SELECT f.id FROM faces f WHERE f.person_id = p.id ORDER BY f.reference DESC, f.quality DESC, f.id LIMIT 1) AS cover_face_id";

pub struct Faces<'a> {
    pub(crate) pool: &'a SqlitePool,
}

impl Faces<'_> {
    /// Present images not analysed by `model` at their current content, oldest
    /// first: `(item id, path, blake3)`.
    pub async fn pending(
        &self,
        model: &str,
        limit: i64,
    ) -> Result<Vec<(i64, String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT i.id, i.path, i.blake3 FROM library_items i \
             LEFT JOIN face_scans s ON s.item_id = i.id AND s.model = ? AND s.blake3 = i.blake3 \
             WHERE i.state = 'present' AND i.kind = 'image' AND s.item_id IS NULL \
             ORDER BY i.id LIMIT ?",
        )
        .bind(model)
        .bind(limit)
        .fetch_all(self.pool)
        .await?)
    }

    pub async fn pending_count(&self, model: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM library_items i \
             LEFT JOIN face_scans s ON s.item_id = i.id AND s.model = ? AND s.blake3 = i.blake3 \
             WHERE i.state = 'present' AND i.kind = 'image' AND s.item_id IS NULL",
        )
        .bind(model)
        .fetch_one(self.pool)
        .await?)
    }

    /// Records what analysing an item found (its earlier faces, from older content
    /// or another model, go), in one transaction; the new faces' ids in order.
    pub async fn record_scan(
        &self,
        item_id: i64,
        blake3: &str,
        model: &str,
        faces: &[NewFace],
        error: Option<&str>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM faces WHERE item_id = ?")
            .bind(item_id)
            .execute(&mut *tx)
            .await?;
        let mut ids = Vec::with_capacity(faces.len());
        for face in faces {
            let points: Vec<f32> = face.landmarks.iter().flatten().copied().collect();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO faces (item_id, x, y, w, h, landmarks, score, quality, embedding) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(item_id)
            .bind(face.bbox[0])
            .bind(face.bbox[1])
            .bind(face.bbox[2])
            .bind(face.bbox[3])
            .bind(encode_f32(&points))
            .bind(face.score)
            .bind(face.quality)
            .bind(encode_f32(&face.embedding))
            .fetch_one(&mut *tx)
            .await?;
            ids.push(id);
        }
        sqlx::query(
            "INSERT INTO face_scans (item_id, model, blake3, faces, error, scanned_at) \
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET \
             model = excluded.model, blake3 = excluded.blake3, faces = excluded.faces, \
             error = excluded.error, scanned_at = excluded.scanned_at",
        )
        .bind(item_id)
        .bind(model)
        .bind(blake3)
        .bind(ids.len() as i64)
        .bind(error)
        .bind(now_millis())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Every face of a present item with its embedding.
    pub async fn vectors(&self) -> Result<Vec<FaceVector>, StoreError> {
        let rows: Vec<VectorRow> = sqlx::query_as(
            "SELECT f.id, f.item_id, f.person_id, f.pinned, f.embedding FROM faces f \
             JOIN library_items i ON i.id = f.item_id WHERE i.state = 'present' ORDER BY f.id",
        )
        .fetch_all(self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, item_id, person_id, pinned, blob)| FaceVector {
                id,
                item_id,
                person_id,
                pinned,
                embedding: decode_f32(&blob),
            })
            .collect())
    }

    /// `(face, person)` pairs the user said are not the same.
    pub async fn rejections(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT face_id, person_id FROM face_rejections")
                .fetch_all(self.pool)
                .await?,
        )
    }

    /// Applies what the grouping decided to faces that are still unpinned and
    /// unassigned (a correction made meanwhile wins); the new people's ids.
    pub async fn apply(&self, changes: &[Grouped]) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let now = now_millis();
        let mut created = Vec::new();
        for change in changes {
            let (person_id, faces) = match change {
                Grouped::Join { person_id, faces } => (*person_id, faces),
                Grouped::New { faces } => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO people (created_at, updated_at) VALUES (?, ?) RETURNING id",
                    )
                    .bind(now)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    created.push(id);
                    (id, faces)
                }
            };
            for face in faces {
                sqlx::query(
                    "UPDATE faces SET person_id = ? WHERE id = ? AND pinned = 0 AND person_id IS NULL \
                     AND EXISTS (SELECT 1 FROM people WHERE id = ?)",
                )
                .bind(person_id)
                .bind(face)
                .bind(person_id)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(created)
    }

    /// Before a full re-group: every face the user did not pin loses its person,
    /// and the people nobody named, hid or pinned a face to disappear.
    pub async fn clear_automatic(&self) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE faces SET person_id = NULL WHERE pinned = 0")
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "DELETE FROM people WHERE name IS NULL AND hidden = 0 \
             AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = people.id)",
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// People without faces whom nobody named or hid (emptied by merges, moves
    /// or purges) are dropped.
    pub async fn drop_empty_people(&self) -> Result<(), StoreError> {
        sqlx::query(
            "DELETE FROM people WHERE name IS NULL AND hidden = 0 \
             AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = people.id)",
        )
        .execute(self.pool)
        .await?;
        Ok(())
    }

    pub async fn people(&self, include_hidden: bool) -> Result<Vec<PersonRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PERSON_COLUMNS} FROM people p WHERE (? OR p.hidden = 0) \
             ORDER BY p.name IS NULL, faces DESC, p.id"
        ))
        .bind(include_hidden)
        .fetch_all(self.pool)
        .await?)
    }

    pub async fn person(&self, id: i64) -> Result<Option<PersonRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PERSON_COLUMNS} FROM people p WHERE p.id = ?"
        ))
        .bind(id)
        .fetch_optional(self.pool)
        .await?)
    }

    pub async fn person_named(&self, name: &str) -> Result<Option<PersonRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PERSON_COLUMNS} FROM people p WHERE p.name = ? COLLATE NOCASE"
        ))
        .bind(name)
        .fetch_optional(self.pool)
        .await?)
    }

    /// Present items with a face of this person: `(item id, path)`.
    pub async fn person_items(&self, person_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT i.id, i.path FROM faces f JOIN library_items i ON i.id = f.item_id \
             WHERE f.person_id = ? AND i.state = 'present' ORDER BY i.id",
        )
        .bind(person_id)
        .fetch_all(self.pool)
        .await?)
    }

    pub async fn faces_of_item(&self, item_id: i64) -> Result<Vec<FaceRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {FACE_COLUMNS} FROM faces f LEFT JOIN people p ON p.id = f.person_id \
             WHERE f.item_id = ? ORDER BY f.x"
        ))
        .bind(item_id)
        .fetch_all(self.pool)
        .await?)
    }

    pub async fn faces_of_person(
        &self,
        person_id: i64,
        limit: i64,
    ) -> Result<Vec<FaceRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {FACE_COLUMNS} FROM faces f LEFT JOIN people p ON p.id = f.person_id \
             WHERE f.person_id = ? ORDER BY f.quality DESC, f.id LIMIT ?"
        ))
        .bind(person_id)
        .bind(limit)
        .fetch_all(self.pool)
        .await?)
    }

    pub async fn face(&self, id: i64) -> Result<Option<FaceRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {FACE_COLUMNS} FROM faces f LEFT JOIN people p ON p.id = f.person_id WHERE f.id = ?"
        ))
        .bind(id)
        .fetch_optional(self.pool)
        .await?)
    }

    /// Names a person (None clears the name); their faces become the user's.
    /// `Ok(false)`: no such person. A name another person has is a unique-index
    /// error the caller turns into a message.
    pub async fn set_name(&self, id: i64, name: Option<&str>) -> Result<bool, StoreError> {
        self.update_person(id, Some(name), None).await
    }

    /// Hides or shows a person; their faces become the user's.
    pub async fn set_hidden(&self, id: i64, hidden: bool) -> Result<bool, StoreError> {
        self.update_person(id, None, Some(hidden)).await
    }

    /// Sets what is given (a name, possibly none; hidden or not) and pins the
    /// person's faces: a decision about a person is a decision about them.
    async fn update_person(
        &self,
        id: i64,
        name: Option<Option<&str>>,
        hidden: Option<bool>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query(
            "UPDATE people SET name = CASE WHEN ? THEN ? ELSE name END, \
             hidden = COALESCE(?, hidden), updated_at = ? WHERE id = ?",
        )
        .bind(name.is_some())
        .bind(name.flatten())
        .bind(hidden)
        .bind(now_millis())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        pin_faces_of(&mut tx, id).await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// Moves every face of `from` to `into` and removes `from`; the faces become
    /// the user's, and what was said about either person holds for the result.
    pub async fn merge(&self, from: i64, into: i64) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let both: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE id IN (?, ?)")
            .bind(from)
            .bind(into)
            .fetch_one(&mut *tx)
            .await?;
        if from == into || both != 2 {
            return Ok(false);
        }
        sqlx::query("UPDATE faces SET person_id = ?, pinned = 1 WHERE person_id IN (?, ?)")
            .bind(into)
            .bind(from)
            .bind(into)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT OR IGNORE INTO face_rejections (face_id, person_id) \
             SELECT face_id, ? FROM face_rejections WHERE person_id = ?",
        )
        .bind(into)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        // A name kept by the merged-away person moves over when the target has none.
        sqlx::query(
            "UPDATE people SET name = COALESCE(name, (SELECT name FROM people WHERE id = ?)), \
             updated_at = ? WHERE id = ? AND name IS NULL",
        )
        .bind(from)
        .bind(now_millis())
        .bind(into)
        .execute(&mut *tx)
        .await
        .ok();
        sqlx::query("DELETE FROM people WHERE id = ?")
            .bind(from)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Puts a face with a person, or with nobody (`None`), by the user's hand:
    /// grouping leaves it there. `reference` marks a reference photo.
    pub async fn move_face(
        &self,
        face_id: i64,
        person_id: Option<i64>,
        reference: bool,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        if let Some(person) = person_id {
            sqlx::query("DELETE FROM face_rejections WHERE face_id = ? AND person_id = ?")
                .bind(face_id)
                .bind(person)
                .execute(&mut *tx)
                .await?;
        }
        let changed =
            sqlx::query("UPDATE faces SET person_id = ?, pinned = 1, reference = ? WHERE id = ?")
                .bind(person_id)
                .bind(reference)
                .bind(face_id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
        tx.commit().await?;
        Ok(changed)
    }

    /// "Not this person": the face leaves its person for good and is free to be
    /// grouped with someone else.
    pub async fn reject(&self, face_id: i64) -> Result<Option<i64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let person: Option<Option<i64>> =
            sqlx::query_scalar("SELECT person_id FROM faces WHERE id = ?")
                .bind(face_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(Some(person)) = person else {
            return Ok(None);
        };
        sqlx::query("INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?, ?)")
            .bind(face_id)
            .bind(person)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE faces SET person_id = NULL, pinned = 0, reference = 0 WHERE id = ?")
            .bind(face_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(person))
    }

    /// Creates a person with a name (for reference photos); their id.
    pub async fn create_person(&self, name: &str) -> Result<i64, StoreError> {
        let now = now_millis();
        Ok(sqlx::query_scalar(
            "INSERT INTO people (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(name)
        .bind(now)
        .bind(now)
        .fetch_one(self.pool)
        .await?)
    }

    /// `(faces, items analysed, items with an error)`.
    pub async fn totals(&self) -> Result<(i64, i64, i64), StoreError> {
        Ok(sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM faces), (SELECT COUNT(*) FROM face_scans), \
             (SELECT COUNT(*) FROM face_scans WHERE error IS NOT NULL)",
        )
        .fetch_one(self.pool)
        .await?)
    }
}

async fn pin_faces_of(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    person_id: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE faces SET pinned = 1 WHERE person_id = ?")
        .bind(person_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
