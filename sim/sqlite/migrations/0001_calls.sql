-- Calls, turn by turn, and the scenario versions they ran on.
-- Times are Unix nanoseconds in UTC: exact, and ordered as numbers.
-- JSON is TEXT so it reads back byte for byte.

CREATE TABLE scenario_versions (
	hash     TEXT PRIMARY KEY,
	id       TEXT NOT NULL,
	file     TEXT NOT NULL,
	source   TEXT NOT NULL,
	defaults TEXT NOT NULL
) STRICT;

CREATE TABLE calls (
	id         TEXT PRIMARY KEY,
	scenario   TEXT NOT NULL,
	version    TEXT NOT NULL REFERENCES scenario_versions (hash),
	mode       TEXT NOT NULL,
	trainee    TEXT NOT NULL,
	assessment TEXT NOT NULL,
	token_hash BLOB,
	started    INTEGER NOT NULL,
	deadline   INTEGER,                 -- NULL: no deadline
	ending     TEXT NOT NULL DEFAULT '', -- sim.Ending; '' while in progress ("end" is an SQL keyword)
	ended      INTEGER,                 -- NULL while in progress
	report     TEXT                     -- the report's JSON; NULL while in progress or if there is none
) STRICT;

-- One row per turn, appended; a call's row is written when it starts and
-- when it ends, never per turn.
CREATE TABLE turns (
	call_id TEXT NOT NULL REFERENCES calls (id),
	n       INTEGER NOT NULL CHECK (n > 0),
	said    TEXT NOT NULL,
	acts    TEXT NOT NULL, -- the detections' JSON
	reader  TEXT NOT NULL,
	at      INTEGER NOT NULL,
	reply   TEXT NOT NULL,
	PRIMARY KEY (call_id, n)
) STRICT, WITHOUT ROWID;
