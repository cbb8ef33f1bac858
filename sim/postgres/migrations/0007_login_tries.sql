-- Sign-in tries, a token bucket per key ("name:" + a hash of the name
-- typed, or "addr:" + the client's address), kept in the database so that
-- every server on it spends from one budget. A row whose bucket would be
-- full again is as if absent, and is deleted. Times are Unix nanoseconds in UTC.

CREATE TABLE login_tries (
	key    text PRIMARY KEY,
	tokens double precision NOT NULL, -- tries left at at
	at     bigint NOT NULL
);

CREATE INDEX login_tries_at ON login_tries (at);
