package sqlite

import (
	"context"
	"fmt"
)

// Ping checks that the file can still be read and written, for readiness
// probes (/readyz): the writer answers and a read runs.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite %s: %w", db.path, err)
	}
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite %s: %w", db.path, err)
	}
	return nil
}
