// Package sqlite is the sim.Store the server uses by default: calls and
// scenario versions in one SQLite file on local disk, each turn committed
// to disk before AppendTurn returns. It uses modernc.org/sqlite, SQLite
// translated to Go, so the binary stays static and cross-compiles without
// a C toolchain.
//
// A DB holds two connection pools on the file. Writes go through a single
// connection, owned by one goroutine, the writer (writer.go): SQLite
// allows one writer at a time, and queueing writers in Go costs nothing,
// where letting them contend for the file lock means busy-waiting and,
// past busy_timeout, SQLITE_BUSY errors. The writer commits the writes
// queued while it was busy in one transaction, so many calls' turns share
// one fsync. Reads use a pool of their own, which WAL mode lets run beside
// the writer, so reading a call never waits for another call's fsync.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"

	"github.com/roleplay-sim/roleplay/sim"
)

// BusyTimeout is how long, in milliseconds, a connection waits for a lock
// held by another process on the file (the in-process writer never
// contends: it is alone) before giving up with SQLITE_BUSY.
const BusyTimeout = 10_000

// DB is a sim.Store in an SQLite file.
type DB struct {
	path  string
	write *sql.DB // one connection, the writer's once open
	read  *sql.DB
	w     *writer

	versions sync.Map // hashes of the scenario versions stored, to skip storing them again
}

var _ sim.Store = (*DB)(nil)

// Open opens the SQLite database at path, creating it and its parent
// directory if need be, and brings its schema up to date.
func Open(path string) (*DB, error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("open sqlite %q: the path must be a file name without '?'", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db := &DB{path: path}
	var err error
	// journal_mode=WAL: readers do not block the writer nor it them, and a
	// commit is one append to the log. synchronous=FULL: in WAL mode,
	// NORMAL syncs only at checkpoints, so a power cut could lose turns
	// whose reply was sent; FULL syncs the log at every commit, which is
	// the promise AppendTurn makes.
	if db.write, err = openPool(path, 1,
		"_txlock=immediate",
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(FULL)",
		"_pragma=foreign_keys(1)",
	); err != nil {
		return nil, err
	}
	if err := db.check(); err != nil {
		db.write.Close()
		return nil, err
	}
	if err := migrate(context.Background(), db.write); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if db.read, err = openPool(path, max(4, runtime.GOMAXPROCS(0)), "_pragma=query_only(1)"); err != nil {
		db.write.Close()
		return nil, err
	}
	conn, err := db.write.Conn(context.Background())
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db.w = newWriter(conn)
	return db, nil
}

// openPool opens a pool of at most n connections to path, each set up by
// the given DSN parameters (pragmas are per connection, so they go in the
// DSN, which database/sql applies to every connection it opens).
func openPool(path string, n int, params ...string) (*sql.DB, error) {
	params = append(params, fmt.Sprintf("_pragma=busy_timeout(%d)", BusyTimeout))
	dsn := path + "?" + strings.Join(params, "&")
	pool, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	pool.SetMaxOpenConns(n)
	pool.SetMaxIdleConns(n)
	pool.SetConnMaxLifetime(0) // a connection is cheap to keep and dear to set up
	if err := pool.Ping(); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return pool, nil
}

// check makes sure the settings durability rests on took effect: SQLite
// ignores a pragma it cannot apply (WAL on some network file systems).
func (db *DB) check() error {
	for _, p := range []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
	} {
		var got string
		if err := db.write.QueryRow("PRAGMA " + p.pragma).Scan(&got); err != nil {
			return fmt.Errorf("open sqlite %s: read %s: %w", db.path, p.pragma, err)
		}
		if got != p.want {
			return fmt.Errorf("open sqlite %s: %s is %s, not %s", db.path, p.pragma, got, p.want)
		}
	}
	return nil
}

// ObserveBatches has f told of each batch of writes the writer commits
// together (writer.go): how many writes it held, and how long it took
// from BEGIN to the end of COMMIT, the sync included, which every write
// of the batch waited for. f runs on the writer's goroutine, between two
// batches, so it must be quick. nil stops.
func (db *DB) ObserveBatches(f func(writes int, took time.Duration)) { db.w.observe.Set(f) }

// Path returns the file the store keeps its data in.
func (db *DB) Path() string { return db.path }

// Close stops the writer after the batch it is committing, then closes
// both pools; the WAL is checkpointed into the file when the last
// connection closes.
func (db *DB) Close() error {
	var err error
	if db.w != nil {
		err = db.w.close()
	}
	return errors.Join(err, db.read.Close(), db.write.Close())
}

// constraint reports whether err is a violation of the given constraint
// kind (sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, ...).
func constraint(err error, code int) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == code
}
