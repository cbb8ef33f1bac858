-- Hiring assessments, their candidates (one single-use link each) and the
-- integrity signals the candidates' pages reported. Times are Unix
-- nanoseconds in UTC; lists are JSON TEXT.

CREATE TABLE assessments (
	id           TEXT PRIMARY KEY,
	scenario     TEXT NOT NULL,
	version      TEXT NOT NULL REFERENCES scenario_versions (hash),
	time_limit   INTEGER NOT NULL, -- nanoseconds
	instructions TEXT NOT NULL,
	questions    TEXT NOT NULL,    -- JSON array of strings
	created_by   TEXT NOT NULL,
	created      INTEGER NOT NULL
) STRICT;

CREATE TABLE candidates (
	id         TEXT PRIMARY KEY,
	seq        INTEGER NOT NULL,  -- the order created
	assessment TEXT NOT NULL REFERENCES assessments (id),
	token_hash BLOB NOT NULL UNIQUE,
	claim_hash BLOB,
	expires    INTEGER,           -- NULL: never
	status     TEXT NOT NULL,
	name       TEXT NOT NULL,
	email      TEXT NOT NULL,
	call_id    TEXT NOT NULL,
	answers    TEXT NOT NULL,     -- JSON array of strings
	scorecards TEXT NOT NULL DEFAULT '[]' -- JSON array of sim.Scorecard, one per reviewer
) STRICT;

CREATE INDEX candidates_by_assessment ON candidates (assessment, seq);

CREATE TABLE signals (
	candidate_id TEXT NOT NULL REFERENCES candidates (id),
	n            INTEGER NOT NULL,
	kind         TEXT NOT NULL,
	length       INTEGER NOT NULL,
	turn         INTEGER NOT NULL,
	at           INTEGER NOT NULL,
	PRIMARY KEY (candidate_id, n)
) STRICT, WITHOUT ROWID;

-- The sweeper's query: calls in progress with a deadline.
CREATE INDEX calls_due ON calls (deadline) WHERE deadline IS NOT NULL AND ending = '';
