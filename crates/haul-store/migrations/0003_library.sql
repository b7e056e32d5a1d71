-- The library: every file Haul fetched or was pointed at, one row per path, with
-- its content hash, kind and perceptual hash; folders the user added; and the
-- recycle bin's records.
CREATE TABLE library_folders (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    path        TEXT    NOT NULL UNIQUE,
    added_at    INTEGER NOT NULL,
    -- Set when a scan starts, cleared when it ends: a scan cut short by a stop
    -- runs again at the next start.
    scan_pending INTEGER NOT NULL DEFAULT 1,
    scanned_at  INTEGER
);

CREATE TABLE library_items (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Where the file is while present; where it was (and returns to) while binned.
    path         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    size         INTEGER NOT NULL CHECK (size >= 0),
    kind         TEXT    NOT NULL CHECK (kind IN ('image', 'video', 'audio', 'other')),
    mime         TEXT,
    width        INTEGER,
    height       INTEGER,
    blake3       TEXT    NOT NULL CHECK (length(blake3) = 64),
    -- 64-bit perceptual hashes of the image and of its mirror image.
    phash        INTEGER,
    phash_mirror INTEGER,
    -- Why the image could not be decoded (a bomb, a truncated file).
    media_error  TEXT,
    -- The file's modification time when it was hashed (ms): with the size, what
    -- an incremental rescan compares.
    file_mtime   INTEGER NOT NULL,
    posted_at    INTEGER,
    added_at     INTEGER NOT NULL,
    -- What the gallery sorts by: the post date where known, else when it was added.
    sort_at      INTEGER NOT NULL,
    origin       TEXT    NOT NULL CHECK (origin IN ('download', 'task', 'source', 'folder')),
    download_id  INTEGER REFERENCES downloads (id) ON DELETE SET NULL,
    task_id      INTEGER REFERENCES tasks (id) ON DELETE SET NULL,
    folder_id    INTEGER REFERENCES library_folders (id) ON DELETE SET NULL,
    url          TEXT,
    platform     TEXT,
    source       TEXT,
    description  TEXT,
    -- JSON array of strings.
    tags         TEXT    NOT NULL DEFAULT '[]',
    state        TEXT    NOT NULL DEFAULT 'present' CHECK (state IN ('present', 'binned'))
);

CREATE UNIQUE INDEX library_items_present_path ON library_items (path) WHERE state = 'present';
CREATE INDEX library_items_blake3 ON library_items (blake3);
CREATE INDEX library_items_sort ON library_items (state, sort_at, id);
CREATE INDEX library_items_kind_sort ON library_items (state, kind, sort_at, id);
CREATE INDEX library_items_size ON library_items (state, size, id);
CREATE INDEX library_items_name ON library_items (state, name, id);
CREATE INDEX library_items_download ON library_items (download_id);
CREATE INDEX library_items_folder ON library_items (folder_id);
CREATE INDEX library_items_phash ON library_items (phash) WHERE phash IS NOT NULL;

-- A move into or out of the bin: the record is written before the file moves
-- and finished after, so start-up can complete or undo any move a stop cut.
CREATE TABLE bin_entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id       INTEGER NOT NULL UNIQUE REFERENCES library_items (id) ON DELETE CASCADE,
    original_path TEXT    NOT NULL,
    bin_path      TEXT    NOT NULL UNIQUE,
    state         TEXT    NOT NULL CHECK (state IN ('binning', 'binned', 'restoring', 'purging')),
    -- Where a restore puts the file (the original path, or a free name beside it).
    restore_path  TEXT,
    deleted_at    INTEGER NOT NULL
);

CREATE INDEX bin_entries_state ON bin_entries (state);
CREATE INDEX bin_entries_deleted ON bin_entries (deleted_at);
