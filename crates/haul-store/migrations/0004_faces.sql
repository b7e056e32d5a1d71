-- Faces and people. A face belongs to a library item; its person is set by the
-- grouping unless `pinned`, which records that the user decided (named, merged,
-- hid or moved it, or said "nobody"): grouping never changes a pinned face.
CREATE TABLE people (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT,
    hidden        INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX people_name ON people (name COLLATE NOCASE) WHERE name IS NOT NULL;

CREATE TABLE faces (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id     INTEGER NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    -- Fractions of the photo as displayed: x, y, width, height.
    x           REAL    NOT NULL,
    y           REAL    NOT NULL,
    w           REAL    NOT NULL,
    h           REAL    NOT NULL,
    -- Five points, ten little-endian f32 (fractions, as the box).
    landmarks   BLOB    NOT NULL,
    score       REAL    NOT NULL,
    quality     REAL    NOT NULL,
    -- The embedder's vector, little-endian f32.
    embedding   BLOB    NOT NULL,
    person_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
    pinned      INTEGER NOT NULL DEFAULT 0,
    -- A reference photo the user gave for this person ("this is Alice").
    reference   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX faces_item ON faces (item_id);
CREATE INDEX faces_person ON faces (person_id, item_id);

-- "Not this person": the grouping never puts the face back with that person.
CREATE TABLE face_rejections (
    face_id    INTEGER NOT NULL REFERENCES faces (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (face_id, person_id)
) WITHOUT ROWID;

-- Which items were analysed, by which model pair and at which content: the scan
-- resumes after a stop with what has no matching row; a changed file or a new
-- model pair is analysed again.
CREATE TABLE face_scans (
    item_id     INTEGER PRIMARY KEY REFERENCES library_items (id) ON DELETE CASCADE,
    model       TEXT    NOT NULL,
    blake3      TEXT    NOT NULL,
    faces       INTEGER NOT NULL,
    -- Why the photo could not be analysed (damaged, too large).
    error       TEXT,
    scanned_at  INTEGER NOT NULL
);
