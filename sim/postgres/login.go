package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/roleplay-sim/roleplay/sim"
)

var _ sim.LoginThrottle = (*DB)(nil)

// TakeLoginTry spends a try of key at now, from a bucket of burst tries
// that gains one every every, shared by every server on the database.
// One upsert does it under the row's lock: a key not seen, or seen long
// enough ago, starts full; the update happens only if a try is left, and
// returns a row only then (xmax = 0 in it: the key was new). A clock
// behind the last try's gains nothing.
func (db *DB) TakeLoginTry(ctx context.Context, key string, now time.Time, burst int, every time.Duration) (bool, error) {
	if burst < 1 || every <= 0 {
		return false, sim.Errorf(sim.EInvalid, "a login bucket needs a burst of 1 or more and a refill time, not %d and %s", burst, every)
	}
	at := now.UnixNano()
	var added bool
	err := db.pool.QueryRow(ctx, `INSERT INTO login_tries AS l (key, tokens, at) VALUES ($1, $2::double precision - 1, $3)
		ON CONFLICT (key) DO UPDATE
		SET tokens = least($2::double precision, l.tokens + greatest(0, $3 - l.at) * $4::double precision) - 1, at = greatest(l.at, $3)
		WHERE least($2::double precision, l.tokens + greatest(0, $3 - l.at) * $4::double precision) >= 1
		RETURNING xmax = 0`, key, float64(burst), at, 1/float64(every.Nanoseconds())).Scan(&added)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("login tries: %w", err)
	}
	// The table grows only by new keys: then forget the rows that would be
	// full again, which are as if absent.
	if added {
		full := time.Duration(burst) * every
		if _, err := db.pool.Exec(ctx, `DELETE FROM login_tries WHERE at < $1`, at-full.Nanoseconds()); err != nil {
			return false, fmt.Errorf("login tries: %w", err)
		}
	}
	return true, nil
}
