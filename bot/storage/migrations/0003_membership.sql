-- Membership: applications, their decision log, join requests to the members' group.

-- One application per submission. Personal data lives here; it is deleted on /forget and
-- when a closed application is no longer needed (see README, data retention).
CREATE TABLE applications (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          INTEGER NOT NULL,                 -- Telegram user id of the applicant
    chat_id          INTEGER NOT NULL,                 -- private chat to answer in
    language         TEXT NOT NULL,                    -- the applicant's language (vi/en)
    kind             TEXT NOT NULL CHECK (kind IN ('individual', 'organisation')),
    full_name        TEXT NOT NULL,
    organisation     TEXT NOT NULL,
    position         TEXT NOT NULL,
    province         TEXT NOT NULL,                    -- one of the 34 current units
    email            TEXT NOT NULL,
    phone            TEXT NOT NULL,                    -- E.164, +84...
    representative   TEXT NOT NULL DEFAULT '',         -- organisations only
    consent_at       TEXT NOT NULL,                    -- explicit consent (PDPL 91/2025/QH15)
    consent_version  TEXT NOT NULL,                    -- version of the consent text agreed to
    consent_language TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    submitted_at     TEXT NOT NULL,
    decided_at       TEXT,
    decided_by       INTEGER,                          -- admin's Telegram id
    decided_by_name  TEXT,
    reason           TEXT,                             -- why it was rejected
    member_number    INTEGER                           -- set on approval
);
-- One open application per person: enforced by the database, not only by the handlers.
CREATE UNIQUE INDEX applications_one_pending ON applications (user_id) WHERE status = 'pending';
CREATE INDEX applications_status ON applications (status, submitted_at);

-- Every submission, decision, withdrawal and revocation. Holds no personal data of the
-- applicant (only the application id), so it survives erasure as the anonymised log.
CREATE TABLE membership_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             TEXT NOT NULL,
    action         TEXT NOT NULL,   -- submitted, approved, rejected, withdrawn, revoked, erased
    application_id INTEGER,
    member_number  INTEGER,
    actor_id       INTEGER,         -- the admin who acted (NULL: the applicant or the bot)
    actor_name     TEXT,
    reason         TEXT             -- the admin's reason; cleared when the person is erased
);
CREATE INDEX membership_log_application ON membership_log (application_id);

-- The admins' copies of each application's notification, updated once it is decided.
CREATE TABLE application_notices (
    application_id INTEGER NOT NULL,
    chat_id        INTEGER NOT NULL,
    message_id     INTEGER NOT NULL,
    PRIMARY KEY (application_id, chat_id, message_id)
);

-- Requests to join the members' group, kept until they are approved or declined.
CREATE TABLE join_requests (
    chat_id      INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    user_chat_id INTEGER,            -- private chat the bot may use for a few minutes
    requested_at TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'approved', 'declined', 'failed')),
    decided_at   TEXT,
    PRIMARY KEY (chat_id, user_id)
);

-- What membership needs beyond the core's members table.
ALTER TABLE members ADD COLUMN application_id INTEGER;
ALTER TABLE members ADD COLUMN province TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN revoked_at TEXT;
ALTER TABLE members ADD COLUMN revoked_by INTEGER;
