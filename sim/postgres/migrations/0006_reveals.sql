-- Reveals: each time a reviewer was shown the names behind a blind
-- assessment (the review or an export with names), who and when, kept for
-- good. Times are Unix nanoseconds in UTC.

CREATE TABLE reveals (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- the order recorded
	assessment text NOT NULL REFERENCES assessments (id),
	user_name  text NOT NULL,
	via        text NOT NULL,       -- 'review', 'csv' or 'json'
	at         bigint NOT NULL
);

CREATE INDEX reveals_by_assessment ON reveals (assessment, id);
