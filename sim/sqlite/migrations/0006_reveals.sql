-- Reveals: each time a reviewer was shown the names behind a blind
-- assessment (the review or an export with names), who and when, kept for
-- good. Times are Unix nanoseconds in UTC.

CREATE TABLE reveals (
	id         INTEGER PRIMARY KEY, -- the order recorded
	assessment TEXT NOT NULL REFERENCES assessments (id),
	user_name  TEXT NOT NULL,
	via        TEXT NOT NULL,       -- 'review', 'csv' or 'json'
	at         INTEGER NOT NULL
) STRICT;

CREATE INDEX reveals_by_assessment ON reveals (assessment, id);
