-- Scenarios uploaded from the page: each upload of a version, numbered per
-- scenario, and the version trainees see. The versions themselves are in
-- scenario_versions, kept forever, so old calls keep replaying. Times are
-- Unix nanoseconds, as in 0001.

CREATE TABLE uploaded_scenarios (
	id        text PRIMARY KEY,
	published text REFERENCES scenario_versions (hash) -- NULL: a draft trainees do not see
);

CREATE TABLE uploads (
	scenario text NOT NULL REFERENCES uploaded_scenarios (id),
	n        integer NOT NULL CHECK (n > 0),
	hash     text NOT NULL REFERENCES scenario_versions (hash),
	by_user  text NOT NULL,
	at       bigint NOT NULL,
	PRIMARY KEY (scenario, n)
);
