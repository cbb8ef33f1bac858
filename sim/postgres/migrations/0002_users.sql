-- The trainer's side: accounts and their teams, tokens (kept only as
-- SHA-256), settings, and what trainers add to calls. Times are Unix
-- nanoseconds, as in 0001.

CREATE TABLE users (
	name          text PRIMARY KEY,
	role          text NOT NULL,
	password_hash text NOT NULL,          -- '' until the user sets a password
	disabled      boolean NOT NULL DEFAULT false,
	created       bigint NOT NULL
);

-- A trainee's teams, or the teams a trainer is assigned to.
CREATE TABLE user_teams (
	user_name text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
	team      text NOT NULL,
	PRIMARY KEY (user_name, team)
);

CREATE INDEX user_teams_team ON user_teams (team);

CREATE TABLE tokens (
	hash      bytea PRIMARY KEY,
	kind      text NOT NULL,
	user_name text REFERENCES users (name) ON DELETE CASCADE, -- NULL for a setup token
	created   bigint NOT NULL,
	expires   bigint NOT NULL
);

CREATE INDEX tokens_user ON tokens (user_name, kind);

-- One row, the settings' JSON, so a new setting needs no migration.
CREATE TABLE settings (
	key   text PRIMARY KEY,
	value text NOT NULL
);

CREATE TABLE comments (
	id      text PRIMARY KEY,
	call_id text NOT NULL REFERENCES calls (id),
	turn    integer NOT NULL CHECK (turn >= 0),
	author  text NOT NULL,
	text    text NOT NULL,
	at      bigint NOT NULL
);

CREATE INDEX comments_call ON comments (call_id, at, id);

CREATE TABLE trainer_scores (
	call_id text NOT NULL REFERENCES calls (id),
	author  text NOT NULL,
	score   integer NOT NULL CHECK (score BETWEEN 0 AND 100),
	reason  text NOT NULL,
	at      bigint NOT NULL,
	PRIMARY KEY (call_id, author)
);

-- The list of calls reads by start, for a trainee or for everyone.
CREATE INDEX calls_started ON calls (started, id);
CREATE INDEX calls_trainee ON calls (trainee, started);
