package postgres

import (
	"context"
	"fmt"
)

// Ping checks that the database answers, for readiness probes (/readyz).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}
