package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/roleplay-sim/roleplay/sim/internal/batch"
)

// The writer commits the writes of many callers together: one goroutine
// owns the write connection, takes every write queued while it was busy,
// runs them in one transaction, each in a savepoint of its own, and syncs
// the log once for them all (group commit). Each caller waits for the
// commit of its own write and gets its own result: a write that fails is
// rolled back to its savepoint and the others in the batch go on. A lone
// write is committed as soon as the writer is free; no timer waits for
// company.
//
// Why this keeps AppendTurn's promise: a caller is told nil only after
// COMMIT returned, and with synchronous=FULL that is after the log is on
// disk; if COMMIT fails, every write of the batch is told so. The writes of
// a batch run one after another in the order they were taken, each seeing
// the ones before it, so checks such as "turn n follows the turns stored"
// hold as if each had been committed alone; the transaction takes the
// file's write lock at BEGIN IMMEDIATE, so no other process writes in
// between.

// maxBatch bounds the writes committed together, so one commit's latency
// stays bounded however deep the queue.
const maxBatch = 128

// errClosed is what a write gets once the store is closed.
var errClosed = batch.ErrClosed

// A write stores one caller's change on tx, or returns why not.
type write = func(tx *wtx) error

// An op is a write queued, and its result.
type op = batch.Op[write, error]

type writer struct {
	conn    *sql.Conn
	tx      wtx
	q       *batch.Queue[write, error] // one loop: one connection writes
	commits atomic.Int64               // transactions committed, for tests

	observe batch.Observer // DB.ObserveBatches

	closing  sync.Once
	closeErr error
}

func newWriter(conn *sql.Conn) *writer {
	w := &writer{conn: conn, tx: wtx{conn: conn, stmts: map[string]*sql.Stmt{}}}
	w.q = batch.New(maxBatch, 1, w.commit)
	return w
}

// do runs f as one write and returns once it is committed (nil) or
// refused. ctx bounds the wait in the queue; once the writer has taken
// the write it runs to the end, on the writer's own context, since
// interrupting one statement would roll back the whole batch.
func (w *writer) do(ctx context.Context, f write) error {
	err, qerr := w.q.Do(ctx, f)
	if qerr != nil {
		return qerr
	}
	return err
}

// commit runs the batch's writes in one transaction and tells each caller
// its result.
func (w *writer) commit(ops []*op) {
	began := time.Now()
	errs := make([]error, len(ops))
	err := w.apply(ops, errs)
	if err == nil {
		if err = w.tx.exec("COMMIT"); err == nil {
			w.commits.Add(1)
		}
	}
	if err != nil {
		w.tx.exec("ROLLBACK") // an error here means no transaction is open: nothing to undo
		err = fmt.Errorf("commit: %w", err)
	}
	w.observe.Tell(len(ops), time.Since(began))
	for i, o := range ops {
		switch {
		case errs[i] != nil:
			o.Done(errs[i])
		default:
			o.Done(err)
		}
	}
}

// apply begins the transaction and runs each write in a savepoint,
// recording each write's own error in errs. An error returned is the
// batch's: the transaction can no longer be committed.
func (w *writer) apply(ops []*op, errs []error) error {
	if err := w.tx.exec("BEGIN IMMEDIATE"); err != nil {
		return err
	}
	for i, o := range ops {
		if err := w.tx.exec("SAVEPOINT op"); err != nil {
			return err
		}
		if errs[i] = w.run(o); errs[i] != nil {
			// Undo what the write did; if the savepoint is gone, SQLite
			// rolled the whole transaction back (a full disk, an I/O
			// error), and with it the writes before this one.
			if err := w.tx.exec("ROLLBACK TO op"); err != nil {
				return err
			}
		}
		if err := w.tx.exec("RELEASE op"); err != nil {
			return err
		}
	}
	return nil
}

// run runs one write. A write that panics fails alone, as it would have
// in its caller's goroutine, rather than take the writer, and every
// caller waiting on it, down with it.
func (w *writer) run(o *op) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write panicked: %v", p)
		}
	}()
	return o.In(&w.tx)
}

// close stops the loop after the batch in progress; writes still queued
// are refused with errClosed. Closing again does nothing.
func (w *writer) close() error {
	w.closing.Do(func() {
		w.q.Close()
		// A statement left prepared keeps SQLite from checkpointing the
		// log into the file when the last connection closes.
		var errs []error
		for _, s := range w.tx.stmts {
			errs = append(errs, s.Close())
		}
		w.closeErr = errors.Join(append(errs, w.conn.Close())...)
	})
	return w.closeErr
}

// A wtx is what a write runs its statements on: the writer's connection,
// inside the batch's transaction. Its statements are prepared once and
// kept (the queries are constants, so the set stays small), and they run
// on the writer's context, not the caller's.
type wtx struct {
	conn  *sql.Conn
	stmts map[string]*sql.Stmt
}

// maxStmts bounds the statements kept prepared, should a query ever be
// built at run time.
const maxStmts = 256

var writerCtx = context.Background()

// stmt returns query prepared, or nil once maxStmts are kept.
func (tx *wtx) stmt(query string) (*sql.Stmt, error) {
	if s, ok := tx.stmts[query]; ok || len(tx.stmts) >= maxStmts {
		return s, nil
	}
	s, err := tx.conn.PrepareContext(writerCtx, query)
	if err != nil {
		return nil, err
	}
	tx.stmts[query] = s
	return s, nil
}

// Exec runs a statement that returns no rows.
func (tx *wtx) Exec(query string, args ...any) (sql.Result, error) {
	s, err := tx.stmt(query)
	switch {
	case err != nil:
		return nil, err
	case s == nil:
		return tx.conn.ExecContext(writerCtx, query, args...)
	}
	return s.ExecContext(writerCtx, args...)
}

// QueryRow runs a query that returns at most one row.
func (tx *wtx) QueryRow(query string, args ...any) *sql.Row {
	if s, err := tx.stmt(query); err == nil && s != nil {
		return s.QueryRowContext(writerCtx, args...)
	}
	// Unprepared, a query that cannot be prepared fails again, and the
	// *sql.Row carries that error to Scan.
	return tx.conn.QueryRowContext(writerCtx, query, args...)
}

func (tx *wtx) exec(query string) error {
	_, err := tx.Exec(query)
	return err
}
