-- A form a person set aside by opening another prompt, kept to be taken up again: a half
-- filled application form goes on from where it stopped at the next /join
-- (handlers/kit/router.py open_prompt, handlers/membership/join.py). One per person and form;
-- erased with the person (/forget) and, unfinished, after the abandoned forms' retention.
CREATE TABLE set_aside_forms (
    user_id      INTEGER NOT NULL,
    form         TEXT NOT NULL,
    chat_id      INTEGER NOT NULL,
    step         TEXT NOT NULL,
    data         TEXT NOT NULL DEFAULT '{}',   -- JSON of the answers so far
    set_aside_at TEXT NOT NULL,
    PRIMARY KEY (user_id, form)
);
