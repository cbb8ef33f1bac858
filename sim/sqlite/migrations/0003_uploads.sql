-- Scenarios uploaded from the page: each upload of a version, numbered per
-- scenario, and the version trainees see. The versions themselves are in
-- scenario_versions, kept forever, so old calls keep replaying.

CREATE TABLE uploaded_scenarios (
	id        TEXT PRIMARY KEY,
	published TEXT REFERENCES scenario_versions (hash) -- NULL: a draft trainees do not see
) STRICT;

CREATE TABLE uploads (
	scenario TEXT NOT NULL REFERENCES uploaded_scenarios (id),
	n        INTEGER NOT NULL CHECK (n > 0),
	hash     TEXT NOT NULL REFERENCES scenario_versions (hash),
	by_user  TEXT NOT NULL,
	at       INTEGER NOT NULL,
	PRIMARY KEY (scenario, n)
) STRICT, WITHOUT ROWID;
