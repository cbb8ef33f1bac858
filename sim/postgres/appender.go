package postgres

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
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
// A batch holds only share locks (on the calls' rows, the insert's and the
// foreign key's), which do not conflict with one another; an end updates
// one row on its own, outside the batches, so it waits for the batches
// holding that row and cannot close a cycle with them.

const (
	// maxAppends bounds the inserts committed together.
	maxAppends = 128
	// appenders is how many batches may be in flight at once.
	appenders = 2
	// appendTimeout bounds one batch, should the connection hang.
	appendTimeout = time.Minute
)

var errAppenderClosed = errors.New("the store is closed")

// An appendOp is one caller's insert: its statement and arguments and,
// once committed, the rows it inserted (0 or 1) or the error.
type appendOp struct {
	sql   string
	args  []any
	state atomic.Int32 // queued, taken or abandoned
	done  chan appendResult
}

type appendResult struct {
	inserted int64
	err      error
}

const (
	queued int32 = iota
	taken
	abandoned
)

type appender struct {
	pool    *pgxpool.Pool
	ops     chan *appendOp
	quit    chan struct{}
	stopped chan struct{} // closed once every loop has returned
	batches atomic.Int64  // batches of more than one insert committed, for tests
	closing sync.Once
}

func newAppender(pool *pgxpool.Pool) *appender {
	a := &appender{
		pool:    pool,
		ops:     make(chan *appendOp, 4*maxAppends),
		quit:    make(chan struct{}),
		stopped: make(chan struct{}),
	}
	var wg sync.WaitGroup
	for range appenders {
		wg.Go(a.loop)
	}
	go func() { wg.Wait(); close(a.stopped) }()
	return a
}

// append runs the insert sql with args in the next batch and returns how
// many rows it inserted, once committed. ctx bounds the wait in the queue;
// an insert taken into a batch runs to the end.
func (a *appender) append(ctx context.Context, sql string, args ...any) (int64, error) {
	o := &appendOp{sql: sql, args: args, done: make(chan appendResult, 1)}
	select {
	case a.ops <- o:
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-a.quit:
		return 0, errAppenderClosed
	}
	var r appendResult
	select {
	case r = <-o.done:
		return r.inserted, r.err
	case <-ctx.Done():
		if o.state.CompareAndSwap(queued, abandoned) {
			return 0, ctx.Err()
		}
	case <-a.stopped:
		if o.state.CompareAndSwap(queued, abandoned) {
			return 0, errAppenderClosed
		}
	}
	r = <-o.done
	return r.inserted, r.err
}

func (a *appender) loop() {
	batch := make([]*appendOp, 0, maxAppends)
	for {
		select { // closing wins over turns queued meanwhile
		case <-a.quit:
			return
		default:
		}
		select {
		case <-a.quit:
			return
		case o := <-a.ops:
			batch = append(batch[:0], o)
		}
	more:
		for len(batch) < maxAppends {
			select {
			case o := <-a.ops:
				batch = append(batch, o)
			default:
				break more
			}
		}
		a.commit(batch)
	}
}

// commit runs the batch's inserts in one transaction and tells each caller
// its result; if the batch fails, each insert is tried alone.
func (a *appender) commit(batch []*appendOp) {
	ops := batch[:0]
	for _, o := range batch {
		if o.state.CompareAndSwap(queued, taken) {
			ops = append(ops, o)
		}
	}
	if len(ops) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), appendTimeout)
	defer cancel()
	if len(ops) == 1 {
		ops[0].done <- a.alone(ctx, ops[0])
		return
	}
	b := &pgx.Batch{}
	for _, o := range ops {
		b.Queue(o.sql, o.args...)
	}
	inserted := make([]int64, len(ops))
	err := func() error {
		br := a.pool.SendBatch(ctx, b)
		for i := range ops {
			tag, err := br.Exec()
			if err != nil {
				br.Close()
				return err
			}
			inserted[i] = tag.RowsAffected()
		}
		return br.Close() // the commit
	}()
	if err != nil { // rolled back whole: try each alone
		for _, o := range ops {
			o.done <- a.alone(ctx, o)
		}
		return
	}
	a.batches.Add(1)
	for i, o := range ops {
		o.done <- appendResult{inserted: inserted[i]}
	}
}

// alone runs one insert in a transaction of its own.
func (a *appender) alone(ctx context.Context, o *appendOp) appendResult {
	tag, err := a.pool.Exec(ctx, o.sql, o.args...)
	return appendResult{inserted: tag.RowsAffected(), err: err}
}

// close stops the loops after the batches in progress; inserts still
// queued are refused. Closing again does nothing.
func (a *appender) close() {
	a.closing.Do(func() {
		close(a.quit)
		<-a.stopped
		for {
			select {
			case o := <-a.ops:
				if o.state.CompareAndSwap(queued, taken) {
					o.done <- appendResult{err: errAppenderClosed}
				}
			default:
				return
			}
		}
	})
}
