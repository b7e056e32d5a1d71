-- Plain HTTP downloads, their queue order and their resume state.
CREATE TABLE downloads (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    url             TEXT    NOT NULL,
    dir             TEXT    NOT NULL,
    -- Queue order: lower starts first.
    position        INTEGER NOT NULL,
    connections     INTEGER NOT NULL DEFAULT 8 CHECK (connections BETWEEN 1 AND 16),
    -- Bytes per second for this download alone; NULL = no own limit.
    speed_limit     INTEGER CHECK (speed_limit IS NULL OR speed_limit > 0),
    -- Expected SHA-256 (lowercase hex) when the user gave one.
    sha256          TEXT    CHECK (sha256 IS NULL OR length(sha256) = 64),
    file_name       TEXT,
    total_bytes     INTEGER CHECK (total_bytes IS NULL OR total_bytes >= 0),
    received_bytes  INTEGER NOT NULL DEFAULT 0 CHECK (received_bytes >= 0),
    -- JSON array of {start, end, received}: what is durably on disk.
    segments        TEXT,
    etag            TEXT,
    last_modified   TEXT,
    state           TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'active', 'paused', 'verifying', 'completed', 'failed', 'cancelled')),
    error_code      TEXT,
    error_message   TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE INDEX downloads_state_position ON downloads (state, position);
CREATE INDEX downloads_url_dir ON downloads (url, dir);
