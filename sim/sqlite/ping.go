package sqlite

import (
	"context"
	"fmt"
)

// Ping checks that the file can still be read and written, for readiness
// probes (/readyz): the writer takes the write lock and commits (an empty
// write, which syncs nothing), and a read runs.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.inTx(ctx, func(*wtx) error { return nil }); err != nil {
		return fmt.Errorf("sqlite %s: %w", db.path, err)
	}
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite %s: %w", db.path, err)
	}
	return nil
}
