-- `haul serve`: its one account, browser sessions, API tokens and TOTP recovery
-- codes. Secrets are stored only as hashes: the password as Argon2id, session
-- and API tokens and recovery codes as SHA-256 (they are long random strings).
CREATE TABLE server_account (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    -- Base32 TOTP secret once enabled; NULL when TOTP is off.
    totp_secret   TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE server_sessions (
    token_hash  TEXT    PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    client      TEXT    NOT NULL
);
CREATE INDEX server_sessions_expiry ON server_sessions (expires_at);

CREATE TABLE server_tokens (
    name        TEXT    PRIMARY KEY,
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    last_used   INTEGER
);

CREATE TABLE server_recovery_codes (
    code_hash   TEXT    PRIMARY KEY,
    used_at     INTEGER
);
