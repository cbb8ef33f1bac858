package sqlite

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheLogStartsAgainOnceCopied: the writer's commits copy nothing of
// the log into the file, and yet the log does not grow with every commit:
// the checkpointer copies it, the writer copies what was committed
// meanwhile, and the log starts again from its beginning.
func TestTheLogStartsAgainOnceCopied(t *testing.T) {
	db, path := open(t)
	db.cp.restartAt = 50 // pages; each round commits 100 or more
	ctx := context.Background()
	var auto int
	require.NoError(t, db.inTx(ctx, func(tx *wtx) error {
		return tx.QueryRow("PRAGMA wal_autocheckpoint").Scan(&auto)
	}))
	assert.Equal(t, 0, auto, "the writer's commits checkpoint")

	require.NoError(t, db.CreateCall(ctx, newCall("c1")))
	n := 0
	round := func() int64 {
		for range 100 { // a page of the log each, or more
			n++
			require.NoError(t, db.AppendTurn(ctx, "c1", turn(n, strings.Repeat("x", 1000))))
		}
		// Wait for a checkpoint that began after these commits; the
		// next round's first commit lets the writer finish it, and its
		// second starts the log again.
		commits := db.w.commits.Load()
		require.Eventually(t, func() bool { return db.cp.upTo.Load() >= commits }, 10*time.Second, time.Millisecond)
		fi, err := os.Stat(path + "-wal")
		require.NoError(t, err)
		return fi.Size()
	}
	first := round()
	var last int64
	for range 4 {
		last = round()
	}
	assert.Less(t, last, 2*first, "the log grew by a round's commits each round: it never started again")
}

// TestTheWriterFinishesACheckpoint: the commits made while a checkpoint
// copied the log are copied by the writer once told to, so that its next
// transaction starts the log again.
func TestTheWriterFinishesACheckpoint(t *testing.T) {
	db, path := open(t)
	require.NoError(t, db.cp.close()) // this test checkpoints by hand
	ctx := context.Background()
	other, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer other.Close()
	passive := func() (logged, copied int) {
		var busy int
		require.NoError(t, other.QueryRow(passiveCheckpoint).Scan(&busy, &logged, &copied))
		return logged, copied
	}

	require.NoError(t, db.CreateCall(ctx, newCall("c1")))
	n := 0
	write := func(turns int) {
		for range turns {
			n++
			require.NoError(t, db.AppendTurn(ctx, "c1", turn(n, strings.Repeat("x", 1000))))
		}
	}
	write(50)
	logged, copied := passive()
	require.Equal(t, logged, copied, "the checkpoint copied all the log")
	write(20) // committed after the checkpoint began, as under load
	db.w.finish.Store(true)
	write(2) // the writer copies the rest after the first, and the second starts the log again
	logged, _ = passive()
	assert.Less(t, logged, 10, "the log did not start again")
}
