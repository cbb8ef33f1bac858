package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// The checkpointer copies the log into the database file in the
// background, so that no commit waits for the copy. Left to itself,
// SQLite copies the log (a checkpoint) inside the commit that brings it
// past 1000 pages: the writer, and every turn queued behind it, then
// waits for the pages to be read, written and synced. At 2,000 turns a
// second that was a commit of 4 to 10 ms every 130 ms or so, the slowest
// commits by far when the disk is quick. So the writer's connection does no checkpoint
// of its own (wal_autocheckpoint=0) and this one, on a connection of its
// own, copies the log while the writer goes on: a passive checkpoint
// takes no lock the writer needs.
//
// The log starts again from its beginning only once all of it is in the
// file, and the commits made while the copy ran are not. So once the log
// is restartFrames long, the writer finishes a checkpoint itself,
// between two batches: the few pages committed meanwhile, after which
// its next transaction starts the log again. That costs the writer two
// syncs (of the log, then of the file), as long as a slow commit, so it
// is done seldom: about twice a second at 2,000 turns a second, where
// SQLite checkpointed inside a commit seven or eight times a second.
// Without it the log would grow without end.
//
// Durability is SQLite's: each commit still syncs the log before it
// returns (synchronous=FULL), and a checkpoint syncs the log before it
// copies and the database file before any of the log is reused.

const (
	// checkpointPause is how long the checkpointer lets commits gather
	// after the first since the last checkpoint: at most ten checkpoints
	// a second.
	checkpointPause = 100 * time.Millisecond

	// restartFrames is how long the log may grow, in pages, before the
	// writer finishes a checkpoint so that it starts again: 16 MiB of
	// 4 KiB pages.
	restartFrames = 4096
)

type checkpointer struct {
	conn      *sql.Conn
	w         *writer
	restartAt int // restartFrames; less in tests
	quit      chan struct{}
	stopped   chan struct{}
	// upTo is how many commits the writer had made when the last
	// checkpoint began, for tests.
	upTo atomic.Int64

	closing  sync.Once
	closeErr error
}

func newCheckpointer(conn *sql.Conn, w *writer) *checkpointer {
	c := &checkpointer{conn: conn, w: w, restartAt: restartFrames, quit: make(chan struct{}), stopped: make(chan struct{})}
	go c.loop()
	return c
}

func (c *checkpointer) loop() {
	defer close(c.stopped)
	for {
		select {
		case <-c.quit:
			return
		case <-c.w.wrote:
		}
		select {
		case <-c.quit:
			return
		case <-time.After(checkpointPause):
		}
		upTo := c.w.commits.Load()
		// An error (another process checkpointing the file, say) leaves
		// the log as it is; the next checkpoint tries again.
		logged, err := checkpoint(c.conn.QueryRowContext(context.Background(), passiveCheckpoint))
		if err == nil && logged >= c.restartAt {
			c.w.finish.Store(true)
		}
		c.upTo.Store(upTo)
	}
}

// passiveCheckpoint copies into the file as much of the log as no reader
// needs, waiting for no one.
const passiveCheckpoint = "PRAGMA wal_checkpoint(PASSIVE)"

// checkpoint reads the result of passiveCheckpoint: how many pages the
// log holds.
func checkpoint(row *sql.Row) (logged int, err error) {
	var busy, copied int
	err = row.Scan(&busy, &logged, &copied)
	return logged, err
}

// close stops the checkpointer after the checkpoint in progress. Closing
// again does nothing.
func (c *checkpointer) close() error {
	c.closing.Do(func() {
		close(c.quit)
		<-c.stopped
		c.closeErr = c.conn.Close()
	})
	return c.closeErr
}
