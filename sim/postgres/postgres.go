// Package postgres is the sim.Store for several server processes on one
// PostgreSQL database: any node can serve any call, and two nodes can
// never both store turn n of one call. It uses pgx and its pool.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/roleplay-sim/roleplay/sim"
)

// DB is a sim.Store in a PostgreSQL database.
type DB struct {
	pool     *pgxpool.Pool
	appender *appender
}

var _ sim.Store = (*DB)(nil)

// Open connects to the database at url (postgres://user@host:port/db?...,
// or key=value pairs) and brings its schema up to date. The pool's size
// and lifetimes come from the url's pool_* parameters (pool_max_conns=N;
// pgxpool's default is the greater of 4 and the number of CPUs); the
// tables go in the first schema of the search_path (search_path=NAME).
func Open(ctx context.Context, url string) (*DB, error) {
	// Errors name no part of the url: it may hold a password.
	config, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: parse the url: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, config)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return &DB{pool: pool, appender: newAppender(pool)}, nil
}

// ObserveBatches has f told of each batch of inserts (new calls and
// turns) the store commits together (appender.go): how many it held, and
// how long it took from sending to the commit, which every insert of the
// batch waited for. f runs on the batch's goroutine before its callers
// are told, so it must be quick. nil stops.
func (db *DB) ObserveBatches(f func(writes int, took time.Duration)) { db.appender.observe.Set(f) }

// Close refuses turns still queued, waits for the batches in flight, and
// closes the pool, waiting for connections in use to be returned.
func (db *DB) Close() error {
	db.appender.close()
	db.pool.Close()
	return nil
}

// The schema, one file per version: NNNN_what.sql, applied in order.
// A file once released is never edited; a change is a new file.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the advisory lock key that serializes migrations: any
// fixed number no other program on the database uses (here, "roleplay" in
// ASCII).
const migrationLock int64 = 0x726f6c65706c6179

// migrate brings the schema up to date in one transaction that first takes
// the migration lock, so several servers starting at once wait for each
// other: the first applies what is pending, the others find nothing to do.
// The lock is transaction-scoped (pg_advisory_xact_lock): commit or
// rollback releases it, and no failure path can leave it held.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	all, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(all)
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
			return fmt.Errorf("migrate: take the lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
			version integer PRIMARY KEY,
			name    text NOT NULL
		)`); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT version FROM schema_version`)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		versions, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		applied := map[int]bool{}
		for _, v := range versions {
			applied[v] = true
		}
		// Numbers rise with no repeat; a gap is allowed, since branches
		// number their migrations apart and a number merged later is
		// applied later.
		known, last := map[int]bool{}, 0
		for _, name := range all {
			num, _, _ := strings.Cut(strings.TrimPrefix(name, "migrations/"), "_")
			v, err := strconv.Atoi(num)
			if err != nil || len(num) != 4 || v <= last {
				return fmt.Errorf("migrate: %s: want a name starting NNNN_ with a number not used before", name)
			}
			known[v], last = true, v
		}
		for v := range applied {
			if !known[v] {
				return fmt.Errorf("migrate: the database has schema version %d, which this program does not know: run a newer roleplay", v)
			}
		}
		for _, name := range all {
			num, _, _ := strings.Cut(strings.TrimPrefix(name, "migrations/"), "_")
			v, _ := strconv.Atoi(num)
			if applied[v] {
				continue
			}
			script, err := migrations.ReadFile(name)
			if err != nil {
				return err
			}
			// No arguments: pgx sends it as a simple query, which may hold
			// several statements.
			if _, err := tx.Exec(ctx, string(script)); err != nil {
				return fmt.Errorf("migrate: %s: %w", name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version, name) VALUES ($1, $2)`, v, name); err != nil {
				return fmt.Errorf("migrate: %s: %w", name, err)
			}
		}
		return nil
	})
}

// PostgreSQL's codes for the constraint violations the store maps.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

// violates reports whether err is a violation of the constraint kind code.
func violates(err error, code string) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == code
}
