-- Registrations for meetings (issue 10), announcement approvals, and daily question counts.

-- One row per person and meeting. A seat is held by 'registered' and 'offered' rows; the
-- waiting list is the 'waiting' rows by queued_at. A cancelled row is reused when the person
-- registers again, so there is never more than one row per person and meeting.
CREATE TABLE registrations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id       TEXT NOT NULL,                 -- the knowledge base's meeting id
    user_id          INTEGER NOT NULL,              -- Telegram user id
    chat_id          INTEGER NOT NULL,
    language         TEXT NOT NULL,                 -- vi | en: reminders come in it
    full_name        TEXT NOT NULL,
    organisation     TEXT NOT NULL DEFAULT '',
    province         TEXT NOT NULL DEFAULT '',
    member_number    INTEGER,                       -- when the registrant is a member
    answer           TEXT NOT NULL DEFAULT '',      -- to the meeting's question, if any
    status           TEXT NOT NULL
                     CHECK (status IN ('registered', 'waiting', 'offered', 'cancelled')),
    cancel_reason    TEXT,                          -- 'cancelled' by the person | 'offer_expired'
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    queued_at        TEXT,                          -- when they joined the waiting list
    offer_expires_at TEXT,                          -- while 'offered'
    feedback_asked_at TEXT,
    rating           INTEGER CHECK (rating BETWEEN 1 AND 5),
    comment          TEXT
);
CREATE UNIQUE INDEX registrations_person ON registrations (meeting_id, user_id);
CREATE INDEX registrations_status ON registrations (meeting_id, status, queued_at);
CREATE INDEX registrations_user ON registrations (user_id);

-- Announcements to all subscribers waiting for a second admin (announcements.require_second_admin).
CREATE TABLE announcement_approvals (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token        TEXT NOT NULL UNIQUE,              -- the draft's token: its schedule key
    draft        TEXT NOT NULL,                     -- JSON: text, entities, audience, rule
    requested_by INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by   INTEGER,
    decided_at   TEXT
);

-- Questions typed to the bot, counted per day and outcome; no text is kept.
CREATE TABLE question_counts (
    day     TEXT NOT NULL,                          -- local date YYYY-MM-DD
    outcome TEXT NOT NULL,                          -- answered | suggested | unknown
    count   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, outcome)
) WITHOUT ROWID;
