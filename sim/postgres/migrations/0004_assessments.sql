-- Hiring assessments, their candidates (one single-use link each) and the
-- integrity signals the candidates' pages reported. Times are Unix
-- nanoseconds in UTC; lists are JSON text (read back byte for byte).

CREATE TABLE assessments (
	id           text PRIMARY KEY,
	scenario     text NOT NULL,
	version      text NOT NULL REFERENCES scenario_versions (hash),
	time_limit   bigint NOT NULL, -- nanoseconds
	instructions text NOT NULL,
	questions    text NOT NULL,    -- JSON array of strings
	created_by   text NOT NULL,
	created      bigint NOT NULL
);

CREATE TABLE candidates (
	id         text PRIMARY KEY,
	seq        bigint GENERATED ALWAYS AS IDENTITY, -- the order created
	assessment text NOT NULL REFERENCES assessments (id),
	token_hash bytea NOT NULL UNIQUE,
	claim_hash bytea,
	expires    bigint,           -- NULL: never
	status     text NOT NULL,
	name       text NOT NULL,
	email      text NOT NULL,
	call_id    text NOT NULL,
	answers    text NOT NULL,     -- JSON array of strings
	scorecards text NOT NULL DEFAULT '[]' -- JSON array of sim.Scorecard, one per reviewer
);

CREATE INDEX candidates_by_assessment ON candidates (assessment, seq);

CREATE TABLE signals (
	candidate_id text NOT NULL REFERENCES candidates (id),
	n            integer NOT NULL,
	kind         text NOT NULL,
	length       integer NOT NULL,
	turn         integer NOT NULL,
	at           bigint NOT NULL,
	PRIMARY KEY (candidate_id, n)
);

-- The sweeper's query: calls in progress with a deadline.
CREATE INDEX calls_due ON calls (deadline) WHERE deadline IS NOT NULL AND ending = '';
