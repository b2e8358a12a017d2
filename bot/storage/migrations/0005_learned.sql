-- What the secretariat taught the bot from Telegram (handlers/teach.py, bot/kb/learned.py).
-- A lesson is the association's knowledge, not the member's: it keeps the phrasing and who
-- taught it, never who asked. A member's /forget erases their question (and with it the
-- row of learned_questions below) but not the lesson.
CREATE TABLE learned (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN ('link', 'entry')),
    phrasing    TEXT NOT NULL,                 -- the question as asked: it now leads to target
    language    TEXT NOT NULL,                 -- the phrasing's language: 'vi' or 'en'
    target_id   TEXT NOT NULL,                 -- link: an existing item; entry: the new entry
    title_vi    TEXT,                          -- entry only: the new entry's texts
    title_en    TEXT,
    answer_vi   TEXT,
    answer_en   TEXT,
    source_vi   TEXT,
    source_en   TEXT,
    taught_by   INTEGER NOT NULL,              -- the admin (Telegram user id)
    taught_at   TEXT NOT NULL
);
-- Two new entries never share an id.
CREATE UNIQUE INDEX learned_entry_id ON learned (target_id) WHERE kind = 'entry';

-- Which member question a lesson was taught from, while that question exists: a question
-- is taught once (the primary key), and the link goes when either side is erased.
CREATE TABLE learned_questions (
    question_id INTEGER PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
    lesson_id   INTEGER NOT NULL REFERENCES learned (id) ON DELETE CASCADE
);
CREATE INDEX learned_questions_lesson ON learned_questions (lesson_id);
