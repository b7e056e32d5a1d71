-- Plain HTTP downloads and their resume state.
CREATE TABLE downloads (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    url             TEXT    NOT NULL,
    dir             TEXT    NOT NULL,
    file_name       TEXT,
    total_bytes     INTEGER CHECK (total_bytes IS NULL OR total_bytes >= 0),
    received_bytes  INTEGER NOT NULL DEFAULT 0 CHECK (received_bytes >= 0),
    etag            TEXT,
    last_modified   TEXT,
    state           TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'active', 'paused', 'completed', 'failed', 'cancelled')),
    error_code      TEXT,
    error_message   TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE INDEX downloads_state ON downloads (state);
CREATE INDEX downloads_url_dir ON downloads (url, dir);
