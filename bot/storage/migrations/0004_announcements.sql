-- Announcements: what is scheduled, each run of it (a broadcast) and one delivery row per
-- recipient of each broadcast. See docs in bot/announcements/.

-- An announcement with its rule ('once <utc time>', 'daily 08:00', 'weekly mon 08:00',
-- 'monthly 15 08:00', 'cron <expr>'). "Send now" is a 'once' schedule due at once.
CREATE TABLE announcement_schedules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Stable identity: 'kb:<id>' and 'meeting:<id>:<days>' for the knowledge base, so reloads
    -- and restarts never duplicate them; 'admin:<draft token>' for an admin's, so a confirm
    -- pressed twice (or again after a crash) creates one schedule.
    key         TEXT NOT NULL UNIQUE,
    text        TEXT NOT NULL,
    entities    TEXT NOT NULL DEFAULT '[]',    -- JSON: Telegram message entities of text
    audience    TEXT NOT NULL,                 -- subscribers | members | group | channel | test
    rule        TEXT NOT NULL,
    created_by  INTEGER,                       -- the admin; NULL for the knowledge base
    created_at  TEXT NOT NULL,
    -- Every run planned at or before this time has been handled (sent or reported missed).
    anchor_at   TEXT NOT NULL,
    -- active | done | cancelled (by an admin) | retired (gone from the knowledge base)
    status      TEXT NOT NULL DEFAULT 'active'
);

-- One run of a schedule: recorded, with all its delivery rows, before anything is sent.
-- UNIQUE (schedule_id, planned_at) is what makes a run impossible to deliver twice.
CREATE TABLE broadcasts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    schedule_id  INTEGER NOT NULL REFERENCES announcement_schedules (id),
    planned_at   TEXT NOT NULL,
    text         TEXT NOT NULL,
    entities     TEXT NOT NULL DEFAULT '[]',
    audience     TEXT NOT NULL,
    requested_by INTEGER,                      -- who gets the report; NULL: the admins
    status       TEXT NOT NULL DEFAULT 'sending',  -- sending | done
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    reported_at  TEXT,
    UNIQUE (schedule_id, planned_at)
);

-- One recipient of one broadcast. 'sending' is written (committed) before the request and
-- 'sent' after it: a row still 'sending' when the bot starts was interrupted mid-request and
-- becomes 'unknown' rather than being sent again.
CREATE TABLE deliveries (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id),
    chat_id      INTEGER NOT NULL,
    -- The recipient when it is a person (NULL for a group or channel): /mydata shows and
    -- /forget erases a person's delivery records through this column.
    user_id      INTEGER,
    status       TEXT NOT NULL DEFAULT 'pending',  -- pending | sending | sent | failed | unreachable | unknown
    part         INTEGER NOT NULL DEFAULT 0,       -- parts of a long text already delivered
    attempts     INTEGER NOT NULL DEFAULT 0,
    error        TEXT,
    updated_at   TEXT,
    PRIMARY KEY (broadcast_id, chat_id)
) WITHOUT ROWID;

CREATE INDEX deliveries_by_status ON deliveries (broadcast_id, status, chat_id);
CREATE INDEX deliveries_by_user ON deliveries (user_id);

-- Runs missed while the bot was down (or too late), waiting to be reported to the admins.
CREATE TABLE missed_runs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    schedule_id   INTEGER NOT NULL REFERENCES announcement_schedules (id),
    count         INTEGER NOT NULL,
    first_planned TEXT NOT NULL,
    last_planned  TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    reported_at   TEXT
);
