-- Debrid tasks: a magnet or .torrent resolved on a provider, then its chosen files
-- downloaded as ordinary downloads that point back at the task.
CREATE TABLE tasks (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    -- v1 SHA-1 (40 hex) or v2 SHA-256 (64 hex), lowercase: one task per torrent.
    info_hash         TEXT    NOT NULL UNIQUE CHECK (length(info_hash) IN (40, 64)),
    name              TEXT    NOT NULL,
    provider          TEXT    NOT NULL CHECK (provider IN ('alldebrid', 'realdebrid', 'torbox')),
    -- The canonical magnet URI, also for tasks added from a .torrent file.
    magnet            TEXT    NOT NULL,
    -- The .torrent file's bytes when it was added from one.
    torrent           BLOB,
    -- The provider's id once it accepted the torrent.
    remote_id         TEXT,
    state             TEXT    NOT NULL DEFAULT 'queued'
                      CHECK (state IN ('queued', 'resolving', 'selecting', 'downloading', 'verifying',
                                       'completed', 'paused', 'failed', 'cancelled')),
    dir               TEXT    NOT NULL,
    label             TEXT,
    -- JSON: how files are chosen ({"mode":"auto"}, {"mode":"manual"} or
    -- {"mode":"globs","globs":[...]}).
    selection         TEXT    NOT NULL,
    -- The files to download have been chosen.
    files_chosen      INTEGER NOT NULL DEFAULT 0,
    -- The choice was sent to a provider that needs it before downloading.
    remote_selected   INTEGER NOT NULL DEFAULT 0,
    provider_status   TEXT,
    provider_progress REAL    NOT NULL DEFAULT 0,
    provider_speed    INTEGER NOT NULL DEFAULT 0,
    seeders           INTEGER,
    total_bytes       INTEGER,
    error_code        TEXT,
    error_message     TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

CREATE INDEX tasks_state ON tasks (state);

CREATE TABLE task_files (
    task_id     INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    -- Position in the provider's list.
    idx         INTEGER NOT NULL,
    -- The provider's id for the file.
    remote_id   TEXT    NOT NULL,
    -- JSON array of path components exactly as the provider gave them; they pass
    -- the sanitizer before they name anything on disk.
    path        TEXT    NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    -- What the provider unlocks into a direct link.
    link        TEXT,
    selected    INTEGER NOT NULL DEFAULT 0,
    download_id INTEGER REFERENCES downloads (id) ON DELETE SET NULL,
    PRIMARY KEY (task_id, idx)
);

ALTER TABLE downloads ADD COLUMN task_id INTEGER REFERENCES tasks (id) ON DELETE CASCADE;
CREATE INDEX downloads_task ON downloads (task_id);
