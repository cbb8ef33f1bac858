package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// These tests hold the writer inside a write of their own, queue the
// writes to commit together behind it, one at a time so their order is
// known, and then let it go: what was queued is one batch.

func open(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "roleplay.db")
	db, err := Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.PutScenarioVersion(context.Background(), sim.ScenarioVersion{Hash: "h1"}))
	return db, path
}

func newCall(id string) *sim.Call {
	return &sim.Call{ID: id, Version: "h1", Mode: sim.Training, Started: time.Unix(1, 0)}
}

func turn(n int, said string) sim.TurnRecord {
	return sim.TurnRecord{N: n, Said: said, Reader: "test", At: time.Unix(int64(n), 0)}
}

// hold keeps the writer busy with a write of its own until the returned
// function is called.
func hold(t *testing.T, db *DB) (release func()) {
	t.Helper()
	inside, let := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.inTx(context.Background(), func(*wtx) error {
			close(inside)
			<-let
			return nil
		})
	}()
	<-inside
	return func() {
		close(let)
		require.NoError(t, <-done)
	}
}

// queue starts write in a goroutine and returns once it waits in the
// writer's queue; its result arrives on the channel returned.
func queue(db *DB, write func() error) <-chan error {
	before := db.w.q.Waiting()
	result := make(chan error, 1)
	go func() { result <- write() }()
	for db.w.q.Waiting() == before {
		runtime.Gosched()
	}
	return result
}

func TestOneBatchGivesEachWriteItsOwnResult(t *testing.T) {
	db, _ := open(t)
	ctx := context.Background()
	require.NoError(t, db.CreateCall(ctx, newCall("c1")))
	require.NoError(t, db.CreateCall(ctx, newCall("c2")))
	commits := db.w.commits.Load()

	release := hold(t, db)
	var (
		first     = queue(db, func() error { return db.AppendTurn(ctx, "c1", turn(1, "first")) })
		second    = queue(db, func() error { return db.AppendTurn(ctx, "c1", turn(1, "second")) })
		next      = queue(db, func() error { return db.AppendTurn(ctx, "c1", turn(2, "next")) })
		skipped   = queue(db, func() error { return db.AppendTurn(ctx, "c1", turn(4, "skipped one")) })
		other     = queue(db, func() error { return db.AppendTurn(ctx, "c2", turn(1, "other call")) })
		nobody    = queue(db, func() error { return db.AppendTurn(ctx, "c9", turn(1, "no such call")) })
		again     = queue(db, func() error { return db.CreateCall(ctx, newCall("c1")) })
		fresh     = queue(db, func() error { return db.CreateCall(ctx, newCall("c3")) })
		end       = queue(db, func() error { return db.EndCall(ctx, "c2", 1, sim.EndedByTrainee, time.Unix(9, 0), nil) })
		afterEnd  = queue(db, func() error { return db.AppendTurn(ctx, "c2", turn(2, "after the end")) })
		endAgain  = queue(db, func() error { return db.EndCall(ctx, "c2", 1, sim.EndedByTrainee, time.Unix(9, 0), nil) })
		undone    = queue(db, func() error { return insertThenFail(db, "c3") })
		panicked  = queue(db, func() error { return insertThenPanic(db, "c3") })
		lastWrite = queue(db, func() error { return db.AppendTurn(ctx, "c3", turn(1, "kept")) })
	)
	release()

	assert.NoError(t, <-first)
	assertCode(t, sim.EConflict, <-second, "turn 1 again, in the same batch")
	assert.NoError(t, <-next)
	assertCode(t, sim.EConflict, <-skipped, "turn 4 after 2")
	assert.NoError(t, <-other)
	assertCode(t, sim.ENotFound, <-nobody, "a call never created")
	assertCode(t, sim.EConflict, <-again, "a call id taken")
	assert.NoError(t, <-fresh)
	assert.NoError(t, <-end)
	assertCode(t, sim.EConflict, <-afterEnd, "a turn after the end")
	assertCode(t, sim.EConflict, <-endAgain, "a second end")
	assert.EqualError(t, <-undone, "changed my mind")
	assert.EqualError(t, <-panicked, "write panicked: lost my mind")
	assert.NoError(t, <-lastWrite)
	assert.Equal(t, commits+2, db.w.commits.Load(), "the held write's commit, then one for the batch")

	assert.Equal(t, []string{"first", "next"}, said(t, db, "c1"))
	assert.Equal(t, []string{"other call"}, said(t, db, "c2"))
	assert.Equal(t, []string{"kept"}, said(t, db, "c3"), "the failed write's turn is rolled back, the later one kept")
	c2, err := db.Call(ctx, "c2")
	require.NoError(t, err)
	assert.Equal(t, sim.EndedByTrainee, c2.End)
}

