-- Everyone who has talked to the bot.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,          -- Telegram user id
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT NOT NULL DEFAULT '',
    username      TEXT NOT NULL DEFAULT '',
    language_code TEXT NOT NULL DEFAULT '',     -- as Telegram reports it
    language      TEXT,                         -- chosen with /lang; NULL until chosen
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    subscribed    INTEGER NOT NULL DEFAULT 0,   -- receives announcements
    reachable     INTEGER NOT NULL DEFAULT 1    -- 0 once they blocked the bot (403)
);

-- Accepted members of the association. The membership feature fills it; announcements
-- read it for the "members only" audience.
CREATE TABLE members (
    number     INTEGER PRIMARY KEY AUTOINCREMENT,  -- member number
    user_id    INTEGER UNIQUE,                      -- Telegram user id; NULL once erased
    kind       TEXT NOT NULL,                       -- 'individual' or 'organisation'
    full_name  TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'active',      -- 'active' or 'revoked'
    joined_at  TEXT NOT NULL
);

-- The one form (multi-step dialogue) a user is filling in, if any. Kept in SQLite so a
-- half-filled form survives a restart of the bot.
CREATE TABLE forms (
    user_id    INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL,
    form       TEXT NOT NULL,                   -- which form, e.g. 'join'
    step       TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',      -- JSON of the answers so far
    updated_at TEXT NOT NULL
);

-- Errors already reported to the admins, so each distinct error is reported once.
CREATE TABLE reported_errors (
    fingerprint TEXT PRIMARY KEY,
    first_seen  TEXT NOT NULL,
    count       INTEGER NOT NULL DEFAULT 1
);
