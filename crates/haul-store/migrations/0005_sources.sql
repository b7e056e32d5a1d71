-- Media sources: followed threads, accounts and pages; the archive of every media
-- item a source ever found (unique per platform: what makes "exactly once" hold,
-- across sources and after a file is deleted); and one history of every file Haul
-- fetched, with full-text search.
CREATE TABLE sources (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    url           TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    platform      TEXT    NOT NULL,
    -- Which extractor reads it: direct, web, reddit, yt-dlp, gallery-dl.
    extractor     TEXT    NOT NULL,
    -- The platform account whose cookies (in the OS keyring) the checks use.
    account       TEXT,
    -- NULL: the settings' download folder.
    dir           TEXT,
    -- JSON: {"every": seconds} | {"cron": "m h dom mon dow"} | {"auto": {"min": s, "max": s}}.
    schedule      TEXT    NOT NULL,
    -- JSON: naming template, stop-after-known, first-check limit, since.
    options       TEXT    NOT NULL DEFAULT '{}',
    state         TEXT    NOT NULL DEFAULT 'active'
                  CHECK (state IN ('active', 'paused', 'failing', 'gone')),
    error_code    TEXT,
    error_message TEXT,
    -- Failed checks in a row: the next check waits longer for each.
    failures      INTEGER NOT NULL DEFAULT 0,
    -- Set while a check runs: where it continues after a crash or a quit.
    check_cursor  TEXT,
    checking      INTEGER NOT NULL DEFAULT 0,
    -- Threads: the page the next check starts from.
    resume_cursor TEXT,
    checks        INTEGER NOT NULL DEFAULT 0,
    last_check_at INTEGER,
    next_check_at INTEGER,
    last_new      INTEGER NOT NULL DEFAULT 0,
    -- The last check reached its limit without meeting a known post.
    gap           INTEGER NOT NULL DEFAULT 0,
    -- Newest post dates seen (JSON array of unix seconds): what `auto` schedules from.
    post_times    TEXT    NOT NULL DEFAULT '[]',
    created_at    INTEGER NOT NULL
);

CREATE INDEX sources_next_check ON sources (state, next_check_at);

CREATE TABLE source_media (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    platform    TEXT    NOT NULL,
    media_id    TEXT    NOT NULL,
    source_id   INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    post_id     TEXT    NOT NULL,
    account     TEXT,
    posted_at   INTEGER,
    title       TEXT,
    caption     TEXT,
    url         TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    -- Where the file goes: folder and sanitised name, fixed when found.
    dir         TEXT    NOT NULL,
    file_name   TEXT    NOT NULL,
    -- JSON array of [name, value]: never cookies.
    headers     TEXT    NOT NULL DEFAULT '[]',
    -- 'yt-dlp' when the tool itself fetches it (streams to merge).
    via_tool    TEXT,
    state       TEXT    NOT NULL DEFAULT 'found'
                CHECK (state IN ('found', 'queued', 'done', 'failed')),
    download_id INTEGER REFERENCES downloads (id) ON DELETE SET NULL,
    error       TEXT,
    found_at    INTEGER NOT NULL,
    UNIQUE (platform, media_id)
);

CREATE INDEX source_media_source ON source_media (source_id, id);
CREATE INDEX source_media_state ON source_media (state, id);
CREATE INDEX source_media_download ON source_media (download_id);

-- Downloads a source started: the account whose cookies the fetch sends, the
-- headers it needs, and the post date the finished file takes as its mtime.
ALTER TABLE downloads ADD COLUMN account TEXT;
ALTER TABLE downloads ADD COLUMN headers TEXT;
ALTER TABLE downloads ADD COLUMN mtime INTEGER;

CREATE TABLE history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    finished_at INTEGER NOT NULL,
    origin      TEXT    NOT NULL CHECK (origin IN ('download', 'task', 'source')),
    platform    TEXT,
    source_id   INTEGER,
    media_id    TEXT,
    posted_at   INTEGER,
    size        INTEGER,
    kind        TEXT,
    blake3      TEXT,
    url         TEXT,
    path        TEXT    NOT NULL,
    file_name   TEXT    NOT NULL,
    account     TEXT,
    title       TEXT,
    caption     TEXT,
    download_id INTEGER,
    task_id     INTEGER
);

-- Pages are read newest first by id (the order files finished in): each filter
-- has an index ending in id.
CREATE INDEX history_finished ON history (finished_at);
CREATE INDEX history_platform ON history (platform, id);
CREATE INDEX history_source ON history (source_id, id);
CREATE INDEX history_origin ON history (origin, id);
CREATE INDEX history_kind ON history (kind, id);
CREATE INDEX history_posted ON history (posted_at);
CREATE INDEX history_size ON history (size);
CREATE INDEX history_media ON history (platform, media_id);
CREATE INDEX history_blake3 ON history (blake3);

CREATE VIRTUAL TABLE history_fts USING fts5 (
    file_name, title, caption, account,
    content = 'history', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER history_fts_insert AFTER INSERT ON history BEGIN
    INSERT INTO history_fts (rowid, file_name, title, caption, account)
    VALUES (new.id, new.file_name, new.title, new.caption, new.account);
END;
CREATE TRIGGER history_fts_delete AFTER DELETE ON history BEGIN
    INSERT INTO history_fts (history_fts, rowid, file_name, title, caption, account)
    VALUES ('delete', old.id, old.file_name, old.title, old.caption, old.account);
END;
CREATE TRIGGER history_fts_update AFTER UPDATE ON history BEGIN
    INSERT INTO history_fts (history_fts, rowid, file_name, title, caption, account)
    VALUES ('delete', old.id, old.file_name, old.title, old.caption, old.account);
    INSERT INTO history_fts (rowid, file_name, title, caption, account)
    VALUES (new.id, new.file_name, new.title, new.caption, new.account);
END;
