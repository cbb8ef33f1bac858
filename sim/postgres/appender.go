package postgres

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/roleplay-sim/roleplay/sim/internal/batch"
)

// The appender commits the new calls and the turns of many calls together.
// Each is one insert that does not fail on a conflict (createCall,
// appendTurn): it inserts nothing when the row may not go in (a call id
// taken, a call missing or ended, a turn that does not follow the turns
// stored or is there already), and its caller then reads why. So a batch
// of them is sent as one pipeline of statements with one sync at the end,
// which PostgreSQL runs as one implicit transaction: one round trip and
// one commit for the lot (group commit), where each alone costs the server
// a commit of its own. Each caller is told its result once the commit is
// durable; an error that fails the batch (the server gone, a row
// PostgreSQL refuses) rolls it back whole, and each of its inserts is then
// tried alone, so that one bad row fails only itself.
//
// A few batches run at once, each on a connection of the pool, so that an
// insert queued while one batch commits goes out with the next rather than
// waiting for it. A caller waits for its own insert's commit only; no timer
// holds one back for company.
//
// A batch holds share locks on the calls' rows (the insert's and the
// foreign key's), which do not conflict with one another; an end updates
// one row on its own, outside the batches, so it waits for the batches
// holding that row and cannot close a cycle with them. Two batches can
// wait for each other only when each inserts a key the other is inserting
// too (two nodes storing the same turns of the same two calls at once):
// PostgreSQL then fails one as a deadlock, and its inserts are tried
// alone, as for any failed batch.

const (
	// maxAppends bounds the inserts committed together.
	maxAppends = 128
	// appenders is how many batches may be in flight at once.
	appenders = 2
	// appendTimeout bounds one batch, should the connection hang.
	appendTimeout = time.Minute
)

// An appendOp is one caller's insert: its statement and arguments.
type appendOp struct {
	sql  string
	args []any
}

// An appendResult is the rows an insert inserted (0 or 1), or its error.
type appendResult struct {
	inserted int64
	err      error
}

type appender struct {
	pool    *pgxpool.Pool
	q       *batch.Queue[appendOp, appendResult]
	batches atomic.Int64 // batches of more than one insert committed, for tests

	observe batch.Observer // DB.ObserveBatches
}

func newAppender(pool *pgxpool.Pool) *appender {
	a := &appender{pool: pool}
	a.q = batch.New(maxAppends, appenders, a.commit)
	return a
}

// append runs the insert sql with args in the next batch and returns how
// many rows it inserted, once committed. ctx bounds the wait in the queue;
// an insert taken into a batch runs to the end.
func (a *appender) append(ctx context.Context, sql string, args ...any) (int64, error) {
	r, err := a.q.Do(ctx, appendOp{sql: sql, args: args})
	if err != nil {
		return 0, err
	}
	return r.inserted, r.err
}

// commit runs the batch's inserts in one transaction and tells each caller
// its result; if the batch fails, each insert is tried alone.
func (a *appender) commit(ops []*batch.Op[appendOp, appendResult]) {
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), appendTimeout)
	defer cancel()
	results := a.run(ctx, ops)
	a.observe.Tell(len(ops), time.Since(began))
	for i, o := range ops {
		o.Done(results[i])
	}
}

// run runs the inserts, together or, if that fails, each alone.
func (a *appender) run(ctx context.Context, ops []*batch.Op[appendOp, appendResult]) []appendResult {
	results := make([]appendResult, len(ops))
	if len(ops) == 1 {
		results[0] = a.alone(ctx, ops[0].In)
		return results
	}
	b := &pgx.Batch{}
	for _, o := range ops {
		b.Queue(o.In.sql, o.In.args...)
	}
	err := func() error {
		br := a.pool.SendBatch(ctx, b)
		for i := range ops {
			tag, err := br.Exec()
			if err != nil {
				br.Close()
				return err
			}
			results[i] = appendResult{inserted: tag.RowsAffected()}
		}
		return br.Close() // the commit
	}()
	if err != nil { // rolled back whole: try each alone
		for i, o := range ops {
			results[i] = a.alone(ctx, o.In)
		}
		return results
	}
	a.batches.Add(1)
	return results
}

// alone runs one insert in a transaction of its own.
func (a *appender) alone(ctx context.Context, o appendOp) appendResult {
	tag, err := a.pool.Exec(ctx, o.sql, o.args...)
	return appendResult{inserted: tag.RowsAffected(), err: err}
}

// close stops the loops after the batches in progress; inserts still
// queued are refused. Closing again does nothing.
func (a *appender) close() { a.q.Close() }
