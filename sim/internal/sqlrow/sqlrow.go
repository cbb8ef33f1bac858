// Package sqlrow is the driver-independent half of sim's SQL stores,
// sim/sqlite and sim/postgres: how sim's types are stored in columns and
// built back from rows. Times are Unix nanoseconds, NULL for the zero
// time; acts, reports, questions, answers and scorecards are JSON text.
//
// Each store keeps its own SQL, since placeholders and dialects differ,
// and selects the columns in the order the Scan functions here document.
// A row is anything with Scan(dest ...any) error, so a *sql.Row or
// *sql.Rows of database/sql and a pgx.Row or pgx.Rows alike. Scan errors,
// "no rows" among them, are returned as they are, for the store to tell.
package sqlrow

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
)

// Scanner is a row to scan: *sql.Row, *sql.Rows, pgx.Row, pgx.Rows.
type Scanner interface {
	Scan(dest ...any) error
}

// Nanos is t as stored: Unix nanoseconds, NULL (nil) for the zero time
// (which they cannot hold). sim's checks keep other times within their
// range.
func Nanos(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	n := t.UnixNano()
	return &n
}

// Time is the time stored as n, in UTC.
func Time(n *int64) time.Time {
	if n == nil {
		return time.Time{}
	}
	return time.Unix(0, *n).UTC()
}

// Internal adds context to err unless it is a *sim.Error, which is meant
// for the caller as it is.
func Internal(err error, format string, args ...any) error {
	if err == nil || sim.ErrorCodeOf(err) != sim.EInternal {
		return err
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// NonNil is s, or an empty list for nil, so it is stored as [] not null.
func NonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// NullString is s, or NULL (nil) for "".
func NullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// EncodeReport is r as stored: JSON, NULL (nil) for no report.
func EncodeReport(r *sim.Report) (*string, error) {
	if r == nil {
		return nil, nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

// EncodeOverride is the JSON an override is stored as, with its time in
// UTC; nil (NULL) for none.
func EncodeOverride(o *sim.Override) (*string, error) {
	if o == nil {
		return nil, nil
	}
	kept := *o
	kept.At = o.At.UTC()
	b, err := json.Marshal(kept)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

// decodeReport is the report stored as s, nil for NULL.
func decodeReport(s *string) (*sim.Report, error) {
	if s == nil {
		return nil, nil
	}
	r := new(sim.Report)
	if err := json.Unmarshal([]byte(*s), r); err != nil {
		return nil, err
	}
	return r, nil
}

// EncodeTurn checks t as every store does before it keeps a turn
// (sim.TurnRecord.Check) and encodes the columns kept as JSON: its acts, and
// its correction (nil for none). what says what the caller was doing, for
// the error ("append turn 3 to call c").
func EncodeTurn(t sim.TurnRecord, what string) (acts string, override *string, err error) {
	if err := t.Check(); err != nil {
		return "", nil, err
	}
	b, err := json.Marshal(t.Acts)
	if err != nil {
		return "", nil, fmt.Errorf("%s: encode acts: %w", what, err)
	}
	if override, err = EncodeOverride(t.Override); err != nil {
		return "", nil, fmt.Errorf("%s: encode its correction: %w", what, err)
	}
	return string(b), override, nil
}
