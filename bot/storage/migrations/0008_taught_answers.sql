-- When a member was sent the answer the secretariat taught for their question
-- (handlers/teach.py). A question is answered by teaching once: after an undo, teaching it
-- again teaches the bot but does not send the member the same answer a second time.
ALTER TABLE questions ADD COLUMN taught_answer_at TEXT;
