-- Every message the bot sent that shows a person's data (cards, lists, prompts, notices),
-- one row per person shown, so /forget can delete (or blank) each of them.
-- The column is subject_id, not user_id, on purpose: the generic erasure of tables with a
-- user_id column must not drop these rows before /forget has used them.
CREATE TABLE personal_messages (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    subject_id INTEGER NOT NULL,               -- Telegram user id of the person shown
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id, subject_id)
) WITHOUT ROWID;
CREATE INDEX personal_messages_subject ON personal_messages (subject_id);
CREATE INDEX personal_messages_sent ON personal_messages (sent_at);

-- What must follow a committed decision (tell the applicant, let them into the group, ...),
-- written in the decision's own transaction and replayed at start until done.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    effect     TEXT NOT NULL,                  -- e.g. 'approved', 'rejected', 'revoked'
    payload    TEXT NOT NULL DEFAULT '{}',     -- JSON: ids only, never personal data
    -- pending | running (started, outcome not yet recorded) | done | failed | unknown
    status     TEXT NOT NULL DEFAULT 'pending',
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    error      TEXT
);
CREATE INDEX outbox_status ON outbox (status, id);
