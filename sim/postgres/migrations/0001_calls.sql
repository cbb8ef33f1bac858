-- Calls, turn by turn, and the scenario versions they ran on.
-- Times are Unix nanoseconds in UTC: timestamptz keeps only microseconds,
-- and a call must read back exactly. JSON is TEXT so it reads back byte
-- for byte (jsonb would reorder keys and respell numbers).

CREATE TABLE scenario_versions (
	hash     text PRIMARY KEY,
	id       text NOT NULL,
	file     text NOT NULL,
	source   text NOT NULL,
	defaults text NOT NULL
);

CREATE TABLE calls (
	id         text PRIMARY KEY,
	scenario   text NOT NULL,
	version    text NOT NULL REFERENCES scenario_versions (hash),
	mode       text NOT NULL,
	trainee    text NOT NULL,
	assessment text NOT NULL,
	token_hash bytea,
	started    bigint NOT NULL,
	deadline   bigint,                 -- NULL: no deadline
	ending     text NOT NULL DEFAULT '', -- sim.Ending; '' while in progress ("end" is an SQL keyword)
	ended      bigint,                 -- NULL while in progress
	report     text                    -- the report's JSON; NULL while in progress or if there is none
);

-- One row per turn, appended; a call's row is written when it starts and
-- when it ends, never per turn. The primary key is the last guard against
-- two nodes storing turn n of one call.
CREATE TABLE turns (
	call_id text NOT NULL REFERENCES calls (id),
	n       integer NOT NULL CHECK (n > 0),
	said    text NOT NULL,
	acts    text NOT NULL, -- the detections' JSON
	reader  text NOT NULL,
	at      bigint NOT NULL,
	reply   text NOT NULL,
	PRIMARY KEY (call_id, n)
);
