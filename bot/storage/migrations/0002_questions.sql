-- Questions members sent to the secretariat because the knowledge base had no answer.
CREATE TABLE questions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL,              -- the member who asked (Telegram user id)
    chat_id     INTEGER NOT NULL,              -- their private chat with the bot
    message_id  INTEGER NOT NULL,              -- their message holding the question
    text        TEXT NOT NULL,
    language    TEXT NOT NULL,                 -- 'vi' or 'en': the reply is framed in it
    asked_at    TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open',  -- 'open' or 'answered'
    answered_by INTEGER,                       -- the admin whose reply answered it first
    answered_at TEXT
);
-- One question per message: pressing "send" twice sends it once.
CREATE UNIQUE INDEX questions_message ON questions (user_id, message_id);
CREATE INDEX questions_status ON questions (status, asked_at);

-- Each admin-side message that shows a question, so a Telegram reply to it finds the
-- question again (also after a restart).
CREATE TABLE question_notices (
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX question_notices_question ON question_notices (question_id);

-- Every reply an admin sent to a question, delivered or not.
CREATE TABLE question_replies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    admin_id    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    delivered   INTEGER NOT NULL               -- 0: the member blocked the bot or left
);
CREATE INDEX question_replies_question ON question_replies (question_id);
