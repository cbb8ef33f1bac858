-- The trainer's side: accounts and their teams, tokens (kept only as
-- SHA-256), settings, and what trainers add to calls.

CREATE TABLE users (
	name          TEXT PRIMARY KEY,
	role          TEXT NOT NULL,
	password_hash TEXT NOT NULL,          -- '' until the user sets a password
	disabled      INTEGER NOT NULL DEFAULT 0,
	created       INTEGER NOT NULL
) STRICT;

-- A trainee's teams, or the teams a trainer is assigned to.
CREATE TABLE user_teams (
	user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
	team      TEXT NOT NULL,
	PRIMARY KEY (user_name, team)
) STRICT, WITHOUT ROWID;

CREATE INDEX user_teams_team ON user_teams (team);

CREATE TABLE tokens (
	hash      BLOB PRIMARY KEY,
	kind      TEXT NOT NULL,
	user_name TEXT REFERENCES users (name) ON DELETE CASCADE, -- NULL for a setup token
	created   INTEGER NOT NULL,
	expires   INTEGER NOT NULL
) STRICT;

CREATE INDEX tokens_user ON tokens (user_name, kind);

-- One row, the settings' JSON, so a new setting needs no migration.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE comments (
	id      TEXT PRIMARY KEY,
	call_id TEXT NOT NULL REFERENCES calls (id),
	turn    INTEGER NOT NULL CHECK (turn >= 0),
	author  TEXT NOT NULL,
	text    TEXT NOT NULL,
	at      INTEGER NOT NULL
) STRICT;

CREATE INDEX comments_call ON comments (call_id, at, id);

CREATE TABLE trainer_scores (
	call_id TEXT NOT NULL REFERENCES calls (id),
	author  TEXT NOT NULL,
	score   INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
	reason  TEXT NOT NULL,
	at      INTEGER NOT NULL,
	PRIMARY KEY (call_id, author)
) STRICT, WITHOUT ROWID;

-- The list of calls reads by start, for a trainee or for everyone.
CREATE INDEX calls_started ON calls (started, id);
CREATE INDEX calls_trainee ON calls (trainee, started);