// insertThenFail writes a turn and then fails, as a write with several
// statements may: its savepoint must undo the turn.
func insertThenFail(db *DB, id string) error {
	return db.inTx(context.Background(), func(tx *wtx) error {
		if _, err := tx.Exec(`INSERT INTO turns (call_id, n, said, acts, reader, at, reply) VALUES (?, 1, 'undone', 'null', '', 0, '')`, id); err != nil {
			return err
		}
		return errors.New("changed my mind")
	})
}

// insertThenPanic writes a turn and then panics: it fails alone.
func insertThenPanic(db *DB, id string) error {
	return db.inTx(context.Background(), func(tx *wtx) error {
		if _, err := tx.Exec(`INSERT INTO turns (call_id, n, said, acts, reader, at, reply) VALUES (?, 1, 'panicked', 'null', '', 0, '')`, id); err != nil {
			return err
		}
		panic("lost my mind")
	})
}

func TestAWriteGivenUpInTheQueueIsNotStored(t *testing.T) {
	db, _ := open(t)
	require.NoError(t, db.CreateCall(context.Background(), newCall("c1")))
	release := hold(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := queue(db, func() error { return db.AppendTurn(ctx, "c1", turn(1, "given up")) })
	cancel()
	assert.ErrorIs(t, <-gaveUp, context.Canceled)
	release()
	assert.Empty(t, said(t, db, "c1"))
}

func TestWritesQueuedAtCloseAreRefused(t *testing.T) {
	db, path := open(t)
	ctx := context.Background()
	require.NoError(t, db.CreateCall(ctx, newCall("c1")))
	release := hold(t, db)
	late := queue(db, func() error { return db.AppendTurn(ctx, "c1", turn(1, "too late")) })
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	for !db.w.q.Closing() {
		runtime.Gosched()
	}
	release()
	assert.ErrorIs(t, <-late, errClosed)
	require.NoError(t, <-closed)
	assert.ErrorIs(t, db.AppendTurn(ctx, "c1", turn(1, "after close")), errClosed)

	again, err := Open(path)
	require.NoError(t, err)
	defer again.Close()
	assert.Empty(t, said(t, again, "c1"))
}

func said(t *testing.T, db *DB, id string) []string {
	t.Helper()
	c, err := db.Call(context.Background(), id)
	require.NoError(t, err)
	var out []string
	for _, tr := range c.Turns {
		out = append(out, tr.Said)
	}
	return out
}

func assertCode(t *testing.T, code sim.ErrorCode, err error, what string) {
	t.Helper()
	assert.Equal(t, code, sim.ErrorCodeOf(err), "%s: %v", what, err)
}

// TestObserveBatches: the observer hears of each batch, with the writes
// it held, once it is committed.
func TestObserveBatches(t *testing.T) {
	db, _ := open(t)
	ctx := context.Background()
	require.NoError(t, db.CreateCall(ctx, newCall("c1")))
	var sizes []int // written by the writer, read once its writes returned
	db.ObserveBatches(func(writes int, took time.Duration) {
		sizes = append(sizes, writes)
		assert.Positive(t, took)
	})

	release := hold(t, db)
	first := queue(db, func() error { return db.AppendTurn(ctx, "c1", turn(1, "first")) })
	second := queue(db, func() error { return db.AppendTurn(ctx, "c1", turn(2, "second")) })
	release()
	require.NoError(t, <-first)
	require.NoError(t, <-second)
	assert.Equal(t, []int{1, 2}, sizes, "the held write alone, then the two queued behind it")

	db.ObserveBatches(nil)
	require.NoError(t, db.AppendTurn(ctx, "c1", turn(3, "unheard")))
	assert.Len(t, sizes, 2)
}
